//! Defects found by trying to break the API: rate limits keyed by header text, an overflowing
//! clock, 412 for losers of an offer race, and applicants accepting their own invitations.

use serde_json::{Value, json};
use std::collections::HashSet;

use crate::support::{AUDIENCE, ISSUER, Options, TestApp, id, placement_body, profile_body, spawn, spawn_with, with};

#[actix_web::test]
async fn write_limits_follow_the_verified_caller_not_the_header_text() {
    let app = spawn_with(Options { writes_per_minute: 3, ..Options::default() }).await;
    // Minting is an anonymous write, counted against this address: three mints use its bucket up.
    let token = app.token("admin", "limited-admin", None).await;
    let same_subject = app.token("admin", "limited-admin", None).await;
    let other = app.token("admin", "other-admin", None).await;
    let create = |name: &str| json!({"name": name, "kind": "nhs_trust", "region": "london"});
    for i in 0..3 {
        app.post("/v1/organisations").token(&token).json(create(&format!("Org {i}"))).send().await.ok(201);
    }
    app.post("/v1/organisations").token(&token).json(create("Over")).send().await.problem(429, "rate_limited");
    for spelling in
        [format!("bearer {token}"), format!("BEARER {token}"), format!("Bearer  {token}"), format!("bEaReR   {token}")]
    {
        let res = app.post("/v1/organisations").header("authorization", &spelling).json(create("Again")).send().await;
        res.problem(429, "rate_limited");
    }
    let res = app.post("/v1/organisations").token(&same_subject).json(create("Another token")).send().await;
    res.problem(429, "rate_limited");

    // A token that cannot be verified is counted by address (empty by now), never against the
    // subject it names: forging other-admin's subject does not spend other-admin's bucket.
    let forger = wex_http::auth::Authenticator::sandbox(
        b"not-the-secret-of-this-service-at-all".to_vec(),
        ISSUER,
        AUDIENCE,
        HashSet::new(),
    );
    let (forged, _) = forger.mint("other-admin", wex_domain::model::auth::Role::Admin, None, 3600).unwrap();
    for _ in 0..5 {
        let res = app.post("/v1/organisations").token(&forged).json(create("Forged")).send().await;
        assert!(res.status == 401 || res.status == 429, "{}", res.text);
    }
    for i in 0..3 {
        app.post("/v1/organisations").token(&other).json(create(&format!("Theirs {i}"))).send().await.ok(201);
    }
    let list = app.get("/v1/organisations?limit=100").token(&other).send().await;
    assert_eq!(list.ok(200)["items"].as_array().unwrap().len(), 6, "only the allowed writes wrote");
}

#[actix_web::test]
async fn the_clock_refuses_steps_over_a_hundred_years_without_overflowing() {
    let app = spawn().await;
    let before = app.get("/v1/sandbox/clock").send().await.ok(200)["now"].clone();
    let hundred_years: i64 = 100 * 366 * 24 * 3600;
    for step in [i64::MIN, i64::MAX, i64::MIN + 1, -hundred_years - 1, hundred_years + 1] {
        let res = app.post("/v1/sandbox/clock").json(json!({"advance_seconds": step})).send().await;
        res.problem(422, "invalid_clock_change");
        res.has_field_error("/advance_seconds", "invalid_clock_change");
    }
    for set in ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"] {
        let res = app.post("/v1/sandbox/clock").json(json!({"set": set})).send().await;
        res.problem(422, "invalid_clock_change");
        res.has_field_error("/set", "invalid_clock_change");
    }
    let after = app.get("/v1/sandbox/clock").send().await.ok(200)["now"].clone();
    let at = |v: &Value| chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap();
    assert!(at(&after) - at(&before) < chrono::Duration::days(1), "refused changes left the clock alone");
    // A step of exactly 100 years either way is allowed.
    app.post("/v1/sandbox/clock").json(json!({"advance_seconds": -hundred_years})).send().await.ok(200);
    app.post("/v1/sandbox/clock").json(json!({"advance_seconds": hundred_years})).send().await.ok(200);
}

/// An applicant holding an open offer: (applicant token, offer id).
async fn offered(app: &TestApp) -> (String, String) {
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let placement = app.published(&coordinator, &org, with(placement_body(&site), "/capacity", json!(1))).await;
    let version = app.privacy_version().await;
    let (token, _) = app.applicant_with(profile_body(30)).await;
    let application = app.apply(&token, &id(&placement), json!({"privacy_notice_version": version})).await;
    let application_id = id(application.ok(201));
    let path = format!("/v1/placements/{}", id(&placement));
    app.post(&format!("{path}/close")).token(&coordinator).send().await.ok(200);
    app.post(&format!("{path}/draw")).token(&coordinator).send().await.ok(200);
    let res = app.get(&format!("/v1/applications/{application_id}")).token(&token).send().await;
    (token, id(&res.ok(200)["offer"]))
}

#[actix_web::test]
async fn losers_of_an_offer_race_get_the_documented_409_not_412() {
    let app = spawn().await;
    let (token, offer) = offered(&app).await;
    let answers = (0..16).map(|i| {
        let path = format!("/v1/offers/{offer}/{}", if i % 2 == 0 { "accept" } else { "decline" });
        let (app, token) = (&app, token.clone());
        async move { app.post(&path).token(&token).send().await }
    });
    let results = futures_util::future::join_all(answers).await;
    let won: Vec<_> = results.iter().filter(|r| r.status == 200).collect();
    assert_eq!(won.len(), 1, "{:?}", results.iter().map(|r| &r.text).collect::<Vec<_>>());
    for res in results.iter().filter(|r| r.status != 200) {
        res.problem(409, "offer_not_open");
    }
    // The one answer that won is the one stored.
    let status = won[0].body["status"].as_str().unwrap().to_string();
    let application = app.get(&format!("/v1/applications/{}", id(&won[0].body))).token(&token).send().await;
    assert_eq!(application.ok(200)["status"], status.as_str());
}

/// An applicant who has invited an advocate: (applicant token, link id, code).
async fn invitation(app: &TestApp) -> (String, String, String) {
    let (applicant, _) = app.applicant_with(with(profile_body(30), "/support_worker", Value::Null)).await;
    let (link_id, code) = app.invite_advocate(&applicant, "careers@school.example.org").await;
    (applicant, link_id, code)
}

#[actix_web::test]
async fn an_applicant_cannot_accept_their_own_invitation() {
    let app = spawn().await;
    let (applicant, link_id, code) = invitation(&app).await;
    let accept = |token: &str| {
        app.post(&format!("/v1/advocate-links/{link_id}/accept")).token(token).json(json!({"code": code}))
    };
    accept(&applicant).send().await.problem(422, "own_invitation");
    let mine = app.get(&format!("/v1/me/advocates/{link_id}")).token(&applicant).send().await;
    assert_eq!(mine.ok(200)["status"], "pending", "the refusal changed nothing");
    let advocate = app.token("advocate", "careers-leader-7", None).await;
    assert_eq!(accept(&advocate).send().await.ok(200)["status"], "active");
}

#[actix_web::test]
async fn losers_of_a_race_to_accept_one_invitation_find_it_no_longer_pending() {
    let app = spawn().await;
    let (_, link_id, code) = invitation(&app).await;
    let mut advocates = Vec::new();
    for i in 0..8 {
        advocates.push(app.token("advocate", &format!("racing-advocate-{i}"), None).await);
    }
    let accepts = advocates.iter().map(|token| {
        let (app, path, code) = (&app, format!("/v1/advocate-links/{link_id}/accept"), code.clone());
        async move { app.post(&path).token(token).json(json!({"code": code})).send().await }
    });
    let results = futures_util::future::join_all(accepts).await;
    let statuses: Vec<u16> = results.iter().map(|r| r.status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    for res in results.iter().filter(|r| r.status != 200) {
        res.problem(404, "not_found");
    }
}
