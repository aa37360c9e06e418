//! Who may see a placement's participants: its coordinators and named hosts.

use uuid::Uuid;

use crate::applying::HiddenError;
use crate::error::{NotFound, StoreError};
use crate::model::application::{Application, ChangedBy};
use crate::model::auth::{Actor, MembershipRole};
use crate::model::placement::Placement;
use crate::ports::{ApplicationStore, ParticipationStore, PlacementStore};

crate::use_case_error! {
    /// Why a placement's hosts or participants cannot be read or changed: there is no such
    /// placement, or the caller may not see them (and is not told that it exists).
    pub enum HiddenPlacementError {
        NotFound(NotFound),
        Store(StoreError),
    }
}

/// The roles that may see a placement's participants: its coordinators and named hosts.
pub(super) fn viewer_role<S: ParticipationStore + ?Sized>(
    store: &S,
    actor: &Actor,
    placement: &Placement,
) -> Result<Option<ChangedBy>, StoreError> {
    if actor.coordinates(placement.organisation_id) {
        Ok(Some(ChangedBy::Coordinator))
    } else if actor.memberships.contains(&(placement.organisation_id, MembershipRole::Host))
        && store.is_host(placement.id, &actor.subject)?
    {
        // Named for the placement and still a host of the organisation: a revoked role ends access.
        Ok(Some(ChangedBy::Host))
    } else {
        Ok(None)
    }
}

pub(super) fn held_application<S: PlacementStore + ApplicationStore + ParticipationStore + ?Sized>(
    store: &S,
    actor: &Actor,
    application_id: Uuid,
) -> Result<(Application, Placement, ChangedBy), HiddenError> {
    let app = store.application(application_id)?;
    let placement = store.placement(app.placement_id)?;
    match viewer_role(store, actor, &placement)? {
        Some(role) => Ok((app, placement, role)),
        None => Err(NotFound.into()),
    }
}
