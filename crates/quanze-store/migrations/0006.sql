-- Migration 0006 (user_version 5 → 6): change requests (调整申请, docs/adjustment.md). A
-- department asks to add, cancel, change or move an item of a list; the 编办 reviews it; an
-- approved change is applied to the list, and the version that publishes it names it. The
-- document holds the request (its settings, history, opinion); the columns are what lists and
-- foreign keys need. `item_id` has no foreign key: a cancelled item is gone, its request stays.
-- Frozen: never edit this file (a test pins its SHA-256). Change the schema with a new step.
CREATE TABLE change_requests (
    id INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES lists(id) DEFERRABLE INITIALLY DEFERRED,
    to_list_id INTEGER REFERENCES lists(id) DEFERRABLE INITIALLY DEFERRED,
    item_id INTEGER,
    action TEXT NOT NULL,
    state TEXT NOT NULL,
    doc TEXT NOT NULL,
    uid TEXT
);
CREATE UNIQUE INDEX change_requests_uid ON change_requests(uid);
CREATE INDEX change_requests_list ON change_requests(list_id, id);
CREATE INDEX change_requests_to_list ON change_requests(to_list_id) WHERE to_list_id IS NOT NULL;
