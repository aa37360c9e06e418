use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::codes;
use crate::error::DomainError;
use crate::model::auth::Actor;
use crate::model::page::{Page, PageRequest};
use crate::model::placement::{Placement, PlacementCursor, PlacementFilter};
use crate::model::reference::PlacementStatus;
use crate::ports::PlacementStore;

fn placement_for(store: &dyn PlacementStore, actor: Option<&Actor>, id: Uuid) -> Result<Placement, DomainError> {
    let placement = store.placement(id)?;
    if placement.visible_to(actor) { Ok(placement) } else { Err(DomainError::NotFound) }
}

/// Reads a placement as the caller may see it.
pub fn get_placement(store: &dyn PlacementStore, actor: Option<&Actor>, id: Uuid) -> Result<Placement, DomainError> {
    placement_for(store, actor, id)
}

/// Searches placements. Anyone sees public ones; drafts only with `organisation_id` of an
/// organisation the caller coordinates.
pub fn search_placements(
    store: &dyn PlacementStore,
    actor: Option<&Actor>,
    filter: &PlacementFilter,
    page: &PageRequest<PlacementCursor>,
    now: DateTime<Utc>,
) -> Result<Page<Placement, PlacementCursor>, DomainError> {
    if filter.status == PlacementStatus::Draft {
        let allowed = match (actor, filter.organisation_id) {
            (Some(a), Some(org)) => a.coordinates(org),
            _ => false,
        };
        if !allowed {
            return Err(DomainError::Forbidden(&codes::DRAFTS_NEED_OWN_ORGANISATION));
        }
    }
    Ok(store.search_placements(filter, now, page)?)
}
