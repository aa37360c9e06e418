//! An address that fails for good is flagged where people see it: on the applicant's profile and,
//! once they hold a place, in their coordinator's participants list. A temporary failure, a later
//! delivery or a new address leaves no flag.

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use wex_domain::delivery::deliver_due;

use crate::support::{TestApp, id, placement_body, profile_body, spawn, with};

const PERM_FAIL: &str = "perm-fail@simulator.notify";
const TEMP_FAIL: &str = "temp-fail@simulator.notify";

/// One run of the delivery worker through the sandbox transport, `days` ahead of now so that
/// every retry due by then is made.
fn deliver(app: &TestApp, days: i64) {
    let at = Utc::now() + Duration::days(days) + Duration::minutes(1);
    deliver_due(app.store.as_ref(), &wex_mail::SandboxTransport, "https://wex.example", &move || at, 100).unwrap();
}

async fn applicant_at(app: &TestApp, email: &str) -> String {
    app.applicant_with(with(profile_body(30), "/email", json!(email))).await.0
}

async fn my_profile(app: &TestApp, token: &str) -> Value {
    app.get("/v1/me/profile").token(token).send().await.ok(200).clone()
}

/// Applicants at these addresses apply for a placement with a place for each, and are all
/// offered one by the draw (the offer is written to their own address): the coordinator, the
/// placement's path, and each applicant's (token, application).
async fn offered(app: &TestApp, emails: &[&str]) -> (String, String, Vec<(String, Value)>) {
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let body = with(placement_body(&site), "/capacity", json!(emails.len()));
    let placement = app.published(&coordinator, &org, body).await;
    let version = app.privacy_version().await;
    let mut people = Vec::new();
    for email in emails {
        let token = applicant_at(app, email).await;
        let a = app.apply(&token, &id(&placement), json!({"privacy_notice_version": version})).await.ok(201).clone();
        people.push((token, a));
    }
    let path = format!("/v1/placements/{}", id(&placement));
    app.post(&format!("{path}/close")).token(&coordinator).send().await.ok(200);
    app.post(&format!("{path}/draw")).token(&coordinator).send().await.ok(200);
    (coordinator, path, people)
}

#[actix_web::test]
async fn a_permanent_failure_shows_on_the_profile_until_the_address_changes() {
    let app = spawn().await;
    let (_, _, people) = offered(&app, &[PERM_FAIL, "jo.bloggs@example.org"]).await;
    let (failing, other) = (people[0].0.clone(), people[1].0.clone());
    deliver(&app, 0);

    let profile = my_profile(&app, &failing).await;
    let problem = &profile["email_problem"];
    assert_eq!(problem["message"], "We could not email you at this address. Check it is right, or give another.");
    assert!(problem["since"].is_string(), "{profile}");
    assert_eq!(my_profile(&app, &other).await["email_problem"], Value::Null, "another applicant is unaffected");

    // A new address has not failed: the flag goes.
    let etag = app.get("/v1/me/profile").token(&failing).send().await.etag();
    let body = with(profile_body(30), "/email", json!("jo.new@example.org"));
    let res = app.call(actix_web::http::Method::PUT, "/v1/me/profile").token(&failing).header("If-Match", &etag);
    assert_eq!(res.json(body).send().await.ok(200)["email_problem"], Value::Null);
    assert_eq!(my_profile(&app, &failing).await["email_problem"], Value::Null);
}

#[actix_web::test]
async fn temporary_failures_do_not_blame_the_address_even_when_they_give_up() {
    let app = spawn().await;
    let (_, _, people) = offered(&app, &[TEMP_FAIL]).await;
    let token = people[0].0.clone();
    deliver(&app, 0);
    assert_eq!(my_profile(&app, &token).await["email_problem"], Value::Null, "retrying");
    // Seven attempts in all, then failed: still not the address's fault as far as we know.
    for day in 1..=7 {
        deliver(&app, day);
    }
    let outbox = app.outbox().await;
    assert!(outbox.iter().any(|m| m["delivery"]["status"] == "failed"), "the retries gave up");
    assert_eq!(my_profile(&app, &token).await["email_problem"], Value::Null);
}

#[actix_web::test]
async fn the_coordinator_sees_which_participants_could_not_be_emailed() {
    let app = spawn().await;
    let (coordinator, path, people) = offered(&app, &[PERM_FAIL, "jo.bloggs@example.org"]).await;
    for (token, a) in &people {
        let offered = app.get(&format!("/v1/applications/{}", id(a))).token(token).send().await.ok(200).clone();
        app.post(&format!("/v1/offers/{}/accept", id(&offered["offer"]))).token(token).send().await.ok(200);
    }
    deliver(&app, 0);

    let body = app.get(&format!("{path}/participants")).token(&coordinator).send().await.ok(200).clone();
    let participants = body["participants"].as_array().unwrap();
    assert_eq!(participants.len(), 2);
    for p in participants {
        let failing = p["application_id"] == people[0].1["id"];
        assert_eq!(p["email_unreachable"], json!(failing), "{p}");
        assert_eq!(p["email_unreachable_since"].is_string(), failing, "{p}");
    }
}
