//! Equality monitoring: the applicant's own optional answers, and nobody else ever seeing them.

use serde_json::{Value, json};

use crate::support::{id, placement_body, profile_body, spawn, with};

const PATH: &str = "/v1/me/equality-monitoring";

#[actix_web::test]
async fn the_form_offers_prefer_not_to_say_everywhere() {
    let app = spawn().await;
    let res = app.get("/v1/equality-monitoring/form").send().await;
    let questions = res.ok(200)["questions"].as_array().unwrap().clone();
    assert!(questions.len() >= 10);
    for q in &questions {
        assert!(q["options"].as_array().unwrap().iter().any(|o| o["code"] == "prefer_not_to_say"), "{q}");
        assert!(q["why_we_ask"].as_str().unwrap().contains("Nobody who chooses"));
    }
    assert!(questions.iter().any(|q| q["code"] == "sexual_orientation" && q["sixteen_plus_only"] == true));
}

#[actix_web::test]
async fn an_applicant_gives_changes_and_deletes_their_answers() {
    let app = spawn().await;
    let (token, _) = app.applicant_with(profile_body(30)).await;
    app.get(PATH).token(&token).send().await.problem(404, "not_found");
    let put = |body: Value| app.call(actix_web::http::Method::PUT, PATH).token(&token).json(body);
    // An If-Match names a version: with no answers yet, any version is stale, and nothing is kept.
    put(json!({"answers": {"sex": "male"}})).header("if-match", "\"v3\"").send().await.problem(412, "version_mismatch");
    app.get(PATH).token(&token).send().await.problem(404, "not_found");
    let given = put(json!({"answers": {"sex": "female", "ethnicity": "prefer_not_to_say"}})).send().await;
    assert_eq!(given.ok(201)["answers"]["sex"], "female");
    assert_eq!(given.etag(), "\"v1\"");
    let changed = put(json!({"answers": {"sex": "prefer_not_to_say"}})).header("if-match", "\"v1\"").send().await;
    assert_eq!(changed.ok(200)["answers"], json!({"sex": "prefer_not_to_say"}));
    put(json!({"answers": {}})).header("if-match", "\"v1\"").send().await.problem(412, "version_mismatch");
    let bad = put(json!({"answers": {"religion": "jedi", "shoe_size": "9"}})).send().await;
    bad.problem(422, "validation_failed");
    bad.has_field_error("/answers/religion", "unknown_answer");
    bad.has_field_error("/answers/shoe_size", "unknown_question");
    assert_eq!(
        app.get(PATH).token(&token).send().await.ok(200)["answers"],
        json!({"sex": "prefer_not_to_say"}),
        "refusals changed nothing"
    );
    let other = app.applicant().await;
    app.get(PATH).token(&other).send().await.problem(404, "not_found");
    app.delete(PATH).token(&other).send().await.problem(404, "not_found");
    app.delete(PATH).token(&token).send().await.ok(204);
    app.get(PATH).token(&token).send().await.problem(404, "not_found");
    app.get(PATH).send().await.problem(401, "unauthorized");
}

#[actix_web::test]
async fn younger_applicants_are_not_asked_the_16_plus_questions_and_a_profile_comes_first() {
    let app = spawn().await;
    let (young, _) = app.applicant_with(profile_body(14)).await;
    let res = app
        .call(actix_web::http::Method::PUT, PATH)
        .token(&young)
        .json(json!({"answers": {"sexual_orientation": "prefer_not_to_say"}}))
        .send()
        .await;
    res.has_field_error("/answers/sexual_orientation", "asked_of_16_plus_only");
    let nobody = app.applicant().await;
    let res = app.call(actix_web::http::Method::PUT, PATH).token(&nobody).json(json!({"answers": {}})).send().await;
    res.problem(422, "profile_required");
}

#[actix_web::test]
async fn nobody_but_the_applicant_ever_sees_an_answer() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let placement = app.published(&coordinator, &org, with(placement_body(&site), "/capacity", json!(1))).await;
    let (token, _) = app.applicant_with(profile_body(30)).await;
    // A distinctive answer, to search every other response for.
    let distinctive = "white_gypsy_or_irish_traveller";
    app.call(actix_web::http::Method::PUT, PATH)
        .token(&token)
        .json(json!({"answers": {"ethnicity": distinctive}}))
        .send()
        .await
        .ok(201);
    let version = app.privacy_version().await;
    let a = app.apply(&token, &id(&placement), json!({"privacy_notice_version": version})).await.ok(201).clone();
    let p = format!("/v1/placements/{}", id(&placement));
    let mut seen = Vec::new();
    seen.push(app.get(&format!("{p}/applications")).token(&coordinator).send().await);
    app.post(&format!("{p}/close")).token(&coordinator).send().await.ok(200);
    seen.push(app.post(&format!("{p}/draw")).token(&coordinator).send().await);
    let detail = app.get(&format!("/v1/applications/{}", id(&a))).token(&token).send().await;
    app.post(&format!("/v1/offers/{}/accept", id(&detail.body["offer"]))).token(&token).send().await.ok(200);
    let host = app.token("host", "host-eq", Some(&org)).await;
    app.post(&format!("{p}/hosts")).token(&coordinator).json(json!({"subject": "host-eq"})).send().await.ok(201);
    seen.push(app.get(&format!("{p}/participants")).token(&coordinator).send().await);
    seen.push(app.get(&format!("{p}/participants")).token(&host).send().await);
    let admin = app.admin().await;
    let analyst = app.token("analyst", "analyst-eq", None).await;
    seen.push(app.get("/v1/audit-events?limit=100").token(&admin).send().await);
    seen.push(app.get(&p).token(&admin).send().await);
    seen.push(app.get(&format!("{p}/draw")).token(&analyst).send().await);
    seen.push(app.get("/v1/placements?status=allocated").token(&analyst).send().await);
    seen.push(app.get("/v1/sandbox/outbox?limit=100").send().await);
    for res in &seen {
        assert_eq!(res.status, 200, "{}", res.text);
        assert!(!res.text.contains(distinctive), "an equality answer leaked: {}", res.text);
    }
    // Only the applicant reads it back.
    assert_eq!(app.get(PATH).token(&token).send().await.ok(200)["answers"]["ethnicity"], distinctive);
    for other in [&coordinator, &host, &admin, &analyst] {
        app.get(PATH).token(other).send().await.problem(404, "not_found");
    }
}
