DROP INDEX "dossier_history_moved_later_idx";--> statement-breakpoint
CREATE INDEX "dossier_history_appointments_idx" ON "dossier_history" USING btree ("dossier_code","source_updated_at","id") WHERE "dossier_history"."field" = 'promised_due_at';--> statement-breakpoint
CREATE INDEX "dossier_pauses_started_idx" ON "dossier_pauses" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "dossier_pauses_ended_idx" ON "dossier_pauses" USING btree ("ended_at");--> statement-breakpoint
CREATE INDEX "apology_letters_issued_idx" ON "apology_letters" USING btree ("issued_at");--> statement-breakpoint
CREATE INDEX "apology_letters_new_due_idx" ON "apology_letters" USING btree ("new_due_at");--> statement-breakpoint
CREATE INDEX "dossier_history_moved_later_idx" ON "dossier_history" USING btree ("dossier_code","source_updated_at","id","old_value","new_value") WHERE "dossier_history"."field" = 'promised_due_at' AND "dossier_history"."old_value" IS NOT NULL AND "dossier_history"."new_value" COLLATE "C" > "dossier_history"."old_value" COLLATE "C";