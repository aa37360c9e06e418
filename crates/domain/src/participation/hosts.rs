//! Naming the hosts of a placement.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::codes;
use crate::error::{DomainError, StoreError};
use crate::model::auth::{Actor, MembershipRole};
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::model::placement::Placement;
use crate::ports::{ParticipationStore, PlacementStore, Store};
use crate::unit_of_work::write;

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
) -> Result<(), DomainError> {
    let placement = store.placement(placement_id)?;
    actor.require_owner_of(placement.organisation_id)?;
    let subject = subject.trim();
    let grants = store.grants_of(subject)?;
    if !grants.memberships.contains(&(placement.organisation_id, MembershipRole::Host)) {
        return Err(DomainError::invalid(
            "/subject",
            "not_a_host",
            "This person is not a host of the organisation: an administrator must grant them the host role first.",
        ));
    }
    let event = hosts_changed(&placement, "host_named", now);
    write(store, |tx| -> Result<_, DomainError> {
        match tx.add_host(placement_id, subject, &actor.subject, now) {
            Ok(()) => {}
            Err(StoreError::Duplicate) => {
                return Err(DomainError::rule(&codes::ALREADY_NAMED, "This host is already named for the placement."));
            }
            Err(e) => return Err(e.into()),
        }
        Ok(tx.append_events(&[event])?)
    })
}

pub fn hosts<S: PlacementStore + ParticipationStore + ?Sized>(
    store: &S,
    actor: &Actor,
    placement_id: Uuid,
) -> Result<Vec<String>, DomainError> {
    let placement = store.placement(placement_id)?;
    actor.require_owner_of(placement.organisation_id)?;
    Ok(store.hosts_of(placement_id)?)
}

pub fn remove_host(
    store: &dyn Store,
    actor: &Actor,
    placement_id: Uuid,
    subject: &str,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    let placement = store.placement(placement_id)?;
    actor.require_owner_of(placement.organisation_id)?;
    let event = hosts_changed(&placement, "host_removed", now);
    write(store, |tx| {
        tx.remove_host(placement_id, subject)?;
        Ok(tx.append_events(&[event])?)
    })
}
