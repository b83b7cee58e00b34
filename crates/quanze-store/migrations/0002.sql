-- Migration 0002 (user_version 1 → 2): search indexing leaves the item triggers. Writing an
-- item only queues it in items_fts_pending; the index is filled for a whole batch at once
-- (see src/search_index.rs). Items of a version-1 file are all indexed already, so the queue
-- starts empty. A queued item that was never indexed must not be "deleted" from the index
-- (that would corrupt an external-content FTS5 table), hence the NOT EXISTS guards.
-- Frozen: never edit this file (a test pins its SHA-256). Change the schema with a new step.
DROP TRIGGER items_fts_insert;
DROP TRIGGER items_fts_delete;
DROP TRIGGER items_fts_update;

CREATE TABLE items_fts_pending (item_id INTEGER PRIMARY KEY);
CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
    INSERT OR IGNORE INTO items_fts_pending(item_id) VALUES (new.id);
END;
CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, name, search_text)
        SELECT 'delete', old.id, old.name, old.search_text
        WHERE NOT EXISTS (SELECT 1 FROM items_fts_pending WHERE item_id = old.id);
    DELETE FROM items_fts_pending WHERE item_id = old.id;
END;
CREATE TRIGGER items_fts_update AFTER UPDATE OF name, search_text ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, name, search_text)
        SELECT 'delete', old.id, old.name, old.search_text
        WHERE NOT EXISTS (SELECT 1 FROM items_fts_pending WHERE item_id = old.id);
    INSERT OR IGNORE INTO items_fts_pending(item_id) VALUES (new.id);
END;
