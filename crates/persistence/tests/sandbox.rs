//! The sandbox's wholesale deletes: every table the migrations create is emptied (a table added by a
//! later migration but not to `sandbox.rs` makes emptying fail), on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::Utc;
use uuid::Uuid;
use wex_domain::StoreError;
use wex_domain::model::auth::{Membership, MembershipRole};
use wex_domain::ports::{IdempotencyStore, IdentityStore, OrganisationStore, Reservation, SandboxStore};
use wex_persistence::testing::TestDb;

#[test]
fn emptying_the_database_deletes_every_row_and_can_run_again() {
    let db = TestDb::new();
    let store = db.store();
    let now = wex_domain::now();
    let org = wex_persistence::testing::insert_organisation(&store, "Trust");
    let membership = Membership {
        id: Uuid::now_v7(),
        organisation_id: org.id,
        subject: "c1".into(),
        role: MembershipRole::Coordinator,
        granted_by: "admin".into(),
        created_at: Utc::now(),
    };
    store.insert_membership(&membership).unwrap();
    assert_eq!(store.reserve_key("c1", "k", "h", now).unwrap(), Reservation::Reserved);

    store.empty_database().unwrap();
    assert_eq!(store.organisation(org.id), Err(StoreError::NotFound));
    assert!(store.grants_of("c1").unwrap().memberships.is_empty());
    assert_eq!(store.reserve_key("c1", "k", "h", now).unwrap(), Reservation::Reserved, "keys are forgotten");
    store.empty_database().unwrap();
    store.empty_outbox().unwrap();
}
