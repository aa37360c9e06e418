//! The API conventions: problem+json everywhere, request ids, limits, CORS, health.

use serde_json::json;

use crate::support::{Options, spawn, spawn_with};

#[actix_web::test]
async fn health_endpoints_answer() {
    let app = spawn().await;
    assert_eq!(app.get("/health/live").send().await.ok(200)["status"], "ok");
    assert_eq!(app.get("/health/ready").send().await.ok(200)["status"], "ready");
}

#[actix_web::test]
async fn unknown_routes_and_methods_are_problems() {
    let app = spawn().await;
    app.get("/v1/no-such-thing").send().await.problem(404, "not_found");
    app.get("/nowhere").send().await.problem(404, "not_found");
    let res = app.call(actix_web::http::Method::PUT, "/v1/reference-data/regions").send().await;
    assert!(res.status == 404 || res.status == 405, "{}", res.status);
    assert_eq!(res.header("content-type").as_deref(), Some("application/problem+json"));
}

#[actix_web::test]
async fn malformed_json_is_400_and_wrong_shapes_are_422_with_pointers() {
    let app = spawn().await;
    let admin = app.admin().await;
    let res = app.post("/v1/organisations").token(&admin).raw(b"{\"name\": ", "application/json").send().await;
    res.problem(400, "malformed_json");

    let res = app
        .post("/v1/organisations")
        .token(&admin)
        .json(json!({"name": "A", "kind": "nhs_trust", "region": "london", "colour": "blue"}))
        .send()
        .await;
    res.problem(422, "unknown_field");
    res.has_field_error("/colour", "unknown_field");

    let res = app.post("/v1/organisations").token(&admin).json(json!({"name": "A", "kind": "nhs_trust"})).send().await;
    res.problem(422, "required");
    res.has_field_error("/region", "required");

    let res = app
        .post("/v1/organisations")
        .token(&admin)
        .json(json!({"name": "A", "kind": "hospital", "region": "london"}))
        .send()
        .await;
    res.problem(422, "invalid_value");
    res.has_field_error("/kind", "invalid_value");

    let res = app.post("/v1/organisations").token(&admin).json(json!([1, 2])).send().await;
    res.problem(422, "invalid_value");

    let res =
        app.post("/v1/organisations").token(&admin).raw(b"name=A", "application/x-www-form-urlencoded").send().await;
    res.problem(415, "unsupported_media_type");
}

#[actix_web::test]
async fn bad_paths_and_query_strings_are_problems() {
    let app = spawn().await;
    app.get("/v1/placements/not-a-uuid").send().await.problem(400, "invalid_id");
    let res = app.get("/v1/placements?limit=0").send().await;
    res.problem(400, "invalid_limit");
    res.has_field_error("/limit", "invalid_limit");
    let res = app.get("/v1/placements?limit=101").send().await;
    res.problem(400, "invalid_limit");
    let res = app.get("/v1/placements?colour=blue").send().await;
    res.problem(400, "invalid_query_parameter");
    res.has_field_error("/colour", "invalid_query_parameter");
    let res = app.get("/v1/placements?specialty=astrology").send().await;
    res.has_field_error("/specialty", "invalid_query_parameter");
    let res = app.get("/v1/placements?cursor=bm90LWEtY3Vyc29y").send().await;
    res.problem(400, "invalid_cursor");
    let first = app.get("/v1/placements?limit=1").send().await.ok(200).clone();
    let empty = app.get("/v1/placements?limit=1&cursor=").send().await;
    assert_eq!(empty.ok(200), &first, "cursor= is the first page");
    let res = app.get(&format!("/v1/placements?q={}", "a".repeat(201))).send().await;
    res.has_field_error("/q", "invalid_query_parameter");
    let res = app.get("/v1/placements?start_from=tomorrow").send().await;
    res.has_field_error("/start_from", "invalid_query_parameter");
}

#[actix_web::test]
async fn oversized_bodies_are_413_and_nothing_is_written() {
    let app = spawn_with(Options { body_limit: 2048, ..Options::default() }).await;
    let admin = app.admin().await;
    let big = "x".repeat(4096);
    let res = app
        .post("/v1/organisations")
        .token(&admin)
        .json(json!({"name": "Big", "kind": "nhs_trust", "region": "london", "description": big}))
        .send()
        .await;
    res.problem(413, "payload_too_large");
    assert_eq!(app.get("/v1/organisations").send().await.ok(200)["items"], json!([]));
}

#[actix_web::test]
async fn request_ids_are_echoed_or_generated() {
    let app = spawn().await;
    let id = "0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b";
    let res = app.get("/health/live").header("x-request-id", id).header("x-correlation-id", "abc-123").send().await;
    assert_eq!(res.header("x-request-id").as_deref(), Some(id));
    assert_eq!(res.header("x-correlation-id").as_deref(), Some("abc-123"));
    let res =
        app.get("/v1/placements/0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b").header("x-request-id", "junk").send().await;
    let generated = res.header("x-request-id").unwrap();
    assert!(uuid::Uuid::parse_str(&generated).is_ok());
    assert_eq!(res.problem(404, "not_found")["request_id"], json!(generated));
}

#[actix_web::test]
async fn cors_allows_configured_origins_only() {
    let app = spawn().await;
    let res = app
        .call(actix_web::http::Method::OPTIONS, "/v1/placements")
        .header("origin", "https://frontend.example")
        .header("access-control-request-method", "GET")
        .send()
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.header("access-control-allow-origin").as_deref(), Some("https://frontend.example"));
    let res = app.get("/v1/placements").header("origin", "https://frontend.example").send().await;
    assert!(res.header("access-control-expose-headers").unwrap_or_default().contains("etag"));
    let res = app
        .call(actix_web::http::Method::OPTIONS, "/v1/placements")
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "GET")
        .send()
        .await;
    assert_eq!(res.header("access-control-allow-origin"), None);
    assert_eq!(res.header("content-type").as_deref(), Some("application/problem+json"));
}

#[actix_web::test]
async fn reference_data_lists_codes_with_descriptions() {
    let app = spawn().await;
    let groups = app.get("/v1/reference-data/user-groups").send().await;
    let items = groups.ok(200)["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 9);
    assert!(items.iter().all(|i| i["description"].as_str().is_some_and(|d| d.len() > 10)));
    for (path, count) in [
        ("specialties", 14),
        ("placement-kinds", 3),
        ("delivery-modes", 3),
        ("regions", 7),
        ("organisation-kinds", 6),
        ("priority-rules", 11),
    ] {
        let res = app.get(&format!("/v1/reference-data/{path}")).send().await;
        assert_eq!(res.ok(200)["items"].as_array().unwrap().len(), count, "{path}");
    }
    let rules = app.get("/v1/reference-data/priority-rules").send().await;
    assert!(rules.body["items"].as_array().unwrap().iter().any(|r| r["code"] == "user_group:prison_leavers"));
}

#[actix_web::test]
async fn docs_are_served_offline() {
    let app = spawn().await;
    // The client follows the redirect from /docs to /docs/.
    let res = app.get("/docs").send().await;
    assert_eq!(res.status, 200);
    assert!(res.text.contains("swagger"), "{}", &res.text[..res.text.len().min(200)]);
    let res = app.get("/docs/swagger-ui-bundle.js").send().await;
    assert_eq!(res.status, 200);
    assert!(res.text.len() > 100_000);
    let doc = app.get("/openapi.json").send().await;
    assert_eq!(doc.ok(200)["openapi"], "3.1.0");
    assert!(doc.text == wex_http::openapi::document(), "the document served is not the one committed");
    assert_eq!(doc.headers.get("content-type").unwrap(), "application/json");
}

#[actix_web::test]
async fn writes_are_rate_limited_per_caller() {
    let app = spawn_with(Options { writes_per_minute: 3, ..Options::default() }).await;
    // Minting counts as a write by the anonymous caller at this address: mint first.
    let admin = app.token("admin", "limited-admin", None).await;
    let other = app.token("admin", "other-admin", None).await;
    let create = |name: &str| json!({"name": name, "kind": "nhs_trust", "region": "london"});
    for i in 0..3 {
        let res = app.post("/v1/organisations").token(&admin).json(create(&format!("Org {i}"))).send().await;
        res.ok(201);
        assert_eq!(res.header("ratelimit-limit").as_deref(), Some("3"));
        assert_eq!(res.header("ratelimit-remaining"), Some((2 - i).to_string()));
    }
    let refused = app.post("/v1/organisations").token(&admin).json(create("Org 4")).send().await;
    refused.problem(429, "rate_limited");
    assert_eq!(refused.header("retry-after").as_deref(), Some("20"));
    assert_eq!(refused.header("ratelimit-remaining").as_deref(), Some("0"));
    app.post("/v1/organisations").token(&other).json(create("Theirs")).send().await.ok(201);
    let list = app.get("/v1/organisations").send().await;
    assert_eq!(
        list.ok(200)["items"].as_array().unwrap().len(),
        4,
        "reads are not limited; the refused write wrote nothing"
    );
}
