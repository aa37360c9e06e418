-- Report counters: the funnel counts the reports need, kept per placement in the same transaction
-- as every write that changes them (crates/persistence/src/reports/counters.rs), so that a national
-- report sums thousands of rows instead of counting a million applications.
--
-- One row per placement and breakdown value: `breakdown` names what the applications are counted
-- by ('all', 'profile', 'age', 'timeliness', 'answers:<question>[,<question>]'), `k1` and `k2` the
-- value ('' where there is none), and s0..s5 how many reached each stage of the funnel or beyond
-- (0 applied .. 5 completed). Counts only: nothing here names anyone.
CREATE TABLE report_funnel (
    breakdown TEXT NOT NULL,
    placement_id TEXT NOT NULL,
    k1 TEXT NOT NULL,
    k2 TEXT NOT NULL,
    s0 BIGINT NOT NULL,
    s1 BIGINT NOT NULL,
    s2 BIGINT NOT NULL,
    s3 BIGINT NOT NULL,
    s4 BIGINT NOT NULL,
    s5 BIGINT NOT NULL,
    PRIMARY KEY (breakdown, placement_id, k1, k2)
); -- per-backend: SQLite adds WITHOUT ROWID

-- Which definition of the counters the rows above follow. The service rebuilds them from the
-- applications when this differs from its own (on a new database, and when a release changes what
-- is counted), after migrating and before serving.
CREATE TABLE report_counters_state (
    counters TEXT PRIMARY KEY NOT NULL,
    version INTEGER NOT NULL
);
INSERT INTO report_counters_state (counters, version) VALUES ('report_funnel', 0);
