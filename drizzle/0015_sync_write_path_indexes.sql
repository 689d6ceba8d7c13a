DROP INDEX "dossier_steps_official_due_idx";--> statement-breakpoint
DROP INDEX "dossiers_updated_idx";