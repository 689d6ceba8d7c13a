ALTER TABLE "apology_letters" ALTER COLUMN "number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "apology_letters" ADD COLUMN "reference" text;--> statement-breakpoint
ALTER TABLE "letter_versions" ADD COLUMN "input" jsonb NOT NULL;