-- The people who have applied at least once: one row per applicant profile with an application,
-- kept in the same transaction as applying (crates/persistence/src/reports/counters.rs), so that
-- the national implementation measures count applicants from this table instead of counting
-- distinct people over every application. Derived data: `wex rebuild-report-counters` rebuilds it
-- with the funnel counts, and no foreign key holds it to the profile, as the store removes a row
-- when its profile's last application goes.
CREATE TABLE report_applicants (
    profile_id TEXT PRIMARY KEY NOT NULL
); -- per-backend: SQLite adds WITHOUT ROWID
