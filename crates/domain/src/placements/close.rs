use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::codes;
use crate::error::{NotFound, StoreError};
use crate::model::application::ChangedBy;
use crate::model::auth::Actor;
use crate::model::placement::Placement;
use crate::model::reference::PlacementStatus;
use crate::model::transition::Illegal;
use crate::ports::Store;
use crate::unit_of_work::write;

crate::use_case_error! {
    /// Why a placement could not be closed early.
    pub enum CloseError {
        /// It is not taking applications now (the message names its status).
        NotOpen(String) = codes::NOT_OPEN,
        /// No such placement of an organisation the caller coordinates.
        NotFound(NotFound),
        /// Its status changed between reading and deciding.
        Illegal(Illegal),
        Store(StoreError),
    }
}

/// Closes a published placement early. Coordinators of its organisation only (404 for others).
pub fn close_placement(
    store: &dyn Store,
    actor: &Actor,
    placement_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Placement, CloseError> {
    let current = store.placement(placement_id)?;
    actor.require_owner_of(current.organisation_id)?;
    if !current.is_open_at(now) {
        return Err(CloseError::NotOpen(format!(
            "Only a placement taking applications now can be closed early; this one is {}.",
            current.status_at(now)
        )));
    }
    let (mut placement, event) = current.transition(PlacementStatus::Closed, ChangedBy::Coordinator, now)?;
    // The record shows when applications really closed.
    placement.details.closes_at = now;
    write(store, |tx| -> Result<_, StoreError> {
        tx.update_placement(&placement, current.version)?;
        tx.append_events(std::slice::from_ref(&event))
    })?;
    Ok(placement)
}
