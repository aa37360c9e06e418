use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::checks::check_references;
use crate::error::DomainError;
use crate::model::application::ChangedBy;
use crate::model::auth::Actor;
use crate::model::event::{DomainEvent, Entity};
use crate::model::placement::{Placement, PlacementDetails};
use crate::ports::Store;
use crate::unit_of_work::write;

/// Coordinators create draft placements for their organisation.
pub fn create_placement(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    details: PlacementDetails,
    now: DateTime<Utc>,
) -> Result<Placement, DomainError> {
    store.organisation(organisation_id)?;
    actor.require_coordinator_of(organisation_id)?;
    let details = details.checked()?;
    check_references(store, organisation_id, &details)?;
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
    write(store, |tx| -> Result<_, DomainError> {
        tx.insert_placement(&placement)?;
        Ok(tx.append_events(&[event])?)
    })?;
    Ok(placement)
}
