use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::visible::visible_application;
use crate::error::DomainError;
use crate::messages::tell;
use crate::model::application::{Application, ApplicationEvent, ApplicationStatus};
use crate::model::auth::Actor;
use crate::model::notification::Template;
use crate::ports::{AdvocacyStore, ApplicationStore, PlacementStore, ProfileStore};

/// Withdraws an application that has no outcome yet.
pub fn withdraw<S: PlacementStore + ProfileStore + ApplicationStore + AdvocacyStore + ?Sized>(
    store: &S,
    actor: &Actor,
    id: Uuid,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> Result<Application, DomainError> {
    let (current, profile, role) = visible_application(store, actor, id)?;
    if !matches!(current.status, ApplicationStatus::Submitted | ApplicationStatus::Waitlisted) {
        return Err(DomainError::conflict(
            "not_withdrawable",
            format!("An application that is {} cannot be withdrawn.", current.status),
        ));
    }
    let reason = reason.map(|r| r.trim().to_string()).filter(|r| crate::model::validation::has_visible(r));
    if reason.as_ref().is_some_and(|r| r.chars().count() > 1000) {
        return Err(DomainError::invalid("/reason", "too_long", "Keep the reason to 1000 characters."));
    }
    let placement = store.placement(current.placement_id)?;
    let version = current.version;
    let from = current.status;
    let app = Application { status: ApplicationStatus::Withdrawn, version: version + 1, updated_at: now, ..current };
    let event = ApplicationEvent::new(&app, Some(from), (&actor.subject, role.into()), reason, now);
    let title = &placement.details.title;
    let notifications = tell(
        &profile,
        Template::ApplicationWithdrawn,
        &format!("Application withdrawn: {title}"),
        &format!("The application for \"{title}\" has been withdrawn. It will not be in the draw."),
        app.id,
        now,
    );
    store.transition_application(&app, version, &event, &notifications)?;
    Ok(app)
}
