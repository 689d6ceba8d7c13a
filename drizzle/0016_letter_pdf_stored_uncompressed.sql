-- A letter's PDF is already deflated (its fonts, content and maps): PostgreSQL's own compression,
-- tried on every stored version, finds nothing to gain and costs more than the rest of storing it.
-- EXTERNAL keeps the bytes out of line, uncompressed. drizzle's schema has no word for a column's
-- storage, hence this hand-written step.
ALTER TABLE "letter_versions" ALTER COLUMN "pdf" SET STORAGE EXTERNAL;
