//! The draw: closing, drawing once, the scheduler, and a public record that an outsider can
//! re-derive from the published data alone.

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use uuid::Uuid;
use wex_domain::model::lottery::{DrawSeed, Entry, entries_digest, rank};
use wex_domain::ports::{DrawStore, Store};

use crate::support::{Options, TestApp, id, placement_body, profile_body, spawn, spawn_on, with};

/// A published placement with `capacity` places that puts care-experienced people first, and
/// `applicants` applications, every other one care experienced: (coordinator, placement, tickets).
async fn drawn_setup(app: &TestApp, capacity: i64, applicants: usize) -> (String, Value, Vec<(String, bool)>) {
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let body = with(placement_body(&site), "/capacity", json!(capacity));
    let placement = app.published(&coordinator, &org, body).await;
    let version = app.privacy_version().await;
    let mut tickets = Vec::new();
    for i in 0..applicants {
        let care = i % 2 == 0;
        let mut profile = profile_body(30);
        profile["care_experienced"] = json!(care);
        let (token, _) = app.applicant_with(profile).await;
        let a = app.apply(&token, &id(&placement), json!({"privacy_notice_version": version})).await;
        tickets.push((a.ok(201)["ticket"].as_str().unwrap().to_string(), care));
    }
    (coordinator, placement, tickets)
}

#[actix_web::test]
async fn an_outsider_can_rederive_the_draw_from_the_published_record() {
    let app = spawn().await;
    let (coordinator, placement, tickets) = drawn_setup(&app, 2, 5).await;
    let path = format!("/v1/placements/{}", id(&placement));
    let before = app.get(&format!("{path}/draw")).send().await;
    assert_eq!(before.ok(200)["drawn"], false);
    assert_eq!(before.body["seed"], Value::Null);
    assert_eq!(before.body["commitment"], placement["draw_commitment"]);

    app.post(&format!("{path}/close")).token(&coordinator).send().await.ok(200);
    let drawn = app.post(&format!("{path}/draw")).token(&coordinator).send().await;
    drawn.ok(200);
    let record = app.get(&format!("{path}/draw")).send().await.ok(200).clone();
    assert_eq!(record["drawn"], true);
    assert_eq!(record, drawn.body, "the coordinator's answer is the public record");

    // What an auditor does, with nothing but the record and the commitment published earlier.
    let seed_hex = record["seed"].as_str().unwrap();
    let seed = DrawSeed::from_hex(seed_hex).unwrap();
    assert_eq!(
        hex::encode(Sha256::digest(hex::decode(seed_hex).unwrap())),
        placement["draw_commitment"].as_str().unwrap()
    );
    let entries: Vec<Entry> = record["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| Entry {
            ticket: Uuid::parse_str(e["ticket"].as_str().unwrap()).unwrap(),
            tier: e["tier"].as_u64().unwrap() as u32,
        })
        .collect();
    assert_eq!(entries_digest(&entries), record["entries_digest"].as_str().unwrap());
    let placement_id = Uuid::parse_str(&id(&placement)).unwrap();
    let rederived: Vec<(String, u32)> =
        rank(&seed, placement_id, &entries).iter().map(|r| (r.ticket.to_string(), r.position)).collect();
    let published: Vec<(String, u32)> = record["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["ticket"].as_str().unwrap().to_string(), e["position"].as_u64().unwrap() as u32))
        .collect();
    assert_eq!(rederived, published);
    // Every ticket entered once; tiers follow the rule; the first `capacity` are offered.
    assert_eq!(published.len(), tickets.len());
    for e in record["entries"].as_array().unwrap() {
        let care = tickets.iter().find(|(t, _)| t == e["ticket"].as_str().unwrap()).unwrap().1;
        assert_eq!(e["tier"], if care { 1 } else { 2 });
        let offered = e["position"].as_u64().unwrap() <= 2;
        assert_eq!(e["outcome"], if offered { "offered" } else { "waitlisted" });
    }
    assert!(!record.to_string().contains("@"), "no contact details in the record");
    assert_eq!(app.get(&path).send().await.ok(200)["status"], "allocated");
}

#[actix_web::test]
async fn the_seed_stays_secret_until_the_draw() {
    let app = spawn().await;
    let (_, placement, _) = drawn_setup(&app, 1, 2).await;
    let seed = app.store.draw_seed(Uuid::parse_str(&id(&placement)).unwrap()).unwrap().to_hex();
    let path = format!("/v1/placements/{}", id(&placement));
    for res in [
        app.get(&path).send().await,
        app.get(&format!("{path}/draw")).send().await,
        app.get("/v1/placements").send().await,
    ] {
        assert_eq!(res.status, 200);
        assert!(!res.text.contains(&seed), "the seed leaked before the draw");
    }
}

#[actix_web::test]
async fn the_scheduler_draws_at_closing_time_and_only_then() {
    let app = spawn().await;
    let (_, placement, _) = drawn_setup(&app, 1, 3).await;
    let store: Arc<dyn Store> = app.store.clone();
    let path = format!("/v1/placements/{}/draw", id(&placement));
    assert_eq!(wex_http::jobs::run_due(Arc::clone(&store), Utc::now()).await, 0, "nothing is due before closing");
    assert_eq!(app.get(&path).send().await.ok(200)["drawn"], false);
    let closes = chrono::DateTime::parse_from_rfc3339(placement["closes_at"].as_str().unwrap()).unwrap().to_utc();
    assert_eq!(wex_http::jobs::run_due(Arc::clone(&store), closes + Duration::seconds(1)).await, 1);
    let record = app.get(&path).send().await;
    assert_eq!(record.ok(200)["drawn"], true);
    assert_eq!(record.body["entries"].as_array().unwrap().len(), 3);
    assert_eq!(wex_http::jobs::run_due(store, closes + Duration::days(1)).await, 0, "a placement is drawn once");
}

#[actix_web::test]
async fn racing_workers_draw_a_placement_exactly_once() {
    let app = spawn().await;
    let (coordinator, placement, _) = drawn_setup(&app, 2, 4).await;
    app.post(&format!("/v1/placements/{}/close", id(&placement))).token(&coordinator).send().await.ok(200);
    // A second process on the same database, with its own pool.
    let other: Arc<dyn Store> = Arc::new(app.db.store());
    let mine: Arc<dyn Store> = app.store.clone();
    let now = Utc::now();
    let (a, b) = futures_util::future::join(
        wex_http::jobs::run_due(mine, now),
        wex_http::jobs::run_due(Arc::clone(&other), now),
    )
    .await;
    assert_eq!(a + b, 1, "exactly one worker drew it");
    let record = app.get(&format!("/v1/placements/{}/draw", id(&placement))).send().await;
    let again = app.post(&format!("/v1/placements/{}/draw", id(&placement))).token(&coordinator).send().await;
    assert_eq!(again.ok(200)["seed"], record.ok(200)["seed"], "drawing again returns the same record");
    assert_eq!(again.body["entries"], record.body["entries"]);
}

#[actix_web::test]
async fn only_the_organisations_coordinators_close_and_draw() {
    let app = spawn().await;
    let (coordinator, placement, _) = drawn_setup(&app, 1, 1).await;
    let path = format!("/v1/placements/{}", id(&placement));
    let (_, other_coordinator, _) = app.coordinated_organisation().await;
    let org = placement["organisation_id"].as_str().unwrap();
    let host = app.token("host", "host-draw", Some(org)).await;
    for token in [&other_coordinator, &host, &app.applicant().await, &app.admin().await] {
        app.post(&format!("{path}/close")).token(token).send().await.problem(404, "not_found");
        app.post(&format!("{path}/draw")).token(token).send().await.problem(404, "not_found");
    }
    app.post(&format!("{path}/close")).send().await.problem(401, "unauthorized");
    app.post(&format!("{path}/draw")).token(&coordinator).send().await.problem(409, "not_closed");
    assert_eq!(app.get(&path).send().await.ok(200)["status"], "published", "refusals changed nothing");
    app.post(&format!("{path}/close")).token(&coordinator).send().await.ok(200);
    app.post(&format!("{path}/close")).token(&coordinator).send().await.problem(409, "not_open");
    let version = app.privacy_version().await;
    let (late, _) = app.applicant_with(profile_body(30)).await;
    app.apply(&late, &id(&placement), json!({"privacy_notice_version": version}))
        .await
        .problem(409, "applications_closed");
}

#[actix_web::test]
async fn drafts_have_no_public_record_and_review_placements_wait() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let draft = app.draft(&coordinator, &org, placement_body(&site)).await;
    app.get(&format!("/v1/placements/{}/draw", id(&draft))).send().await.problem(404, "not_found");
    let review = with(placement_body(&site), "/selection_method", json!("name_blind_review"));
    let review = app.published(&coordinator, &org, review).await;
    let path = format!("/v1/placements/{}", id(&review));
    app.post(&format!("{path}/close")).token(&coordinator).send().await.ok(200);
    // With no applications there is nothing to review: the draw has no entries.
    let record = app.post(&format!("{path}/draw")).token(&coordinator).send().await;
    assert_eq!(record.ok(200)["entries"], json!([]));
}

#[actix_web::test]
async fn two_processes_serve_the_same_draw() {
    // Any number of identical API processes can run against one database: a second app on the
    // same database reads the draw the first one made.
    let app = spawn().await;
    let (coordinator, placement, _) = drawn_setup(&app, 1, 2).await;
    let path = format!("/v1/placements/{}", id(&placement));
    app.post(&format!("{path}/close")).token(&coordinator).send().await.ok(200);
    let drawn = app.post(&format!("{path}/draw")).token(&coordinator).send().await;
    let db = wex_persistence::testing::TestDb::new();
    let second = spawn_on(db, Arc::new(app.db.store()), Options::default());
    let record = second.get(&format!("{path}/draw")).send().await;
    assert_eq!(record.ok(200)["seed"], drawn.ok(200)["seed"]);
}

#[actix_web::test]
async fn closing_early_records_when_applications_closed() {
    let app = spawn().await;
    let (coordinator, placement, _) = drawn_setup(&app, 1, 1).await;
    let before = Utc::now() - Duration::seconds(5);
    let closed = app.post(&format!("/v1/placements/{}/close", id(&placement))).token(&coordinator).send().await;
    let closes_at =
        chrono::DateTime::parse_from_rfc3339(closed.ok(200)["closes_at"].as_str().unwrap()).unwrap().to_utc();
    assert!(
        closes_at >= before && closes_at <= Utc::now() + Duration::seconds(5),
        "closes_at is the real closing time"
    );
    assert_eq!(closed.body["status"], "closed");
}

#[actix_web::test]
async fn the_scheduler_leaves_review_placements_and_draws_the_rest() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let review = app
        .published(&coordinator, &org, with(placement_body(&site), "/selection_method", json!("name_blind_review")))
        .await;
    let lottery = app.published(&coordinator, &org, placement_body(&site)).await;
    let store: Arc<dyn Store> = app.store.clone();
    assert_eq!(wex_http::jobs::run_due(Arc::clone(&store), Utc::now() + Duration::days(60)).await, 1);
    assert_eq!(app.get(&format!("/v1/placements/{}/draw", id(&lottery))).send().await.ok(200)["drawn"], true);
    assert_eq!(app.get(&format!("/v1/placements/{}/draw", id(&review))).send().await.ok(200)["drawn"], false);
    assert_eq!(
        wex_http::jobs::run_due(store, Utc::now() + Duration::days(61)).await,
        0,
        "nothing left that it can draw"
    );
}

#[actix_web::test]
async fn name_blind_review_decides_who_enters_the_draw() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let body =
        with(with(placement_body(&site), "/selection_method", json!("name_blind_review")), "/capacity", json!(1));
    let placement = app.published(&coordinator, &org, body).await;
    let version = app.privacy_version().await;
    let mut apps = Vec::new();
    for _ in 0..3 {
        let (token, _) = app.applicant_with(profile_body(30)).await;
        let a = app.apply(&token, &id(&placement), json!({"privacy_notice_version": version})).await;
        apps.push((token, id(a.ok(201))));
    }
    let path = format!("/v1/placements/{}", id(&placement));
    // Only its organisation's coordinators review, and a lottery placement has nothing to review.
    let (_, other, other_site) = app.coordinated_organisation().await;
    app.post(&format!("/v1/applications/{}/review", apps[0].1))
        .token(&other)
        .json(json!({"meets_criteria": true}))
        .send()
        .await
        .problem(404, "not_found");
    app.post(&format!("/v1/applications/{}/review", apps[0].1))
        .token(&apps[0].0)
        .json(json!({"meets_criteria": true}))
        .send()
        .await
        .problem(404, "not_found");
    let _ = other_site;
    for (i, (_, a)) in apps.iter().enumerate() {
        let res = app
            .post(&format!("/v1/applications/{a}/review"))
            .token(&coordinator)
            .json(json!({"meets_criteria": i < 2}))
            .send()
            .await;
        assert_eq!(res.ok(200)["meets_criteria"], i < 2);
    }
    let listed = app.get(&format!("{path}/applications")).token(&coordinator).send().await;
    assert_eq!(listed.ok(200)["items"].as_array().unwrap().iter().filter(|a| a["meets_criteria"] == true).count(), 2);
    app.post(&format!("{path}/close")).token(&coordinator).send().await.ok(200);
    let record = app.post(&format!("{path}/draw")).token(&coordinator).send().await;
    assert_eq!(record.ok(200)["entries"].as_array().unwrap().len(), 2, "only those meeting the criteria entered");
    let left_out = app.get(&format!("/v1/applications/{}", apps[2].1)).token(&apps[2].0).send().await;
    assert_eq!(left_out.ok(200)["status"], "not_entered");
    assert!(
        app.outbox().await.iter().any(|n| n["template"] == "unsuccessful" && n["application_id"] == json!(apps[2].1))
    );
    app.post(&format!("/v1/applications/{}/review", apps[0].1))
        .token(&coordinator)
        .json(json!({"meets_criteria": false}))
        .send()
        .await
        .problem(409, "review_closed");
}
