-- Migration 0004 (user_version 3 → 4): a store sized to its text. Every string of every JSON
-- document (entities, published versions, audit before/after) is kept once in `texts` and the
-- documents refer to it; `item_texts` says which items use which text, and search scans the
-- distinct texts through it (see src/texts.rs). The trigram index, its queue and the items'
-- second copy of their text (`search_text`) go. The documents themselves are rewritten by the
-- Rust half of this step (`schema::rewrite_documents_for_version_4`), which runs right after
-- this file in the same transaction.
-- An audit entry may now stand for a run of entities written at once (an import's items):
-- `entity_id` is the first and `entity_id_last` the last of them.
-- Frozen: never edit this file (a test pins its SHA-256). Change the schema with a new step.
DROP TRIGGER items_fts_insert;
DROP TRIGGER items_fts_delete;
DROP TRIGGER items_fts_update;
DROP TABLE items_fts_pending;
DROP TABLE items_fts;
ALTER TABLE items DROP COLUMN search_text;

CREATE TABLE texts (
    id INTEGER PRIMARY KEY,
    hash INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX texts_hash ON texts(hash);

CREATE TABLE item_texts (
    text_id INTEGER NOT NULL,
    item_id INTEGER NOT NULL,
    PRIMARY KEY (text_id, item_id)
) WITHOUT ROWID;

ALTER TABLE audit_log ADD COLUMN entity_id_last INTEGER;
CREATE INDEX audit_log_runs ON audit_log(entity, entity_id_last) WHERE entity_id_last IS NOT NULL;
