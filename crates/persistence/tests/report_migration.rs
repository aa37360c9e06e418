//! The reports migration carries existing data over on both backends: JSON answers become one
//! row per question, and each application gets its furthest stage and the applicant's age.

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

fn next(conn: &mut DbConnection) {
    match conn {
        DbConnection::Postgres(c) => c.run_next_migration(POSTGRES_MIGRATIONS).map(drop).unwrap(),
        DbConnection::Sqlite(c) => c.run_next_migration(SQLITE_MIGRATIONS).map(drop).unwrap(),
    }
}

#[test]
fn existing_answers_stages_and_ages_are_carried_over() {
    let db = TestDb::new();
    let mut conn = ConnectionManager::new(&db.url).unwrap().establish().unwrap();
    for _ in 0..7 {
        next(&mut conn);
    }
    let t = "'2026-11-01 09:00:00'";
    conn.batch_execute(&format!(
        "INSERT INTO organisations (id, name, kind, region, version, created_at, updated_at) VALUES ('o', 'Trust', 'nhs_trust', 'london', 1, {t}, {t});
         INSERT INTO placements (id, organisation_id, kind, delivery, specialty, title, description, start_date, end_date, daily_start, daily_end, capacity, opens_at, closes_at, outcome_by, selection_method, priority_rules, preparation, status, version, created_at, updated_at) VALUES ('p', 'o', 'work_experience', 'in_person', 'nursing', 'T', 'D', '2027-03-01', '2027-03-05', '09:00', '16:00', 2, {t}, '2026-12-01 09:00:00', '2027-01-01', 'lottery', '[]', '{{}}', 'cancelled', 1, {t}, {t});
         INSERT INTO applicant_profiles (id, subject, email, date_of_birth, postcode, no_fixed_address, user_groups, version, created_at, updated_at) VALUES ('pr', 's', 'a@example.org', '2010-11-02', 'S10 2TH', FALSE, '[]', 1, {t}, {t});
         INSERT INTO applications (id, placement_id, profile_id, status, ticket, privacy_notice_version, submitted_by_subject, submitted_by_role, answers, outcome_expected_by, version, created_at, updated_at) VALUES ('a', 'p', 'pr', 'cancelled', 'tk', 'v', 's', 'applicant', '[]', '2027-01-01', 3, {t}, {t});
         INSERT INTO application_events (id, application_id, at, from_status, to_status, actor_subject, actor_role) VALUES ('e1', 'a', {t}, 'offered', 'accepted', 's', 'applicant');
         INSERT INTO equality_responses (profile_id, answers, version, updated_at) VALUES ('pr', '{{\"sex\": \"female\", \"religion\": \"sikh\"}}', 1, {t});"
    ))
    .unwrap();
    next(&mut conn);
    let answers: Vec<Row> = diesel::sql_query(
        "SELECT question || '=' || answer AS k, CAST(1 AS BIGINT) AS n FROM equality_answers ORDER BY question",
    )
    .load(&mut conn)
    .unwrap();
    assert_eq!(answers, vec![Row { k: "religion=sikh".into(), n: 1 }, Row { k: "sex=female".into(), n: 1 }]);
    let app: Vec<Row> = diesel::sql_query(
        "SELECT CAST(applicant_age AS TEXT) AS k, CAST(stage_reached AS BIGINT) AS n FROM applications",
    )
    .load(&mut conn)
    .unwrap();
    // Born 2 November 2010, applied 1 November 2026: 15. Cancelled after accepting: stage 3.
    assert_eq!(app, vec![Row { k: "15".into(), n: 3 }]);
}
