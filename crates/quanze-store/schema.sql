-- The current schema, for a new database (see src/schema.rs). Edited when the schema
-- changes, together with a new frozen step under migrations/; a test proves that a database
-- migrated step by step equals one created from this file.

CREATE TABLE jurisdictions (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES jurisdictions(id) DEFERRABLE INITIALLY DEFERRED,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    doc TEXT NOT NULL,
    uid TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX jurisdictions_uid ON jurisdictions(uid);
CREATE INDEX jurisdictions_parent ON jurisdictions(parent_id);

CREATE TABLE leaders (
    id INTEGER PRIMARY KEY,
    jurisdiction_id INTEGER NOT NULL REFERENCES jurisdictions(id) DEFERRABLE INITIALLY DEFERRED,
    name TEXT NOT NULL,
    doc TEXT NOT NULL,
    uid TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX leaders_uid ON leaders(uid);
CREATE INDEX leaders_jurisdiction ON leaders(jurisdiction_id);

CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    jurisdiction_id INTEGER NOT NULL REFERENCES jurisdictions(id) DEFERRABLE INITIALLY DEFERRED,
    parent_id INTEGER REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    name TEXT NOT NULL,
    doc TEXT NOT NULL,
    uid TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX units_uid ON units(uid);
CREATE INDEX units_jurisdiction ON units(jurisdiction_id);

CREATE TABLE unit_leaders_in_charge (
    unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    leader_id INTEGER NOT NULL REFERENCES leaders(id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (unit_id, leader_id)
) WITHOUT ROWID;
CREATE INDEX unit_leaders_in_charge_leader ON unit_leaders_in_charge(leader_id);

CREATE TABLE lists (
    id INTEGER PRIMARY KEY,
    jurisdiction_id INTEGER NOT NULL REFERENCES jurisdictions(id) DEFERRABLE INITIALLY DEFERRED,
    unit_id INTEGER REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    doc TEXT NOT NULL,
    uid TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX lists_uid ON lists(uid);
CREATE INDEX lists_jurisdiction ON lists(jurisdiction_id);

CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES lists(id) DEFERRABLE INITIALLY DEFERRED,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    code TEXT,
    power_type TEXT,
    handling_unit_id INTEGER REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    lead_unit_id INTEGER REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    receiving_unit_id INTEGER REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    requesting_unit_id INTEGER REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    admission_request_id INTEGER REFERENCES admission_requests(id) DEFERRABLE INITIALLY DEFERRED,
    uid TEXT,
    text_ids BLOB,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX items_uid ON items(uid);
CREATE INDEX items_list ON items(list_id, position);
-- `text_ids`: the texts the item's document uses (see src/texts.rs), for search. The document
-- has a table of its own, so that search's scan of the items reads their short rows only.
CREATE TABLE item_documents (
    id INTEGER PRIMARY KEY REFERENCES items(id) DEFERRABLE INITIALLY DEFERRED,
    doc TEXT NOT NULL
);

CREATE TABLE admission_requests (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES jurisdictions(id) DEFERRABLE INITIALLY DEFERRED,
    applicant_unit_id INTEGER REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    admitted_item_id INTEGER REFERENCES items(id) DEFERRABLE INITIALLY DEFERRED,
    state TEXT NOT NULL,
    doc TEXT NOT NULL,
    uid TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX admission_requests_uid ON admission_requests(uid);
CREATE INDEX admission_requests_community ON admission_requests(community_id);

CREATE TABLE waivers (
    id INTEGER PRIMARY KEY,
    finding_key TEXT NOT NULL UNIQUE,
    rule TEXT NOT NULL,
    doc TEXT NOT NULL,
    uid TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX waivers_uid ON waivers(uid);

CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES lists(id) DEFERRABLE INITIALLY DEFERRED,
    number INTEGER NOT NULL,
    published_on TEXT NOT NULL,
    doc TEXT NOT NULL,
    uid TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (list_id, number)
);
CREATE UNIQUE INDEX versions_uid ON versions(uid);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    label TEXT NOT NULL,
    before TEXT,
    after TEXT,
    reason TEXT,
    entity_id_last INTEGER
);
-- `entity_id_last`: an entry for a run of entities written at once (an import's items) names
-- the first in `entity_id` and the last here.
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_runs ON audit_log(entity, entity_id_last) WHERE entity_id_last IS NOT NULL;

-- Every string of every document, once (see src/texts.rs): documents hold "~<id>" instead.
-- A body is TEXT, or deflated (a BLOB) when that is smaller.
CREATE TABLE texts (
    id INTEGER PRIMARY KEY,
    hash INTEGER NOT NULL,
    body BLOB NOT NULL
);
CREATE INDEX texts_hash ON texts(hash);

-- Every package this database made (导出) or took in (收到), with its content (canonical JSON,
-- deflated): the base a returning package is merged against (src/exchange, docs/exchange.md).
CREATE TABLE exchange_packages (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    direction TEXT NOT NULL CHECK (direction IN ('导出', '收到')),
    jurisdiction_uid TEXT NOT NULL,
    office TEXT NOT NULL,
    actor TEXT NOT NULL,
    made_at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    body BLOB NOT NULL
);
CREATE INDEX exchange_packages_jurisdiction ON exchange_packages(jurisdiction_uid, id);

-- Change requests (调整申请, docs/adjustment.md). `item_id` has no foreign key: the item of an
-- approved 取消 is gone, its request stays.
CREATE TABLE change_requests (
    id INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES lists(id) DEFERRABLE INITIALLY DEFERRED,
    to_list_id INTEGER REFERENCES lists(id) DEFERRABLE INITIALLY DEFERRED,
    item_id INTEGER,
    action TEXT NOT NULL,
    state TEXT NOT NULL,
    doc TEXT NOT NULL,
    uid TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX change_requests_uid ON change_requests(uid);
CREATE INDEX change_requests_list ON change_requests(list_id, id);
CREATE INDEX change_requests_to_list ON change_requests(to_list_id) WHERE to_list_id IS NOT NULL;
