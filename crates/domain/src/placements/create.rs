use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::checks::check_references;
use crate::codes;
use crate::error::StoreError;
use crate::model::application::ChangedBy;
use crate::model::auth::Actor;
use crate::model::event::{DomainEvent, Entity};
use crate::model::placement::{Placement, PlacementDetails};
use crate::ports::Store;
use crate::unit_of_work::write;
use crate::use_case_error::Invalid;

crate::use_case_error! {
    /// Why a placement could not be created.
    pub enum CreatePlacementError {
        /// The organisation is public, so a caller who does not coordinate it is told so.
        NotCoordinator(()) = codes::COORDINATOR_ROLE_REQUIRED,
        /// Its details break rules, or name a site or department of another organisation.
        Invalid(Invalid),
        /// No such organisation (`not_found`), or the store failed.
        Store(StoreError),
    }
}

/// Coordinators create draft placements for their organisation.
pub fn create_placement(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    details: PlacementDetails,
    now: DateTime<Utc>,
) -> Result<Placement, CreatePlacementError> {
    store.organisation(organisation_id)?;
    if !actor.coordinates(organisation_id) {
        return Err(CreatePlacementError::NotCoordinator(()));
    }
    let (placement, event) = draft::<CreatePlacementError>(store, organisation_id, details, now)?;
    write(store, |tx| -> Result<_, StoreError> {
        tx.insert_placement(&placement)?;
        tx.append_events(&[event])
    })?;
    Ok(placement)
}

/// A new draft of the organisation from `details`, with the `created` event that records it, once
/// the details pass every rule of a draft: the one check that both a single create and an import
/// make, so the two cannot disagree. Field pointers are relative to the details.
pub(super) fn draft<E: From<Invalid> + From<StoreError>>(
    store: &dyn Store,
    organisation_id: Uuid,
    details: PlacementDetails,
    now: DateTime<Utc>,
) -> Result<(Placement, DomainEvent), E> {
    let details = details.checked().map_err(Invalid)?;
    check_references::<E>(store, organisation_id, &details)?;
    let placement = Placement::draft(Uuid::now_v7(), organisation_id, details, now);
    let event = DomainEvent::change(
        Entity::Placement,
        placement.id,
        placement.version,
        None,
        placement.status.code(),
        ChangedBy::Coordinator,
        now,
    )
    .with("organisation_id", organisation_id);
    Ok((placement, event))
}
