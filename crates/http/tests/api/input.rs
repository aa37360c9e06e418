//! Input every endpoint refuses, checked once for all of them: control characters, invisible text
//! and bidi controls in JSON, duplicate members, control characters in paths and query strings,
//! non-canonical ids, and methods a path does not serve.

use actix_web::http::Method;
use serde_json::{Value, json};

use crate::support::{TestApp, id, placement_body, site_body, spawn, with};

async fn organisation_count(app: &TestApp, admin: &str) -> usize {
    app.get("/v1/organisations?limit=100").token(admin).send().await.ok(200)["items"].as_array().unwrap().len()
}

#[actix_web::test]
async fn control_characters_in_json_are_refused_naming_the_field_and_nothing_is_stored() {
    let app = spawn().await;
    let admin = app.admin().await;
    let before = organisation_count(&app, &admin).await;
    for (name, code) in [
        ("Trust\u{0}", "control_character"),
        ("Trust\u{7}", "control_character"),
        ("Trust\u{85}", "control_character"),
        ("Two\nlines", "control_character"),
        ("Tab\there", "control_character"),
    ] {
        let res = app
            .post("/v1/organisations")
            .token(&admin)
            .json(json!({"name": name, "kind": "nhs_trust", "region": "london"}))
            .send()
            .await;
        res.problem(422, "validation_failed");
        res.has_field_error("/name", code);
    }
    assert_eq!(organisation_count(&app, &admin).await, before, "nothing was stored");

    // Deep in a body, in an array, and in a member name.
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let drafts = format!("/v1/organisations/{org}/placements");
    let nul = with(placement_body(&site), "/preparation/dress_code", json!("Scrubs\u{0}"));
    let res = app.post(&drafts).token(&coordinator).json(nul).send().await;
    res.problem(422, "validation_failed");
    res.has_field_error("/preparation/dress_code", "control_character");
    let questions = json!([{"text": "Why\u{0}?", "why_we_ask": "To plan."}]);
    let res =
        app.post(&drafts).token(&coordinator).json(with(placement_body(&site), "/questions", questions)).send().await;
    res.has_field_error("/questions/0/text", "control_character");
    let res = app
        .post("/v1/organisations")
        .token(&admin)
        .json(json!({"name": "A", "kind": "nhs_trust", "region": "london", "x\u{0}": 1}))
        .send()
        .await;
    res.problem(422, "validation_failed");
    res.has_field_error("/x\u{0}", "control_character");
    let res = app.post("/v1/sandbox/tokens").json(json!({"role": "applicant", "subject": "someone\u{0}"})).send().await;
    res.has_field_error("/subject", "control_character");

    // Tab, CR and LF stay allowed in multi-line fields, and are kept as sent.
    let prose = "See how physiotherapists work.\r\n\r\n\tMonday: the ward.\nTuesday: clinic.";
    let draft = app.draft(&coordinator, &org, with(placement_body(&site), "/description", json!(prose))).await;
    assert_eq!(draft["description"], prose);
    let fetched = app.get(&format!("/v1/placements/{}", id(&draft))).token(&coordinator).send().await;
    assert_eq!(fetched.ok(200)["description"], prose);

    // A merge patch is a JSON body like any other.
    let path = format!("/v1/placements/{}", id(&draft));
    let etag = fetched.etag();
    let res =
        app.patch(&path).token(&coordinator).header("if-match", &etag).json(json!({"title": "Ward\u{0}"})).send().await;
    res.problem(422, "validation_failed");
    res.has_field_error("/title", "control_character");
    let res = app.get(&path).token(&coordinator).send().await;
    assert_eq!(res.ok(200)["title"], draft["title"], "the refused patch wrote nothing");
}

#[actix_web::test]
async fn control_characters_in_query_strings_and_paths_are_400() {
    let app = spawn().await;
    for query in ["q=%00", "q=ward%00", "q=%1B%5B31m", "specialty=%00"] {
        let res = app.get(&format!("/v1/placements?{query}")).send().await;
        res.problem(400, "invalid_query_parameter");
        let field = format!("/{}", query.split('=').next().unwrap());
        res.has_field_error(&field, "invalid_query_parameter");
    }
    app.get("/v1/certificates/%00").send().await.problem(400, "invalid_path");
    app.get("/v1/certificates/ABC%0ADEF").send().await.problem(400, "invalid_path");
    app.get("/v1/certificates/ABCDEFGHJKLM").send().await.problem(404, "not_found");
    // An empty cursor is the first page, as the document allows (it was 400 invalid_cursor).
    let first = app.get("/v1/placements?limit=5").send().await;
    let empty = app.get("/v1/placements?limit=5&cursor=").send().await;
    assert_eq!(empty.ok(200)["items"], first.ok(200)["items"]);
    // Unknown paths stay 404 whatever they hold.
    app.get("/v1/no-such-thing/%00").send().await.problem(404, "not_found");
}

#[actix_web::test]
async fn text_without_a_visible_character_or_with_bidi_controls_is_refused() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let drafts = format!("/v1/organisations/{org}/placements");
    let cases = [
        ("/title", json!("\u{200B}\u{200B}"), "required"),
        ("/title", json!("\u{FEFF}"), "required"),
        ("/title", json!("\u{00A0}\u{2060}\u{3000}"), "required"),
        ("/title", json!("Ward visit \u{202E}fdp.exe"), "bidi_control"),
        ("/description", json!("\u{2066}hidden\u{2069}"), "bidi_control"),
        ("/preparation/dress_code", json!("\u{200B} \u{200C}"), "required"),
    ];
    for (field, value, code) in cases {
        let res = app.post(&drafts).token(&coordinator).json(with(placement_body(&site), field, value)).send().await;
        res.problem(422, "validation_failed");
        res.has_field_error(field, code);
    }
    let site_path = format!("/v1/organisations/{org}/sites");
    let res = app
        .post(&site_path)
        .token(&coordinator)
        .json(with(site_body(), "/travel_notes", json!(" \u{200B}")))
        .send()
        .await;
    res.has_field_error("/travel_notes", "required");
    let list = app.get(&format!("/v1/placements?organisation_id={org}&status=draft")).token(&coordinator).send().await;
    assert_eq!(list.ok(200)["items"], json!([]), "nothing was stored");

    // Text in any script, with joiners or right-to-left marks inside visible text, is fine.
    let title = "Ysbyty Gwynedd \u{2013} \u{05DE}\u{05D7}\u{05DC}\u{05E7}\u{200F} \u{1F469}\u{200D}\u{2695}\u{FE0F}";
    let draft = app.draft(&coordinator, &org, with(placement_body(&site), "/title", json!(title))).await;
    assert_eq!(draft["title"], title);
}

/// A JSON text with `extra` (`"name": value` pairs) placed first in the object `body`.
fn with_first(body: &Value, extra: &str) -> Vec<u8> {
    let text = body.to_string();
    format!("{{{extra},{}", &text[1..]).into_bytes()
}

#[actix_web::test]
async fn duplicate_members_are_400_at_any_depth() {
    let app = spawn().await;
    let admin = app.admin().await;
    let res = app
        .post("/v1/organisations")
        .token(&admin)
        .raw(br#"{"name": "A", "kind": "nhs_trust", "region": "london", "name": "B"}"#, "application/json")
        .send()
        .await;
    res.problem(400, "duplicate_key");
    res.has_field_error("/name", "duplicate_key");

    let (org, coordinator, site) = app.coordinated_organisation().await;
    let drafts = format!("/v1/organisations/{org}/placements");
    let body = with(placement_body(&site), "/capacity", json!(2));
    let res = app
        .post(&drafts)
        .token(&coordinator)
        .raw(&with_first(&body, r#""capacity": 999"#), "application/json")
        .send()
        .await;
    res.problem(400, "duplicate_key");
    res.has_field_error("/capacity", "duplicate_key");
    let mut nested = body.clone();
    nested["preparation"] = json!({});
    let text = nested
        .to_string()
        .replace(r#""preparation":{}"#, r#""preparation":{"paid":false,"dress_code":"Scrubs","paid":true}"#);
    let res = app.post(&drafts).token(&coordinator).raw(text.as_bytes(), "application/json").send().await;
    res.problem(400, "duplicate_key");
    res.has_field_error("/preparation/paid", "duplicate_key");
    let list = app.get(&format!("/v1/placements?organisation_id={org}&status=draft")).token(&coordinator).send().await;
    assert_eq!(list.ok(200)["items"], json!([]), "nothing was stored");
}

#[actix_web::test]
async fn path_ids_are_only_the_canonical_lowercase_hyphenated_form() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let draft = app.draft(&coordinator, &org, placement_body(&site)).await;
    let canonical = id(&draft);
    app.get(&format!("/v1/placements/{canonical}")).token(&coordinator).send().await.ok(200);
    let simple = canonical.replace('-', "");
    for other in [
        canonical.to_uppercase(),
        simple.clone(),
        simple.to_uppercase(),
        format!("%7B{canonical}%7D"),
        format!("urn:uuid:{canonical}"),
    ] {
        let res = app.get(&format!("/v1/placements/{other}")).token(&coordinator).send().await;
        res.problem(400, "invalid_id");
        let res = app.post(&format!("/v1/placements/{other}/publish")).token(&coordinator).send().await;
        res.problem(400, "invalid_id");
        let res = app.get(&format!("/v1/organisations/{}/sites", org.to_uppercase())).token(&coordinator).send().await;
        res.problem(400, "invalid_id");
    }
    let res = app.get(&format!("/v1/placements/{canonical}")).token(&coordinator).send().await;
    assert_eq!(res.ok(200)["status"], "draft", "the refused publish did nothing");
}

#[actix_web::test]
async fn methods_a_path_does_not_serve_are_405_with_allow() {
    let app = spawn().await;
    let some_id = "0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b";
    let cases = [
        (Method::TRACE, "/v1/placements".to_string(), "GET"),
        (Method::TRACE, format!("/v1/placements/{some_id}"), "GET, PATCH"),
        (Method::DELETE, format!("/v1/placements/{some_id}"), "GET, PATCH"),
        (Method::PUT, "/v1/reference-data/regions".to_string(), "GET"),
        (Method::GET, format!("/v1/offers/{some_id}/accept"), "POST"),
        (Method::OPTIONS, "/v1/me/profile".to_string(), "GET, PUT"),
        (Method::TRACE, "/health/live".to_string(), "GET"),
    ];
    for (method, path, allow) in cases {
        let res = app.call(method.clone(), &path).send().await;
        res.problem(405, "method_not_allowed");
        assert_eq!(res.header("allow").as_deref(), Some(allow), "{method} {path}");
    }
    let res = app.call(Method::TRACE, "/v1/no-such-thing").send().await;
    res.problem(404, "not_found");
    assert!(res.header("allow").is_none());
    app.call(Method::TRACE, "/nowhere").send().await.problem(404, "not_found");
}
