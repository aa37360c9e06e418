//! Integrators' rates on this machine: how many events a second the change feed serves (paging
//! through `WEX_BENCH_EVENTS` events, default 20,000, 100 a page) beside reading the same events
//! straight from the log by sequence, and how many deliveries a second one webhook worker posts to a
//! receiver on loopback (`WEX_BENCH_MESSAGES`, default 2,000) beside the same signed posts made
//! without the store. SQLite and PostgreSQL (`WEX_BENCH_DATABASE_URL`); five runs, medians.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use uuid::Uuid;
use wex_domain::model::application::ChangedBy;
use wex_domain::model::event::{DomainEvent, Entity};
use wex_domain::model::feed::{EventType, FeedPosition, FeedQuery, FeedScope};
use wex_domain::model::webhook::{
    WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint, WebhookStatus, new_secret, signed_headers,
};
use wex_domain::ports::{EventStore, WebhookSender, WebhookStore};
use wex_domain::webhooks::deliver_webhooks;
use wex_mail::HttpWebhookSender;
use wex_mail::receiver::WebhookReceiver;
use wex_persistence::DbStore;
use wex_persistence::testing::TestDb;

const RUNS: usize = 5;

fn median(mut rates: Vec<f64>) -> f64 {
    rates.sort_by(f64::total_cmp);
    rates[rates.len() / 2]
}

fn fill_log(store: &DbStore, n: usize) {
    let now = wex_domain::now();
    for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
        let events: Vec<DomainEvent> = chunk
            .iter()
            .map(|_| {
                DomainEvent::change(
                    Entity::Placement,
                    Uuid::now_v7(),
                    2,
                    Some("draft"),
                    "published",
                    ChangedBy::Coordinator,
                    now,
                )
            })
            .collect();
        store.append_events(&events).unwrap();
    }
}

/// Events a second through the feed (its order, its safety filter), and straight from the log.
fn feed_rates(store: &DbStore, n: usize) -> (f64, f64) {
    let kinds = vec![EventType::PlacementPublished.kind().unwrap()];
    let started = Instant::now();
    let (mut at, mut read) = (FeedPosition::START, 0);
    loop {
        let page =
            store.feed(&FeedQuery { after: at, limit: 100, kinds: kinds.clone(), scope: FeedScope::All }).unwrap();
        let Some((last, _)) = page.last() else { break };
        at = *last;
        read += page.len();
    }
    assert_eq!(read, n);
    let feed = n as f64 / started.elapsed().as_secs_f64();
    let started = Instant::now();
    let (mut after, mut read) = (0, 0);
    loop {
        let page = store.events_after(after, 100).unwrap();
        let Some(last) = page.last() else { break };
        after = last.seq;
        read += page.len();
    }
    assert_eq!(read, n);
    (feed, n as f64 / started.elapsed().as_secs_f64())
}

fn endpoint(store: &DbStore, url: &str) -> WebhookEndpoint {
    let now = wex_domain::now();
    let org = wex_persistence::testing::insert_organisation(store, "Bench Trust");
    let endpoint = WebhookEndpoint {
        id: Uuid::now_v7(),
        organisation_id: org.id,
        url: url.to_string(),
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

fn body(i: usize) -> String {
    format!(
        r#"{{"type":"offer.made","timestamp":"2027-03-02T09:00:00Z","data":{{"sequence":{i},"placement_id":"{}"}}}}"#,
        Uuid::now_v7()
    )
}

/// Deliveries a second by one worker (lease, post, record, event), and the same posts alone.
fn webhook_rates(store: &DbStore, receiver: &WebhookReceiver, n: usize) -> (f64, f64) {
    let endpoint = endpoint(store, &receiver.url);
    let now = wex_domain::now();
    let deliveries: Vec<WebhookDelivery> = (0..n)
        .map(|i| WebhookDelivery {
            id: Uuid::now_v7(),
            endpoint_id: endpoint.id,
            event_id: Uuid::now_v7(),
            event_type: EventType::OfferMade,
            body: body(i),
            status: WebhookDeliveryStatus::Pending,
            attempts: 0,
            next_attempt_at: Some(now),
            last_status: None,
            last_error: None,
            created_at: now,
        })
        .collect();
    let moved = WebhookEndpoint { version: 2, ..endpoint.clone() };
    store.queue_deliveries(&moved, 1, &deliveries).unwrap();
    let sender = HttpWebhookSender::new(std::time::Duration::from_secs(10), false);
    let started = Instant::now();
    let mut delivered = 0;
    while delivered < n {
        let report = deliver_webhooks(store, &sender, &wex_domain::now, 25).unwrap();
        assert!(report.taken() > 0, "ran dry after {delivered}");
        delivered += report.delivered;
    }
    let worker = n as f64 / started.elapsed().as_secs_f64();
    let started = Instant::now();
    for d in &deliveries {
        let id = d.id.to_string();
        let headers = signed_headers(&[endpoint.secret.as_str()], &id, wex_domain::now().timestamp(), &d.body).unwrap();
        sender.post(&endpoint.url, &headers, &d.body);
    }
    (worker, n as f64 / started.elapsed().as_secs_f64())
}

fn main() {
    let number = |var: &str, default: usize| std::env::var(var).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let (events, messages) = (number("WEX_BENCH_EVENTS", 20_000), number("WEX_BENCH_MESSAGES", 2_000));
    let pg = std::env::var("WEX_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string());
    let receiver = WebhookReceiver::start();
    println!(
        "| database | feed (events/s) | the log by sequence | ratio | one webhook worker (deliveries/s) | the same posts alone | ratio |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (name, url) in [("SQLite", None), ("PostgreSQL", Some(pg.as_str()))] {
        let (mut feed, mut log, mut worker, mut alone) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for _ in 0..RUNS {
            let db = match url {
                None => TestDb::sqlite(),
                Some(url) => TestDb::postgres(url),
            };
            let store = db.store();
            fill_log(&store, events);
            let (f, l) = feed_rates(&store, events);
            let (w, a) = webhook_rates(&store, &receiver, messages);
            feed.push(f);
            log.push(l);
            worker.push(w);
            alone.push(a);
        }
        let (f, l, w, a) = (median(feed), median(log), median(worker), median(alone));
        println!("| {name} | {f:.0} | {l:.0} | {:.2} | {w:.0} | {a:.0} | {:.2} |", f / l, w / a);
    }
}
