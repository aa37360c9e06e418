use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::checks::{check_references, owned_placement};
use super::search::PlacementReadError;
use crate::codes;
use crate::error::{FieldError, StoreError};
use crate::model::application::ChangedBy;
use crate::model::auth::Actor;
use crate::model::event::{DomainEvent, Entity};
use crate::model::placement::{Placement, PlacementDetails};
use crate::model::reference::PlacementStatus;
use crate::ports::Store;
use crate::unit_of_work::write;
use crate::use_case_error::{Invalid, NotFound};

crate::use_case_error! {
    /// Why a placement's details could not be changed.
    pub enum UpdatePlacementError {
        /// Applications have opened and the change touches a fixed field (the errors name each).
        FrozenOnceOpen(Vec<FieldError>) = codes::FROZEN_ONCE_OPEN,
        /// It is closed, allocated, completed or cancelled (the message names its status).
        NotEditable(String) = codes::PLACEMENT_NOT_EDITABLE,
        /// It changed since the caller read it.
        Stale(()) = codes::VERSION_MISMATCH,
        /// No such placement of an organisation the caller coordinates.
        NotFound(NotFound),
        /// The details break rules (a published placement's include the publishing rules), or
        /// name a site or department of another organisation.
        Invalid(Invalid),
        Store(StoreError),
    }
}

/// A placement as its organisation's coordinators read it to change it (404 for everyone else).
pub fn placement_to_edit(store: &dyn Store, actor: &Actor, id: Uuid) -> Result<Placement, PlacementReadError> {
    owned_placement(store, actor, id)
}

/// Replaces a placement's details. Drafts change freely within the rules; published placements
/// must stay publishable, and once open their eligibility, priority rules and dates are frozen.
pub fn update_placement(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
    expected_version: i64,
    details: PlacementDetails,
    now: DateTime<Utc>,
) -> Result<Placement, UpdatePlacementError> {
    let current = owned_placement::<UpdatePlacementError>(store, actor, id)?;
    if current.version != expected_version {
        return Err(UpdatePlacementError::Stale(()));
    }
    let details = details.checked().map_err(Invalid)?;
    check_references::<UpdatePlacementError>(store, current.organisation_id, &details)?;
    match current.status_at(now) {
        PlacementStatus::Draft => {}
        PlacementStatus::Published => {
            if now >= current.details.opens_at {
                let frozen = current.details.frozen_changes(&details);
                if !frozen.is_empty() {
                    return Err(UpdatePlacementError::FrozenOnceOpen(frozen));
                }
            }
            let errors = details.publishing_errors(now);
            if !errors.is_empty() {
                return Err(Invalid(errors).into());
            }
        }
        other => {
            return Err(UpdatePlacementError::NotEditable(format!(
                "A placement that is {other} can no longer be edited."
            )));
        }
    }
    let (version, event) =
        DomainEvent::edited(Entity::Placement, id, current.version, "updated", ChangedBy::Coordinator, now);
    let event = event.with("organisation_id", current.organisation_id);
    let placement = Placement { details, version, updated_at: now, ..current };
    write(store, |tx| -> Result<_, StoreError> {
        tx.update_placement(&placement, expected_version)?;
        tx.append_events(&[event])
    })?;
    Ok(placement)
}
