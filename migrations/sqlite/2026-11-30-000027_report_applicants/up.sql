-- What the implementation measures count in people, kept in the same transaction as the writes
-- that change it (crates/persistence/src/reports/counters.rs), so that a national report reads
-- these rows instead of a million applications or every profile.
--
-- The people who have applied at least once: one row per applicant profile with an application,
-- so that applicants are counted here instead of counting distinct people over every application. Derived data: `wex rebuild-report-counters` rebuilds it
-- with the funnel counts, and no foreign key holds it to the profile, as the store removes a row
-- when its profile's last application goes.
CREATE TABLE report_applicants (
    profile_id TEXT PRIMARY KEY NOT NULL
) WITHOUT ROWID; -- per-backend

-- Applicant profiles created each day (UTC): registrations in a period are the sum over its days.
-- Kept when a profile is created or deleted, and rebuilt with the counters.
CREATE TABLE report_registrations (
    day DATE PRIMARY KEY NOT NULL,
    profiles BIGINT NOT NULL
) WITHOUT ROWID; -- per-backend
