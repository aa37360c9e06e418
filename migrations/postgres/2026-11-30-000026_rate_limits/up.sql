-- The write rate limit, shared by every process on the database: one row per caller that has
-- written lately (a digest of its subject or address), holding the time its bucket is full again
-- in microseconds since 1970 (crates/domain/src/rate_limit.rs), and whether its last write was
-- allowed. UNLOGGED: the counts are worth no write-ahead log; after a crash PostgreSQL empties
-- the table, which gives every caller a full bucket, as a missing row does anyway.
CREATE UNLOGGED TABLE rate_limits ( -- per-backend
    caller TEXT PRIMARY KEY NOT NULL,
    tat BIGINT NOT NULL,
    allowed BOOLEAN NOT NULL
);
