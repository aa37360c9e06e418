//! `/v1/sandbox/test-data`: a batch is made through the real use cases, so the change feed shows
//! it; its subjects work as tokens; the same seed makes the same content; out-of-range sizes are
//! refused with pointers and write nothing; only admins may call; deleting removes a batch and
//! nothing else, and again is harmless; production has no such routes.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use wex_domain::model::reports::ReportFilter;
use wex_domain::ports::ReportStore;
use wex_persistence::FromScratch;

use crate::support::{Options, TestApp, id, placement_body, profile_body, spawn, spawn_with};

const PATH: &str = "/v1/sandbox/test-data";

fn small(seed: u64) -> Value {
    json!({"organisations": 2, "placements_per_organisation": 2, "applicants": 3, "applications_per_applicant": 2, "seed": seed})
}

async fn generate(app: &TestApp, admin: &str, body: Value) -> Value {
    app.post(PATH).token(admin).json(body).send().await.ok(201).clone()
}

fn placement_ids(batch: &Value) -> Vec<String> {
    let orgs = batch["organisations"].as_array().unwrap();
    orgs.iter()
        .flat_map(|o| o["placement_ids"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()))
        .collect()
}

/// Every event the admin may read, from the start.
async fn feed(app: &TestApp, admin: &str) -> Vec<Value> {
    let (mut events, mut cursor) = (Vec::new(), String::new());
    loop {
        let page = app.get(&format!("/v1/events?limit=100&after={cursor}")).token(admin).send().await.ok(200).clone();
        let items = page["items"].as_array().unwrap().clone();
        if items.is_empty() {
            return events;
        }
        events.extend(items);
        cursor = page["next_cursor"].as_str().unwrap().to_string();
    }
}

/// Reads the feed until it holds `n` events of `kind` (on PostgreSQL the feed holds back events
/// while any older transaction, such as another test's, is still running).
async fn feed_with(app: &TestApp, admin: &str, kind: &str, n: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let events = feed(app, admin).await;
        if events.iter().filter(|e| e["type"] == kind).count() >= n {
            return events;
        }
        assert!(Instant::now() < deadline, "fewer than {n} {kind} in {events:?}");
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
}

#[actix_web::test]
async fn a_batch_is_made_through_the_use_cases_and_the_feed_shows_it() {
    let app = spawn().await;
    let admin = app.admin().await;
    let batch = generate(&app, &admin, small(42)).await;
    assert_eq!(
        (batch["placements"].as_u64(), batch["applicants"].as_u64(), batch["applications"].as_u64()),
        (Some(4), Some(3), Some(6))
    );
    assert_eq!(batch["seed"], 42);
    let placements: BTreeSet<String> = placement_ids(&batch).into_iter().collect();
    assert_eq!(placements.len(), 4);

    let events = feed_with(&app, &admin, "application.submitted", 6).await;
    let published: BTreeSet<String> = events
        .iter()
        .filter(|e| e["type"] == "placement.published")
        .map(|e| e["placement_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(published, placements);
    let submitted: Vec<&Value> = events.iter().filter(|e| e["type"] == "application.submitted").collect();
    assert_eq!(submitted.len(), 6);
    assert!(submitted.iter().all(|e| placements.contains(e["placement_id"].as_str().unwrap())), "{submitted:?}");

    // The subjects it names work: a coordinator sees its organisation's applications, an applicant
    // their own two.
    let org = &batch["organisations"][0];
    let coordinator = app.token("coordinator", org["coordinator_subject"].as_str().unwrap(), Some(&id(org))).await;
    let first = org["placement_ids"][0].as_str().unwrap();
    let placement = app.get(&format!("/v1/placements/{first}")).send().await.ok(200).clone();
    assert_eq!(
        (placement["status"].as_str(), placement["organisation_id"].as_str()),
        (Some("published"), org["id"].as_str())
    );
    app.get(&format!("/v1/placements/{first}/applications")).token(&coordinator).send().await.ok(200);
    let applicant = app.token("applicant", batch["applicant_subjects"][0].as_str().unwrap(), None).await;
    let mine = app.get("/v1/me/applications").token(&applicant).send().await.ok(200).clone();
    assert_eq!(mine["items"].as_array().unwrap().len(), 2);
    app.get("/v1/me/profile").token(&applicant).send().await.ok(200);
}

/// What a batch says, without its ids and times: organisation names, and each placement's details.
async fn shape(app: &TestApp, batch: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    for org in batch["organisations"].as_array().unwrap() {
        out.push(org["name"].clone());
        for p in org["placement_ids"].as_array().unwrap() {
            let p = app.get(&format!("/v1/placements/{}", p.as_str().unwrap())).send().await.ok(200).clone();
            let keys =
                ["title", "kind", "specialty", "capacity", "start_date", "end_date", "outcome_by", "daily_hours"];
            out.push(keys.iter().map(|k| p[*k].clone()).collect());
        }
    }
    out
}

/// What an applicant's profile says, read as them.
async fn profile(app: &TestApp, subject: &Value) -> Vec<Value> {
    let token = app.token("applicant", subject.as_str().unwrap(), None).await;
    let p = app.get("/v1/me/profile").token(&token).send().await.ok(200).clone();
    ["preferred_name", "date_of_birth", "postcode", "user_groups"].iter().map(|k| p[*k].clone()).collect()
}

#[actix_web::test]
async fn the_same_seed_makes_the_same_content() {
    let app = spawn().await;
    let admin = app.admin().await;
    let (a, b, c) = (
        generate(&app, &admin, small(7)).await,
        generate(&app, &admin, small(7)).await,
        generate(&app, &admin, small(8)).await,
    );
    assert_eq!(shape(&app, &a).await, shape(&app, &b).await);
    assert_ne!(shape(&app, &a).await, shape(&app, &c).await);
    assert_ne!(a["batch_id"], b["batch_id"]);
    // Subjects name their batch, so two batches never share one.
    let subjects = |x: &Value| x["applicant_subjects"].as_array().unwrap().clone();
    assert!(subjects(&a).iter().all(|s| !subjects(&b).contains(s)));
    assert_eq!(profile(&app, &subjects(&a)[2]).await, profile(&app, &subjects(&b)[2]).await);
    // No seed: a random one, reported.
    let d = generate(&app, &admin, json!({"applicants": 0})).await;
    assert!(d["seed"].is_u64());
    assert_eq!((d["placements"].as_u64(), d["applications"].as_u64()), (Some(3), Some(0)));
}

/// How much the sandbox holds, as an admin sees it.
async fn holdings(app: &TestApp, admin: &str) -> (usize, usize) {
    let orgs = app.get("/v1/organisations?limit=100").send().await.ok(200)["items"].as_array().unwrap().len();
    (orgs, feed(app, admin).await.len())
}

#[actix_web::test]
async fn sizes_out_of_range_are_refused_at_their_fields_and_write_nothing() {
    let app = spawn().await;
    let admin = app.admin().await;
    let before = holdings(&app, &admin).await;
    let too_big = json!({"organisations": 21, "placements_per_organisation": 0, "applicants": 2001,
        "applications_per_applicant": 6, "seed": 9_007_199_254_740_992_u64});
    let res = app.post(PATH).token(&admin).json(too_big).send().await;
    res.problem(422, "validation_failed");
    for field in
        ["/organisations", "/placements_per_organisation", "/applicants", "/applications_per_applicant", "/seed"]
    {
        res.has_field_error(field, "out_of_range");
    }
    let crowded = json!({"organisations": 20, "placements_per_organisation": 11});
    let res = app.post(PATH).token(&admin).json(crowded).send().await;
    res.problem(422, "validation_failed");
    res.has_field_error("/placements_per_organisation", "out_of_range");
    let res = app
        .post(PATH)
        .token(&admin)
        .json(json!({"placements_per_organisation": 2, "applications_per_applicant": 3}))
        .send()
        .await;
    res.has_field_error("/applications_per_applicant", "out_of_range");
    // Wrong shapes: a negative size, an unknown field.
    let res = app.post(PATH).token(&admin).json(json!({"applicants": -1})).send().await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(res.field_errors()[0].0, "/applicants");
    let res = app.post(PATH).token(&admin).json(json!({"organizations": 2})).send().await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(res.field_errors()[0].0, "/organizations");
    assert_eq!(holdings(&app, &admin).await, before);
}

#[actix_web::test]
async fn an_applications_cap_below_five_bounds_applications_per_applicant() {
    let app = spawn_with(Options { active_application_cap: 2, ..Options::default() }).await;
    let admin = app.admin().await;
    let res = app
        .post(PATH)
        .token(&admin)
        .json(json!({"applications_per_applicant": 3, "placements_per_organisation": 3}))
        .send()
        .await;
    res.problem(422, "validation_failed");
    res.has_field_error("/applications_per_applicant", "out_of_range");
}

#[actix_web::test]
async fn only_admins_generate_or_delete() {
    let app = spawn().await;
    let admin = app.admin().await;
    let batch = generate(&app, &admin, small(1)).await;
    let org = id(&batch["organisations"][0]);
    let before = holdings(&app, &admin).await;
    let batch_path = format!("{PATH}/{}", batch["batch_id"].as_str().unwrap());
    let mut others = Vec::new();
    for (role, organisation) in [
        ("applicant", None),
        ("advocate", None),
        ("analyst", None),
        ("coordinator", Some(org.as_str())),
        ("host", Some(org.as_str())),
    ] {
        others.push(app.token(role, &format!("{role}-test-data"), organisation).await);
    }
    for token in &others {
        app.post(PATH).token(token).json(small(2)).send().await.problem(403, "admin_role_required");
        app.delete(PATH).token(token).send().await.problem(403, "admin_role_required");
        app.delete(&batch_path).token(token).send().await.problem(403, "admin_role_required");
    }
    app.post(PATH).json(small(2)).send().await.problem(401, "unauthorized");
    app.delete(PATH).send().await.problem(401, "unauthorized");
    app.delete(&batch_path).send().await.problem(401, "unauthorized");
    assert_eq!(holdings(&app, &admin).await, before);
}

#[actix_web::test]
async fn deleting_a_batch_removes_it_and_nothing_else_and_again_is_harmless() {
    let app = spawn().await;
    let admin = app.admin().await;
    // Data that is not test data: a placement with an application.
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let own = app.published(&coordinator, &org, placement_body(&site)).await;
    let version = app.privacy_version().await;
    let (someone, _) = app.applicant_with(profile_body(30)).await;
    let kept = app.apply(&someone, &id(&own), json!({"privacy_notice_version": version})).await.ok(201).clone();
    let (a, b) = (generate(&app, &admin, small(3)).await, generate(&app, &admin, small(4)).await);
    // A batch's applicant applies to the real placement too: that application is theirs, and goes.
    let tester = app.token("applicant", a["applicant_subjects"][0].as_str().unwrap(), None).await;
    let theirs = app.apply(&tester, &id(&own), json!({"privacy_notice_version": version})).await.ok(201).clone();
    // Someone real whose one application is to a test placement: it goes, and they stop counting
    // as an applicant in the reports, while `someone` still counts.
    let (visitor, _) = app.applicant_with(profile_body(31)).await;
    let test_placement = placement_ids(&a)[0].clone();
    app.apply(&visitor, &test_placement, json!({"privacy_notice_version": version})).await.ok(201);
    feed_with(&app, &admin, "application.submitted", 15).await;
    // The batch's organisation has an API client that has used an assertion: both go with it.
    let batch_org = id(&a["organisations"][0]);
    let client = crate::clients::register(&app, &admin, &batch_org, &["placements:read"]).await;
    crate::clients::access_token(&app, &client, None).await;

    let a_path = format!("{PATH}/{}", a["batch_id"].as_str().unwrap());
    let deleted = app.delete(&a_path).token(&admin).send().await.ok(200).clone();
    assert_eq!(deleted, json!({"batches": 1, "organisations": 2, "placements": 4, "applicants": 3, "applications": 8}));
    let everyone = ReportFilter::default();
    assert_eq!(app.store.people(&everyone).unwrap(), FromScratch(&app.store).people(&everyone).unwrap());
    for p in placement_ids(&a) {
        app.get(&format!("/v1/placements/{p}")).send().await.problem(404, "not_found");
    }
    app.get(&format!("/v1/organisations/{}", id(&a["organisations"][0]))).send().await.problem(404, "not_found");
    app.get("/v1/me/profile").token(&tester).send().await.problem(404, "not_found");
    app.get(&format!("/v1/applications/{}", id(&theirs))).token(&tester).send().await.problem(404, "not_found");
    // The other batch, and what is not test data, stay.
    for p in placement_ids(&b) {
        app.get(&format!("/v1/placements/{p}")).send().await.ok(200);
    }
    app.get(&format!("/v1/placements/{}", id(&own))).send().await.ok(200);
    app.get(&format!("/v1/applications/{}", id(&kept))).token(&someone).send().await.ok(200);
    let mine =
        app.get(&format!("/v1/placements/{}/applications", id(&own))).token(&coordinator).send().await.ok(200).clone();
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    // The feed no longer mentions the deleted batch.
    let gone: BTreeSet<String> = placement_ids(&a).into_iter().collect();
    let events = feed(&app, &admin).await;
    assert!(events.iter().all(|e| !e["placement_id"].as_str().is_some_and(|p| gone.contains(p))), "{events:?}");
    assert!(events.iter().all(|e| e["application_id"] != json!(id(&theirs))));
    assert!(events.iter().any(|e| e["application_id"] == json!(id(&kept))));

    // Again: nothing to delete. An unknown batch is 404.
    let zero = json!({"batches": 0, "organisations": 0, "placements": 0, "applicants": 0, "applications": 0});
    assert_eq!(app.delete(&a_path).token(&admin).send().await.ok(200), &zero);
    let unknown = format!("{PATH}/{}", uuid::Uuid::now_v7());
    app.delete(&unknown).token(&admin).send().await.problem(404, "not_found");
    // Everything: the other batch goes; again, nothing.
    let all = app.delete(PATH).token(&admin).send().await.ok(200).clone();
    assert_eq!((all["batches"].as_u64(), all["placements"].as_u64()), (Some(1), Some(4)));
    assert_eq!(app.delete(PATH).token(&admin).send().await.ok(200), &zero);
    for p in placement_ids(&b) {
        app.get(&format!("/v1/placements/{p}")).send().await.problem(404, "not_found");
    }
    app.get(&format!("/v1/placements/{}", id(&own))).send().await.ok(200);
}

#[actix_web::test]
async fn production_has_no_test_data_routes() {
    let app = spawn_with(Options { sandbox: false, ..Options::default() }).await;
    app.post(PATH).json(small(1)).send().await.problem(404, "not_found");
    app.delete(PATH).send().await.problem(404, "not_found");
    app.delete(&format!("{PATH}/{}", uuid::Uuid::now_v7())).send().await.problem(404, "not_found");
}

#[actix_web::test]
async fn a_retry_with_the_same_idempotency_key_makes_one_batch() {
    let app = spawn().await;
    let admin = app.admin().await;
    let send = || app.post(PATH).token(&admin).header("idempotency-key", "batch-1").json(small(9)).send();
    let first = send().await;
    let again = send().await;
    assert_eq!((first.status, again.status), (201, 201));
    assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
    assert_eq!(first.body, again.body);
    assert_eq!(first.header("location"), Some(format!("{PATH}/{}", first.body["batch_id"].as_str().unwrap())));
    let orgs = app.get("/v1/organisations?limit=100").send().await.ok(200)["items"].as_array().unwrap().len();
    assert_eq!(orgs, 2, "one batch of two organisations");
}
