//! How fast one delivery worker empties the outbox into a GOV.UK Notify-speaking server on loopback,
//! beside the same HTTP requests made by the same client without the outbox: the ratio is what the
//! outbox (lease, record, event, in the database) costs per message. On SQLite and on PostgreSQL
//! (`WEX_BENCH_DATABASE_URL`, default the local test database). `WEX_BENCH_MESSAGES` messages (default
//! 2,000) per run, five runs, medians. Notify's own limit (3,000 a minute) is lifted here so that the
//! worker, not the pacing, is measured; in production the pacing bounds one process at 50 a second.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};
use uuid::Uuid;
use wex_domain::delivery::deliver_due;
use wex_domain::model::delivery::Email;
use wex_domain::model::notification::{Notification, Template};
use wex_domain::ports::{NotificationStore, Transport};
use wex_mail::testing::{FakeNotify, TEMPLATE_ID, api_key};
use wex_mail::{ApiKey, NotifyTransport};
use wex_persistence::testing::TestDb;

const RUNS: usize = 5;

fn median(mut rates: Vec<f64>) -> f64 {
    rates.sort_by(f64::total_cmp);
    rates[rates.len() / 2]
}

fn transport(server: &FakeNotify) -> NotifyTransport {
    NotifyTransport::new(&server.base_url, ApiKey::parse(&api_key()).unwrap(), TEMPLATE_ID, Duration::from_secs(10))
        .unpaced()
}

fn message(i: usize) -> Notification {
    let now = wex_domain::now();
    Notification::new(
        &format!("person{i}@example.org"),
        Template::OfferMade,
        "A place is offered".into(),
        "You have been offered a place. Accept or decline it by 3 March 2027 at 17:00 UTC.".into(),
        None,
        now,
    )
    .linking(format!("/applications/{}", Uuid::new_v4()))
}

/// Messages a second through the outbox, one worker, batches of 25 as in production.
fn worker_rate(db: &TestDb, server: &FakeNotify, n: usize) -> f64 {
    let store = db.store();
    let messages: Vec<Notification> = (0..n).map(message).collect();
    store.enqueue(&messages).unwrap();
    let transport = transport(server);
    let clock = wex_domain::now;
    let started = Instant::now();
    let mut sent = 0;
    while sent < n {
        let report = deliver_due(&store, &transport, "https://wex.example", &clock, 25).unwrap();
        assert!(report.taken() > 0, "the outbox ran dry after {sent}");
        sent += report.sent;
    }
    n as f64 / started.elapsed().as_secs_f64()
}

/// The same requests, one after another, without the outbox.
fn client_rate(server: &FakeNotify, n: usize) -> f64 {
    let transport = transport(server);
    let emails: Vec<Email> = (0..n).map(|i| Email::of(&message(i), "https://wex.example")).collect();
    let started = Instant::now();
    for email in &emails {
        transport.send(email);
    }
    n as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    let n: usize = std::env::var("WEX_BENCH_MESSAGES").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000);
    let pg = std::env::var("WEX_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string());
    let server = FakeNotify::start();
    println!("| database | one worker (messages/s) | the same requests without the outbox | ratio |");
    println!("| --- | ---: | ---: | ---: |");
    for (name, make) in [("SQLite", None), ("PostgreSQL", Some(pg.as_str()))] {
        let (mut worker, mut client) = (Vec::new(), Vec::new());
        for _ in 0..RUNS {
            let db = match make {
                None => TestDb::sqlite(),
                Some(url) => TestDb::postgres(url),
            };
            worker.push(worker_rate(&db, &server, n));
            client.push(client_rate(&server, n));
        }
        let (w, c) = (median(worker), median(client));
        println!("| {name} | {w:.0} | {c:.0} | {:.2} |", w / c);
    }
}
