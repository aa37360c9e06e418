-- Domain events: every change the platform makes, appended in the transaction that makes it, in
-- one table whose sequence only grows. The change feed, webhooks, the notification worker and
-- report counters read it. Events carry ids and codes, never personal data.
-- The same SQL on both backends except the lines marked per-backend (a test checks it).
CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, -- per-backend: AUTOINCREMENT never reuses a number, even after a delete.
    id TEXT NOT NULL UNIQUE,
    occurred_at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    entity_version BIGINT NOT NULL,
    actor TEXT NOT NULL,
    data TEXT NOT NULL,
    txid BIGINT -- per-backend: SQLite has one writer at a time, so commit order is sequence order.
);
CREATE INDEX events_entity ON events (entity_id, seq);
