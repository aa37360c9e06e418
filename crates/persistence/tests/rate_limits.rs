//! The write rate limit's store on both databases: the bucket empties and refills as the domain's
//! rule says, full buckets are forgotten, and callers writing at once through many connections
//! (as many processes would) are allowed exactly the limit between them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use wex_domain::ports::RateLimitStore;
use wex_domain::rate_limit::WriteLimit;
use wex_persistence::testing::TestDb;

fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000, 0).unwrap()
}

#[test]
fn a_bucket_empties_refills_and_is_forgotten_when_full() {
    let db = TestDb::new();
    let store = db.store();
    let limit = WriteLimit { per_minute: 3 };
    let at = |s: i64| t0() + Duration::seconds(s);
    let first: Vec<(bool, u32)> =
        (0..4).map(|_| limit.take(&store, "a", t0()).unwrap()).map(|d| (d.allowed, d.remaining)).collect();
    assert_eq!(first, vec![(true, 2), (true, 1), (true, 0), (false, 0)]);
    assert_eq!(limit.take(&store, "a", t0()).unwrap().reset_seconds, 20);
    assert!(limit.take(&store, "b", t0()).unwrap().allowed, "callers are limited separately");
    assert!(!limit.take(&store, "a", at(19)).unwrap().allowed, "a refusal does not move the time on");
    assert!(limit.take(&store, "a", at(20)).unwrap().allowed, "one write refills every 20 seconds");
    assert_eq!(store.forget_full_buckets(at(30).timestamp_micros()).unwrap(), 1, "b's bucket is full again");
    assert_eq!(limit.take(&store, "b", at(30)).unwrap().remaining, 2, "a forgotten caller starts full");
    assert_eq!(store.forget_full_buckets(at(3600).timestamp_micros()).unwrap(), 2);
}

#[test]
fn writers_racing_on_many_connections_share_one_limit() {
    let db = TestDb::new();
    let store = Arc::new(db.store());
    let limit = WriteLimit { per_minute: 20 };
    // Eight threads, each on its own pooled connection, make 10 writes each at the same instant
    // (the same `now`, so that no token refills while they run): exactly 20 of the 80 pass.
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let store = Arc::clone(&store);
            std::thread::spawn(move || {
                (0..10).filter(|_| limit.take(store.as_ref(), "shared", t0()).unwrap().allowed).count()
            })
        })
        .collect();
    let allowed: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(allowed, 20);
}
