use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::DomainError;
use crate::model::application::{Application, ApplicationEvent, ApplicationStatus, ChangedBy};
use crate::model::auth::Actor;
use crate::model::event::{DomainEvent, Entity};
use crate::model::reference::{PlacementStatus, SelectionMethod};
use crate::ports::Store;
use crate::unit_of_work::write;

/// A coordinator records, without seeing who sent it, whether an application to a name-blind
/// review placement meets its criteria. Only applications judged to meet them enter the draw.
pub fn review(
    store: &dyn Store,
    actor: &Actor,
    application_id: Uuid,
    meets_criteria: bool,
    now: DateTime<Utc>,
) -> Result<Application, DomainError> {
    let app = store.application(application_id)?;
    let placement = store.placement(app.placement_id)?;
    actor.require_owner_of(placement.organisation_id)?;
    if placement.details.selection_method != SelectionMethod::NameBlindReview {
        return Err(DomainError::conflict(
            "not_a_review_placement",
            "This placement is a plain lottery: there is nothing to review.",
        ));
    }
    if app.status != ApplicationStatus::Submitted
        || !matches!(placement.status_at(now), PlacementStatus::Published | PlacementStatus::Closed)
    {
        return Err(DomainError::conflict(
            "review_closed",
            "Reviews are made before the draw, on submitted applications.",
        ));
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
    write(store, |tx| {
        tx.transition_application(&updated, app.version, &event, &[])?;
        Ok(tx.append_events(&[reviewed])?)
    })?;
    Ok(updated)
}
