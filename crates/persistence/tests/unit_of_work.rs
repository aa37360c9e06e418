//! The unit of work on both databases: what a transaction writes is stored together or not at
//! all, a session holds one connection, and events get increasing sequence numbers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use uuid::Uuid;
use wex_domain::DomainError;
use wex_domain::model::application::ChangedBy;
use wex_domain::model::event::{DomainEvent, Entity};
use wex_domain::ports::EventStore;
use wex_domain::unit_of_work::{read, write};
use wex_persistence::testing::TestDb;

fn event(n: i64) -> DomainEvent {
    let at = wex_domain::now();
    DomainEvent::change(Entity::Placement, Uuid::now_v7(), n, Some("draft"), "published", ChangedBy::Coordinator, at)
        .with("organisation_id", Uuid::now_v7())
}

#[test]
fn a_transaction_stores_all_its_events_or_none() {
    let db = TestDb::new();
    let store = db.store();
    let (a, b) = (event(1), event(2));
    write(&store, |tx| -> Result<_, DomainError> {
        tx.append_events(std::slice::from_ref(&a))?;
        tx.append_events(std::slice::from_ref(&b))?;
        Ok(())
    })
    .unwrap();

    // A unit of work that fails after writing leaves nothing behind.
    let refused: Result<(), DomainError> = write(&store, |tx| {
        tx.append_events(&[event(3)])?;
        Err(DomainError::rule(&wex_domain::codes::CONFLICT, "Refused after writing.".to_string()))
    });
    assert!(refused.is_err());

    let stored = store.events_after(0, 10).unwrap();
    assert_eq!(stored.iter().map(|e| e.event.clone()).collect::<Vec<_>>(), vec![a, b]);
    assert!(stored[0].seq < stored[1].seq);
    assert_eq!(store.events_after(stored[0].seq, 10).unwrap().len(), 1);
    assert!(store.events_after(stored[1].seq, 10).unwrap().is_empty());
}

#[test]
fn a_nested_unit_of_work_rolls_back_alone() {
    let db = TestDb::new();
    let store = db.store();
    write(&store, |tx| -> Result<_, DomainError> {
        tx.append_events(&[event(1)])?;
        let inner: Result<(), DomainError> = write(tx, |tx| {
            tx.append_events(&[event(2)])?;
            Err(DomainError::NotFound)
        });
        assert!(matches!(inner, Err(DomainError::NotFound)));
        Ok(())
    })
    .unwrap();
    let stored = store.events_after(0, 10).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].event.entity_version, 1);
}

#[test]
fn a_session_reuses_one_connection_and_sees_its_own_writes() {
    let db = TestDb::new();
    let store = db.store();
    let seen = read(&store, |s| -> Result<_, DomainError> {
        write(s, |tx| tx.append_events(&[event(1)]).map_err(DomainError::from))?;
        Ok(s.events_after(0, 10)?.len())
    })
    .unwrap();
    assert_eq!(seen, 1);
    // Every connection of the pool is free again afterwards.
    let state = store.pool().state();
    assert_eq!(state.connections, state.idle_connections, "{state:?}");
}

/// A use case's own error type passes through the store unchanged, and still rolls back.
#[test]
fn a_typed_error_comes_back_as_it_was_returned() {
    wex_domain::use_case_error! {
        enum Refusal {
            Mine(String) = wex_domain::codes::BUSY,
            Store(wex_domain::StoreError),
        }
    }
    let db = TestDb::new();
    let store = db.store();
    let refused: Result<(), Refusal> = write(&store, |tx| {
        tx.append_events(&[event(1)])?;
        Err(Refusal::Mine("mine".to_string()))
    });
    assert!(matches!(refused, Err(Refusal::Mine(m)) if m == "mine"));
    assert!(store.events_after(0, 10).unwrap().is_empty());
}
