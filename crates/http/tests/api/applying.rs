//! Applicants: profiles, the explained form, applying with every refusal, the dashboard,
//! withdrawing, and who may see what.

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use wex_domain::ports::PlacementStore;

use crate::support::{Options, TestApp, id, placement_body, placement_window, profile_body, spawn, spawn_with, with};

/// An open placement for people aged 16 or over, with one required question: (coordinator, placement).
async fn open_placement(app: &TestApp) -> (String, Value) {
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let body = with(
        placement_body(&site),
        "/questions",
        json!([{"text": "What would you like to see?", "why_we_ask": "To plan your week.", "required": true, "max_length": 50}]),
    );
    let placement = app.published(&coordinator, &org, body).await;
    (coordinator, placement)
}

async fn apply_ok(app: &TestApp, token: &str, placement: &Value) -> Value {
    let version = app.privacy_version().await;
    let body = json!({"privacy_notice_version": version, "answers": [{"question": 0, "answer": "The gym."}]});
    app.apply(token, &id(placement), body).await.ok(201).clone()
}

#[actix_web::test]
async fn a_profile_is_created_then_replaced_with_if_match() {
    let app = spawn().await;
    let token = app.applicant().await;
    app.get("/v1/me/profile").token(&token).send().await.problem(404, "not_found");
    let put = |body: Value| app.call(actix_web::http::Method::PUT, "/v1/me/profile").token(&token).json(body);
    let created = put(profile_body(15)).send().await;
    assert_eq!(created.ok(201)["postcode"], "SO16 6YD");
    assert_eq!(created.etag(), "\"v1\"");
    assert_eq!(created.header("location").as_deref(), Some("/v1/me/profile"));
    put(profile_body(15)).send().await.problem(428, "precondition_required");
    let changed = with(profile_body(15), "/preferred_name", json!("Jojo"));
    let replaced = put(changed.clone()).header("if-match", "\"v1\"").send().await;
    assert_eq!(replaced.ok(200)["preferred_name"], "Jojo");
    assert_eq!(replaced.etag(), "\"v2\"");
    put(profile_body(15)).header("if-match", "\"v1\"").send().await.problem(412, "version_mismatch");
    assert_eq!(app.get("/v1/me/profile").token(&token).send().await.ok(200)["preferred_name"], "Jojo");
    // Another person's token never reaches this profile.
    let other = app.applicant().await;
    app.get("/v1/me/profile").token(&other).send().await.problem(404, "not_found");
    app.get("/v1/me/profile").send().await.problem(401, "unauthorized");
}

#[actix_web::test]
async fn bad_profiles_are_refused_with_their_fields_and_not_stored() {
    let app = spawn().await;
    let token = app.applicant().await;
    let today = Utc::now().date_naive();
    let cases = [
        (with(profile_body(15), "/email", json!("jo at example")), "/email", "email"),
        (with(profile_body(15), "/postcode", json!("Southampton")), "/postcode", "invalid_postcode"),
        (with(profile_body(15), "/postcode", Value::Null), "/postcode", "required"),
        (
            with(profile_body(15), "/date_of_birth", json!((today + Duration::days(1)).to_string())),
            "/date_of_birth",
            "in_future",
        ),
        (
            with(profile_body(15), "/date_of_birth", json!((today - Duration::days(365 * 12)).to_string())),
            "/date_of_birth",
            "too_young",
        ),
        (with(profile_body(15), "/phone", json!("ring me")), "/phone", "invalid_phone"),
        (with(profile_body(15), "/support_worker/email", json!("sam")), "/support_worker/email", "email"),
        (with(profile_body(15), "/user_groups", json!(["astronauts"])), "/user_groups/0", "invalid_value"),
    ];
    for (body, field, code) in cases {
        let res = app.call(actix_web::http::Method::PUT, "/v1/me/profile").token(&token).json(body).send().await;
        assert_eq!(res.status, 422, "{field}: {}", res.text);
        res.has_field_error(field, code);
    }
    let both = json!({"email": "a@example.org", "date_of_birth": "2000-01-01", "postcode": "SO16 6YD", "no_fixed_address": true});
    let res = app.call(actix_web::http::Method::PUT, "/v1/me/profile").token(&token).json(both).send().await;
    res.has_field_error("/postcode", "not_with_no_fixed_address");
    app.get("/v1/me/profile").token(&token).send().await.problem(404, "not_found");
    // The minimum is enough: email, date of birth, and no fixed address.
    let minimum = json!({"email": "a@example.org", "date_of_birth": "2000-01-01", "no_fixed_address": true});
    app.call(actix_web::http::Method::PUT, "/v1/me/profile").token(&token).json(minimum).send().await.ok(201);
}

#[actix_web::test]
async fn the_privacy_notice_and_the_form_explain_themselves() {
    let app = spawn().await;
    let notice = app.get("/v1/privacy-notice").send().await;
    assert!(notice.ok(200)["summary"].as_array().unwrap().len() >= 3);
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let body = with(placement_body(&site), "/eligibility/catchment", json!(["SO16"]));
    let body = with(body, "/questions", json!([{"text": "Why nursing?", "why_we_ask": "To plan.", "required": false}]));
    let placement = app.published(&coordinator, &org, body).await;
    let form = app.get(&format!("/v1/placements/{}/application-form", id(&placement))).send().await;
    let form = form.ok(200);
    assert_eq!(form["privacy_notice_version"], notice.body["version"]);
    let fields = form["fields"].as_array().unwrap();
    for f in fields {
        for key in ["why_we_ask", "who_sees_it", "kept_for", "label"] {
            assert!(f[key].as_str().is_some_and(|t| !t.is_empty()), "{f}");
        }
        assert!(f["required"].is_boolean());
    }
    let field = |name: &str| fields.iter().find(|f| f["field"] == name).unwrap_or_else(|| panic!("{name}")).clone();
    assert_eq!(field("profile/date_of_birth")["required"], true);
    assert_eq!(field("profile/care_experienced")["required"], false);
    assert!(field("profile/care_experienced")["why_we_ask"].as_str().unwrap().contains("never counts against you"));
    assert_eq!(field("application/can_travel")["required_when"], "you have no fixed address");
    let question = field("application/answers/0");
    assert_eq!(question["label"], "Why nursing?");
    assert!(question["guidance"].as_str().unwrap().contains("name"));
    assert!(form["not_asked"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().contains("criminal record")));
    assert!(form["who_can_apply"].as_str().unwrap().contains("SO16"));
    // Drafts stay private.
    let draft = app.draft(&coordinator, &org, placement_body(&site)).await;
    app.get(&format!("/v1/placements/{}/application-form", id(&draft))).send().await.problem(404, "not_found");
}

#[actix_web::test]
async fn applying_gives_a_ticket_a_date_a_history_and_messages() {
    let app = spawn().await;
    let (_, placement) = open_placement(&app).await;
    let (token, _) = app.applicant_with(profile_body(30)).await;
    let version = app.privacy_version().await;
    let body = json!({"privacy_notice_version": version, "answers": [{"question": 0, "answer": "The gym."}]});
    let res = app.apply(&token, &id(&placement), body).await;
    let a = res.ok(201).clone();
    assert_eq!(res.header("location"), Some(format!("/v1/applications/{}", id(&a))));
    assert_eq!(a["status"], "submitted");
    assert_eq!(uuid::Uuid::parse_str(a["ticket"].as_str().unwrap()).unwrap().get_version_num(), 4);
    assert_eq!(a["outcome_expected_by"], placement["outcome_by"]);
    assert_eq!(a["submitted_by"], "applicant");
    assert_eq!(a["privacy_notice_version"], json!(version));
    assert_eq!(a["history"].as_array().unwrap().len(), 1);
    assert!(a["what_happens_next"].as_str().unwrap().contains("draw"));

    let mine = app.get("/v1/me/applications").token(&token).send().await;
    assert_eq!(mine.ok(200)["items"][0]["ticket"], a["ticket"]);
    let detail = app.get(&format!("/v1/applications/{}", id(&a))).token(&token).send().await;
    assert_eq!(detail.ok(200)["history"][0]["to"], "submitted");
    assert_eq!(detail.body["placement"]["title"], placement["title"]);
    // Applying answers from what it knew, without reading the application back: the same
    // application, read back, is exactly what it answered.
    assert_eq!(detail.body, a);

    let outbox = app.outbox().await;
    let templates: Vec<(&str, &str)> =
        outbox.iter().map(|n| (n["template"].as_str().unwrap(), n["recipient"].as_str().unwrap())).collect();
    assert_eq!(
        templates,
        vec![
            ("application_received", "jo.bloggs@example.org"),
            ("support_worker_named", "sam.okafor@support.example.org")
        ]
    );
    assert!(outbox[0]["body"].as_str().unwrap().contains(a["ticket"].as_str().unwrap()));
}

/// Applying with `body` is refused with `status` and `code`, and nothing is written.
async fn refused(app: &TestApp, token: &str, placement: &Value, body: Value, status: u16, code: &str) {
    let before = app.outbox().await.len();
    let res = app.apply(token, &id(placement), body).await;
    res.problem(status, code);
    let mine = app.get("/v1/me/applications").token(token).send().await;
    assert_eq!(mine.ok(200)["items"], json!([]), "a refused application was stored");
    assert_eq!(app.outbox().await.len(), before, "a refused application sent messages");
}

#[actix_web::test]
async fn each_refusal_has_its_own_code() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let version = app.privacy_version().await;
    let ok = json!({"privacy_notice_version": version, "answers": []});
    let (adult, _) = app.applicant_with(profile_body(30)).await;

    let later = app.published(&coordinator, &org, placement_window(&site, 3, 30)).await;
    refused(&app, &adult, &later, ok.clone(), 409, "applications_not_open").await;

    let no_profile = app.applicant().await;
    let open = app.published(&coordinator, &org, placement_body(&site)).await;
    refused(&app, &no_profile, &open, ok.clone(), 422, "profile_required").await;
    refused(&app, &adult, &open, json!({"privacy_notice_version": "2001-01-01"}), 422, "privacy_notice_not_accepted")
        .await;

    let (young, _) = app.applicant_with(profile_body(14)).await;
    refused(&app, &young, &open, ok.clone(), 422, "age_not_eligible").await;

    let pupils = with(placement_body(&site), "/eligibility/user_groups", json!(["school_pupils_14_16"]));
    let pupils = app.published(&coordinator, &org, pupils).await;
    refused(&app, &adult, &pupils, ok.clone(), 422, "user_group_not_eligible").await;

    let local =
        app.published(&coordinator, &org, with(placement_body(&site), "/eligibility/catchment", json!(["M1"]))).await;
    refused(&app, &adult, &local, ok.clone(), 422, "outside_catchment").await;
    let homeless = json!({"email": "h@example.org", "date_of_birth": "1990-01-01", "no_fixed_address": true});
    let (homeless, _) = app.applicant_with(homeless).await;
    refused(&app, &homeless, &local, ok.clone(), 422, "travel_confirmation_required").await;
    let travels = json!({"privacy_notice_version": version, "can_travel": true});
    app.apply(&homeless, &id(&local), travels).await.ok(201);

    let unanswered = with(
        placement_body(&site),
        "/questions",
        json!([{"text": "Why?", "why_we_ask": "To plan.", "required": true, "max_length": 10}]),
    );
    let asks = app.published(&coordinator, &org, unanswered).await;
    let res = app.apply(&adult, &id(&asks), ok.clone()).await;
    res.has_field_error("/answers", "answer_required");
    let long =
        json!({"privacy_notice_version": version, "answers": [{"question": 0, "answer": "far too long an answer"}]});
    app.apply(&adult, &id(&asks), long).await.has_field_error("/answers/0/answer", "too_long");
    let unknown = json!({"privacy_notice_version": version, "answers": [{"question": 0, "answer": "ok"}, {"question": 3, "answer": "?"}]});
    app.apply(&adult, &id(&asks), unknown).await.has_field_error("/answers/1/question", "unknown_question");

    // Closed: the window is moved into the past in storage.
    let closing = app.published(&coordinator, &org, placement_body(&site)).await;
    let pid = uuid::Uuid::parse_str(&id(&closing)).unwrap();
    let mut stored = app.store.placement(pid).unwrap();
    stored.details.opens_at = Utc::now() - Duration::days(10);
    stored.details.closes_at = Utc::now() - Duration::hours(1);
    let v = stored.version;
    stored.version += 1;
    app.store.update_placement(&stored, v).unwrap();
    refused(&app, &adult, &closing, ok.clone(), 409, "applications_closed").await;

    app.apply(&adult, &id(&open), ok.clone()).await.ok(201);
    app.apply(&adult, &id(&open), ok).await.problem(409, "already_applied");
    let mine = app.get("/v1/me/applications").token(&adult).send().await;
    assert_eq!(mine.ok(200)["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn the_number_of_active_applications_is_capped() {
    let app = spawn_with(Options { active_application_cap: 2, ..Options::default() }).await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let (token, _) = app.applicant_with(profile_body(30)).await;
    let body = json!({"privacy_notice_version": app.privacy_version().await});
    let mut placements = Vec::new();
    for _ in 0..3 {
        placements.push(app.published(&coordinator, &org, placement_body(&site)).await);
    }
    let first = app.apply(&token, &id(&placements[0]), body.clone()).await.ok(201).clone();
    app.apply(&token, &id(&placements[1]), body.clone()).await.ok(201);
    app.apply(&token, &id(&placements[2]), body.clone()).await.problem(409, "too_many_active_applications");
    // Withdrawing frees a place under the cap.
    app.post(&format!("/v1/applications/{}/withdraw", id(&first))).token(&token).json(json!({})).send().await.ok(200);
    app.apply(&token, &id(&placements[2]), body).await.ok(201);
}

#[actix_web::test]
async fn two_identical_applications_at_once_make_one() {
    let app = spawn().await;
    let (_, placement) = open_placement(&app).await;
    let (token, _) = app.applicant_with(profile_body(30)).await;
    let body =
        json!({"privacy_notice_version": app.privacy_version().await, "answers": [{"question": 0, "answer": "x"}]});
    let (a, b) = futures_util::future::join(
        app.apply(&token, &id(&placement), body.clone()),
        app.apply(&token, &id(&placement), body),
    )
    .await;
    let mut statuses = vec![a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, vec![201, 409], "{} / {}", a.text, b.text);
    let loser = if a.status == 409 { &a } else { &b };
    loser.problem(409, "already_applied");
    let mine = app.get("/v1/me/applications").token(&token).send().await;
    assert_eq!(mine.ok(200)["items"].as_array().unwrap().len(), 1);
    let received = app.outbox().await.iter().filter(|n| n["template"] == "application_received").count();
    assert_eq!(received, 1);
}

#[actix_web::test]
async fn applying_is_idempotent() {
    let app = spawn().await;
    let (_, placement) = open_placement(&app).await;
    let (token, _) = app.applicant_with(profile_body(30)).await;
    let body =
        json!({"privacy_notice_version": app.privacy_version().await, "answers": [{"question": 0, "answer": "x"}]});
    let path = format!("/v1/placements/{}/applications", id(&placement));
    let first = app.post(&path).token(&token).header("idempotency-key", "apply-1").json(body.clone()).send().await;
    let again = app.post(&path).token(&token).header("idempotency-key", "apply-1").json(body).send().await;
    assert_eq!(again.ok(201)["id"], first.ok(201)["id"]);
    assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
}

#[actix_web::test]
async fn withdrawing_is_recorded_and_happens_once() {
    let app = spawn().await;
    let (_, placement) = open_placement(&app).await;
    let (token, _) = app.applicant_with(profile_body(30)).await;
    let a = apply_ok(&app, &token, &placement).await;
    let path = format!("/v1/applications/{}/withdraw", id(&a));
    let long = json!({"reason": "x".repeat(1001)});
    app.post(&path).token(&token).json(long).send().await.problem(422, "validation_failed");
    let res = app.post(&path).token(&token).json(json!({"reason": "Found another placement."})).send().await;
    let w = res.ok(200);
    assert_eq!(w["status"], "withdrawn");
    let history = w["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1]["from"], "submitted");
    assert_eq!(history[1]["reason"], "Found another placement.");
    app.post(&path).token(&token).json(json!({})).send().await.problem(409, "not_withdrawable");
    let withdrawn = app.outbox().await.iter().filter(|n| n["template"] == "application_withdrawn").count();
    assert_eq!(withdrawn, 2, "the applicant and the support worker are told");
}

#[actix_web::test]
async fn nobody_else_sees_or_changes_an_application() {
    let app = spawn().await;
    let (coordinator, placement) = open_placement(&app).await;
    let (token, _) = app.applicant_with(profile_body(30)).await;
    let a = apply_ok(&app, &token, &placement).await;
    let (other, _) = app.applicant_with(profile_body(30)).await;
    let org = placement["organisation_id"].as_str().unwrap();
    let host = app.token("host", "host-x", Some(org)).await;
    let path = format!("/v1/applications/{}", id(&a));
    for t in [&other, &coordinator, &host, &app.admin().await, &app.token("analyst", "an", None).await] {
        app.get(&path).token(t).send().await.problem(404, "not_found");
        app.post(&format!("{path}/withdraw")).token(t).json(json!({})).send().await.problem(404, "not_found");
    }
    app.get(&path).send().await.problem(401, "unauthorized");
    assert_eq!(app.get("/v1/me/applications").token(&other).send().await.ok(200)["items"], json!([]));
    assert_eq!(app.get(&path).token(&token).send().await.ok(200)["status"], "submitted");
}

#[actix_web::test]
async fn coordinators_see_their_applications_name_blind() {
    let app = spawn().await;
    let (coordinator, placement) = open_placement(&app).await;
    let (token, profile) = app.applicant_with(profile_body(30)).await;
    let a = apply_ok(&app, &token, &placement).await;
    let (token2, _) = app.applicant_with(profile_body(40)).await;
    let b = apply_ok(&app, &token2, &placement).await;
    app.post(&format!("/v1/applications/{}/withdraw", id(&b))).token(&token2).json(json!({})).send().await.ok(200);

    let path = format!("/v1/placements/{}/applications", id(&placement));
    let res = app.get(&path).token(&coordinator).send().await;
    let body = res.ok(200);
    assert_eq!(body["counts"], json!({"submitted": 1, "withdrawn": 1}));
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["ticket"], a["ticket"]);
    assert_eq!(items[0]["meets_age_rule"], true);
    assert_eq!(items[0]["answers"][0]["answer"], "The gym.");
    // No identity field, and no identity value anywhere in the response.
    for item in items {
        for key in ["email", "preferred_name", "phone", "date_of_birth", "postcode", "support_worker", "profile_id"] {
            assert!(item.get(key).is_none(), "{key} exposed");
        }
    }
    for value in [
        &profile["email"],
        &profile["preferred_name"],
        &profile["phone"],
        &profile["date_of_birth"],
        &profile["postcode"],
        &profile["support_worker"]["email"],
        &profile["support_worker"]["name"],
        &profile["id"],
    ] {
        assert!(!res.text.contains(value.as_str().unwrap()), "{value} exposed to the coordinator");
    }
    // Paging keeps the counts and links onwards.
    let first = app.get(&format!("{path}?limit=1")).token(&coordinator).send().await;
    assert!(first.header("link").unwrap().contains("cursor="));
    assert_eq!(first.body["counts"]["submitted"], 1);

    let (_, other_coordinator, _) = app.coordinated_organisation().await;
    let org = placement["organisation_id"].as_str().unwrap();
    let host = app.token("host", "host-y", Some(org)).await;
    for t in [other_coordinator, host, token, app.admin().await] {
        app.get(&path).token(&t).send().await.problem(404, "not_found");
    }
    app.get(&path).send().await.problem(401, "unauthorized");
}

#[actix_web::test]
async fn a_placement_asks_at_most_five_questions_fixed_once_open() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let q = json!({"text": "Why?", "why_we_ask": "To plan."});
    let six = with(placement_body(&site), "/questions", json!([q, q, q, q, q, q]));
    let res = app.post(&format!("/v1/organisations/{org}/placements")).token(&coordinator).json(six).send().await;
    res.has_field_error("/questions", "too_many_questions");
    let no_reason = with(placement_body(&site), "/questions", json!([{"text": "Why?", "why_we_ask": " "}]));
    let res = app.post(&format!("/v1/organisations/{org}/placements")).token(&coordinator).json(no_reason).send().await;
    res.has_field_error("/questions/0/why_we_ask", "required");
    let (_, open) = open_placement(&app).await;
    let owner = app.coordinator(open["organisation_id"].as_str().unwrap()).await;
    let res = app
        .patch(&format!("/v1/placements/{}", id(&open)))
        .token(&owner)
        .header("if-match", "\"v2\"")
        .json(json!({"questions": []}))
        .send()
        .await;
    res.problem(409, "frozen_once_open");
    res.has_field_error("/questions", "frozen_once_open");
}

#[actix_web::test]
async fn the_cap_holds_when_applications_arrive_at_once() {
    let app = spawn_with(Options { active_application_cap: 1, ..Options::default() }).await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let first = app.published(&coordinator, &org, placement_body(&site)).await;
    let second = app.published(&coordinator, &org, placement_body(&site)).await;
    let (token, _) = app.applicant_with(profile_body(30)).await;
    let body = json!({"privacy_notice_version": app.privacy_version().await});
    let (a, b) =
        futures_util::future::join(app.apply(&token, &id(&first), body.clone()), app.apply(&token, &id(&second), body))
            .await;
    let mut statuses = vec![a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, vec![201, 409], "{} / {}", a.text, b.text);
    let refused = if a.status == 409 { &a } else { &b };
    refused.problem(409, "too_many_active_applications");
    let mine = app.get("/v1/me/applications").token(&token).send().await;
    assert_eq!(mine.ok(200)["items"].as_array().unwrap().len(), 1);
}
