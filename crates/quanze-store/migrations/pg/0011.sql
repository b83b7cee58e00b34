-- PostgreSQL step 11 (version 10 → 11; SQLite's is migrations/0011.sql): an item's document is
-- kept as `json`, its text as the program wrote it, instead of `jsonb` (issue 19,
-- docs/benchmarks/server.md).
-- Frozen once released: never edit it then (a test pins its SHA-256).
--
-- The server never looks inside an item's document except to rewrite its position (the store
-- casts to jsonb for that one statement); it is written whole and read whole. As `jsonb` every
-- document was parsed into the binary form on the way in and printed back to text on the way
-- out. Measured with psql on the 50,000 documents of the import benchmark's workbook (418
-- bytes each, as the store writes them), three times each: INSERT … SELECT t::jsonb 259–291 ms
-- against t::json 85–88 ms; COPY of them all to /dev/null 109–114 ms against 26–33 ms.
-- `json` still checks that the text is JSON.
-- The other tables' documents stay `jsonb`: they are few, and versions' are read with jsonb
-- functions.
ALTER TABLE item_documents ALTER COLUMN doc TYPE json USING doc::json;

UPDATE schema_version SET version = 11;
