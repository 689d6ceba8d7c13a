CREATE TABLE "letter_status_links" (
	"token" text PRIMARY KEY NOT NULL,
	"letter_id" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "feedback_url" text;--> statement-breakpoint
ALTER TABLE "letter_deliveries" ADD COLUMN "status" text DEFAULT 'recorded' NOT NULL;--> statement-breakpoint
ALTER TABLE "letter_deliveries" ADD COLUMN "recipient" text;--> statement-breakpoint
ALTER TABLE "letter_deliveries" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "letter_deliveries" ADD COLUMN "version" integer;--> statement-breakpoint
ALTER TABLE "letter_deliveries" ADD COLUMN "sha256" text;--> statement-breakpoint
ALTER TABLE "letter_deliveries" ADD COLUMN "message_id" text;--> statement-breakpoint
ALTER TABLE "letter_deliveries" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "letter_deliveries" ADD COLUMN "last_error" text;--> statement-breakpoint
ALTER TABLE "letter_versions" ADD COLUMN "signature" jsonb;--> statement-breakpoint
CREATE UNIQUE INDEX "letter_status_links_live_uq" ON "letter_status_links" USING btree ("letter_id") WHERE "letter_status_links"."revoked_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "letter_deliveries_idempotency_uq" ON "letter_deliveries" USING btree ("letter_id","idempotency_key");