CREATE INDEX "dossier_history_moved_later_idx" ON "dossier_history" USING btree ("dossier_code") WHERE "dossier_history"."field" = 'promised_due_at' AND "dossier_history"."old_value" IS NOT NULL AND "dossier_history"."new_value" COLLATE "C" > "dossier_history"."old_value" COLLATE "C";--> statement-breakpoint
CREATE INDEX "dossier_history_status_backwards_idx" ON "dossier_history" USING btree ("dossier_code") WHERE "dossier_history"."field" = 'status' AND "dossier_history"."old_value" IS NOT NULL AND CASE "dossier_history"."new_value"
  WHEN '1' THEN 0 WHEN '2' THEN 1 WHEN '4' THEN 2 WHEN '5' THEN 2 WHEN '6' THEN 2
  WHEN '9' THEN 3 WHEN '10' THEN 4 ELSE 5 END < CASE "dossier_history"."old_value"
  WHEN '1' THEN 0 WHEN '2' THEN 1 WHEN '4' THEN 2 WHEN '5' THEN 2 WHEN '6' THEN 2
  WHEN '9' THEN 3 WHEN '10' THEN 4 ELSE 5 END;--> statement-breakpoint
CREATE INDEX "dossier_steps_ends_before_start_idx" ON "dossier_steps" USING btree ("dossier_code") WHERE "dossier_steps"."ended_at" < "dossier_steps"."started_at";--> statement-breakpoint
CREATE INDEX "dossiers_received_idx" ON "dossiers" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "dossiers_beyond_statutory_idx" ON "dossiers" USING btree ("code") WHERE "dossiers"."promised_due_at" > "dossiers"."statutory_due_at";--> statement-breakpoint
CREATE INDEX "dossiers_impossible_dates_idx" ON "dossiers" USING btree ("code") WHERE "dossiers"."completed_at" < "dossiers"."received_at" OR "dossiers"."returned_at" < "dossiers"."finished_at" OR ("dossiers"."status" IN (9, 10) AND "dossiers"."completed_at" IS NULL) OR "dossiers"."promised_due_at" < "dossiers"."received_at";--> statement-breakpoint
CREATE INDEX "violations_open_rule_idx" ON "violations" USING btree ("rule","dossier_code") WHERE "violations"."resolved_at" IS NULL;