//! Attendance, completion with a certificate, and checking a certificate.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::access::held_application;
use crate::applying::HiddenError;
use crate::codes;
use crate::error::{NotFound, StoreError};
use crate::messages::ending::feedback_request;
use crate::model::application::{Application, ApplicationStatus};
use crate::model::auth::Actor;
use crate::model::event::{DomainEvent, Entity};
use crate::model::participation::{Certificate, certificate_code, initials};
use crate::model::placement::Placement;
use crate::model::reference::PlacementKind;
use crate::model::t_level::ReviewStage;
use crate::model::transition::Illegal;
use crate::ports::{OrganisationStore, ParticipationStore, PlacementStore, Store};
use crate::unit_of_work::write;

crate::use_case_error! {
    /// Why attendance could not be recorded.
    pub enum AttendanceError {
        /// The application holds no place, or its attendance is already final (the message names
        /// its status).
        NotAParticipant(String) = codes::NOT_A_PARTICIPANT,
        /// The placement has not started yet.
        NotStarted(String) = codes::NOT_STARTED,
        /// Recorded as attended while readiness items are missing (the message lists their codes).
        NotReady(String) = codes::NOT_READY,
        /// No such participant of a placement the caller hosts or coordinates.
        Hidden(HiddenError),
        /// Its status changed between reading and deciding.
        Illegal(Illegal),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why a placement could not be completed for a participant.
    pub enum CompleteError {
        /// The application is not attended (the message names its status).
        NotAttended(String) = codes::NOT_ATTENDED,
        /// A T-level placement whose supervisor has not recorded the end review.
        EndReviewRequired(()) = codes::END_REVIEW_REQUIRED,
        /// No such participant of a placement the caller hosts or coordinates.
        Hidden(HiddenError),
        /// Its status changed between reading and deciding.
        Illegal(Illegal),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why a certificate could not be shown: no certificate has the code.
    pub enum CertificateError {
        NotFound(NotFound),
        Store(StoreError),
    }
}

/// A host or coordinator records whether a participant came. Attended is refused (409
/// `not_ready`) while the participant's readiness checklist misses anything.
pub fn record_attendance(
    store: &dyn Store,
    actor: &Actor,
    application_id: Uuid,
    attended: bool,
    now: DateTime<Utc>,
) -> Result<Application, AttendanceError> {
    let (app, placement, role) = held_application(store, actor, application_id)?;
    let status = if attended { ApplicationStatus::Attended } else { ApplicationStatus::DidNotAttend };
    // Attendance can be corrected until the placement is marked complete (the transition table).
    if !app.status.movers(status).contains(&role) {
        return Err(AttendanceError::NotAParticipant(format!(
            "Attendance is recorded for participants holding a place; this application is {}.",
            app.status
        )));
    }
    if now.date_naive() < placement.details.start_date {
        return Err(AttendanceError::NotStarted(
            "Attendance can be recorded once the placement has started.".to_string(),
        ));
    }
    // Someone not ready cannot start: their attendance cannot be recorded (absence can).
    if attended {
        let missing = crate::readiness::missing_for(store, &app, &placement)?;
        if !missing.is_empty() {
            return Err(AttendanceError::NotReady(format!(
                "The participant is not ready to start. Missing: {}.",
                missing.join(", ")
            )));
        }
    }
    let change = app.transition(status, (&actor.subject, role), None, now)?;
    write(store, |tx| -> Result<_, StoreError> {
        tx.transition_application(&change.application, app.version, &change.history, &[])?;
        tx.append_events(std::slice::from_ref(&change.event))
    })?;
    Ok(change.application)
}

/// A host or coordinator marks an attended placement completed: a certificate is issued and the
/// participant is asked for feedback.
pub fn complete(
    store: &dyn Store,
    actor: &Actor,
    application_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(Application, Certificate), CompleteError> {
    let (app, placement, role) = held_application(store, actor, application_id)?;
    if !app.status.movers(ApplicationStatus::Completed).contains(&role) {
        return Err(CompleteError::NotAttended(format!(
            "Only an attended placement can be completed; this application is {}.",
            app.status
        )));
    }
    // A T-level certificate states the hours logged for the place, once the end review is in.
    let t_level_hours = if placement.details.kind == PlacementKind::TLevelIndustryPlacement {
        if !store.t_level_reviews(application_id)?.iter().any(|r| r.stage == ReviewStage::End) {
            return Err(CompleteError::EndReviewRequired(()));
        }
        let logged = store.t_level_hours_of_profile(app.profile_id)?;
        Some(logged.iter().filter(|e| e.application_id == application_id).map(|e| e.hours).sum())
    } else {
        None
    };
    let profile = store.profile(app.profile_id)?;
    let change = app.transition(ApplicationStatus::Completed, (&actor.subject, role), None, now)?;
    let (updated, event) = (change.application.clone(), change.history.clone());
    let certificate = Certificate {
        code: certificate_code()?,
        application_id,
        placement_id: placement.id,
        initials: initials(profile.input.preferred_name.as_deref()),
        issued_at: now,
        t_level_hours,
    };
    let request = feedback_request(&profile, &placement, &certificate, now);
    // A certificate is named by the application it completes; its code, which lets anyone read
    // it, stays out of the log.
    let (_, issued) = DomainEvent::created(Entity::Certificate, application_id, "issued", role, now);
    let issued = issued.with("placement_id", placement.id);
    write(store, |tx| -> Result<_, StoreError> {
        tx.complete_with_certificate(&updated, app.version, &event, &certificate, &[request])?;
        tx.append_events(&[change.event.clone(), issued])
    })?;
    Ok((updated, certificate))
}

/// The public view of a certificate: placement, organisation, dates and initials only.
pub fn verify_certificate<S: ParticipationStore + PlacementStore + OrganisationStore + ?Sized>(
    store: &S,
    code: &str,
) -> Result<VerifiedCertificate, CertificateError> {
    let certificate = match store.certificate(&code.trim().to_ascii_uppercase()) {
        Err(StoreError::NotFound) => return Err(NotFound.into()),
        other => other?,
    };
    let placement = store.placement(certificate.placement_id)?;
    let organisation_name = store.organisation(placement.organisation_id)?.input.name;
    Ok(VerifiedCertificate { certificate, placement, organisation_name })
}

/// A certificate with what it proves: the placement and the name of its organisation.
#[derive(Debug, Clone)]
pub struct VerifiedCertificate {
    pub certificate: Certificate,
    pub placement: Placement,
    pub organisation_name: String,
}
