//! Naming the hosts of a placement.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::access::HiddenPlacementError;
use crate::codes;
use crate::error::{NotFound, StoreError};
use crate::model::auth::{Actor, MembershipRole};
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::model::placement::Placement;
use crate::ports::{ParticipationStore, PlacementStore, Store};
use crate::unit_of_work::write;
use crate::use_case_error::Invalid;

crate::use_case_error! {
    /// Why a host could not be named for a placement.
    pub enum AddHostError {
        /// The host is named for the placement already.
        AlreadyNamed(String) = codes::ALREADY_NAMED,
        /// No such placement of an organisation the caller coordinates.
        NotFound(NotFound),
        /// The subject is not a host of the organisation (`/subject` `not_a_host`).
        Invalid(Invalid),
        Store(StoreError),
    }
}

/// Naming or removing a host changes who may see the placement's participants, not the placement:
/// the event names the placement at its version, and never the host (a person's subject).
fn hosts_changed(placement: &Placement, what: &'static str, now: DateTime<Utc>) -> DomainEvent {
    DomainEvent::edit(Entity::Placement, placement.id, placement.version, what, EventActor::Coordinator, now)
        .with("organisation_id", placement.organisation_id)
}

/// Coordinators name a host for a placement: someone who holds the host role in the organisation.
pub fn add_host(
    store: &dyn Store,
    actor: &Actor,
    placement_id: Uuid,
    subject: &str,
    now: DateTime<Utc>,
) -> Result<(), AddHostError> {
    let placement = store.placement(placement_id)?;
    actor.require_owner_of(placement.organisation_id)?;
    let subject = subject.trim();
    let grants = store.grants_of(subject)?;
    if !grants.memberships.contains(&(placement.organisation_id, MembershipRole::Host)) {
        return Err(AddHostError::Invalid(Invalid::one(
            "/subject",
            "not_a_host",
            "This person is not a host of the organisation: an administrator must grant them the host role first.",
        )));
    }
    let event = hosts_changed(&placement, "host_named", now);
    write(store, |tx| -> Result<_, AddHostError> {
        tx.add_host(placement_id, subject, &actor.subject, now).map_err(|e| match e {
            StoreError::Duplicate => {
                AddHostError::AlreadyNamed("This host is already named for the placement.".to_string())
            }
            other => other.into(),
        })?;
        Ok(tx.append_events(&[event])?)
    })
}

/// The subjects of a placement's named hosts, for its coordinators.
pub fn hosts<S: PlacementStore + ParticipationStore + ?Sized>(
    store: &S,
    actor: &Actor,
    placement_id: Uuid,
) -> Result<Vec<String>, HiddenPlacementError> {
    let placement = store.placement(placement_id)?;
    actor.require_owner_of(placement.organisation_id)?;
    Ok(store.hosts_of(placement_id)?)
}

/// Coordinators remove a named host; one not named is not found.
pub fn remove_host(
    store: &dyn Store,
    actor: &Actor,
    placement_id: Uuid,
    subject: &str,
    now: DateTime<Utc>,
) -> Result<(), HiddenPlacementError> {
    let placement = store.placement(placement_id)?;
    actor.require_owner_of(placement.organisation_id)?;
    let event = hosts_changed(&placement, "host_removed", now);
    write(store, |tx| -> Result<_, StoreError> {
        tx.remove_host(placement_id, subject)?;
        tx.append_events(&[event])
    })?;
    Ok(())
}
