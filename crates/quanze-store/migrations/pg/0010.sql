-- PostgreSQL step 10 (version 9 → 10; SQLite's is migrations/0010.sql): step 9's search index
-- goes again (issue 19, docs/benchmarks/server.md).
-- Frozen once released: never edit it then (a test pins its SHA-256).
--
-- Step 9 indexed the texts each item uses (a GIN index on quanze_text_ids(text_ids)) so that the
-- server would find the items a search matches. Measured with scripts/bench_server.py on the
-- 50,000-row workbook, it did the opposite: search p50 0.36–0.8 s against ~0.1 s when the program
-- reads the items' short rows (a 1- or 2-character term matches so many texts that `&&` walks
-- tens of thousands of posting lists; new entries wait in the GIN pending list every scan reads),
-- and the import paid ~30 µs an item for the function, 2.1× SQLite's time against a goal of 2×.
-- Search reads the short rows again (as before step 9); the index and its function are dropped.
DROP INDEX IF EXISTS items_text_ids;
DROP FUNCTION IF EXISTS quanze_text_ids(bytea);

UPDATE schema_version SET version = 10;
