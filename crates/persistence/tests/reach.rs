//! The latest settled message to each applicant's own address, which says whether their address
//! works: one query for many profiles, on SQLite and PostgreSQL (with WEX_TEST_DATABASE_URL).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, DurationRound, Utc};
use uuid::Uuid;
use wex_domain::model::auth::Actor;
use wex_domain::model::delivery::Attempt;
use wex_domain::model::delivery::{AttemptOutcome, DeliveryStatus, Lease, SendResult, after_attempt};
use wex_domain::model::notification::{Notification, Template};
use wex_domain::ports::{DeliveryStore, NotificationStore, ProfileStore};
use wex_domain::profiles;
use wex_persistence::DbStore;
use wex_persistence::fixtures;
use wex_persistence::testing::TestDb;

fn profile(store: &DbStore, n: usize, now: DateTime<Utc>) -> Uuid {
    let actor = Actor::new(format!("applicant-{n}"));
    let input = fixtures::applicant(format!("applicant{n}@example.org"), now.date_naive());
    let input = input.parse(now.date_naive()).unwrap();
    profiles::put_own_profile(store, &actor, input, None, now).unwrap();
    store.profile_by_subject(&actor.subject).unwrap().id
}

fn message(store: &DbStore, profile_id: Uuid, to: &str, now: DateTime<Utc>) -> Uuid {
    let m = Notification {
        profile_id: Some(profile_id),
        ..Notification::new(to, Template::OfferMade, "S".into(), "Words.".into(), None, now)
    };
    store.enqueue(std::slice::from_ref(&m)).unwrap();
    m.id
}

#[test]
fn the_latest_settled_message_per_profile_in_one_query() {
    let db = TestDb::new();
    let store = db.store();
    // Whole seconds, so that what comes back compares equal on both backends.
    let now = Utc::now().duration_trunc(Duration::seconds(1)).unwrap();
    let (a, b, c) = (profile(&store, 1, now), profile(&store, 2, now), profile(&store, 3, now));
    assert!(store.latest_settled_to_profiles(&[]).unwrap().is_empty());

    // A: failed for good by a receipt, then a later message delivered: the delivery is latest.
    let failed = message(&store, a, "applicant1@example.org", now);
    let delivered = message(&store, a, "applicant1@example.org", now);
    store.record_receipt(failed, DeliveryStatus::Failed, Some("permanent-failure"), now).unwrap();
    store.record_receipt(delivered, DeliveryStatus::Delivered, None, now + Duration::minutes(5)).unwrap();

    // B: one message refused by the transport, one still pending (not settled, so not latest).
    let refused = message(&store, b, "applicant2@example.org", now);
    let lease = Lease { token: Uuid::new_v4(), until: now + Duration::minutes(10) };
    let leased = store.lease_due(now, &lease, 25).unwrap();
    assert!(leased.iter().any(|l| l.message.id == refused));
    let at = now + Duration::minutes(1);
    for l in &leased {
        let outcome =
            if l.message.id == refused { AttemptOutcome::PermanentFailure } else { AttemptOutcome::TemporaryFailure };
        let attempt = Attempt {
            message_id: l.message.id,
            number: l.attempt,
            at,
            transport: "sandbox".into(),
            result: SendResult::failed(outcome, "HTTP 400 BadRequestError"),
        };
        assert!(store.record_attempt(&attempt, &lease, &after_attempt(l.attempt, outcome, at)).unwrap());
    }
    message(&store, b, "applicant2@example.org", now + Duration::minutes(2));

    // C has had nothing settled.
    let mut latest = store.latest_settled_to_profiles(&[a, b, c]).unwrap();
    latest.sort_by_key(|m| m.profile_id == b);
    assert_eq!(latest.len(), 2, "{latest:?}");
    let (la, lb) = (&latest[0], &latest[1]);
    assert_eq!((la.profile_id, la.status, la.failure.as_deref()), (a, DeliveryStatus::Delivered, None));
    assert_eq!(la.settled_at, now + Duration::minutes(5));
    assert_eq!(
        (lb.profile_id, lb.recipient.as_str(), lb.status),
        (b, "applicant2@example.org", DeliveryStatus::Failed)
    );
    assert_eq!(lb.failure.as_deref(), Some("permanent_failure: HTTP 400 BadRequestError"));
    assert_eq!(lb.settled_at, at);

    // Only the profiles asked about.
    let only_b = store.latest_settled_to_profiles(&[b]).unwrap();
    assert_eq!(only_b.iter().map(|m| m.profile_id).collect::<Vec<_>>(), vec![b]);
}
