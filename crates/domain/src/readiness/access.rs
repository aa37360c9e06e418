//! Who may see and change a place's checklist: the participant, an advocate with an active link
//! to them, and coordinators of the placement's organisation. Everyone else is told nothing.

use uuid::Uuid;

use crate::advocacy::can_act_for;
use crate::codes;
use crate::error::StoreError;
use crate::model::application::{Application, ApplicationStatus, ChangedBy};
use crate::model::auth::Actor;
use crate::model::placement::Placement;
use crate::model::profile::{Profile, age_on};
use crate::ports::Store;
use crate::use_case_error::NotFound;

crate::use_case_error! {
    /// Why a place's checklist cannot be read.
    pub enum ReadinessAccessError {
        /// The application never held a place (the message names its status).
        NotAParticipant(String) = codes::NOT_A_PARTICIPANT,
        /// No such application of the caller's, or one they act for, or of a placement they coordinate.
        NotFound(NotFound),
        Store(StoreError),
    }
}

/// Statuses of an application that holds, or held, a place.
pub(crate) const HELD: &[ApplicationStatus] = &[
    ApplicationStatus::Accepted,
    ApplicationStatus::Attended,
    ApplicationStatus::DidNotAttend,
    ApplicationStatus::Completed,
];

/// An application with what its checklist depends on, and the role the caller acts in.
pub(crate) struct Place {
    pub app: Application,
    pub placement: Placement,
    pub profile: Profile,
    /// The participant's age on the placement's start date.
    pub age: u32,
    pub role: ChangedBy,
}

/// The place, if the caller may see it (404 otherwise, before anything about it is said).
pub(crate) fn place(store: &dyn Store, actor: &Actor, application_id: Uuid) -> Result<Place, ReadinessAccessError> {
    let app = match store.application(application_id) {
        Err(StoreError::NotFound) => return Err(NotFound.into()),
        other => other?,
    };
    let placement = store.placement(app.placement_id)?;
    let profile = store.profile(app.profile_id)?;
    let role = if profile.subject.as_deref() == Some(actor.subject.as_str()) {
        ChangedBy::Applicant
    } else if actor.coordinates(placement.organisation_id) {
        ChangedBy::Coordinator
    } else if can_act_for(store, actor, &profile)? {
        ChangedBy::Advocate
    } else {
        return Err(NotFound.into());
    };
    if !HELD.contains(&app.status) {
        return Err(ReadinessAccessError::NotAParticipant(format!(
            "A readiness checklist belongs to an accepted place; this application is {}.",
            app.status
        )));
    }
    let age = age_on(profile.input.date_of_birth, placement.details.start_date);
    Ok(Place { app, placement, profile, age, role })
}
