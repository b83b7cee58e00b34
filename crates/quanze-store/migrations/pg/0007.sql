-- PostgreSQL step 0007 (version 6 → 7; SQLite's is migrations/0007.sql): row versions and ids
-- from the sequences (issue 19, docs/server.md).
-- Frozen once released: never edit it then (a test pins its SHA-256).
--
-- - Every entity row gets `version`, 1 when written first; every write of the row (an edit, a
--   renumbering of positions) adds one, as on SQLite.
-- - New ids come from each table's identity sequence (nextval): two writers at READ COMMITTED
--   never get the same id, where `max(id) + 1` (what version 6 did, like SQLite) gave both the
--   same. Version 6 wrote every id itself, so each sequence is moved past the largest id here.
--   A row written with an id of its own (a loaded bundle keeps or shifts its ids; an undone
--   deletion puts the item back under its old id) moves the sequence past it, under a lock on
--   the sequence (the store's `Writer::claim_ids`).
ALTER TABLE jurisdictions ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE leaders ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE units ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE lists ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE items ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE admission_requests ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE waivers ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE versions ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE change_requests ADD COLUMN version bigint NOT NULL DEFAULT 1;

DO $$
DECLARE
    name text;
    top bigint;
BEGIN
    FOREACH name IN ARRAY ARRAY['jurisdictions', 'leaders', 'units', 'lists', 'items',
            'admission_requests', 'waivers', 'versions', 'change_requests', 'audit_log', 'texts',
            'exchange_packages'] LOOP
        EXECUTE format('SELECT max(id) FROM %I', name) INTO top;
        IF top IS NOT NULL THEN
            PERFORM setval(pg_get_serial_sequence(name, 'id'),
                greatest(top, coalesce(pg_sequence_last_value(pg_get_serial_sequence(name, 'id')::regclass), 0)));
        END IF;
    END LOOP;
END
$$;

UPDATE schema_version SET version = 7;
