//! Delivering the outbox through a real GOV.UK Notify-speaking server on loopback, on a real store
//! (SQLite, or PostgreSQL with WEX_TEST_DATABASE_URL): leases, retries, failures and receipts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;
use wex_domain::delivery::{LEASE, deliver_due, record_receipt};
use wex_domain::model::delivery::{AttemptOutcome, DeliveryStatus, Email, Lease, Receipt};
use wex_domain::model::notification::{Notification, Template};
use wex_domain::model::page::PageRequest;
use wex_domain::ports::{DeliveryStore, EventStore, NotificationStore, Store, Transport};
use wex_mail::testing::{FakeNotify, TEMPLATE_ID, api_key};
use wex_mail::{ApiKey, NotifyTransport, SandboxTransport};
use wex_persistence::testing::TestDb;

const FRONTEND: &str = "https://wex.example";

fn notify(server: &FakeNotify) -> NotifyTransport {
    NotifyTransport::new(
        &server.base_url,
        ApiKey::parse(&api_key()).unwrap(),
        TEMPLATE_ID,
        std::time::Duration::from_secs(5),
    )
}

fn message(to: &str, now: DateTime<Utc>) -> Notification {
    Notification::new(
        to,
        Template::OfferMade,
        "A place is offered".into(),
        "You have been offered a place.".into(),
        None,
        now,
    )
    .linking(format!("/offers/{}", Uuid::new_v4()))
}

fn queue(store: &dyn Store, n: usize, now: DateTime<Utc>) -> Vec<Notification> {
    let messages: Vec<Notification> = (0..n).map(|i| message(&format!("person{i}@example.org"), now)).collect();
    store.enqueue(&messages).unwrap();
    messages
}

fn deliveries(store: &dyn Store, messages: &[Notification]) -> HashMap<Uuid, wex_domain::model::delivery::Delivery> {
    let ids: Vec<Uuid> = messages.iter().map(|m| m.id).collect();
    store.deliveries(&ids).unwrap().into_iter().map(|d| (d.message_id, d)).collect()
}

fn run(store: &dyn Store, transport: &dyn Transport, at: DateTime<Utc>) -> wex_domain::delivery::DeliveryReport {
    deliver_due(store, transport, FRONTEND, &move || at, 25).unwrap()
}

#[test]
fn a_message_reaches_notify_signed_with_its_words_link_and_reference() {
    let db = TestDb::new();
    let store = db.store();
    let server = FakeNotify::start();
    let now = wex_domain::now();
    let sent = queue(&store, 1, now);
    let report = run(&store, &notify(&server), now);
    assert_eq!((report.sent, report.taken()), (1, 1));
    let received = server.received();
    assert_eq!(received.len(), 1);
    let r = &received[0];
    assert!(r.authorised, "the token must verify");
    assert_eq!((r.email_address.as_str(), r.template_id.as_str()), ("person0@example.org", TEMPLATE_ID));
    assert_eq!(r.subject, "A place is offered");
    assert_eq!(r.body, format!("You have been offered a place.\n\n{FRONTEND}{}", sent[0].link.as_deref().unwrap()));
    assert_eq!(r.reference, sent[0].id.to_string());
    let d = &deliveries(&store, &sent)[&sent[0].id];
    assert_eq!(d.status, DeliveryStatus::Sent);
    assert_eq!(d.attempts.len(), 1);
    assert_eq!((d.attempts[0].number, d.attempts[0].transport.as_str()), (1, "notify"));
    // Nothing is left to send.
    assert_eq!(run(&store, &notify(&server), now + Duration::days(1)).taken(), 0);
    assert_eq!(server.received().len(), 1);
}

#[test]
fn two_workers_racing_never_send_one_message_twice() {
    let db = TestDb::new();
    let store: Arc<dyn Store> = Arc::new(db.store());
    let server = FakeNotify::start();
    let now = wex_domain::now();
    let sent = queue(store.as_ref(), 60, now);
    let transport: Arc<dyn Transport> = Arc::new(notify(&server));
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let (store, transport) = (Arc::clone(&store), Arc::clone(&transport));
            std::thread::spawn(move || {
                let mut taken = 0;
                // Batches of 7 so that the two interleave many times.
                while let Ok(report) = deliver_due(store.as_ref(), transport.as_ref(), FRONTEND, &move || now, 7) {
                    if report.taken() == 0 {
                        break;
                    }
                    taken += report.taken();
                }
                taken
            })
        })
        .collect();
    let taken: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
    assert_eq!(taken, 60);
    let mut references: Vec<String> = server.received().into_iter().map(|r| r.reference).collect();
    references.sort();
    let mut expected: Vec<String> = sent.iter().map(|m| m.id.to_string()).collect();
    expected.sort();
    assert_eq!(references, expected, "each message exactly once");
    assert!(
        deliveries(store.as_ref(), &sent).values().all(|d| d.status == DeliveryStatus::Sent && d.attempts.len() == 1)
    );
}

#[test]
fn server_errors_are_retried_on_the_back_off_schedule_until_sent() {
    let db = TestDb::new();
    let store = db.store();
    let server = FakeNotify::start();
    let t0 = wex_domain::now();
    let sent = queue(&store, 1, t0);
    let id = sent[0].id;
    server.reply_with(&[500, 503, 500]);
    let transport = notify(&server);
    let mut at = t0;
    for (n, wait) in [(1, 1), (2, 10), (3, 60)] {
        assert_eq!(run(&store, &transport, at).retrying, 1);
        let d = &deliveries(&store, &sent)[&id];
        assert_eq!(d.status, DeliveryStatus::Pending);
        assert_eq!(d.attempts.len(), n);
        assert_eq!(d.attempts[n - 1].result.outcome, AttemptOutcome::TemporaryFailure);
        assert_eq!(d.next_attempt_at, Some(at + Duration::minutes(wait)));
        // Not before it is due.
        assert_eq!(run(&store, &transport, at + Duration::minutes(wait) - Duration::seconds(1)).taken(), 0);
        at += Duration::minutes(wait);
    }
    assert_eq!(run(&store, &transport, at).sent, 1);
    let d = &deliveries(&store, &sent)[&id];
    assert_eq!((d.status, d.attempts.len()), (DeliveryStatus::Sent, 4));
    assert!(server.received().iter().all(|r| r.reference == id.to_string()), "every retry carries the same reference");
}

#[test]
fn a_429_gives_the_rest_of_the_batch_back_and_retries_later() {
    let db = TestDb::new();
    let store = db.store();
    let server = FakeNotify::start();
    let now = wex_domain::now();
    let sent = queue(&store, 5, now);
    server.reply_with(&[201, 429]);
    let report = run(&store, &notify(&server), now);
    assert_eq!((report.sent, report.retrying, report.released), (1, 1, 3));
    assert_eq!(server.received().len(), 2, "nothing sent after the 429");
    // The three given back are due at once, their attempt unused; the limited one a minute on.
    let report = run(&store, &notify(&server), now);
    assert_eq!(report.sent, 3);
    let all = deliveries(&store, &sent);
    let limited: Vec<_> = all.values().filter(|d| d.status == DeliveryStatus::Pending).collect();
    assert_eq!(limited.len(), 1);
    assert_eq!(limited[0].attempts[0].result.outcome, AttemptOutcome::RateLimited);
    assert!(all.values().filter(|d| d.status == DeliveryStatus::Sent).all(|d| d.attempts.len() == 1));
    assert_eq!(run(&store, &notify(&server), now + Duration::minutes(1)).sent, 1);
}

#[test]
fn a_permanent_failure_is_not_retried_and_seven_temporary_ones_give_up() {
    let db = TestDb::new();
    let store = db.store();
    let server = FakeNotify::start();
    let now = wex_domain::now();
    let sent = queue(&store, 1, now);
    server.reply_with(&[400]);
    assert_eq!(run(&store, &notify(&server), now).failed, 1);
    let d = &deliveries(&store, &sent)[&sent[0].id];
    assert_eq!(d.status, DeliveryStatus::Failed);
    assert_eq!(d.failure.as_deref(), Some("permanent_failure: HTTP 400 BadRequestError"));
    assert_eq!(run(&store, &notify(&server), now + Duration::days(30)).taken(), 0);
    assert_eq!(server.received().len(), 1);

    // The sandbox's simulator address fails for now every time: seven attempts, then failed.
    let lost = Notification::new("temp-fail@simulator.notify", Template::OfferMade, "s".into(), "b".into(), None, now);
    store.enqueue(std::slice::from_ref(&lost)).unwrap();
    let mut at = now;
    for _ in 0..7 {
        assert_eq!(run(&store, &SandboxTransport, at).taken(), 1);
        at += Duration::hours(4);
    }
    let d = &deliveries(&store, std::slice::from_ref(&lost))[&lost.id];
    assert_eq!((d.status, d.attempts.len()), (DeliveryStatus::Failed, 7));
    assert_eq!(run(&store, &SandboxTransport, at + Duration::days(1)).taken(), 0);
}

#[test]
fn a_message_leased_by_a_worker_that_dies_is_sent_once_its_lease_ends() {
    let db = TestDb::new();
    let store = db.store();
    let server = FakeNotify::start();
    let now = wex_domain::now();
    let sent = queue(&store, 2, now);
    // A worker leases both, then dies before sending or recording anything.
    let dead = Lease { token: Uuid::new_v4(), until: now + LEASE };
    assert_eq!(store.lease_due(now, &dead, 10).unwrap().len(), 2);
    // While the lease holds, nobody else takes them.
    assert_eq!(run(&store, &notify(&server), now + LEASE - Duration::seconds(1)).taken(), 0);
    // After it, they are sent, as second attempts (the dead worker's counts).
    let report = run(&store, &notify(&server), now + LEASE);
    assert_eq!(report.sent, 2);
    assert!(deliveries(&store, &sent).values().all(|d| d.attempts.len() == 1 && d.attempts[0].number == 2));
    assert_eq!(server.received().len(), 2);
}

#[test]
fn a_held_request_is_seen_at_once_and_answered_only_on_release() {
    let server = FakeNotify::start();
    server.hold();
    let now = wex_domain::now();
    let (tx, rx) = std::sync::mpsc::channel();
    for i in 0..2 {
        let (transport, tx) = (notify(&server), tx.clone());
        let email = Email::of(&message(&format!("person{i}@example.org"), now), FRONTEND);
        std::thread::spawn(move || tx.send(transport.send(&email)).unwrap());
    }
    // Both arrive while held: a held request does not stop the server's one worker taking the next.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while server.received().len() < 2 {
        assert!(std::time::Instant::now() < deadline, "both requests should arrive while held");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(rx.try_recv().is_err(), "neither is answered while held");
    server.release();
    for _ in 0..2 {
        let result = rx.recv_timeout(std::time::Duration::from_secs(5)).unwrap();
        assert_eq!(result.outcome, AttemptOutcome::Sent);
    }
    assert_eq!(server.received().len(), 2, "each recorded once, when it arrived");
}

#[test]
fn receipts_settle_a_message_and_record_an_event_without_personal_data() {
    let db = TestDb::new();
    let store = db.store();
    let server = FakeNotify::start();
    let now = wex_domain::now();
    let sent = queue(&store, 2, now);
    run(&store, &notify(&server), now);
    record_receipt(&store, sent[0].id, Receipt::Delivered, now).unwrap();
    record_receipt(&store, sent[1].id, Receipt::PermanentFailure, now).unwrap();
    let all = deliveries(&store, &sent);
    assert_eq!(all[&sent[0].id].status, DeliveryStatus::Delivered);
    assert_eq!(all[&sent[1].id].status, DeliveryStatus::Failed);
    assert_eq!(all[&sent[1].id].failure.as_deref(), Some("permanent-failure"));
    let unknown = record_receipt(&store, Uuid::new_v4(), Receipt::Delivered, now).unwrap_err();
    assert!(matches!(unknown, wex_domain::delivery::ReceiptError::Store(wex_domain::StoreError::NotFound)));
    let events = store.events_after(0, 100).unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.event.kind.as_str()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "message.sent").count(), 2);
    assert!(kinds.contains(&"message.delivered") && kinds.contains(&"message.failed"));
    let log = format!("{events:?}");
    assert!(!log.contains("example.org") && !log.contains("offered a place"), "no address or words in events");
}

#[test]
fn the_outbox_lists_each_message_with_its_delivery() {
    let db = TestDb::new();
    let store = db.store();
    let now = wex_domain::now();
    let sent = queue(&store, 3, now);
    run(&store, &SandboxTransport, now);
    let page = wex_domain::delivery::outbox::outbox(&store, &PageRequest::first(10)).unwrap();
    assert_eq!(page.items.len(), 3);
    for ((m, d), expected) in page.items.iter().zip(&sent) {
        assert_eq!((m.id, m.link.as_deref()), (expected.id, expected.link.as_deref()));
        assert_eq!((d.status, d.attempts.len()), (DeliveryStatus::Delivered, 1));
    }
    assert_eq!(store.notifications(&PageRequest::first(10)).unwrap().items.len(), 3);
}

#[test]
fn the_clock_is_shared_through_the_database_and_reminders_are_claimed_once() {
    let db = TestDb::new();
    let (a, b) = (db.store(), db.store());
    assert_eq!(a.clock_offset().unwrap(), 0);
    a.set_clock_offset(86_400_000_000).unwrap();
    assert_eq!(b.clock_offset().unwrap(), 86_400_000_000);
    b.set_clock_offset(-5).unwrap();
    assert_eq!(a.clock_offset().unwrap(), -5);
    let (now, x) = (wex_domain::now(), Uuid::new_v4());
    assert!(a.claim_reminder("week_before", x, now).unwrap());
    assert!(!b.claim_reminder("week_before", x, now).unwrap());
    assert!(b.claim_reminder("day_before", x, now).unwrap());
}
