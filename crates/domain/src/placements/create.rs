use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::checks::check_references;
use crate::error::DomainError;
use crate::model::auth::Actor;
use crate::model::placement::{Placement, PlacementDetails};
use crate::ports::{OrganisationStore, PlacementStore};

/// Coordinators create draft placements for their organisation.
pub fn create_placement(
    orgs: &dyn OrganisationStore,
    store: &dyn PlacementStore,
    actor: &Actor,
    organisation_id: Uuid,
    details: PlacementDetails,
    now: DateTime<Utc>,
) -> Result<Placement, DomainError> {
    orgs.organisation(organisation_id)?;
    actor.require_coordinator_of(organisation_id)?;
    let details = details.checked()?;
    check_references(orgs, organisation_id, &details)?;
    let placement = Placement::draft(Uuid::now_v7(), organisation_id, details, now);
    store.insert_placement(&placement)?;
    Ok(placement)
}
