//! The report migrations carry existing data over on both backends: JSON answers become one row
//! per question, each application gets its furthest stage and the applicant's age, and later the
//! applications already past the draw are frozen for reports.

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

/// The report snapshots migration freezes every application already past the draw from the values
/// held then (an application of a drawn placement, even withdrawn before it; an application drawn or
/// further), and leaves the others to follow their applicant's current answers.
#[test]
fn applications_past_the_draw_are_frozen_from_the_values_held_when_migrating() {
    let db = TestDb::new();
    let mut conn = ConnectionManager::new(&db.url).unwrap().establish().unwrap();
    for _ in 0..17 {
        next(&mut conn);
    }
    let t = "'2026-11-01 09:00:00'";
    let placement = |id: &str| {
        format!(
            "INSERT INTO placements (id, organisation_id, kind, delivery, specialty, title, description, start_date, end_date, daily_start, daily_end, capacity, opens_at, closes_at, outcome_by, selection_method, priority_rules, preparation, status, version, created_at, updated_at) VALUES ('{id}', 'o', 'work_experience', 'in_person', 'nursing', 'T', 'D', '2027-03-01', '2027-03-05', '09:00', '16:00', 2, {t}, '2026-12-01 09:00:00', '2027-01-01', 'lottery', '[]', '{{}}', 'allocated', 1, {t}, {t});"
        )
    };
    let profile = |id: &str, groups: &str, care: &str| {
        format!(
            "INSERT INTO applicant_profiles (id, subject, email, date_of_birth, postcode, no_fixed_address, user_groups, care_experienced, version, created_at, updated_at) VALUES ('{id}', 's{id}', 'a@example.org', '2000-11-02', 'S10 2TH', FALSE, '{groups}', {care}, 1, {t}, {t});"
        )
    };
    let application = |id: &str, placement: &str, profile: &str, stage: u8| {
        format!(
            "INSERT INTO applications (id, placement_id, profile_id, status, ticket, privacy_notice_version, submitted_by_subject, submitted_by_role, answers, outcome_expected_by, version, created_at, updated_at, stage_reached) VALUES ('{id}', '{placement}', '{profile}', 'withdrawn', 't{id}', 'v', 's', 'applicant', '[]', '2027-01-01', 1, {t}, {t}, {stage});"
        )
    };
    conn.batch_execute(&format!(
        "INSERT INTO organisations (id, name, kind, region, version, created_at, updated_at) VALUES ('o', 'Trust', 'nhs_trust', 'london', 1, {t}, {t});
         {} {}
         INSERT INTO draws (placement_id, algorithm, capacity, priority_rules, commitment, seed, entries_digest, drawn_at) VALUES ('drawn', 'a', 2, '[]', 'c', 's', 'd', {t});
         {} {} {}
         INSERT INTO equality_responses (profile_id, version, updated_at) VALUES ('pr1', 1, {t});
         INSERT INTO equality_answers (profile_id, question, answer) VALUES ('pr1', 'sex', 'female');
         INSERT INTO equality_answers (profile_id, question, answer) VALUES ('pr1', 'religion', 'sikh');
         {} {} {}",
        placement("drawn"),
        placement("open"),
        profile("pr1", "[\"veterans\"]", "TRUE"),
        profile("pr2", "[]", "FALSE"),
        profile("pr3", "[]", "NULL"),
        // Withdrawn before its placement was drawn: frozen all the same, as the draw freezes it.
        application("a1", "drawn", "pr1", 0),
        // Drawn on a placement with no draw record (older data): frozen by its stage.
        application("a2", "open", "pr2", 1),
        // Not drawn: left to follow the current answers.
        application("a3", "open", "pr3", 0),
    ))
    .unwrap();
    next(&mut conn);
    let frozen: Vec<Row> = diesel::sql_query(
        "SELECT application_id || ' ' || user_groups || ' ' || COALESCE(CAST(care_experienced AS TEXT), '-') AS k, \
         CAST(1 AS BIGINT) AS n FROM report_characteristics ORDER BY application_id",
    )
    .load(&mut conn)
    .unwrap();
    let truth = |b: bool| match &conn {
        DbConnection::Postgres(_) => b.to_string(),
        DbConnection::Sqlite(_) => u8::from(b).to_string(),
    };
    assert_eq!(
        frozen,
        vec![
            Row { k: format!("a1 [\"veterans\"] {}", truth(true)), n: 1 },
            Row { k: format!("a2 [] {}", truth(false)), n: 1 },
        ]
    );
    let answers: Vec<Row> = diesel::sql_query(
        "SELECT application_id || ' ' || question || '=' || answer AS k, CAST(1 AS BIGINT) AS n FROM report_answers ORDER BY question",
    )
    .load(&mut conn)
    .unwrap();
    assert_eq!(answers, vec![Row { k: "a1 religion=sikh".into(), n: 1 }, Row { k: "a1 sex=female".into(), n: 1 }]);
}
