//! Storing a webhook secret's rotation on both databases: it is compared on the secret it
//! replaces, so a second rotation from a stale read is refused and writes nothing; it moves the
//! version on, so a dispatcher holding the endpoint from before cannot write the old secret back
//! when it moves the cursor; and the previous secret and its end round-trip exactly.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::Duration;
use uuid::Uuid;
use wex_domain::StoreError;
use wex_domain::model::feed::FeedPosition;
use wex_domain::model::webhook::{ROTATION_OVERLAP, WebhookEndpoint, WebhookStatus, new_secret};
use wex_domain::ports::WebhookStore;
use wex_persistence::DbStore;
use wex_persistence::testing::TestDb;

fn endpoint(store: &DbStore) -> WebhookEndpoint {
    let now = wex_domain::now();
    let org = wex_persistence::testing::insert_organisation(store, "Rotation Trust");
    let endpoint = WebhookEndpoint {
        id: Uuid::now_v7(),
        organisation_id: org.id,
        url: "https://hr.trust.example/wex".to_string(),
        event_types: Vec::new(),
        secret: new_secret().unwrap(),
        previous_secret: None,
        status: WebhookStatus::Active,
        cursor: FeedPosition::START,
        version: 1,
        created_at: now,
        disabled_at: None,
    };
    store.insert_endpoint(&endpoint).unwrap();
    endpoint
}

#[test]
fn a_rotation_is_stored_once_from_the_secret_it_replaces_and_moves_the_version_on() {
    let db = TestDb::new();
    let store = db.store();
    let first = endpoint(&store);
    let now = wex_domain::now();

    let second = first.rotated(new_secret().unwrap(), now);
    store.rotate_secret(&second, &first.secret).unwrap();
    let stored = store.endpoint(first.id).unwrap();
    assert_eq!(stored.secret, second.secret);
    let previous = stored.previous_secret.clone().unwrap();
    assert_eq!((previous.secret.as_str(), previous.until), (first.secret.as_str(), now + ROTATION_OVERLAP));
    assert_eq!(stored.version, first.version + 1);

    // A rotation read before the one above: refused, and nothing written.
    let stale = first.rotated(new_secret().unwrap(), now + Duration::seconds(1));
    assert_eq!(store.rotate_secret(&stale, &first.secret), Err(StoreError::VersionConflict));
    assert_eq!(store.endpoint(first.id).unwrap(), stored);

    // A dispatcher that read the endpoint before the rotation cannot move the cursor over it.
    let moved =
        WebhookEndpoint { cursor: FeedPosition { txid: 1, seq: 7 }, version: first.version + 1, ..first.clone() };
    assert_eq!(store.queue_deliveries(&moved, first.version, &[]), Err(StoreError::VersionConflict));
    assert_eq!(store.endpoint(first.id).unwrap().secret, second.secret);
}
