CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" integer,
	"actor_name" text NOT NULL,
	"action" text NOT NULL,
	"resource_type" text NOT NULL,
	"resource_id" text,
	"agency_code" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"scope_kind" text NOT NULL,
	"scope_agency_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "calendar_days" (
	"date" date PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text,
	"legal_ref" text
);
--> statement-breakpoint
CREATE TABLE "calendar_years" (
	"year" integer PRIMARY KEY NOT NULL,
	"provisional" boolean NOT NULL,
	"confirmed_by" integer,
	"confirmed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "agencies" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"short_code" text NOT NULL,
	"parent_code" text,
	"path" text NOT NULL,
	"place" text,
	"working_periods" jsonb DEFAULT '[["07:30","11:30"],["13:30","17:30"]]'::jsonb NOT NULL,
	"letter_header" jsonb,
	"lateness_window" text,
	"lateness_threshold" integer,
	"digest_webhook_url" text,
	"catalogued" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "field_targets" (
	"field_code" text PRIMARY KEY NOT NULL,
	"max_late_rate" numeric NOT NULL
);
--> statement-breakpoint
CREATE TABLE "officials" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"title" text,
	"department" text,
	"agency_code" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "procedures" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"field_code" text,
	"field" text,
	"processing_time" jsonb,
	"per_channel" jsonb,
	"supplement_policy" text DEFAULT 'pause' NOT NULL,
	"steps" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"max_late_rate" numeric,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dossier_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dossier_code" text NOT NULL,
	"field" text NOT NULL,
	"old_value" text,
	"new_value" text,
	"source_updated_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dossier_pauses" (
	"dossier_code" text NOT NULL,
	"seq" integer NOT NULL,
	"kind" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"reason" text,
	CONSTRAINT "dossier_pauses_pk" PRIMARY KEY("dossier_code","seq")
);
--> statement-breakpoint
CREATE TABLE "dossier_steps" (
	"dossier_code" text NOT NULL,
	"seq" integer NOT NULL,
	"official_id" text,
	"official_name" text,
	"title" text,
	"department" text,
	"started_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"note" text,
	CONSTRAINT "dossier_steps_pk" PRIMARY KEY("dossier_code","seq")
);
--> statement-breakpoint
CREATE TABLE "dossiers" (
	"code" text PRIMARY KEY NOT NULL,
	"agency_code" text NOT NULL,
	"procedure_code" text NOT NULL,
	"field_code" text,
	"channel" text NOT NULL,
	"status" smallint NOT NULL,
	"applicant_name" text NOT NULL,
	"applicant_id_number" text,
	"applicant_kind" text NOT NULL,
	"applicant_contact" jsonb,
	"received_at" timestamp with time zone NOT NULL,
	"promised_due_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"returned_at" timestamp with time zone,
	"source_updated_at" timestamp with time zone NOT NULL,
	"content_hash" text NOT NULL,
	"raw" jsonb,
	"start_at" timestamp with time zone,
	"statutory_due_at" timestamp with time zone,
	"binding_due_at" timestamp with time zone,
	"apology_window_starts_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"processing_time_known" boolean DEFAULT false NOT NULL,
	"computed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "apology_letters" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dossier_code" text NOT NULL,
	"agency_code" text NOT NULL,
	"year" integer NOT NULL,
	"number" integer NOT NULL,
	"form" text NOT NULL,
	"reason" text NOT NULL,
	"new_due_at" timestamp with time zone NOT NULL,
	"signer_name" text NOT NULL,
	"signer_title" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"issued_by" integer NOT NULL,
	"current_version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "letter_counters" (
	"agency_code" text NOT NULL,
	"year" integer NOT NULL,
	"last_number" integer NOT NULL,
	CONSTRAINT "letter_counters_pk" PRIMARY KEY("agency_code","year")
);
--> statement-breakpoint
CREATE TABLE "letter_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"letter_id" integer NOT NULL,
	"channel" text NOT NULL,
	"delivered_at" timestamp with time zone NOT NULL,
	"note" text,
	"recorded_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "letter_versions" (
	"letter_id" integer NOT NULL,
	"version" integer NOT NULL,
	"pdf" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	"correction_reason" text,
	"created_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "letter_versions_pk" PRIMARY KEY("letter_id","version")
);
--> statement-breakpoint
CREATE TABLE "justifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dossier_code" text NOT NULL,
	"official_id" text NOT NULL,
	"accepted" boolean NOT NULL,
	"reason" text NOT NULL,
	"decided_by" integer NOT NULL,
	"decided_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_leases" (
	"name" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"acquired_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sweeps" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"trigger" text NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"status" text NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"duration_ms" integer
);
--> statement-breakpoint
CREATE TABLE "violations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dossier_code" text NOT NULL,
	"agency_code" text NOT NULL,
	"rule" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"detected_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"sweep_id" integer
);
--> statement-breakpoint
CREATE TABLE "sync_cursors" (
	"source" text PRIMARY KEY NOT NULL,
	"cursor" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_rejections" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"format" text NOT NULL,
	"record_index" integer NOT NULL,
	"code" text,
	"errors" jsonb NOT NULL,
	"raw" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "audit_log_resource_idx" ON "audit_log" USING btree ("resource_type","resource_id");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_uq" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "users_scope_agency_idx" ON "users" USING btree ("scope_agency_code");--> statement-breakpoint
CREATE INDEX "calendar_days_kind_idx" ON "calendar_days" USING btree ("kind");--> statement-breakpoint
CREATE INDEX "agencies_parent_idx" ON "agencies" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "agencies_path_idx" ON "agencies" USING btree ("path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "officials_agency_idx" ON "officials" USING btree ("agency_code");--> statement-breakpoint
CREATE INDEX "procedures_field_idx" ON "procedures" USING btree ("field_code");--> statement-breakpoint
CREATE INDEX "dossier_history_dossier_idx" ON "dossier_history" USING btree ("dossier_code","source_updated_at");--> statement-breakpoint
CREATE INDEX "dossier_steps_official_due_idx" ON "dossier_steps" USING btree ("official_id","due_at");--> statement-breakpoint
CREATE INDEX "dossiers_agency_received_idx" ON "dossiers" USING btree ("agency_code","received_at");--> statement-breakpoint
CREATE INDEX "dossiers_agency_binding_due_idx" ON "dossiers" USING btree ("agency_code","binding_due_at");--> statement-breakpoint
CREATE INDEX "dossiers_open_binding_due_idx" ON "dossiers" USING btree ("binding_due_at") WHERE "dossiers"."completed_at" IS NULL AND "dossiers"."status" NOT IN (3, 7, 8);--> statement-breakpoint
CREATE INDEX "dossiers_procedure_idx" ON "dossiers" USING btree ("procedure_code");--> statement-breakpoint
CREATE INDEX "dossiers_updated_idx" ON "dossiers" USING btree ("updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "apology_letters_one_per_dossier" ON "apology_letters" USING btree ("dossier_code");--> statement-breakpoint
CREATE UNIQUE INDEX "apology_letters_number_uq" ON "apology_letters" USING btree ("agency_code","year","number");--> statement-breakpoint
CREATE INDEX "letter_deliveries_letter_idx" ON "letter_deliveries" USING btree ("letter_id");--> statement-breakpoint
CREATE UNIQUE INDEX "justifications_dossier_official_uq" ON "justifications" USING btree ("dossier_code","official_id");--> statement-breakpoint
CREATE INDEX "sweeps_started_idx" ON "sweeps" USING btree ("started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "violations_dossier_rule_uq" ON "violations" USING btree ("dossier_code","rule");--> statement-breakpoint
CREATE INDEX "violations_open_agency_idx" ON "violations" USING btree ("agency_code","rule") WHERE "violations"."resolved_at" IS NULL;--> statement-breakpoint
CREATE INDEX "sync_rejections_received_idx" ON "sync_rejections" USING btree ("created_at");