//! Webhooks: an organisation's coordinators register endpoints (others refused, bad input pointed
//! at); events are posted to a real receiver on loopback, signed per Standard Webhooks (checked
//! with the specification's own library); a 500 is retried on the back-off, a 410 disables the
//! endpoint, and a failed delivery is listed and replayed with the same id and body.

use std::sync::Arc;

use serde_json::{Value, json};
use wex_domain::ports::{DeliveryStore, Store};
use wex_mail::receiver::WebhookReceiver;
use wex_mail::{ClockSource, HttpWebhookSender, WebhookWorker};

use crate::support::{TestApp, id, placement_body, profile_body, spawn};

pub(crate) fn path(org: &str) -> String {
    format!("/v1/organisations/{org}/webhooks")
}

/// One run of the webhook worker (queue what is new, post what is due) on the shared clock.
pub(crate) fn work(app: &TestApp) -> wex_domain::webhooks::WebhookReport {
    let store: Arc<dyn Store> = app.store.clone();
    let sender = Arc::new(HttpWebhookSender::new(std::time::Duration::from_secs(5), false));
    WebhookWorker { store, sender, clock: ClockSource::Shared, idle: std::time::Duration::from_millis(10) }.run_once()
}

/// Moves the clock every process shares on by `seconds`.
pub(crate) fn advance(app: &TestApp, seconds: i64) {
    let now = app.store.clock_offset().unwrap();
    app.store.set_clock_offset(now + seconds * 1_000_000).unwrap();
}

pub(crate) async fn register(app: &TestApp, token: &str, org: &str, body: Value) -> Value {
    app.post(&path(org)).token(token).json(body).send().await.ok(201).clone()
}

/// An organisation with an open placement and an endpoint for `types`: (coordinator, org,
/// placement, the registered endpoint with its secret).
pub(crate) async fn subscribed(app: &TestApp, url: &str, types: Value) -> (String, String, Value, Value) {
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let placement = app.published(&coordinator, &org, placement_body(&site)).await;
    let endpoint = register(app, &coordinator, &org, json!({"url": url, "event_types": types})).await;
    (coordinator, org, placement, endpoint)
}

pub(crate) async fn apply(app: &TestApp, placement: &Value) -> Value {
    let version = app.privacy_version().await;
    let (token, _) = app.applicant_with(profile_body(30)).await;
    app.apply(&token, &id(placement), json!({"privacy_notice_version": version})).await.ok(201).clone()
}

pub(crate) fn verify(secret: &str, posted: &wex_mail::receiver::Posted) {
    let mut headers = http::HeaderMap::new();
    headers.insert("webhook-id", posted.id.parse().unwrap());
    headers.insert("webhook-timestamp", posted.timestamp.parse().unwrap());
    headers.insert("webhook-signature", posted.signature.parse().unwrap());
    standardwebhooks::Webhook::new(secret).unwrap().verify(posted.body.as_bytes(), &headers).unwrap();
}

#[actix_web::test]
async fn coordinators_register_list_and_remove_endpoints_and_others_are_refused() {
    let app = spawn().await;
    let (org, coordinator, _) = app.coordinated_organisation().await;
    let created = register(&app, &coordinator, &org, json!({"url": "https://hr.trust.example/wex"})).await;
    assert!(created["secret"].as_str().unwrap().starts_with("whsec_"));
    assert_eq!(
        (created["status"].as_str(), created["event_types"].as_array().map(Vec::len)),
        (Some("active"), Some(0))
    );
    let listed = app.get(&path(&org)).token(&coordinator).send().await.ok(200).clone();
    assert_eq!(listed["items"][0]["id"], created["id"]);
    assert!(listed["items"][0].get("secret").is_none(), "the secret is shown once");

    let other_org = app.organisation().await;
    for token in
        [app.applicant().await, app.coordinator(&other_org).await, app.token("host", "host-wh", Some(&org)).await]
    {
        app.post(&path(&org))
            .token(&token)
            .json(json!({"url": "https://x.example"}))
            .send()
            .await
            .problem(403, "coordinator_role_required");
        app.get(&path(&org)).token(&token).send().await.problem(403, "coordinator_role_required");
    }
    app.post(&path(&org)).json(json!({"url": "https://x.example"})).send().await.problem(401, "unauthorized");
    // Another organisation's coordinator cannot reach this endpoint through their own organisation.
    let theirs = app.coordinator(&other_org).await;
    let foreign = format!("{}/{}", path(&other_org), id(&created));
    app.delete(&foreign).token(&theirs).send().await.problem(404, "not_found");
    let admin = app.admin().await;
    app.delete(&format!("{}/{}", path(&org), id(&created))).token(&admin).send().await.ok(204);
    assert_eq!(app.get(&path(&org)).token(&coordinator).send().await.ok(200)["items"], json!([]));
}

#[actix_web::test]
async fn bad_endpoints_are_refused_with_pointers_and_nothing_is_registered() {
    let app = spawn().await;
    let (org, coordinator, _) = app.coordinated_organisation().await;
    let res = app
        .post(&path(&org))
        .token(&coordinator)
        .json(json!({"url": "not a url", "event_types": ["offer.made", "offer.lost"]}))
        .send()
        .await;
    res.problem(422, "validation_failed");
    res.has_field_error("/url", "invalid_url");
    res.has_field_error("/event_types/1", "invalid_event_type");
    let res = app.post(&path(&org)).token(&coordinator).json(json!({"url": "ftp://files.example/x"})).send().await;
    res.has_field_error("/url", "invalid_url");
    let res = app.post(&path(&org)).token(&coordinator).json(json!({"url": "https://user:pw@x.example/"})).send().await;
    res.has_field_error("/url", "invalid_url");
    app.post(&path(&org)).token(&coordinator).json(json!({})).send().await.problem(422, "required");
    assert_eq!(app.get(&path(&org)).token(&coordinator).send().await.ok(200)["items"], json!([]));
}

#[actix_web::test]
async fn events_are_posted_signed_and_name_blind() {
    let app = spawn().await;
    let receiver = WebhookReceiver::start();
    let (_, _, placement, endpoint) = subscribed(&app, &receiver.url, json!(["application.submitted"])).await;
    let application = apply(&app, &placement).await;
    let mut report = work(&app);
    // On PostgreSQL the feed holds back an event while an older transaction runs (another test's).
    for _ in 0..200 {
        if report.delivered > 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        report = work(&app);
    }
    let posted = receiver.posted();
    assert_eq!(posted.len(), 1, "{posted:?}");
    verify(endpoint["secret"].as_str().unwrap(), &posted[0]);
    assert_eq!(posted[0].content_type, "application/json");
    let body: Value = serde_json::from_str(&posted[0].body).unwrap();
    assert_eq!(body["type"], "application.submitted");
    assert_eq!(body["data"]["application_id"], application["id"]);
    assert_eq!(body["data"]["placement_id"], placement["id"]);
    assert!(!posted[0].body.contains("profile"), "name-blind: {}", posted[0].body);
    assert_eq!(work(&app).taken(), 0, "sent once");
}

#[actix_web::test]
async fn a_500_is_retried_a_410_disables_and_failed_deliveries_are_replayed() {
    let app = spawn().await;
    let receiver = WebhookReceiver::start();
    let (coordinator, org, placement, endpoint) =
        subscribed(&app, &receiver.url, json!(["application.submitted"])).await;
    let deliveries = format!("{}/{}/deliveries", path(&org), id(&endpoint));

    // A 500, then success once the back-off's first wait (5 s) has passed on the shared clock.
    receiver.reply_with(&[500]);
    apply(&app, &placement).await;
    let mut report = work(&app);
    while report.taken() == 0 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        report = work(&app);
    }
    assert_eq!(report.retrying, 1);
    let pending = app.get(&format!("{deliveries}?status=pending")).token(&coordinator).send().await.ok(200).clone();
    assert_eq!(
        (pending["items"][0]["attempts"].as_u64(), pending["items"][0]["last_status"].as_u64()),
        (Some(1), Some(500))
    );
    assert_eq!(work(&app).taken(), 0, "not before the wait");
    advance(&app, 6);
    assert_eq!(work(&app).delivered, 1);
    let posted = receiver.posted();
    assert_eq!(posted.len(), 2);
    assert_eq!(
        (posted[0].id.as_str(), posted[0].body.as_str()),
        (posted[1].id.as_str(), posted[1].body.as_str()),
        "the same id and body"
    );

    // Failing every time: given up after the whole back-off, listed as failed, and replayed.
    receiver.reply_with(&[500; 10]);
    apply(&app, &placement).await;
    for _ in 0..=wex_domain::model::webhook::RETRY_AFTER.len() {
        let mut report = work(&app);
        for _ in 0..200 {
            if report.taken() > 0 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
            report = work(&app);
        }
        advance(&app, 21 * 3600);
    }
    let failed = app.get(&format!("{deliveries}?status=failed")).token(&coordinator).send().await.ok(200).clone();
    let failed = failed["items"].as_array().unwrap().clone();
    assert_eq!(failed.len(), 1, "{failed:?}");
    let replay = format!("{deliveries}/{}/replay", id(&failed[0]));
    let other = app.coordinator(&app.organisation().await).await;
    app.post(&replay).token(&other).send().await.problem(403, "coordinator_role_required");
    assert_eq!(app.post(&replay).token(&coordinator).send().await.ok(200)["status"], "pending");
    app.post(&replay).token(&coordinator).send().await.problem(409, "not_replayable");
    assert_eq!(work(&app).delivered, 1);
    assert_eq!(receiver.posted().last().unwrap().id, id(&failed[0]), "replayed under its own id");

    // 410 Gone: the delivery fails and the endpoint is disabled; nothing more is posted to it.
    receiver.reply_with(&[410]);
    apply(&app, &placement).await;
    let mut report = work(&app);
    for _ in 0..200 {
        if report.taken() > 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        report = work(&app);
    }
    assert_eq!(report.failed, 1);
    let listed = app.get(&path(&org)).token(&coordinator).send().await.ok(200).clone();
    assert_eq!(listed["items"][0]["status"], "disabled");
    let before = receiver.posted().len();
    apply(&app, &placement).await;
    work(&app);
    assert_eq!(receiver.posted().len(), before, "a disabled endpoint gets nothing");
    let gone = app.get(&format!("{deliveries}?status=failed")).token(&coordinator).send().await.ok(200).clone();
    let last = gone["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["last_status"], 410);
    app.post(&format!("{deliveries}/{}/replay", id(&last)))
        .token(&coordinator)
        .send()
        .await
        .problem(409, "not_replayable");
    for bad in ["lost", ""] {
        let res = app.get(&format!("{deliveries}?status={bad}")).token(&coordinator).send().await;
        res.problem(400, "invalid_status");
    }
}

#[actix_web::test]
async fn workers_racing_post_each_delivery_once() {
    let app = spawn().await;
    let receiver = WebhookReceiver::start();
    let (_, _, placement, _) = subscribed(&app, &receiver.url, json!(["application.submitted"])).await;
    const APPLICANTS: usize = 12;
    for _ in 0..APPLICANTS {
        apply(&app, &placement).await;
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while receiver.posted().len() < APPLICANTS {
        // Three workers at once, as three processes would run them.
        let workers: Vec<_> = (0..3)
            .map(|_| {
                let store: Arc<dyn Store> = app.store.clone();
                std::thread::spawn(move || {
                    let sender = Arc::new(HttpWebhookSender::new(std::time::Duration::from_secs(5), false));
                    let idle = std::time::Duration::from_millis(10);
                    WebhookWorker { store, sender, clock: ClockSource::Shared, idle }.run_once()
                })
            })
            .collect();
        for worker in workers {
            worker.join().unwrap();
        }
        assert!(std::time::Instant::now() < deadline, "only {} posted", receiver.posted().len());
    }
    let posted = receiver.posted();
    let ids: std::collections::HashSet<&str> = posted.iter().map(|p| p.id.as_str()).collect();
    assert_eq!((posted.len(), ids.len()), (APPLICANTS, APPLICANTS), "each delivery posted once");
}
