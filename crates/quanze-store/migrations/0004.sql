-- Migration 0004 (user_version 3 → 4): a store sized to its text. Every string of every JSON
-- document (entities, published versions, audit before/after) is kept once in `texts` and the
-- documents refer to it; each item row lists the texts it uses (`text_ids`), and search scans
-- the distinct texts, then the items' short rows (see src/texts.rs). The items' documents move
-- to a table of their own, so that this scan reads a few megabytes, not every document. The
-- trigram index, its queue and the items' second copy of their text (`search_text`) go.
-- The documents themselves are rewritten by the Rust half of this step
-- (`schema::rewrite_documents_for_version_4`), which runs right after this file in the same
-- transaction.
-- An audit entry may now stand for a run of entities written at once (an import's items):
-- `entity_id` is the first and `entity_id_last` the last of them.
-- Frozen: never edit this file (a test pins its SHA-256). Change the schema with a new step.
DROP TRIGGER items_fts_insert;
DROP TRIGGER items_fts_delete;
DROP TRIGGER items_fts_update;
DROP TABLE items_fts_pending;
DROP TABLE items_fts;
ALTER TABLE items DROP COLUMN search_text;

CREATE TABLE item_documents (
    id INTEGER PRIMARY KEY REFERENCES items(id) DEFERRABLE INITIALLY DEFERRED,
    doc TEXT NOT NULL
);
INSERT INTO item_documents(id, doc) SELECT id, doc FROM items;
ALTER TABLE items DROP COLUMN doc;
ALTER TABLE items ADD COLUMN text_ids BLOB;

CREATE TABLE texts (
    id INTEGER PRIMARY KEY,
    hash INTEGER NOT NULL,
    body BLOB NOT NULL
);
CREATE INDEX texts_hash ON texts(hash);

ALTER TABLE audit_log ADD COLUMN entity_id_last INTEGER;
CREATE INDEX audit_log_runs ON audit_log(entity, entity_id_last) WHERE entity_id_last IS NOT NULL;
