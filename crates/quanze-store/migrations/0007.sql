-- Migration 0007 (user_version 6 → 7): row versions (issue 19, docs/server.md, docs/store.md).
-- Every entity row gets `version`, 1 when written first; every write of the row (an edit, a
-- renumbering of positions) adds one. Several people may edit one database on a PostgreSQL
-- server; the version tells a reader that a row changed since it read it. SQLite writes one
-- transaction at a time, but both backends keep the same columns, so that a database moves
-- between them whole.
-- Frozen: never edit this file (a test pins its SHA-256). Change the schema with a new step.
ALTER TABLE jurisdictions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE leaders ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE units ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE lists ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE items ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE admission_requests ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE waivers ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE versions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE change_requests ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
