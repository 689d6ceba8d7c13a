CREATE TABLE "working_days" (
	"profile" text NOT NULL,
	"date" date NOT NULL,
	"cum_minutes_before" integer NOT NULL,
	"working_minutes" integer NOT NULL,
	CONSTRAINT "working_days_pk" PRIMARY KEY("profile","date")
);
--> statement-breakpoint
CREATE TABLE "working_profiles" (
	"profile" text PRIMARY KEY NOT NULL,
	"periods" jsonb NOT NULL,
	"minutes_per_day" integer NOT NULL,
	"start_ms" integer[] NOT NULL,
	"end_ms" integer[] NOT NULL,
	"cum_end_ms" integer[] NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "working_profile" text DEFAULT '07:30-11:30,13:30-17:30' NOT NULL;--> statement-breakpoint
CREATE INDEX "working_days_ordinal_idx" ON "working_days" USING btree ("profile","cum_minutes_before") WHERE "working_days"."working_minutes" > 0;--> statement-breakpoint
CREATE INDEX "dossier_pauses_open_idx" ON "dossier_pauses" USING btree ("dossier_code") WHERE "dossier_pauses"."ended_at" IS NULL;--> statement-breakpoint
CREATE INDEX "dossiers_open_span_end_idx" ON "dossiers" USING btree (greatest("start_at", "statutory_due_at", "binding_due_at")) WHERE "dossiers"."completed_at" IS NULL AND "dossiers"."status" NOT IN (3, 7, 8);