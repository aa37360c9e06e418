use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::DomainError;
use crate::model::auth::Actor;
use crate::model::placement::Placement;
use crate::model::reference::PlacementStatus;
use crate::ports::PlacementStore;

/// Closes a published placement early. Coordinators of its organisation only (404 for others).
pub fn close_placement<S: PlacementStore + ?Sized>(
    store: &S,
    actor: &Actor,
    placement_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Placement, DomainError> {
    let current = store.placement(placement_id)?;
    actor.require_owner_of(current.organisation_id)?;
    if !current.is_open_at(now) {
        return Err(DomainError::conflict(
            "not_open",
            format!(
                "Only a placement taking applications now can be closed early; this one is {}.",
                current.status_at(now)
            ),
        ));
    }
    let version = current.version;
    // The record shows when applications really closed.
    let mut details = current.details.clone();
    details.closes_at = now;
    let placement =
        Placement { status: PlacementStatus::Closed, details, version: version + 1, updated_at: now, ..current };
    store.update_placement(&placement, version)?;
    Ok(placement)
}
