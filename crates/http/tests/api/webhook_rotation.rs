//! Rotating a webhook endpoint's secret: the new secret is shown once; for a day deliveries carry a
//! signature for the new and the replaced secret (each checked with the Standard Webhooks library
//! at a real receiver on loopback), then for the new one only; a second rotation within the day
//! drops the oldest; every rotation is an event without the secret; only the organisation's
//! coordinators and admins may rotate, and a refusal changes nothing.

use serde_json::{Value, json};
use wex_domain::model::event::{Entity, EventActor, RecordedEvent};
use wex_domain::model::webhook::ROTATION_OVERLAP;
use wex_domain::ports::EventStore;
use wex_mail::receiver::{Posted, WebhookReceiver};

use crate::support::{TestApp, id, spawn};
use crate::webhooks::{advance, apply, path, subscribed, verify, work};

fn rotate_path(org: &str, endpoint: &Value) -> String {
    format!("{}/{}/rotate-secret", path(org), id(endpoint))
}

fn secret(v: &Value) -> &str {
    v["secret"].as_str().unwrap()
}

/// Runs the webhook worker until it has posted something. On PostgreSQL the feed holds back an
/// event while an older transaction (another test's) runs, so a run can find nothing yet.
fn deliver(app: &TestApp) {
    for _ in 0..200 {
        if work(app).taken() > 0 {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("nothing was delivered");
}

/// Whether one of the post's signatures is `secret`'s, computed with the Standard Webhooks
/// library's signer. (Its `verify` also checks the timestamp against the real clock, which a post
/// signed after the shared clock was moved on a day is far from.)
fn signed_with(secret: &str, posted: &Posted) -> bool {
    let timestamp: i64 = posted.timestamp.parse().unwrap();
    let expected =
        standardwebhooks::Webhook::new(secret).unwrap().sign(&posted.id, timestamp, posted.body.as_bytes()).unwrap();
    posted.signature.split(' ').any(|s| s == expected)
}

fn rotations(app: &TestApp, endpoint: &Value) -> Vec<RecordedEvent> {
    let all = app.store.events_after(0, 10_000).unwrap();
    all.into_iter()
        .filter(|e| e.event.entity == Entity::Webhook && e.event.entity_id.to_string() == id(endpoint))
        .filter(|e| e.event.kind == "webhook.secret_rotated")
        .collect()
}

#[actix_web::test]
async fn both_secrets_verify_for_a_day_after_rotating_then_only_the_new_one() {
    let app = spawn().await;
    let receiver = WebhookReceiver::start();
    let (coordinator, org, placement, endpoint) =
        subscribed(&app, &receiver.url, json!(["application.submitted"])).await;
    let old = secret(&endpoint).to_string();

    let before = chrono::Utc::now();
    let rotated = app.post(&rotate_path(&org, &endpoint)).token(&coordinator).send().await.ok(200).clone();
    let new = secret(&rotated).to_string();
    assert!(new.starts_with("whsec_") && new != old, "a new secret");
    assert_eq!(
        (&rotated["id"], &rotated["url"], &rotated["status"]),
        (&endpoint["id"], &endpoint["url"], &json!("active"))
    );
    let expires: chrono::DateTime<chrono::Utc> =
        rotated["previous_secret_expires_at"].as_str().unwrap().parse().unwrap();
    assert!(expires >= before + ROTATION_OVERLAP && expires <= chrono::Utc::now() + ROTATION_OVERLAP, "{expires}");
    let listed = app.get(&path(&org)).token(&coordinator).send().await.ok(200).clone();
    assert_eq!(listed["items"][0]["previous_secret_expires_at"], rotated["previous_secret_expires_at"]);
    assert!(listed["items"][0].get("secret").is_none(), "the new secret is shown once too");

    // Within the day: one signature for each secret, and the receiver's library accepts either.
    apply(&app, &placement).await;
    deliver(&app);
    let posted = receiver.posted();
    assert_eq!(posted.len(), 1, "{posted:?}");
    assert_eq!(posted[0].signature.split(' ').count(), 2, "{}", posted[0].signature);
    verify(&new, &posted[0]);
    verify(&old, &posted[0]);

    // A day later (on the clock every process shares): the new secret only.
    apply(&app, &placement).await;
    advance(&app, ROTATION_OVERLAP.num_seconds() + 60);
    deliver(&app);
    let posted = receiver.posted();
    assert_eq!(posted.len(), 2, "{posted:?}");
    assert_eq!(posted[1].signature.split(' ').count(), 1, "{}", posted[1].signature);
    assert!(signed_with(&new, &posted[1]), "the new secret verifies");
    assert!(!signed_with(&old, &posted[1]), "the replaced secret no longer verifies");
    // The same check passes a post within the day, so the refusal above is the clock's doing.
    assert!(signed_with(&old, &posted[0]) && signed_with(&new, &posted[0]));

    let events = rotations(&app, &endpoint);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].event.actor, EventActor::Coordinator);
    let recorded = serde_json::to_string(&events[0].event.data).unwrap();
    assert!(!recorded.contains(&new[6..]) && !recorded.contains(&old[6..]), "no secret in the event: {recorded}");
}

#[actix_web::test]
async fn rotating_again_within_the_day_drops_the_oldest_secret() {
    let app = spawn().await;
    let receiver = WebhookReceiver::start();
    let (coordinator, org, placement, endpoint) =
        subscribed(&app, &receiver.url, json!(["application.submitted"])).await;
    let first = secret(&endpoint).to_string();
    let second = app.post(&rotate_path(&org, &endpoint)).token(&coordinator).send().await.ok(200).clone();
    let third = app.post(&rotate_path(&org, &endpoint)).token(&coordinator).send().await.ok(200).clone();
    let (second, third) = (secret(&second).to_string(), secret(&third).to_string());
    assert!(first != second && second != third && first != third);

    apply(&app, &placement).await;
    deliver(&app);
    let posted = receiver.posted();
    assert_eq!(posted.len(), 1, "{posted:?}");
    assert_eq!(posted[0].signature.split(' ').count(), 2, "{}", posted[0].signature);
    verify(&third, &posted[0]);
    verify(&second, &posted[0]);
    assert!(!signed_with(&first, &posted[0]), "the oldest secret is dropped at once");

    let events = rotations(&app, &endpoint);
    assert_eq!(events.len(), 2);
    assert!(events[1].event.entity_version > events[0].event.entity_version, "each rotation moves the version on");
}

#[actix_web::test]
async fn only_the_organisations_coordinators_and_admins_rotate_and_a_refusal_changes_nothing() {
    let app = spawn().await;
    let receiver = WebhookReceiver::start();
    let (coordinator, org, placement, endpoint) =
        subscribed(&app, &receiver.url, json!(["application.submitted"])).await;
    let rotate = rotate_path(&org, &endpoint);

    let other_org = app.organisation().await;
    for token in
        [app.applicant().await, app.coordinator(&other_org).await, app.token("host", "host-rotate", Some(&org)).await]
    {
        app.post(&rotate).token(&token).send().await.problem(403, "coordinator_role_required");
    }
    app.post(&rotate).send().await.problem(401, "unauthorized");
    // Another organisation's coordinator, through their own organisation: no such endpoint there.
    let theirs = app.coordinator(&other_org).await;
    app.post(&rotate_path(&other_org, &endpoint)).token(&theirs).send().await.problem(404, "not_found");
    let unknown = json!({"id": uuid::Uuid::now_v7().to_string()});
    app.post(&rotate_path(&org, &unknown)).token(&coordinator).send().await.problem(404, "not_found");
    let nowhere = uuid::Uuid::now_v7().to_string();
    app.post(&rotate_path(&nowhere, &endpoint)).token(&coordinator).send().await.problem(404, "not_found");

    // Nothing was written: no event, no previous secret, deliveries signed with the first secret only.
    assert!(rotations(&app, &endpoint).is_empty());
    let listed = app.get(&path(&org)).token(&coordinator).send().await.ok(200).clone();
    assert_eq!(listed["items"][0]["previous_secret_expires_at"], Value::Null);
    apply(&app, &placement).await;
    deliver(&app);
    let posted = receiver.posted();
    assert_eq!(posted[0].signature.split(' ').count(), 1);
    verify(secret(&endpoint), &posted[0]);

    // A platform admin may.
    let admin = app.admin().await;
    let rotated = app.post(&rotate).token(&admin).send().await.ok(200).clone();
    assert_ne!(secret(&rotated), secret(&endpoint));
    let events = rotations(&app, &endpoint);
    assert_eq!(events.iter().map(|e| e.event.actor).collect::<Vec<_>>(), [EventActor::Admin]);
}
