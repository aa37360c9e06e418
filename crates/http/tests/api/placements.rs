//! Placements: the rules of the domain refused with problem+json and a field pointer, the
//! lifecycle, who may touch what, and the secret draw seed.

use diesel::prelude::*;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::support::{TestApp, placement_body, placement_window, spawn, with};

/// Creating `body` is refused with 422 naming `field` and `code`, and no draft is written.
async fn refused(app: &TestApp, coordinator: &str, org: &str, body: Value, field: &str, code: &str) {
    let res = app.post(&format!("/v1/organisations/{org}/placements")).token(coordinator).json(body).send().await;
    res.problem(422, res.body["code"].as_str().unwrap_or("?"));
    res.has_field_error(field, code);
    let drafts = app.get(&format!("/v1/placements?status=draft&organisation_id={org}")).token(coordinator).send().await;
    assert_eq!(drafts.ok(200)["items"], json!([]), "a refused placement was written");
}

#[actix_web::test]
async fn every_rule_is_refused_with_its_field() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let body = placement_body(&site);
    let opens = body["opens_at"].clone();
    let closes_date = body["closes_at"].as_str().unwrap()[..10].to_string();
    let start = body["start_date"].as_str().unwrap().to_string();
    let cases = [
        (with(body.clone(), "/closes_at", opens.clone()), "/closes_at", "must_be_after_opens_at"),
        (with(body.clone(), "/outcome_by", json!(closes_date)), "/outcome_by", "must_be_after_closes_at"),
        (with(body.clone(), "/end_date", json!("2020-01-01")), "/end_date", "must_not_be_before_start_date"),
        (with(body.clone(), "/capacity", json!(0)), "/capacity", "capacity_too_small"),
        (with(body.clone(), "/offer_response_days", json!(0)), "/offer_response_days", "range"),
        (with(body.clone(), "/eligibility/min_age", json!(12)), "/eligibility/min_age", "age_out_of_range"),
        (with(body.clone(), "/eligibility/max_age", json!(15)), "/eligibility/max_age", "must_not_be_below_min_age"),
        (
            with(body.clone(), "/eligibility/catchment", json!(["SO16", "nowhere"])),
            "/eligibility/catchment/1",
            "invalid_postcode_district",
        ),
        (with(body.clone(), "/priority_rules", json!(["in_catchment"])), "/priority_rules/0", "needs_catchment"),
        (
            with(body.clone(), "/priority_rules", json!(["first_come_first_served"])),
            "/priority_rules/0",
            "invalid_value",
        ),
        (with(body.clone(), "/preparation/paid", json!(true)), "/preparation/paid", "paid_not_allowed"),
        (with(body.clone(), "/daily_hours/end", json!("08:00")), "/daily_hours/end", "must_be_after_start"),
        (with(body.clone(), "/daily_hours/start", json!("9am")), "/daily_hours/start", "invalid_value"),
        (with(body.clone(), "/title", json!("   ")), "/title", "required"),
        (
            with(body.clone(), "/selection_method", json!("first_come_first_served")),
            "/selection_method",
            "invalid_value",
        ),
        (with(body.clone(), "/site_id", json!(uuid::Uuid::now_v7())), "/site_id", "unknown_site"),
        (with(body.clone(), "/department_id", json!(uuid::Uuid::now_v7())), "/department_id", "unknown_department"),
    ];
    for (bad, field, code) in cases {
        refused(&app, &coordinator, &org, bad, field, code).await;
    }
    // The outcome date may not be after the start date.
    let late = with(body.clone(), "/outcome_by", json!(start));
    let late = with(late, "/start_date", json!(closes_date));
    let res = app.post(&format!("/v1/organisations/{org}/placements")).token(&coordinator).json(late).send().await;
    res.has_field_error("/outcome_by", "must_not_be_after_start_date");
}

#[actix_web::test]
async fn a_site_of_another_organisation_is_refused() {
    let app = spawn().await;
    let (org, coordinator, _) = app.coordinated_organisation().await;
    let (_, _, other_site) = app.coordinated_organisation().await;
    refused(&app, &coordinator, &org, placement_body(&other_site), "/site_id", "unknown_site").await;
}

#[actix_web::test]
async fn drafts_are_private_until_published() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let res = app
        .post(&format!("/v1/organisations/{org}/placements"))
        .token(&coordinator)
        .json(placement_body(&site))
        .send()
        .await;
    let draft = res.ok(201).clone();
    let id = draft["id"].as_str().unwrap();
    assert_eq!(res.header("location"), Some(format!("/v1/placements/{id}")));
    assert_eq!(res.etag(), "\"v1\"");
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["draw_commitment"], Value::Null);

    let path = format!("/v1/placements/{id}");
    app.get(&path).send().await.problem(404, "not_found");
    let (_, other_coordinator, _) = app.coordinated_organisation().await;
    app.get(&path).token(&other_coordinator).send().await.problem(404, "not_found");
    app.get(&path).token(&app.applicant().await).send().await.problem(404, "not_found");
    assert_eq!(app.get(&path).token(&coordinator).send().await.ok(200)["id"], json!(id));
    assert_eq!(app.get("/v1/placements").send().await.ok(200)["items"], json!([]));

    let published = app.post(&format!("{path}/publish")).token(&coordinator).send().await;
    let body = published.ok(200);
    assert_eq!(body["status"], "published");
    assert_eq!(body["version"], 2);
    assert_eq!(published.etag(), "\"v2\"");
    let commitment = body["draw_commitment"].as_str().unwrap();
    assert!(commitment.len() == 64 && commitment.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));

    // Now anyone reads everything an applicant needs.
    let public = app.get(&path).send().await;
    let p = public.ok(200);
    assert_eq!(p["open_for_applications"], true);
    assert_eq!(p["free_to_apply"], true);
    assert_eq!(p["preparation"]["paid"], false);
    assert_eq!(p["preparation"]["dress_code"], "Smart casual, closed flat shoes.");
    assert_eq!(p["site"]["postcode"], "SO16 6YD");
    assert_eq!(p["organisation"]["id"], json!(org));
    assert_eq!(p["priority_rules"], json!(["care_experienced"]));
    assert!(p["priority_rules_explained"][0]["reason"].as_str().unwrap().contains("care"));
    assert_eq!(p["draw_commitment"], json!(commitment));
    let listed = app.get("/v1/placements").send().await;
    assert_eq!(listed.ok(200)["items"][0]["id"], json!(id));
}

#[derive(QueryableByName)]
struct SecretRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    seed: String,
}

#[actix_web::test]
async fn the_seed_stays_in_the_database_and_matches_the_commitment() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let published = app.published(&coordinator, &org, placement_body(&site)).await;
    let id = published["id"].as_str().unwrap();

    let mut conn = app.store.pool().get().unwrap();
    let rows: Vec<SecretRow> = diesel::sql_query("SELECT seed FROM draw_secrets").load(&mut **conn).unwrap();
    assert_eq!(rows.len(), 1);
    let seed = &rows[0].seed;
    let commitment = hex::encode(Sha256::digest(hex::decode(seed).unwrap()));
    assert_eq!(published["draw_commitment"], json!(commitment), "commitment is SHA-256 of the stored seed");

    let admin = app.admin().await;
    let edited = app
        .patch(&format!("/v1/placements/{id}"))
        .token(&coordinator)
        .header("if-match", "\"v2\"")
        .json(json!({"title": "A new title"}))
        .send()
        .await;
    edited.ok(200);
    let org_path = format!("/v1/organisations/{org}");
    for res in [
        app.get(&format!("/v1/placements/{id}")).send().await,
        app.get(&format!("/v1/placements/{id}")).token(&coordinator).send().await,
        app.get(&format!("/v1/placements/{id}")).token(&admin).send().await,
        app.get("/v1/placements").send().await,
        app.get(&format!("/v1/placements?organisation_id={org}&status=published")).token(&coordinator).send().await,
        app.get(&org_path).send().await,
        app.get("/openapi.json").send().await,
        edited,
    ] {
        assert_eq!(res.status, 200);
        assert!(!res.text.contains(seed.as_str()), "the seed leaked: {}", res.text);
    }
}

#[actix_web::test]
async fn publishing_needs_the_preparation_fields() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let body = with(placement_body(&site), "/preparation", json!({"dress_code": "Smart"}));
    let draft = app.draft(&coordinator, &org, body).await;
    let id = draft["id"].as_str().unwrap();
    let res = app.post(&format!("/v1/placements/{id}/publish")).token(&coordinator).send().await;
    res.problem(422, "validation_failed");
    for field in [
        "what_you_will_do",
        "what_you_will_not_do",
        "arrival_instructions",
        "contact_role",
        "breaks_and_food",
        "travel_expenses",
        "support_available",
        "leads_to_job",
    ] {
        res.has_field_error(&format!("/preparation/{field}"), "required_to_publish");
    }
    assert!(!res.field_errors().iter().any(|(f, _)| f == "/preparation/dress_code"));
    let after = app.get(&format!("/v1/placements/{id}")).token(&coordinator).send().await;
    assert_eq!(after.ok(200)["status"], "draft");
    assert_eq!(after.body["version"], 1);
    let mut conn = app.store.pool().get().unwrap();
    let rows: Vec<SecretRow> = diesel::sql_query("SELECT seed FROM draw_secrets").load(&mut **conn).unwrap();
    assert!(rows.is_empty(), "a refused publish left a seed behind");
}

#[actix_web::test]
async fn in_person_placements_need_a_site_to_publish() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let draft = app.draft(&coordinator, &org, with(placement_body(&site), "/site_id", Value::Null)).await;
    let id = draft["id"].as_str().unwrap();
    let res = app.post(&format!("/v1/placements/{id}/publish")).token(&coordinator).send().await;
    res.has_field_error("/site_id", "required_to_publish");
    let online = with(with(placement_body(&site), "/site_id", Value::Null), "/delivery", json!("online"));
    let published = app.published(&coordinator, &org, online).await;
    assert_eq!(published["site"], Value::Null);
}

#[actix_web::test]
async fn a_placement_is_published_once() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let published = app.published(&coordinator, &org, placement_body(&site)).await;
    let id = published["id"].as_str().unwrap();
    let again = app.post(&format!("/v1/placements/{id}/publish")).token(&coordinator).send().await;
    again.problem(409, "not_a_draft");
    let now = app.get(&format!("/v1/placements/{id}")).send().await;
    assert_eq!(now.ok(200)["draw_commitment"], published["draw_commitment"], "the commitment never changes");
}

#[actix_web::test]
async fn eligibility_and_rules_freeze_once_applications_open() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let open = app.published(&coordinator, &org, placement_body(&site)).await;
    let path = format!("/v1/placements/{}", open["id"].as_str().unwrap());
    for patch in [
        json!({"eligibility": {"min_age": 18}}),
        json!({"priority_rules": []}),
        json!({"selection_method": "name_blind_review"}),
        json!({"opens_at": "2020-01-01T09:00:00Z"}),
        json!({"end_date": open["start_date"]}),
        json!({"offer_response_days": 7}),
    ] {
        let res = app.patch(&path).token(&coordinator).header("if-match", "\"v2\"").json(patch.clone()).send().await;
        res.problem(409, "frozen_once_open");
        assert!(!res.field_errors().is_empty(), "{patch}");
    }
    let after = app.get(&path).send().await;
    assert_eq!(after.ok(200)["version"], 2, "refused edits changed nothing");
    assert_eq!(after.body["eligibility"]["min_age"], 16);

    let res = app
        .patch(&path)
        .token(&coordinator)
        .header("if-match", "\"v2\"")
        .json(json!({"capacity": 6, "preparation": {"dress_code": "Scrubs are provided."}}))
        .send()
        .await;
    let body = res.ok(200);
    assert_eq!(body["capacity"], 6);
    assert_eq!(body["preparation"]["dress_code"], "Scrubs are provided.");
    assert_eq!(body["preparation"]["contact_role"], "Work experience coordinator", "merge patch keeps siblings");

    // Before opening, the same edits are allowed.
    let later = app.published(&coordinator, &org, placement_window(&site, 3, 30)).await;
    let later_path = format!("/v1/placements/{}", later["id"].as_str().unwrap());
    assert_eq!(later["open_for_applications"], false);
    let res = app
        .patch(&later_path)
        .token(&coordinator)
        .header("if-match", "\"v2\"")
        .json(json!({"eligibility": {"min_age": 18}, "priority_rules": []}))
        .send()
        .await;
    assert_eq!(res.ok(200)["eligibility"]["min_age"], 18);
    // A published placement must stay publishable.
    let res = app
        .patch(&later_path)
        .token(&coordinator)
        .header("if-match", "\"v3\"")
        .json(json!({"preparation": {"dress_code": null}}))
        .send()
        .await;
    res.has_field_error("/preparation/dress_code", "required_to_publish");
}

#[actix_web::test]
async fn edits_need_the_current_etag() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let draft = app.draft(&coordinator, &org, placement_body(&site)).await;
    let path = format!("/v1/placements/{}", draft["id"].as_str().unwrap());
    let change = json!({"title": "Changed"});
    app.patch(&path).token(&coordinator).json(change.clone()).send().await.problem(428, "precondition_required");
    app.patch(&path)
        .token(&coordinator)
        .header("if-match", "*")
        .json(change.clone())
        .send()
        .await
        .problem(428, "precondition_required");
    let ok = app.patch(&path).token(&coordinator).header("if-match", "\"v1\"").json(change.clone()).send().await;
    assert_eq!(ok.etag(), "\"v2\"");
    let stale = app
        .patch(&path)
        .token(&coordinator)
        .header("if-match", "\"v1\"")
        .json(json!({"title": "Lost update"}))
        .send()
        .await;
    stale.problem(412, "version_mismatch");
    app.patch(&path)
        .token(&coordinator)
        .header("if-match", "garbage")
        .json(change)
        .send()
        .await
        .problem(412, "version_mismatch");
    let now = app.get(&path).token(&coordinator).send().await;
    assert_eq!(now.ok(200)["title"], "Changed");
    assert_eq!(now.etag(), "\"v2\"");
    app.post(&format!("{path}/publish"))
        .token(&coordinator)
        .header("if-match", "\"v1\"")
        .send()
        .await
        .problem(412, "version_mismatch");
    assert_eq!(app.get(&path).token(&coordinator).send().await.ok(200)["status"], "draft");
    // Read-only fields are not part of the patch.
    let res = app
        .patch(&path)
        .token(&coordinator)
        .header("if-match", "\"v2\"")
        .json(json!({"status": "published"}))
        .send()
        .await;
    res.has_field_error("/status", "unknown_field");
    let res =
        app.patch(&path).token(&coordinator).header("if-match", "\"v2\"").json(json!({"capacity": null})).send().await;
    res.has_field_error("/capacity", "required");
}

#[actix_web::test]
async fn only_the_organisations_coordinators_may_create() {
    let app = spawn().await;
    let (org, _, site) = app.coordinated_organisation().await;
    let (_, other_coordinator, _) = app.coordinated_organisation().await;
    let path = format!("/v1/organisations/{org}/placements");
    app.post(&path).json(placement_body(&site)).send().await.problem(401, "unauthorized");
    let host = app.token("host", "host-1", Some(&org)).await;
    let analyst = app.token("analyst", "analyst-1", None).await;
    let advocate = app.token("advocate", "advocate-1", None).await;
    for token in [other_coordinator, host, analyst, advocate, app.applicant().await, app.admin().await] {
        app.post(&path)
            .token(&token)
            .json(placement_body(&site))
            .send()
            .await
            .problem(403, "coordinator_role_required");
    }
    let missing = format!("/v1/organisations/{}/placements", uuid::Uuid::now_v7());
    app.post(&missing).token(&app.admin().await).json(placement_body(&site)).send().await.problem(404, "not_found");
}

#[actix_web::test]
async fn nobody_else_can_touch_a_placement() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let (_, other_coordinator, _) = app.coordinated_organisation().await;
    let host = app.token("host", "host-2", Some(&org)).await;
    let draft = app.draft(&coordinator, &org, placement_body(&site)).await;
    let published = app.published(&coordinator, &org, placement_body(&site)).await;
    let outsiders = [other_coordinator, host, app.applicant().await, app.admin().await];
    for placement in [&draft, &published] {
        let path = format!("/v1/placements/{}", placement["id"].as_str().unwrap());
        let version = format!("\"v{}\"", placement["version"]);
        for token in &outsiders {
            let patch = app
                .patch(&path)
                .token(token)
                .header("if-match", &version)
                .json(json!({"title": "Hijacked"}))
                .send()
                .await;
            patch.problem(404, "not_found");
            app.post(&format!("{path}/publish")).token(token).send().await.problem(404, "not_found");
            let cancel = app.post(&format!("{path}/cancel")).token(token).json(json!({"reason": "No"})).send().await;
            cancel.problem(404, "not_found");
        }
        app.patch(&path)
            .header("if-match", &version)
            .json(json!({"title": "Hijacked"}))
            .send()
            .await
            .problem(401, "unauthorized");
        let now = app.get(&path).token(&coordinator).send().await;
        assert_eq!(now.ok(200)["title"], placement["title"]);
        assert_eq!(now.body["status"], placement["status"]);
        assert_eq!(now.body["version"], placement["version"]);
    }
}

#[actix_web::test]
async fn cancelling_needs_a_reason_and_happens_once() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let published = app.published(&coordinator, &org, placement_body(&site)).await;
    let path = format!("/v1/placements/{}", published["id"].as_str().unwrap());
    let res = app.post(&format!("{path}/cancel")).token(&coordinator).json(json!({"reason": "  "})).send().await;
    res.has_field_error("/reason", "length");
    assert_eq!(app.get(&path).send().await.ok(200)["status"], "published");
    let res = app
        .post(&format!("{path}/cancel"))
        .token(&coordinator)
        .json(json!({"reason": "The ward is closed."}))
        .send()
        .await;
    assert_eq!(res.ok(200)["status"], "cancelled");
    let public = app.get(&path).send().await;
    assert_eq!(public.ok(200)["cancellation_reason"], "The ward is closed.");
    assert_eq!(public.body["open_for_applications"], false);
    let again = app.post(&format!("{path}/cancel")).token(&coordinator).json(json!({"reason": "Again"})).send().await;
    again.problem(409, "placement_not_cancellable");
    let edit =
        app.patch(&path).token(&coordinator).header("if-match", "\"v3\"").json(json!({"title": "x"})).send().await;
    edit.problem(409, "placement_not_editable");
    assert_eq!(
        app.get("/v1/placements").send().await.ok(200)["items"],
        json!([]),
        "cancelled placements leave the default search"
    );
    let cancelled = app.get("/v1/placements?status=cancelled").send().await;
    assert_eq!(cancelled.ok(200)["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn drafts_are_listed_only_for_their_own_coordinators() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let (_, other_coordinator, _) = app.coordinated_organisation().await;
    let draft = app.draft(&coordinator, &org, placement_body(&site)).await;
    let path = format!("/v1/placements?status=draft&organisation_id={org}");
    let mine = app.get(&path).token(&coordinator).send().await;
    assert_eq!(mine.ok(200)["items"][0]["id"], draft["id"]);
    app.get(&path).send().await.problem(403, "drafts_need_own_organisation");
    app.get(&path).token(&other_coordinator).send().await.problem(403, "drafts_need_own_organisation");
    app.get("/v1/placements?status=draft")
        .token(&coordinator)
        .send()
        .await
        .problem(403, "drafts_need_own_organisation");
}

#[actix_web::test]
async fn creates_are_idempotent() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let path = format!("/v1/organisations/{org}/placements");
    let key = uuid::Uuid::new_v4().to_string();
    let body = placement_body(&site);
    let first = app.post(&path).token(&coordinator).header("idempotency-key", &key).json(body.clone()).send().await;
    first.ok(201);
    let retry = app.post(&path).token(&coordinator).header("idempotency-key", &key).json(body).send().await;
    assert_eq!(retry.ok(201)["id"], first.body["id"]);
    assert_eq!(retry.header("idempotent-replayed").as_deref(), Some("true"));
    assert_eq!(retry.header("location"), first.header("location"));
    assert_eq!(retry.etag(), first.etag());
    // Keys belong to their caller: another coordinator's same key is a new request.
    let other_coordinator = app.coordinator(&org).await;
    let theirs = app
        .post(&path)
        .token(&other_coordinator)
        .header("idempotency-key", &key)
        .json(placement_body(&site))
        .send()
        .await;
    assert_ne!(theirs.ok(201)["id"], first.body["id"]);
    let changed = with(placement_body(&site), "/title", json!("Another placement"));
    let other = app.post(&path).token(&coordinator).header("idempotency-key", &key).json(changed).send().await;
    other.problem(422, "idempotency_key_reused");
    let drafts =
        app.get(&format!("/v1/placements?status=draft&organisation_id={org}")).token(&coordinator).send().await;
    assert_eq!(drafts.ok(200)["items"].as_array().unwrap().len(), 2, "one placement per caller, however many retries");

    // A failed create frees its key for the corrected retry.
    let key = uuid::Uuid::new_v4().to_string();
    let bad = with(placement_body(&site), "/capacity", json!(0));
    app.post(&path)
        .token(&coordinator)
        .header("idempotency-key", &key)
        .json(bad)
        .send()
        .await
        .problem(422, "validation_failed");
    let good =
        app.post(&path).token(&coordinator).header("idempotency-key", &key).json(placement_body(&site)).send().await;
    good.ok(201);
    app.post(&path)
        .token(&coordinator)
        .header("idempotency-key", "bad key with spaces")
        .json(placement_body(&site))
        .send()
        .await
        .problem(400, "invalid_idempotency_key");
}

#[actix_web::test]
async fn idempotency_keys_are_forgotten_after_a_day() {
    use wex_domain::ports::{IdempotencyStore, Reservation};
    let app = spawn().await;
    let now = wex_domain::now();
    let yesterday = now - chrono::Duration::hours(25);
    assert_eq!(app.store.reserve_key("someone", "key-1", "first", yesterday).unwrap(), Reservation::Reserved);
    assert_eq!(app.store.reserve_key("someone", "key-1", "second", now).unwrap(), Reservation::Reserved);
    let again = app.store.reserve_key("someone", "key-1", "third", now).unwrap();
    assert_eq!(again, Reservation::Existing { request_hash: "second".into(), response: None });
}
