//! The work experience team's address (`/v1/organisations/{id}/team-contact`): only the
//! organisation's coordinators and admins read or change it, a bad address is refused and changes
//! nothing; and what the team is emailed: outcomes due on a review placement not yet drawn, and a
//! participant whose address fails.

use std::sync::Arc;

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use wex_domain::ports::Store;

use crate::support::{TestApp, id, placement_body, profile_body, spawn, with};

const TEAM: &str = "workexperience@trust.example.org";

fn path(org: &str) -> String {
    format!("/v1/organisations/{org}/team-contact")
}

async fn set_team(app: &TestApp, coordinator: &str, org: &str) {
    let res = app.call(actix_web::http::Method::PUT, &path(org)).token(coordinator).json(json!({"email": TEAM}));
    assert_eq!(res.send().await.ok(200)["email"], TEAM);
}

/// Messages in the sandbox outbox to the team.
async fn to_team(app: &TestApp) -> Vec<Value> {
    app.outbox().await.into_iter().filter(|m| m["recipient"] == TEAM).collect()
}

#[actix_web::test]
async fn coordinators_and_admins_set_read_and_remove_the_address() {
    let app = spawn().await;
    let (org, coordinator, _) = app.coordinated_organisation().await;
    app.get(&path(&org)).token(&coordinator).send().await.problem(404, "not_found");
    set_team(&app, &coordinator, &org).await;
    let res = app.get(&path(&org)).token(&coordinator).send().await;
    assert_eq!((res.ok(200)["email"].as_str(), res.ok(200)["version"].as_i64()), (Some(TEAM), Some(1)));
    assert!(res.header("etag").is_some());
    // An admin may change it too; the version moves on.
    let admin = app.admin().await;
    let put = app.call(actix_web::http::Method::PUT, &path(&org)).token(&admin);
    let res = put.json(json!({"email": "  team2@trust.example.org "})).send().await;
    assert_eq!(
        (res.ok(200)["email"].as_str(), res.ok(200)["version"].as_i64()),
        (Some("team2@trust.example.org"), Some(2))
    );
    // Not on the public organisation.
    let public = app.get(&format!("/v1/organisations/{org}")).send().await.ok(200).clone();
    assert!(!public.to_string().contains("team2@trust.example.org"), "{public}");
    app.delete(&path(&org)).token(&coordinator).send().await.ok(204);
    app.get(&path(&org)).token(&admin).send().await.problem(404, "not_found");
    app.delete(&path(&org)).token(&coordinator).send().await.problem(404, "not_found");
}

#[actix_web::test]
async fn everyone_else_is_refused_and_nothing_changes() {
    let app = spawn().await;
    let (org, coordinator, _) = app.coordinated_organisation().await;
    set_team(&app, &coordinator, &org).await;
    let other_org = app.organisation().await;
    let others = [
        app.applicant().await,
        app.token("advocate", "advocate-team", None).await,
        app.coordinator(&other_org).await,
        app.token("host", "host-team", Some(&org)).await,
    ];
    for token in &others {
        app.get(&path(&org)).token(token).send().await.problem(403, "coordinator_role_required");
        let put = app.call(actix_web::http::Method::PUT, &path(&org)).token(token);
        put.json(json!({"email": "thief@example.org"})).send().await.problem(403, "coordinator_role_required");
        app.delete(&path(&org)).token(token).send().await.problem(403, "coordinator_role_required");
    }
    app.get(&path(&org)).send().await.problem(401, "unauthorized");
    let put = app.call(actix_web::http::Method::PUT, &path(&org)).json(json!({"email": "thief@example.org"}));
    put.send().await.problem(401, "unauthorized");
    // A missing organisation is not found, for its would-be coordinator too.
    let missing = uuid::Uuid::new_v4().to_string();
    app.get(&path(&missing)).token(&coordinator).send().await.problem(404, "not_found");
    assert_eq!(app.get(&path(&org)).token(&coordinator).send().await.ok(200)["email"], TEAM, "unchanged");
}

#[actix_web::test]
async fn a_bad_address_is_refused_with_a_pointer_and_changes_nothing() {
    let app = spawn().await;
    let (org, coordinator, _) = app.coordinated_organisation().await;
    set_team(&app, &coordinator, &org).await;
    let put = || app.call(actix_web::http::Method::PUT, &path(&org)).token(&coordinator);
    let res = put().json(json!({"email": "not an address"})).send().await;
    res.problem(422, "validation_failed");
    res.has_field_error("/email", "email");
    let res = put().json(json!({"email": TEAM, "name": "extra"})).send().await;
    res.problem(422, "unknown_field");
    put().json(json!({})).send().await.problem(422, "required");
    let res = app.get(&path(&org)).token(&coordinator).send().await;
    assert_eq!((res.ok(200)["email"].as_str(), res.ok(200)["version"].as_i64()), (Some(TEAM), Some(1)));
}

#[actix_web::test]
async fn the_team_is_told_once_when_outcomes_are_due_on_a_review_placement_not_drawn() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    set_team(&app, &coordinator, &org).await;
    let review = with(placement_body(&site), "/selection_method", json!("name_blind_review"));
    let placement = app.published(&coordinator, &org, review).await;
    let version = app.privacy_version().await;
    for _ in 0..3 {
        let (token, _) = app.applicant_with(profile_body(30)).await;
        app.apply(&token, &id(&placement), json!({"privacy_notice_version": version})).await.ok(201);
    }
    let outcome_by: chrono::NaiveDate = placement["outcome_by"].as_str().unwrap().parse().unwrap();
    let store: Arc<dyn Store> = app.store.clone();

    // A week before the outcome date: too early.
    let at = |date: chrono::NaiveDate| date.and_hms_opt(9, 0, 0).unwrap().and_utc();
    wex_http::jobs::run_due(Arc::clone(&store), at(outcome_by - Duration::days(7))).await;
    assert!(to_team(&app).await.is_empty());

    // Two days before: once, saying how many still need a review, linking to the applications.
    for _ in 0..2 {
        wex_http::jobs::run_due(Arc::clone(&store), at(outcome_by - Duration::days(2))).await;
    }
    let told = to_team(&app).await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0]["template"], "outcomes_due");
    assert!(told[0]["body"].as_str().unwrap().contains("3 applications still need a name-blind review"), "{}", told[0]);
    assert!(told[0]["link"].as_str().unwrap().ends_with(&format!("/placements/{}/applications", id(&placement))));
}

/// Someone at `email` offered the only place on a placement whose organisation gave its team's
/// address: (applicant token, offered application, placement, placement path).
async fn offered(app: &TestApp, email: &str) -> (String, Value, Value, String) {
    let (org, coordinator, site) = app.coordinated_organisation().await;
    set_team(app, &coordinator, &org).await;
    let placement = app.published(&coordinator, &org, with(placement_body(&site), "/capacity", json!(1))).await;
    let version = app.privacy_version().await;
    let (token, _) = app.applicant_with(with(profile_body(30), "/email", json!(email))).await;
    let application =
        app.apply(&token, &id(&placement), json!({"privacy_notice_version": version})).await.ok(201).clone();
    let path = format!("/v1/placements/{}", id(&placement));
    app.post(&format!("{path}/close")).token(&coordinator).send().await.ok(200);
    app.post(&format!("{path}/draw")).token(&coordinator).send().await.ok(200);
    let offered = app.get(&format!("/v1/applications/{}", id(&application))).token(&token).send().await.ok(200).clone();
    (token, offered, placement, path)
}

async fn accept(app: &TestApp, token: &str, offered: &Value) {
    app.post(&format!("/v1/offers/{}/accept", id(&offered["offer"]))).token(token).send().await.ok(200);
}

#[actix_web::test]
async fn the_team_is_told_once_when_a_participant_cannot_be_emailed() {
    let app = spawn().await;
    let (token, offered, placement, path) = offered(&app, "perm-fail@simulator.notify").await;
    // Before the place is accepted, a failure is the applicant's alone to fix.
    deliver(&app, Utc::now());
    assert!(to_team(&app).await.is_empty());
    accept(&app, &token, &offered).await;
    deliver(&app, Utc::now());
    let told = to_team(&app).await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0]["template"], "participant_unreachable");
    assert!(told[0]["link"].as_str().unwrap().ends_with(&format!("{path}/participants").replace("/v1", "")));
    assert!(!told[0]["body"].as_str().unwrap().contains("perm-fail"), "the team's email names nobody");
    // Later failures to the same participant (the reminder a week before the start) do not repeat it.
    let start: chrono::NaiveDate = placement["start_date"].as_str().unwrap().parse().unwrap();
    let week_before = (start - Duration::days(7)).and_hms_opt(9, 0, 0).unwrap().and_utc();
    let store: Arc<dyn Store> = app.store.clone();
    wex_http::jobs::run_due(store, week_before).await;
    deliver(&app, week_before);
    let outbox = app.outbox().await;
    let reminder = outbox.iter().find(|m| m["template"] == "starting_soon").expect("the week-before reminder");
    assert_eq!(reminder["delivery"]["status"], "failed", "{reminder}");
    assert_eq!(to_team(&app).await.len(), 1);
}

#[actix_web::test]
async fn a_receipt_that_the_address_fails_tells_the_team_too() {
    let app = spawn().await;
    let (token, offered, _, _) = offered(&app, "jo.bloggs@example.org").await;
    accept(&app, &token, &offered).await;
    // As Notify reports on the message it was sent (here, before the worker's own record of it).
    let confirmed = app.outbox().await.into_iter().find(|m| m["template"] == "place_confirmed").unwrap();
    let receipt = |status: &str| {
        app.post("/v1/notify/callbacks")
            .token(crate::support::NOTIFY_CALLBACK_TOKEN)
            .json(json!({"reference": confirmed["id"], "status": status}))
    };
    // Notify's own failure says nothing about the address.
    receipt("technical-failure").send().await.ok(204);
    assert!(to_team(&app).await.is_empty());
    receipt("permanent-failure").send().await.ok(204);
    let told = to_team(&app).await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0]["template"], "participant_unreachable");
}

/// One run of the delivery worker through the sandbox transport, just after `now`.
fn deliver(app: &TestApp, now: chrono::DateTime<Utc>) {
    let at = now + Duration::minutes(1);
    wex_domain::delivery::deliver_due(
        app.store.as_ref(),
        &wex_mail::SandboxTransport,
        "https://wex.example",
        &move || at,
        100,
    )
    .unwrap();
}
