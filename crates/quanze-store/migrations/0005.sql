-- Migration 0005 (user_version 4 → 5): packages for exchange between offices
-- (docs/exchange.md). Every package this database made (导出) or took in (收到) is kept with
-- its content, so that a package that comes back later can be compared three ways against the
-- package it was made from (its base). `body` is the package's canonical JSON, deflated.
-- Frozen: never edit this file (a test pins its SHA-256). Change the schema with a new step.
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
