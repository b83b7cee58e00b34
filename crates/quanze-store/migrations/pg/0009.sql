-- PostgreSQL step 9 (version 8 → 9; SQLite's is migrations/0009.sql): search finds the items
-- that use a matching text in the server (issue 19, docs/server.md "Search").
-- Frozen once released: never edit it then (a test pins its SHA-256).
--
-- Search has two halves: the texts that contain each term (the pg_trgm index of step 6), then
-- the items whose documents use one of those texts for every term. Each item row lists its
-- texts in `text_ids`, packed as SQLite packs them (sorted ids, each the difference from the one
-- before as a LEB128 varint; crates/quanze-store/src/texts.rs, pack_text_ids). Until this step
-- the second half read every item's packed ids into the program (~100 ms a query for 50,000
-- items on loopback, more across a network); now a GIN index over the unpacked ids answers
-- `quanze_text_ids(text_ids) && ARRAY[…]` in the server, under the same row-level security as
-- every read. The column and its bytes stay as they are, so `quanze migrate` and the digests
-- that verify it see the same table on both backends.

-- The ids packed in `packed`. Bytes cut short end the walk (as any_packed_text_id does); a
-- difference too large for bigint ends it too, so that a damaged row cannot make writes of
-- its table fail on the index.
CREATE FUNCTION quanze_text_ids(packed bytea) RETURNS bigint[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    ids bigint[] := '{}';
    id bigint := 0;
    delta bigint := 0;
    shift int := 0;
    byte int;
BEGIN
    FOR i IN 0 .. length(packed) - 1 LOOP
        byte := get_byte(packed, i);
        IF shift > 56 THEN
            RETURN ids;
        END IF;
        delta := delta | ((byte & 127)::bigint << shift);
        IF byte & 128 = 0 THEN
            IF delta > 9223372036854775807 - id THEN
                RETURN ids;
            END IF;
            id := id + delta;
            ids := ids || id;
            delta := 0;
            shift := 0;
        ELSE
            shift := shift + 7;
        END IF;
    END LOOP;
    RETURN ids;
END
$$;

CREATE INDEX items_text_ids ON items USING gin (quanze_text_ids(text_ids));

UPDATE schema_version SET version = 9;
