//! Which places are T-level places, and what part a caller has in one: employer (the
//! organisation's coordinator), provider (its provider coordinators), student, supervisor.

use uuid::Uuid;

use crate::advocacy::can_act_for;
use crate::error::{NotFound, StoreError};
use crate::model::application::{Application, ApplicationStatus};
use crate::model::auth::{Actor, MembershipRole};
use crate::model::placement::Placement;
use crate::model::profile::Profile;
use crate::model::reference::PlacementKind;
use crate::model::t_level::Agreement;
use crate::ports::Store;
use crate::providers::provider_of_profile;

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

/// The parts a caller has in a place (a provider coordinator holding a student without an account
/// speaks for the provider and the student).
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

/// Who stands for the student's education provider: a provider coordinator of the provider whose
/// student this is (an API client never: clients act for NHS organisations).
pub fn acts_as_provider(store: &dyn Store, actor: &Actor, profile: &Profile) -> Result<bool, StoreError> {
    Ok(!actor.is_client()
        && provider_of_profile(store, profile.id)?.is_some_and(|provider| actor.coordinates_provider(provider)))
}

/// Who speaks for the student: the student, signed in to their own account; for a student without
/// one, whoever manages the profile (their advocate, or their provider's coordinators, who hold it).
fn acts_as_student(store: &dyn Store, actor: &Actor, profile: &Profile, provider: bool) -> Result<bool, StoreError> {
    match profile.subject.as_deref() {
        Some(subject) => Ok(subject == actor.subject),
        None => Ok(provider || can_act_for(store, actor, profile)?),
    }
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
    let provider = acts_as_provider(store, actor, &place.profile)?;
    Ok(Parts {
        employer: actor.coordinates(organisation_id),
        provider,
        student: acts_as_student(store, actor, &place.profile, provider)?,
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
