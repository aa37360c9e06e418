use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::codes;
use crate::error::{NotFound, StoreError};
use crate::model::application::{Application, ApplicationEvent, ApplicationStatus, ChangedBy};
use crate::model::auth::Actor;
use crate::model::event::{DomainEvent, Entity};
use crate::model::reference::{PlacementStatus, SelectionMethod};
use crate::ports::Store;
use crate::unit_of_work::write;

crate::use_case_error! {
    /// Why a name-blind review could not be recorded.
    pub enum ReviewError {
        /// The placement is a plain lottery.
        NotAReviewPlacement(()) = codes::NOT_A_REVIEW_PLACEMENT,
        /// The application is no longer submitted, or the placement is drawn or cancelled.
        ReviewClosed(()) = codes::REVIEW_CLOSED,
        /// No such application to a placement the caller coordinates.
        NotFound(NotFound),
        Store(StoreError),
    }
}

/// A coordinator records, without seeing who sent it, whether an application to a name-blind
/// review placement meets its criteria. Only applications judged to meet them enter the draw.
pub fn review(
    store: &dyn Store,
    actor: &Actor,
    application_id: Uuid,
    meets_criteria: bool,
    now: DateTime<Utc>,
) -> Result<Application, ReviewError> {
    let app = store.application(application_id)?;
    let placement = store.placement(app.placement_id)?;
    actor.require_owner_of(placement.organisation_id)?;
    if placement.details.selection_method != SelectionMethod::NameBlindReview {
        return Err(ReviewError::NotAReviewPlacement(()));
    }
    if app.status != ApplicationStatus::Submitted
        || !matches!(placement.status_at(now), PlacementStatus::Published | PlacementStatus::Closed)
    {
        return Err(ReviewError::ReviewClosed(()));
    }
    let (version, reviewed) =
        DomainEvent::edited(Entity::Application, app.id, app.version, "reviewed", ChangedBy::Coordinator, now);
    let reviewed = reviewed.with("placement_id", app.placement_id);
    let updated = Application { meets_criteria: Some(meets_criteria), version, updated_at: now, ..app.clone() };
    let note = if meets_criteria {
        "name-blind review: meets the criteria"
    } else {
        "name-blind review: does not meet the criteria"
    };
    let event = ApplicationEvent::new(
        &updated,
        Some(app.status),
        (&actor.subject, ChangedBy::Coordinator),
        Some(note.to_string()),
        now,
    );
    write(store, |tx| -> Result<_, StoreError> {
        tx.transition_application(&updated, app.version, &event, &[])?;
        tx.append_events(&[reviewed])
    })?;
    Ok(updated)
}
