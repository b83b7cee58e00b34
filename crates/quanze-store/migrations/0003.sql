-- Migration 0003 (user_version 2 → 3): stable identities. Every entity gets a `uid` (a UUID)
-- that is kept through dump, load, import, export and merge, unlike the row id, which may shift
-- when a bundle is loaded into a non-empty database (see quanze-domain's identity.rs).
-- Existing rows get random version-4 UUIDs made here; new rows get version-7 UUIDs from Quanze.
-- The uid is written into the row's JSON document too, which stays the source of truth.
-- Copies of items inside published versions keep no uid of their own: those made before this
-- step have none; later ones carry their item's.
-- Frozen: never edit this file (a test pins its SHA-256). Change the schema with a new step.
ALTER TABLE jurisdictions ADD COLUMN uid TEXT;
UPDATE jurisdictions SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
UPDATE jurisdictions SET doc = json_set(doc, '$.uid', uid);
CREATE UNIQUE INDEX jurisdictions_uid ON jurisdictions(uid);
ALTER TABLE leaders ADD COLUMN uid TEXT;
UPDATE leaders SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
UPDATE leaders SET doc = json_set(doc, '$.uid', uid);
CREATE UNIQUE INDEX leaders_uid ON leaders(uid);
ALTER TABLE units ADD COLUMN uid TEXT;
UPDATE units SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
UPDATE units SET doc = json_set(doc, '$.uid', uid);
CREATE UNIQUE INDEX units_uid ON units(uid);
ALTER TABLE lists ADD COLUMN uid TEXT;
UPDATE lists SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
UPDATE lists SET doc = json_set(doc, '$.uid', uid);
CREATE UNIQUE INDEX lists_uid ON lists(uid);
ALTER TABLE items ADD COLUMN uid TEXT;
UPDATE items SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
UPDATE items SET doc = json_set(doc, '$.uid', uid);
CREATE UNIQUE INDEX items_uid ON items(uid);
ALTER TABLE admission_requests ADD COLUMN uid TEXT;
UPDATE admission_requests SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
UPDATE admission_requests SET doc = json_set(doc, '$.uid', uid);
CREATE UNIQUE INDEX admission_requests_uid ON admission_requests(uid);
ALTER TABLE waivers ADD COLUMN uid TEXT;
UPDATE waivers SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
UPDATE waivers SET doc = json_set(doc, '$.uid', uid);
CREATE UNIQUE INDEX waivers_uid ON waivers(uid);
ALTER TABLE versions ADD COLUMN uid TEXT;
UPDATE versions SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
UPDATE versions SET doc = json_set(doc, '$.uid', uid);
CREATE UNIQUE INDEX versions_uid ON versions(uid);
