//! `GET /metrics`: requests counted by route pattern (never by path), the pool's gauges, and the
//! backlogs read from the database at each scrape, each seen to rise and fall with the real work;
//! and who may scrape.

use std::sync::Arc;

use serde_json::json;
use uuid::Uuid;
use wex_domain::ports::Store;

use crate::support::{Options, TestApp, id, placement_body, profile_body, spawn, spawn_with};

const TOKEN: &str = "metrics-token-0123456789abcdef0123456789";

async fn scrape(app: &TestApp) -> String {
    let res = app.get("/metrics").send().await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.header("content-type").as_deref(), Some("text/plain; version=0.0.4; charset=utf-8"));
    res.text
}

/// The value of one series (its name with its labels, exactly as written), if present.
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.split(' ').next()?.parse().ok())
}

#[track_caller]
fn read(text: &str, series: &str) -> f64 {
    value(text, series).unwrap_or_else(|| panic!("no {series} in\n{text}"))
}

/// Every hyphenated UUID in `text`.
fn uuids_in(text: &str) -> Vec<String> {
    text.as_bytes()
        .windows(36)
        .filter_map(|w| std::str::from_utf8(w).ok())
        .filter(|w| Uuid::try_parse(w).is_ok())
        .map(String::from)
        .collect()
}

/// The sandbox clock now, as every rule (and the scrape) reads it.
async fn clock(app: &TestApp) -> chrono::DateTime<chrono::Utc> {
    let now = app.get("/v1/sandbox/clock").send().await;
    chrono::DateTime::parse_from_rfc3339(now.ok(200)["now"].as_str().unwrap()).unwrap().to_utc()
}

async fn advance(app: &TestApp, seconds: i64) {
    app.post("/v1/sandbox/clock").json(json!({"advance_seconds": seconds})).send().await.ok(200);
}

#[actix_web::test]
async fn requests_are_counted_by_route_pattern_and_status_with_no_id_in_the_output() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let placement = app.published(&coordinator, &org, placement_body(&site)).await;
    let path = format!("/v1/placements/{}", id(&placement));
    for _ in 0..3 {
        app.get(&path).send().await.ok(200);
    }
    let missing = Uuid::new_v4();
    app.get(&format!("/v1/placements/{missing}")).send().await.problem(404, "not_found");
    app.get(&format!("/nowhere/{missing}")).send().await.problem(404, "not_found");

    let text = scrape(&app).await;
    let route = r#"route="/v1/placements/{placement_id}""#;
    assert_eq!(read(&text, &format!(r#"wex_http_requests_total{{method="GET",{route},status="200"}}"#)), 3.0);
    assert_eq!(read(&text, &format!(r#"wex_http_requests_total{{method="GET",{route},status="404"}}"#)), 1.0);
    assert_eq!(read(&text, r#"wex_http_requests_total{method="GET",route="unmatched",status="404"}"#), 1.0);
    let count = format!(r#"wex_http_request_duration_seconds_count{{method="GET",{route},status="200"}}"#);
    assert_eq!(read(&text, &count), 3.0);
    let all = format!(r#"wex_http_request_duration_seconds_bucket{{method="GET",{route},status="200",le="+Inf"}}"#);
    assert_eq!(read(&text, &all), 3.0, "every request falls in the last bucket");
    assert!(text.contains(r#"route="/v1/organisations/{organisation_id}/placements""#), "the writes too");
    // No id of anything (placement, organisation, site, the unknown one) and no subject.
    assert_eq!(uuids_in(&text), Vec::<String>::new());
    assert!(!text.contains("coordinator-") && !text.contains("/nowhere"), "{text}");
    // The scrape itself is counted by the next one.
    let again = scrape(&app).await;
    assert_eq!(read(&again, r#"wex_http_requests_total{method="GET",route="/metrics",status="200"}"#), 1.0);
}

#[actix_web::test]
async fn the_pool_is_described_by_its_gauges_and_checkout_waits() {
    let app = spawn().await;
    app.get("/health/ready").send().await.ok(200);
    let text = scrape(&app).await;
    assert!(read(&text, "wex_db_pool_max_connections") >= 1.0);
    let in_use = read(&text, r#"wex_db_pool_connections{state="in_use"}"#);
    let idle = read(&text, r#"wex_db_pool_connections{state="idle"}"#);
    assert!(in_use + idle >= 1.0, "the readiness check opened a connection: {in_use} in use, {idle} idle");
    // The readiness check and the scrape's own backlog read each checked one out.
    let waits = read(&text, "wex_db_pool_wait_seconds_count");
    assert!(waits >= 2.0, "{waits}");
    assert_eq!(read(&text, r#"wex_db_pool_wait_seconds_bucket{le="+Inf"}"#), waits);
    assert_eq!(read(&text, "wex_db_reachable"), 1.0);
    assert_eq!(read(&text, "wex_db_refused_requests_total"), 0.0);
    assert_eq!(read(&text, "wex_backlog_up"), 1.0);
}

#[actix_web::test]
async fn the_outbox_backlog_counts_queued_messages_until_they_are_sent() {
    let app = spawn().await;
    let before = scrape(&app).await;
    assert_eq!(read(&before, "wex_outbox_pending_messages"), 0.0);
    assert_eq!(read(&before, "wex_outbox_oldest_pending_age_seconds"), 0.0);

    let (org, coordinator, site) = app.coordinated_organisation().await;
    let placement = app.published(&coordinator, &org, placement_body(&site)).await;
    let (token, _) = app.applicant_with(profile_body(30)).await;
    let body = json!({"privacy_notice_version": app.privacy_version().await});
    app.apply(&token, &id(&placement), body).await.ok(201);
    let queued = app.outbox().await.len() as f64;
    assert!(queued >= 1.0, "applying tells the applicant");

    let text = scrape(&app).await;
    assert_eq!(read(&text, "wex_outbox_pending_messages"), queued);
    assert_eq!(read(&text, "wex_outbox_due_messages"), queued, "due at once");
    assert!(read(&text, "wex_outbox_oldest_pending_age_seconds") >= 0.0);

    let now = chrono::Utc::now();
    let report = wex_domain::delivery::deliver_due(
        app.store.as_ref(),
        &wex_mail::SandboxTransport,
        "https://wex.example",
        &move || now,
        100,
    )
    .unwrap();
    assert_eq!(report.sent as f64, queued);
    let after = scrape(&app).await;
    assert_eq!(read(&after, "wex_outbox_pending_messages"), 0.0);
    assert_eq!(read(&after, "wex_outbox_due_messages"), 0.0);
    assert_eq!(read(&after, "wex_outbox_oldest_pending_age_seconds"), 0.0);
}

#[actix_web::test]
async fn the_webhook_backlog_counts_a_delivery_waiting_for_its_retry() {
    let app = spawn().await;
    let receiver = wex_mail::receiver::WebhookReceiver::start();
    let (_, _, placement, _) = crate::webhooks::subscribed(&app, &receiver.url, json!(["application.submitted"])).await;
    receiver.reply_with(&[500]);
    crate::webhooks::apply(&app, &placement).await;
    // The feed serves an event once no earlier transaction can still commit: try until it is queued.
    let mut report = crate::webhooks::work(&app);
    for _ in 0..200 {
        if report.taken() > 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        report = crate::webhooks::work(&app);
    }
    assert_eq!(report.retrying, 1);

    let waiting = scrape(&app).await;
    assert_eq!(read(&waiting, "wex_webhook_pending_deliveries"), 1.0);
    assert_eq!(read(&waiting, "wex_webhook_due_deliveries"), 0.0, "waiting out the back-off");
    advance(&app, 6).await;
    let due = scrape(&app).await;
    assert_eq!(read(&due, "wex_webhook_due_deliveries"), 1.0);
    assert!(read(&due, "wex_webhook_oldest_pending_age_seconds") >= 6.0);

    assert_eq!(crate::webhooks::work(&app).delivered, 1);
    let delivered = scrape(&app).await;
    assert_eq!(read(&delivered, "wex_webhook_pending_deliveries"), 0.0);
    assert_eq!(read(&delivered, "wex_webhook_oldest_pending_age_seconds"), 0.0);
}

#[actix_web::test]
async fn scheduler_lag_shows_a_closed_lottery_placement_until_drawn_and_an_offer_until_expired() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let placement = app.published(&coordinator, &org, placement_body(&site)).await;
    let (token, _) = app.applicant_with(profile_body(30)).await;
    let body = json!({"privacy_notice_version": app.privacy_version().await});
    app.apply(&token, &id(&placement), body).await.ok(201);
    let (draw, expiry) = (r#"{task="draw"}"#, r#"{task="offer_expiry"}"#);
    let open = scrape(&app).await;
    assert_eq!(read(&open, &format!("wex_scheduler_due{draw}")), 0.0);
    assert_eq!(read(&open, &format!("wex_scheduler_lag_seconds{draw}")), 0.0);

    // A day past its closing time, with no scheduler running: owed for at least that day.
    advance(&app, 31 * 24 * 3600).await;
    let late = scrape(&app).await;
    assert_eq!(read(&late, &format!("wex_scheduler_due{draw}")), 1.0);
    assert!(read(&late, &format!("wex_scheduler_lag_seconds{draw}")) >= 24.0 * 3600.0, "{late}");

    let store: Arc<dyn Store> = app.store.clone();
    assert_eq!(wex_http::jobs::run_due(Arc::clone(&store), clock(&app).await).await, 1);
    let drawn = scrape(&app).await;
    assert_eq!(read(&drawn, &format!("wex_scheduler_due{draw}")), 0.0);
    assert_eq!(read(&drawn, &format!("wex_scheduler_lag_seconds{draw}")), 0.0);
    assert_eq!(read(&drawn, &format!("wex_scheduler_due{expiry}")), 0.0, "the offer is still open");

    // The offer's five days to answer, and one more: its expiry is owed.
    advance(&app, 6 * 24 * 3600).await;
    let unanswered = scrape(&app).await;
    assert_eq!(read(&unanswered, &format!("wex_scheduler_due{expiry}")), 1.0);
    assert!(read(&unanswered, &format!("wex_scheduler_lag_seconds{expiry}")) > 0.0);
    wex_http::jobs::run_due(store, clock(&app).await).await;
    let expired = scrape(&app).await;
    assert_eq!(read(&expired, &format!("wex_scheduler_due{expiry}")), 0.0);
    assert_eq!(read(&expired, &format!("wex_scheduler_lag_seconds{expiry}")), 0.0);
}

#[actix_web::test]
async fn with_a_token_only_scrapers_sending_it_are_served() {
    let app = spawn_with(Options { metrics_token: Some(TOKEN.into()), ..Options::default() }).await;
    app.get("/metrics").send().await.problem(401, "unauthorized");
    app.get("/metrics").token("not-the-metrics-token-0123456789abcdef").send().await.problem(401, "unauthorized");
    let sandbox = app.token("admin", "someone", None).await;
    app.get("/metrics").token(&sandbox).send().await.problem(401, "unauthorized");
    let res = app.get("/metrics").token(TOKEN).send().await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(value(&res.text, r#"wex_http_requests_total{method="GET",route="/metrics",status="401"}"#) == Some(3.0));
}

#[actix_web::test]
async fn production_without_a_token_does_not_serve_metrics() {
    let app = spawn_with(Options { sandbox: false, ..Options::default() }).await;
    app.get("/metrics").send().await.problem(404, "not_found");
    let with_token =
        spawn_with(Options { sandbox: false, metrics_token: Some(TOKEN.into()), ..Options::default() }).await;
    assert_eq!(with_token.get("/metrics").token(TOKEN).send().await.status, 200);
    with_token.get("/metrics").send().await.problem(401, "unauthorized");
}
