-- dossiers.raw is the record as the one-stop system sent it, kept for audit and read again whole,
-- never queried into: json stores its text as it comes (a syntax check only), where jsonb parsed
-- every written record into a tree: after index upkeep, the most of PostgreSQL's work in a file
-- import's COPY into dossiers (issue 20).
-- Rows stored before keep jsonb's rendering of their payload (the same value, keys reordered); their
-- content hash, taken over the text as sent, is stored apart and unchanged.
ALTER TABLE "dossiers" ALTER COLUMN "raw" SET DATA TYPE json USING "raw"::json;
