//! The sandbox clock: every rule reads time through it, so harnesses can move through a
//! placement's life without waiting; production has no such endpoint.

use serde_json::json;

use crate::support::{Options, placement_body, profile_body, spawn, spawn_with};

#[actix_web::test]
async fn moving_the_clock_moves_every_rule() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let placement = app.published(&coordinator, &org, placement_body(&site)).await;
    let id = placement["id"].as_str().unwrap();
    let (token, _) = app.applicant_with(profile_body(30)).await;
    let before = app.get("/v1/sandbox/clock").send().await;
    let real = chrono::DateTime::parse_from_rfc3339(before.ok(200)["now"].as_str().unwrap()).unwrap();

    let moved = app.post("/v1/sandbox/clock").json(json!({"advance_seconds": 40 * 24 * 3600})).send().await;
    let now = chrono::DateTime::parse_from_rfc3339(moved.ok(200)["now"].as_str().unwrap()).unwrap();
    assert!((now - real).num_days() >= 39, "the clock moved on 40 days");
    let read = app.get(&format!("/v1/placements/{id}")).send().await;
    assert_eq!(read.ok(200)["status"], "closed");
    assert_eq!(read.body["open_for_applications"], false);
    assert_eq!(app.get("/v1/placements").send().await.ok(200)["items"], json!([]));
    let body = json!({"privacy_notice_version": app.privacy_version().await});
    app.apply(&token, id, body.clone()).await.problem(409, "applications_closed");

    let back = app.post("/v1/sandbox/clock").json(json!({"set": real.to_rfc3339()})).send().await;
    back.ok(200);
    assert_eq!(app.get(&format!("/v1/placements/{id}")).send().await.ok(200)["status"], "published");
    app.apply(&token, id, body).await.ok(201);
}

#[actix_web::test]
async fn clock_changes_must_say_one_thing() {
    let app = spawn().await;
    let both = json!({"set": "2030-01-01T00:00:00Z", "advance_seconds": 5});
    app.post("/v1/sandbox/clock").json(both).send().await.problem(422, "invalid_clock_change");
    app.post("/v1/sandbox/clock").json(json!({})).send().await.problem(422, "invalid_clock_change");
    let far = json!({"advance_seconds": 200_i64 * 366 * 24 * 3600});
    app.post("/v1/sandbox/clock").json(far).send().await.problem(422, "invalid_clock_change");
}

#[actix_web::test]
async fn production_has_no_clock_or_outbox() {
    let app = spawn_with(Options { sandbox: false, ..Options::default() }).await;
    app.get("/v1/sandbox/clock").send().await.problem(404, "not_found");
    app.post("/v1/sandbox/clock").json(json!({"advance_seconds": 5})).send().await.problem(404, "not_found");
    app.get("/v1/sandbox/outbox").send().await.problem(404, "not_found");
}
