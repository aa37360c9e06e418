//! The education providers migration widens CHECK lists; on SQLite that rebuilds organisations,
//! memberships, placements and applications. A database already in use keeps every row and every
//! reference to the rebuilt tables, and takes the new kinds, roles and selection method after it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel_migrations::MigrationHarness;
use wex_persistence::testing::TestDb;
use wex_persistence::{ConnectionManager, DbConnection, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

#[derive(QueryableByName, Debug, PartialEq)]
struct Row {
    #[diesel(sql_type = Text)]
    k: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn next(conn: &mut DbConnection) -> String {
    match conn {
        DbConnection::Postgres(c) => c.run_next_migration(POSTGRES_MIGRATIONS).unwrap().to_string(),
        DbConnection::Sqlite(c) => c.run_next_migration(SQLITE_MIGRATIONS).unwrap().to_string(),
    }
}

/// Rows of each table the rebuild touches, or that refers to a rebuilt table.
fn counts(conn: &mut DbConnection) -> Vec<Row> {
    let tables = ["organisations", "memberships", "placements", "applications", "offers", "certificates", "sites"];
    let sql: Vec<String> =
        tables.iter().map(|t| format!("SELECT '{t}' AS k, CAST(COUNT(*) AS BIGINT) AS n FROM {t}")).collect();
    diesel::sql_query(sql.join(" UNION ALL ") + " ORDER BY k").load(conn).unwrap()
}

#[test]
fn a_database_in_use_keeps_its_rows_and_references_through_the_rebuild() {
    let db = TestDb::new();
    let mut conn = ConnectionManager::new(&db.url).unwrap().establish().unwrap();
    // Up to the migration before the providers one.
    loop {
        let version = next(&mut conn);
        if version.contains("000021") {
            break;
        }
    }
    let t = "'2026-11-01 09:00:00'";
    conn.batch_execute(&format!(
        "INSERT INTO organisations (id, name, kind, region, version, created_at, updated_at) VALUES ('o', 'Trust', 'nhs_trust', 'london', 1, {t}, {t});
         INSERT INTO sites (id, organisation_id, name, address_line_1, town, postcode, version, created_at, updated_at) VALUES ('s', 'o', 'Main', '1 Road', 'Town', 'SO16 6YD', 1, {t}, {t});
         INSERT INTO memberships (id, organisation_id, subject, role, granted_by, created_at) VALUES ('m', 'o', 'c1', 'coordinator', 'admin', {t});
         INSERT INTO placements (id, organisation_id, site_id, kind, delivery, specialty, title, description, start_date, end_date, daily_start, daily_end, capacity, opens_at, closes_at, outcome_by, selection_method, priority_rules, preparation, status, version, created_at, updated_at) VALUES ('p', 'o', 's', 'work_experience', 'in_person', 'nursing', 'T', 'D', '2027-03-01', '2027-03-05', '09:00', '16:00', 2, {t}, '2026-12-01 09:00:00', '2027-01-01', 'lottery', '[]', '{{}}', 'allocated', 1, {t}, {t});
         INSERT INTO applicant_profiles (id, subject, email, date_of_birth, postcode, no_fixed_address, user_groups, version, created_at, updated_at) VALUES ('pr', 'a1', 'a@example.org', '2008-11-02', 'S10 2TH', FALSE, '[]', 1, {t}, {t});
         INSERT INTO applications (id, placement_id, profile_id, status, ticket, privacy_notice_version, submitted_by_subject, submitted_by_role, answers, outcome_expected_by, version, created_at, updated_at) VALUES ('a', 'p', 'pr', 'completed', 'tk', 'v', 'a1', 'applicant', '[]', '2027-01-01', 5, {t}, {t});
         INSERT INTO offers (id, application_id, placement_id, status, respond_by, created_at, responded_at, version) VALUES ('of', 'a', 'p', 'accepted', {t}, {t}, {t}, 2);
         INSERT INTO certificates (code, application_id, placement_id, initials, issued_at) VALUES ('CODE', 'a', 'p', 'J', {t});"
    ))
    .unwrap();
    let before = counts(&mut conn);

    assert!(next(&mut conn).contains("000022"), "the next migration is the providers one");
    assert_eq!(counts(&mut conn), before, "every row kept");
    if let DbConnection::Sqlite(c) = &mut conn {
        #[derive(QueryableByName)]
        struct Violation {
            #[diesel(sql_type = Text)]
            #[allow(dead_code)]
            table: String,
        }
        let broken: Vec<Violation> = diesel::sql_query("PRAGMA foreign_key_check").load(c).unwrap();
        assert_eq!(broken.len(), 0, "every reference to a rebuilt table still holds");
        let on: Vec<Row> =
            diesel::sql_query("SELECT 'foreign_keys' AS k, CAST(foreign_keys AS BIGINT) AS n FROM pragma_foreign_keys")
                .load(c)
                .unwrap();
        assert_eq!(on, vec![Row { k: "foreign_keys".into(), n: 1 }], "foreign keys are enforced again");
    }
    // The references still reach the rebuilt rows.
    let joined: Vec<Row> = diesel::sql_query(
        "SELECT c.code || ':' || a.status || ':' || p.title || ':' || o.name AS k, CAST(a.version AS BIGINT) AS n
         FROM certificates c JOIN applications a ON a.id = c.application_id JOIN placements p ON p.id = a.placement_id
         JOIN organisations o ON o.id = p.organisation_id",
    )
    .load(&mut conn)
    .unwrap();
    assert_eq!(joined, vec![Row { k: "CODE:completed:T:Trust".into(), n: 5 }]);
    // The widened lists take the new values, and a reference to a missing row is still refused.
    conn.batch_execute(&format!(
        "INSERT INTO organisations (id, name, kind, region, version, created_at, updated_at) VALUES ('c', 'College', 'education_provider', 'london', 1, {t}, {t});
         INSERT INTO memberships (id, organisation_id, subject, role, granted_by, created_at) VALUES ('m2', 'c', 'pc1', 'provider_coordinator', 'admin', {t});
         UPDATE placements SET kind = 't_level_industry_placement', selection_method = 'by_agreement' WHERE id = 'p';"
    ))
    .unwrap();
    let dangling = conn.batch_execute(&format!(
        "INSERT INTO memberships (id, organisation_id, subject, role, granted_by, created_at) VALUES ('m3', 'nowhere', 'x', 'host', 'admin', {t});"
    ));
    assert!(dangling.is_err(), "a membership of no organisation is refused");
    // And the later migrations run on it.
    match &mut conn {
        DbConnection::Postgres(c) => drop(c.run_pending_migrations(POSTGRES_MIGRATIONS).unwrap()),
        DbConnection::Sqlite(c) => drop(c.run_pending_migrations(SQLITE_MIGRATIONS).unwrap()),
    }
}
