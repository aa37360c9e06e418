//! Naming the hosts of a placement.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::codes;
use crate::error::{DomainError, StoreError};
use crate::model::auth::{Actor, MembershipRole};
use crate::ports::{IdentityStore, ParticipationStore, PlacementStore};

/// Coordinators name a host for a placement: someone who holds the host role in the organisation.
pub fn add_host<S: PlacementStore + IdentityStore + ParticipationStore + ?Sized>(
    store: &S,
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
    match store.add_host(placement_id, subject, &actor.subject, now) {
        Ok(()) => Ok(()),
        Err(StoreError::Duplicate) => {
            Err(DomainError::rule(&codes::ALREADY_NAMED, "This host is already named for the placement."))
        }
        Err(e) => Err(e.into()),
    }
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

pub fn remove_host<S: PlacementStore + ParticipationStore + ?Sized>(
    store: &S,
    actor: &Actor,
    placement_id: Uuid,
    subject: &str,
) -> Result<(), DomainError> {
    let placement = store.placement(placement_id)?;
    actor.require_owner_of(placement.organisation_id)?;
    Ok(store.remove_host(placement_id, subject)?)
}
