//! The change feed's order on both databases: every event exactly once, in a fixed order, while
//! several writers append at once and a reader pages through during the writes; and, on
//! PostgreSQL, an event whose transaction took its sequence number early and committed late is not
//! skipped.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::sync::mpsc;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use uuid::Uuid;
use wex_domain::DomainError;
use wex_domain::model::application::ChangedBy;
use wex_domain::model::event::{DomainEvent, Entity};
use wex_domain::model::feed::{EventType, FeedPosition, FeedQuery, FeedScope};
use wex_domain::ports::{EventStore, Store};
use wex_domain::unit_of_work::write;
use wex_persistence::DbStore;
use wex_persistence::testing::TestDb;

fn published() -> DomainEvent {
    DomainEvent::change(
        Entity::Placement,
        Uuid::now_v7(),
        2,
        Some("draft"),
        "published",
        ChangedBy::Coordinator,
        wex_domain::now(),
    )
}

fn query(after: FeedPosition, limit: u32) -> FeedQuery {
    FeedQuery { after, limit, kinds: vec![EventType::PlacementPublished.kind().unwrap()], scope: FeedScope::All }
}

/// Pages through the feed from `after` until nothing more is there: (ids, positions, where it ended).
fn read_on(store: &DbStore, after: FeedPosition, limit: u32) -> (Vec<Uuid>, Vec<FeedPosition>, FeedPosition) {
    let (mut ids, mut positions, mut at) = (Vec::new(), Vec::new(), after);
    loop {
        let page = store.feed(&query(at, limit)).unwrap();
        let Some((last, _)) = page.last() else { return (ids, positions, at) };
        at = *last;
        for (position, event) in page {
            ids.push(event.event.id);
            positions.push(position);
        }
    }
}

#[test]
fn concurrent_writers_and_a_paging_reader_see_every_event_once_in_order() {
    const WRITERS: usize = 4;
    const TRANSACTIONS: usize = 25;
    let db = TestDb::new();
    let store = Arc::new(db.store());
    let start = Arc::new(Barrier::new(WRITERS + 1));
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (store, start) = (Arc::clone(&store), Arc::clone(&start));
            std::thread::spawn(move || {
                start.wait();
                let mut written = Vec::new();
                for t in 0..TRANSACTIONS {
                    // Some transactions write two events, so a page may end inside one.
                    let events: Vec<DomainEvent> = (0..1 + (w + t) % 2).map(|_| published()).collect();
                    write(store.as_ref() as &dyn Store, |tx| -> Result<_, DomainError> {
                        Ok(tx.append_events(&events)?)
                    })
                    .unwrap();
                    written.extend(events.iter().map(|e| e.id));
                }
                written
            })
        })
        .collect();
    let expected: usize = (0..WRITERS).flat_map(|w| (0..TRANSACTIONS).map(move |t| 1 + (w + t) % 2)).sum();
    start.wait();
    // The reader pages (seven at a time) while the writers write, then until it has everything.
    let (mut seen, mut positions, mut at) = (Vec::new(), Vec::new(), FeedPosition::START);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let writing = !writers.iter().all(std::thread::JoinHandle::is_finished);
        let (ids, more, end) = read_on(&store, at, 7);
        seen.extend(ids);
        positions.extend(more);
        at = end;
        if !writing && seen.len() >= expected {
            break;
        }
        assert!(Instant::now() < deadline, "the reader did not catch up: {} of {expected} read", seen.len());
        std::thread::yield_now();
    }
    let by_writers: HashSet<Uuid> = writers.into_iter().flat_map(|w| w.join().unwrap()).collect();
    let unique: HashSet<Uuid> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len(), "no event twice");
    assert_eq!(unique, by_writers, "every event written, and nothing else");
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "positions only grow");
}

#[test]
fn an_event_that_commits_late_is_not_skipped() {
    let db = TestDb::new();
    if !db.is_postgres() {
        // SQLite has one writer at a time: a transaction cannot take a number and commit behind another.
        return;
    }
    let store = Arc::new(db.store());
    let (early, late, late_second) = (published(), published(), published());
    // B writes first (taking its transaction id), then A takes a lower sequence number than B's
    // second event, and B commits while A is still open.
    let (b_started, a_wrote, b_committed, a_may_commit) =
        (mpsc::channel(), mpsc::channel(), mpsc::channel(), mpsc::channel::<()>());
    let b = {
        let store = Arc::clone(&store);
        let (early, late_second) = (early.clone(), late_second.clone());
        let (started, wrote, committed) = (b_started.0, a_wrote.1, b_committed.0);
        std::thread::spawn(move || {
            write(store.as_ref() as &dyn Store, |tx| -> Result<_, DomainError> {
                tx.append_events(std::slice::from_ref(&early))?;
                started.send(()).unwrap();
                wrote.recv().unwrap();
                Ok(tx.append_events(std::slice::from_ref(&late_second))?)
            })
            .unwrap();
            committed.send(()).unwrap();
        })
    };
    let a = {
        let store = Arc::clone(&store);
        let late = late.clone();
        let (wrote, may_commit) = (a_wrote.0, a_may_commit.1);
        b_started.1.recv().unwrap();
        std::thread::spawn(move || {
            write(store.as_ref() as &dyn Store, |tx| -> Result<_, DomainError> {
                tx.append_events(std::slice::from_ref(&late))?;
                wrote.send(()).unwrap();
                may_commit.recv().unwrap();
                Ok(())
            })
            .unwrap();
        })
    };
    b_committed.1.recv().unwrap();
    // B has committed and A has not: nothing of A's may be skipped, so whatever is served now
    // must not run past A's number.
    let (first, _, at) = read_on(&store, FeedPosition::START, 10);
    assert!(!first.contains(&late.id), "A has not committed");
    a_may_commit.0.send(()).unwrap();
    a.join().unwrap();
    b.join().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = first;
    let mut at = at;
    while seen.len() < 3 {
        let (more, _, end) = read_on(&store, at, 10);
        seen.extend(more);
        at = end;
        assert!(Instant::now() < deadline, "the feed did not catch up: {seen:?}");
        std::thread::yield_now();
    }
    let all: HashSet<Uuid> = seen.iter().copied().collect();
    assert_eq!(all, HashSet::from([early.id, late.id, late_second.id]), "A's event came after all");
    assert_eq!(seen.len(), 3, "once each");
}
