use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::codes;
use crate::error::StoreError;
use crate::model::auth::Actor;
use crate::model::page::{Page, PageRequest};
use crate::model::placement::{Placement, PlacementCursor, PlacementFilter};
use crate::model::reference::PlacementStatus;
use crate::ports::PlacementStore;
use crate::use_case_error::NotFound;

crate::use_case_error! {
    /// Why a placement, or what hangs off it, could not be read: there is none the caller may see
    /// (a draft, or another organisation's placement where only its coordinators may look, is
    /// missing to everyone else), or the store failed.
    pub enum PlacementReadError {
        NotFound(NotFound),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why placements could not be searched.
    pub enum SearchPlacementsError {
        /// Drafts were asked for without an organisation the caller coordinates.
        DraftsNeedOwnOrganisation(()) = codes::DRAFTS_NEED_OWN_ORGANISATION,
        Store(StoreError),
    }
}

/// Reads a placement as the caller may see it.
pub fn get_placement(
    store: &dyn PlacementStore,
    actor: Option<&Actor>,
    id: Uuid,
) -> Result<Placement, PlacementReadError> {
    let placement = store.placement(id)?;
    if placement.visible_to(actor) { Ok(placement) } else { Err(NotFound.into()) }
}

/// Searches placements. Anyone sees public ones; drafts only with `organisation_id` of an
/// organisation the caller coordinates.
pub fn search_placements(
    store: &dyn PlacementStore,
    actor: Option<&Actor>,
    filter: &PlacementFilter,
    page: &PageRequest<PlacementCursor>,
    now: DateTime<Utc>,
) -> Result<Page<Placement, PlacementCursor>, SearchPlacementsError> {
    if filter.status == PlacementStatus::Draft {
        let allowed = match (actor, filter.organisation_id) {
            (Some(a), Some(org)) => a.coordinates(org),
            _ => false,
        };
        if !allowed {
            return Err(SearchPlacementsError::DraftsNeedOwnOrganisation(()));
        }
    }
    Ok(store.search_placements(filter, now, page)?)
}
