//! The feedback surveys: participants after completing, hosts once the placement has started.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::access::viewer_role;
use crate::applying::{HiddenError, visible_application};
use crate::codes;
use crate::error::{NotFound, StoreError};
use crate::model::application::{ApplicationStatus, ChangedBy};
use crate::model::auth::Actor;
use crate::model::event::{DomainEvent, Entity};
use crate::model::participation::{HostFeedback, ParticipantFeedback};
use crate::model::validation::has_visible;
use crate::ports::Store;
use crate::unit_of_work::write;
use crate::use_case_error::Invalid;

crate::use_case_error! {
    /// Why a participant's feedback could not be given.
    pub enum FeedbackError {
        /// The placement is not completed for this application.
        NotCompleted(String) = codes::NOT_COMPLETED,
        /// Feedback was given for this application already.
        AlreadyGiven(String) = codes::FEEDBACK_ALREADY_GIVEN,
        /// No such application of the caller's (or of someone they act for).
        Hidden(HiddenError),
        /// The comments are too long, or blank.
        Invalid(Invalid),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why a host's feedback could not be given.
    pub enum HostFeedbackError {
        /// The placement has not started yet.
        NotStarted(String) = codes::NOT_STARTED,
        /// This host gave feedback for the placement already.
        AlreadyGiven(String) = codes::FEEDBACK_ALREADY_GIVEN,
        /// No such placement the caller is named to host.
        NotFound(NotFound),
        /// The comments are too long, or blank.
        Invalid(Invalid),
        Store(StoreError),
    }
}

fn check_comments(comments: &Option<String>) -> Result<(), Invalid> {
    if comments.as_ref().is_some_and(|c| c.chars().count() > 2000) {
        return Err(Invalid::one("/comments", "too_long", "Keep comments to 2000 characters."));
    }
    if comments.as_ref().is_some_and(|c| !c.is_empty() && !has_visible(c)) {
        return Err(Invalid::one("/comments", "required", "Write something, or leave comments out."));
    }
    Ok(())
}

/// The participant (or their advocate) answers the survey once, after completing.
pub fn give_feedback(
    store: &dyn Store,
    actor: &Actor,
    application_id: Uuid,
    feedback: &ParticipantFeedback,
    now: DateTime<Utc>,
) -> Result<(), FeedbackError> {
    let (app, _, by) = visible_application(store, actor, application_id)?;
    if app.status != ApplicationStatus::Completed {
        return Err(FeedbackError::NotCompleted("Feedback is asked for once the placement is completed.".to_string()));
    }
    check_comments(&feedback.comments)?;
    // Feedback leaves the application as it was: the event names it at its version, and says
    // nothing of the answers.
    let event = DomainEvent::edit(Entity::Application, app.id, app.version, "feedback_given", ChangedBy::from(by), now)
        .with("placement_id", app.placement_id);
    write(store, |tx| -> Result<_, FeedbackError> {
        tx.insert_participant_feedback(application_id, feedback, now).map_err(|e| match e {
            StoreError::Duplicate => {
                FeedbackError::AlreadyGiven("Feedback has already been given for this placement.".to_string())
            }
            other => other.into(),
        })?;
        Ok(tx.append_events(&[event])?)
    })
}

/// A named host answers the host survey for a placement, once.
pub fn give_host_feedback(
    store: &dyn Store,
    actor: &Actor,
    placement_id: Uuid,
    feedback: &HostFeedback,
    now: DateTime<Utc>,
) -> Result<(), HostFeedbackError> {
    let placement = store.placement(placement_id)?;
    if viewer_role(store, actor, &placement)? != Some(ChangedBy::Host) {
        return Err(NotFound.into());
    }
    if now.date_naive() < placement.details.start_date {
        return Err(HostFeedbackError::NotStarted(
            "Host feedback is asked for once the placement has started.".to_string(),
        ));
    }
    check_comments(&feedback.comments)?;
    // As for a participant's: the placement at its version, and neither the host nor the answers.
    let event = DomainEvent::edit(
        Entity::Placement,
        placement.id,
        placement.version,
        "host_feedback_given",
        ChangedBy::Host,
        now,
    )
    .with("organisation_id", placement.organisation_id);
    write(store, |tx| -> Result<_, HostFeedbackError> {
        tx.insert_host_feedback(placement_id, &actor.subject, feedback, now).map_err(|e| match e {
            StoreError::Duplicate => {
                HostFeedbackError::AlreadyGiven("You have already given feedback for this placement.".to_string())
            }
            other => other.into(),
        })?;
        Ok(tx.append_events(&[event])?)
    })
}
