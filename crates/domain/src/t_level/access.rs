//! Which places are T-level places, and what part a caller has in one: employer (the
//! organisation's coordinator), provider, student (or their advocate), supervisor.

use uuid::Uuid;

use crate::advocacy::{can_act_for, is_advocate_for};
use crate::error::{NotFound, StoreError};
use crate::model::application::{Application, ApplicationStatus};
use crate::model::auth::{Actor, MembershipRole};
use crate::model::placement::Placement;
use crate::model::profile::Profile;
use crate::model::reference::PlacementKind;
use crate::model::t_level::Agreement;
use crate::ports::{AdvocacyStore, Store};

crate::use_case_error! {
    /// Why a T-level place cannot be read: there is no such accepted place on a T-level
    /// placement, or the caller has no part in it (and is not told that it exists).
    pub enum HiddenPlaceError {
        NotFound(NotFound),
        Store(StoreError),
    }
}

/// An accepted place on a T-level placement, with its agreement once recorded.
pub(super) struct Place {
    pub app: Application,
    pub placement: Placement,
    pub profile: Profile,
    pub agreement: Option<Agreement>,
}

impl Place {
    pub fn completed(&self) -> bool {
        self.app.status == ApplicationStatus::Completed
    }
}

/// The parts a caller has in a place (an advocate standing in for the provider may hold two).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Parts {
    pub employer: bool,
    pub provider: bool,
    pub student: bool,
    pub supervisor: bool,
}

impl Parts {
    pub fn any(&self) -> bool {
        self.employer || self.provider || self.student || self.supervisor
    }
}

/// Who stands for the student's education provider: for now, an advocate holding an active link
/// to the student (a college's T-level coordinator links as one today). The one place to change
/// when education providers and their coordinators exist: the provider coordinator of the
/// student's provider.
pub fn acts_as_provider<S: AdvocacyStore + ?Sized>(
    store: &S,
    actor: &Actor,
    profile: &Profile,
) -> Result<bool, StoreError> {
    is_advocate_for(store, actor, profile)
}

/// Statuses of an application that holds (or held, to completion) an accepted place.
fn holds_place(status: ApplicationStatus) -> bool {
    matches!(
        status,
        ApplicationStatus::Accepted
            | ApplicationStatus::Attended
            | ApplicationStatus::DidNotAttend
            | ApplicationStatus::Completed
    )
}

/// The accepted T-level place of an application; anything else is not found.
pub(super) fn place(store: &dyn Store, application_id: Uuid) -> Result<Place, HiddenPlaceError> {
    let app = store.application(application_id)?;
    let placement = store.placement(app.placement_id)?;
    if placement.details.kind != PlacementKind::TLevelIndustryPlacement || !holds_place(app.status) {
        return Err(NotFound.into());
    }
    let profile = store.profile(app.profile_id)?;
    let agreement = store.t_level_agreement(application_id)?;
    Ok(Place { app, placement, profile, agreement })
}

pub(super) fn parts(store: &dyn Store, actor: &Actor, place: &Place) -> Result<Parts, StoreError> {
    let organisation_id = place.placement.organisation_id;
    // A supervisor whose host role was revoked loses the part with it.
    let supervisor = place.agreement.as_ref().is_some_and(|a| a.terms.supervisor == actor.subject)
        && actor.memberships.contains(&(organisation_id, MembershipRole::Host));
    Ok(Parts {
        employer: actor.coordinates(organisation_id),
        provider: acts_as_provider(store, actor, &place.profile)?,
        student: can_act_for(store, actor, &place.profile)?,
        supervisor,
    })
}

/// The place and the caller's parts in it; 404 for a caller with none.
pub(super) fn visible_place(
    store: &dyn Store,
    actor: &Actor,
    application_id: Uuid,
) -> Result<(Place, Parts), HiddenPlaceError> {
    let place = place(store, application_id)?;
    let parts = parts(store, actor, &place)?;
    if parts.any() { Ok((place, parts)) } else { Err(NotFound.into()) }
}
