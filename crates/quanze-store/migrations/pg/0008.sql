-- PostgreSQL step 8 (version 7 → 8): the office's people as database roles, and what each
-- may see and change (issue 19, docs/server.md "Accounts and what they may do").
--
-- Every person who uses a shared database logs in as a PostgreSQL role of their own, made a
-- member of one of two group roles:
-- - `quanze_bianban` — the district's 编办: sees and changes everything;
-- - `quanze_street` — a street's (or community's) staff: sees and changes its own place, the
--   places under it (its communities) and their lists, items, units, leaders, admission
--   requests, versions and change requests; reads the names of the places above it (the
--   district, so that the tree and the notices can name it) and their units (a street's
--   上级部门收回 part names the district's departments), and nothing of the other streets.
--   Which place a street role belongs to is a row of `role_scopes` (role → place), kept by the
--   编办 (scripts/pg-setup.sh adds people).
-- Row-level security enforces this in the server, whatever program connects. The owner of the
-- tables (the account that set the database up, and `quanze migrate`) is not subject to it.
--
-- The audit log's actor is the role that made the change: a trigger writes `session_user`
-- over whatever the program sent, so that a free-text 操作人 cannot stand for someone else.
-- Superusers and the tables' owner keep the actor they send (`quanze migrate` copies history
-- with its actors). The audit log is append-only for everyone but the owner.
--
-- Group roles belong to the whole cluster, not to one database: they are made here only when
-- missing (the migrating account then needs CREATEROLE; scripts/pg-setup.sh makes them first).
-- Membership of `quanze_bianban` therefore counts in every Quanze database of the cluster:
-- one cluster per district.
--
-- Other people's changes reach open apps: after every statement that changes places, units,
-- leaders, lists or items, a notice on the channel `quanze_changes` says which rows (for items:
-- which lists) and which account; the server delivers it when the transaction commits
-- (crates/quanze-store/src/change_feed.rs listens).
--
-- SQLite's step 8 (migrations/0008.sql) changes nothing: a file has one user, its OS account.
-- Frozen once released: never edit this file (a test pins its SHA-256).

-- Two databases of one cluster may reach this step at once (the advisory lock that serialises
-- schema steps is per database): a role made meanwhile by the other is fine.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'quanze_bianban') THEN
        BEGIN
            CREATE ROLE quanze_bianban NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'quanze_street') THEN
        BEGIN
            CREATE ROLE quanze_street NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END IF;
END
$$;

-- Which place (with everything under it) each street role may see and change.
CREATE TABLE role_scopes (
    role_name text NOT NULL,
    jurisdiction_id bigint NOT NULL REFERENCES jurisdictions(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (role_name, jurisdiction_id)
);

-- The places the session's role may change: those of its scopes and everything under them.
-- SECURITY DEFINER: it reads `jurisdictions` and `role_scopes` as their owner, past the
-- policies that call it (which would otherwise call it again).
CREATE FUNCTION quanze_scope() RETURNS SETOF bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    WITH RECURSIVE scope(id) AS (
        SELECT s.jurisdiction_id
        FROM role_scopes s JOIN pg_catalog.pg_roles r ON r.rolname = s.role_name
        WHERE pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER')
        UNION
        SELECT j.id FROM jurisdictions j JOIN scope ON j.parent_id = scope.id
    )
    SELECT id FROM scope
$$;

-- The places the session's role may read: its scope and the places above it.
CREATE FUNCTION quanze_scope_and_above() RETURNS SETOF bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    WITH RECURSIVE up(id) AS (
        SELECT quanze_scope()
        UNION
        SELECT j.parent_id FROM jurisdictions j JOIN up ON j.id = up.id WHERE j.parent_id IS NOT NULL
    )
    SELECT id FROM up
$$;

-- The lists in the session's scope.
CREATE FUNCTION quanze_scope_lists() RETURNS SETOF bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT l.id FROM lists l WHERE l.jurisdiction_id IN (SELECT quanze_scope())
$$;

CREATE FUNCTION quanze_audit_actor() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = session_user AND rolsuper)
       AND session_user <> (SELECT pg_catalog.pg_get_userbyid(c.relowner) FROM pg_catalog.pg_class c WHERE c.oid = TG_RELID) THEN
        NEW.actor := session_user;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER audit_log_actor BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION quanze_audit_actor();

-- The 编办 sees and changes every row; a street its scope (below).
ALTER TABLE jurisdictions ENABLE ROW LEVEL SECURITY;
ALTER TABLE leaders ENABLE ROW LEVEL SECURITY;
ALTER TABLE units ENABLE ROW LEVEL SECURITY;
ALTER TABLE unit_leaders_in_charge ENABLE ROW LEVEL SECURITY;
ALTER TABLE lists ENABLE ROW LEVEL SECURITY;
ALTER TABLE items ENABLE ROW LEVEL SECURITY;
ALTER TABLE item_documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE admission_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE change_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE exchange_packages ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;

CREATE POLICY bianban ON jurisdictions TO quanze_bianban USING (true) WITH CHECK (true);
CREATE POLICY bianban ON leaders TO quanze_bianban USING (true) WITH CHECK (true);
CREATE POLICY bianban ON units TO quanze_bianban USING (true) WITH CHECK (true);
CREATE POLICY bianban ON unit_leaders_in_charge TO quanze_bianban USING (true) WITH CHECK (true);
CREATE POLICY bianban ON lists TO quanze_bianban USING (true) WITH CHECK (true);
CREATE POLICY bianban ON items TO quanze_bianban USING (true) WITH CHECK (true);
CREATE POLICY bianban ON item_documents TO quanze_bianban USING (true) WITH CHECK (true);
CREATE POLICY bianban ON admission_requests TO quanze_bianban USING (true) WITH CHECK (true);
CREATE POLICY bianban ON versions TO quanze_bianban USING (true) WITH CHECK (true);
CREATE POLICY bianban ON change_requests TO quanze_bianban USING (true) WITH CHECK (true);
CREATE POLICY bianban ON exchange_packages TO quanze_bianban USING (true) WITH CHECK (true);
CREATE POLICY bianban ON audit_log TO quanze_bianban USING (true) WITH CHECK (true);

-- Places: a street reads its own, those under it and those above it; it changes its own and
-- those under it, and may add a place only under one of them.
CREATE POLICY street_reads ON jurisdictions FOR SELECT TO quanze_street
    USING (id IN (SELECT quanze_scope_and_above()));
CREATE POLICY street_changes ON jurisdictions FOR INSERT TO quanze_street
    WITH CHECK (parent_id IN (SELECT quanze_scope()));
CREATE POLICY street_updates ON jurisdictions FOR UPDATE TO quanze_street
    USING (id IN (SELECT quanze_scope()))
    WITH CHECK (id IN (SELECT quanze_scope()) OR parent_id IN (SELECT quanze_scope()));
CREATE POLICY street_deletes ON jurisdictions FOR DELETE TO quanze_street
    USING (id IN (SELECT quanze_scope()));

-- Units and leaders: read in the places it reads, changed in its scope.
CREATE POLICY street_reads ON units FOR SELECT TO quanze_street
    USING (jurisdiction_id IN (SELECT quanze_scope_and_above()));
CREATE POLICY street_changes ON units TO quanze_street
    USING (jurisdiction_id IN (SELECT quanze_scope()))
    WITH CHECK (jurisdiction_id IN (SELECT quanze_scope()));
CREATE POLICY street_reads ON leaders FOR SELECT TO quanze_street
    USING (jurisdiction_id IN (SELECT quanze_scope_and_above()));
CREATE POLICY street_changes ON leaders TO quanze_street
    USING (jurisdiction_id IN (SELECT quanze_scope()))
    WITH CHECK (jurisdiction_id IN (SELECT quanze_scope()));
CREATE POLICY street_changes ON unit_leaders_in_charge TO quanze_street
    USING (unit_id IN (SELECT u.id FROM units u WHERE u.jurisdiction_id IN (SELECT quanze_scope_and_above())))
    WITH CHECK (unit_id IN (SELECT u.id FROM units u WHERE u.jurisdiction_id IN (SELECT quanze_scope())));

-- Lists and what hangs on them: only in its scope.
CREATE POLICY street_changes ON lists TO quanze_street
    USING (jurisdiction_id IN (SELECT quanze_scope()))
    WITH CHECK (jurisdiction_id IN (SELECT quanze_scope()));
CREATE POLICY street_changes ON items TO quanze_street
    USING (list_id IN (SELECT quanze_scope_lists()))
    WITH CHECK (list_id IN (SELECT quanze_scope_lists()));
CREATE POLICY street_changes ON item_documents TO quanze_street
    USING (EXISTS (SELECT FROM items i WHERE i.id = item_documents.id AND i.list_id IN (SELECT quanze_scope_lists())))
    WITH CHECK (EXISTS (SELECT FROM items i WHERE i.id = item_documents.id AND i.list_id IN (SELECT quanze_scope_lists())));
CREATE POLICY street_changes ON versions TO quanze_street
    USING (list_id IN (SELECT quanze_scope_lists()))
    WITH CHECK (list_id IN (SELECT quanze_scope_lists()));
CREATE POLICY street_changes ON change_requests TO quanze_street
    USING (list_id IN (SELECT quanze_scope_lists()) OR to_list_id IN (SELECT quanze_scope_lists()))
    WITH CHECK (list_id IN (SELECT quanze_scope_lists()) OR to_list_id IN (SELECT quanze_scope_lists()));
CREATE POLICY street_changes ON admission_requests TO quanze_street
    USING (community_id IN (SELECT quanze_scope()))
    WITH CHECK (community_id IN (SELECT quanze_scope()));
CREATE POLICY street_changes ON exchange_packages TO quanze_street
    USING (jurisdiction_uid IN (SELECT j.uid FROM jurisdictions j WHERE j.id IN (SELECT quanze_scope())))
    WITH CHECK (jurisdiction_uid IN (SELECT j.uid FROM jurisdictions j WHERE j.id IN (SELECT quanze_scope())));

-- History: a street reads its own entries and those of the rows it can see; it adds entries
-- (the trigger signs them with its role) and changes none.
CREATE POLICY street_reads ON audit_log FOR SELECT TO quanze_street
    USING (
        actor = session_user
        OR (entity = '事项' AND EXISTS (SELECT FROM items i WHERE i.id = audit_log.entity_id))
        OR (entity = '清单' AND EXISTS (SELECT FROM lists l WHERE l.id = audit_log.entity_id))
        OR (entity = '辖区' AND EXISTS (SELECT FROM jurisdictions j WHERE j.id = audit_log.entity_id))
        OR (entity = '机构' AND EXISTS (SELECT FROM units u WHERE u.id = audit_log.entity_id))
        OR (entity = '班子成员' AND EXISTS (SELECT FROM leaders p WHERE p.id = audit_log.entity_id))
        OR (entity = '准入申请' AND EXISTS (SELECT FROM admission_requests a WHERE a.id = audit_log.entity_id))
        OR (entity = '版本' AND EXISTS (SELECT FROM versions v WHERE v.id = audit_log.entity_id))
        OR (entity = '调整申请' AND EXISTS (SELECT FROM change_requests c WHERE c.id = audit_log.entity_id))
        OR entity = '豁免'
    );
CREATE POLICY street_adds ON audit_log FOR INSERT TO quanze_street WITH CHECK (true);

-- What each group may do at all (row-level security narrows it further). `texts` (the
-- store's deduplicated strings) and `waivers` carry no place: every account reads and adds
-- them. A text body alone does not say which list holds it (docs/server.md).
GRANT SELECT, INSERT, UPDATE, DELETE ON
    jurisdictions, leaders, units, unit_leaders_in_charge, lists, items, item_documents,
    admission_requests, versions, change_requests, exchange_packages, waivers, texts
    TO quanze_bianban, quanze_street;
GRANT SELECT, INSERT ON audit_log TO quanze_bianban, quanze_street;
GRANT SELECT ON schema_version TO quanze_bianban, quanze_street;
GRANT SELECT ON role_scopes TO quanze_street;
GRANT SELECT, INSERT, UPDATE, DELETE ON role_scopes TO quanze_bianban;
DO $$
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO quanze_bianban, quanze_street', current_schema());
    EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO quanze_bianban, quanze_street', current_schema());
END
$$;

-- One notice per statement, from its transition tables (an import of 50,000 items is one
-- notice, not 50,000). More than 500 ids are not named (a payload holds at most 8,000 bytes):
-- the listener then reads everything again.
CREATE FUNCTION quanze_notify(table_name text, changed bigint[]) RETURNS void
LANGUAGE sql AS $$
    SELECT pg_notify('quanze_changes', json_build_object(
        'table', table_name,
        'ids', CASE WHEN cardinality(changed) <= 500 THEN to_json(changed) END,
        'by', session_user)::text)
    WHERE changed IS NOT NULL
$$;

-- Static statements (planned once per session), one function per key column: `items` names
-- its lists, the other tables their own rows.
CREATE FUNCTION quanze_notify_lists_of_items() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM quanze_notify(TG_TABLE_NAME, (SELECT array_agg(DISTINCT list_id) FROM old_rows));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM quanze_notify(TG_TABLE_NAME, (SELECT array_agg(DISTINCT list_id) FROM (SELECT list_id FROM old_rows UNION SELECT list_id FROM new_rows) AS both_sides));
    ELSE
        PERFORM quanze_notify(TG_TABLE_NAME, (SELECT array_agg(DISTINCT list_id) FROM new_rows));
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION quanze_notify_rows() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM quanze_notify(TG_TABLE_NAME, (SELECT array_agg(id) FROM old_rows));
    ELSE
        PERFORM quanze_notify(TG_TABLE_NAME, (SELECT array_agg(id) FROM new_rows));
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER notify_inserted AFTER INSERT ON items REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quanze_notify_lists_of_items();
CREATE TRIGGER notify_updated AFTER UPDATE ON items REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quanze_notify_lists_of_items();
CREATE TRIGGER notify_deleted AFTER DELETE ON items REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION quanze_notify_lists_of_items();
CREATE TRIGGER notify_inserted AFTER INSERT ON lists REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quanze_notify_rows();
CREATE TRIGGER notify_updated AFTER UPDATE ON lists REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quanze_notify_rows();
CREATE TRIGGER notify_deleted AFTER DELETE ON lists REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION quanze_notify_rows();
CREATE TRIGGER notify_inserted AFTER INSERT ON units REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quanze_notify_rows();
CREATE TRIGGER notify_updated AFTER UPDATE ON units REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quanze_notify_rows();
CREATE TRIGGER notify_deleted AFTER DELETE ON units REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION quanze_notify_rows();
CREATE TRIGGER notify_inserted AFTER INSERT ON leaders REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quanze_notify_rows();
CREATE TRIGGER notify_updated AFTER UPDATE ON leaders REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quanze_notify_rows();
CREATE TRIGGER notify_deleted AFTER DELETE ON leaders REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION quanze_notify_rows();
CREATE TRIGGER notify_inserted AFTER INSERT ON jurisdictions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quanze_notify_rows();
CREATE TRIGGER notify_updated AFTER UPDATE ON jurisdictions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quanze_notify_rows();
CREATE TRIGGER notify_deleted AFTER DELETE ON jurisdictions REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION quanze_notify_rows();

UPDATE schema_version SET version = 8;
