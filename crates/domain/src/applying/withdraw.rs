use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::visible::visible_application;
use crate::codes;
use crate::error::DomainError;
use crate::messages::tell;
use crate::model::application::{Application, ApplicationStatus, ChangedBy};
use crate::model::auth::Actor;
use crate::model::notification::Template;
use crate::ports::Store;
use crate::unit_of_work::write;

/// Withdraws an application that has no outcome yet.
pub fn withdraw(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> Result<Application, DomainError> {
    let (current, profile, role) = visible_application(store, actor, id)?;
    let by = (actor.subject.as_str(), ChangedBy::from(role));
    if !current.status.movers(ApplicationStatus::Withdrawn).contains(&by.1) {
        return Err(DomainError::rule(
            &codes::NOT_WITHDRAWABLE,
            format!("An application that is {} cannot be withdrawn.", current.status),
        ));
    }
    let reason = reason.map(|r| r.trim().to_string()).filter(|r| crate::model::validation::has_visible(r));
    if reason.as_ref().is_some_and(|r| r.chars().count() > 1000) {
        return Err(DomainError::invalid("/reason", "too_long", "Keep the reason to 1000 characters."));
    }
    let placement = store.placement(current.placement_id)?;
    let change = current.transition(ApplicationStatus::Withdrawn, by, reason, now)?;
    let app = change.application;
    let title = &placement.details.title;
    let notifications = tell(
        &profile,
        Template::ApplicationWithdrawn,
        &format!("Application withdrawn: {title}"),
        &format!("The application for \"{title}\" has been withdrawn. It will not be in the draw."),
        app.id,
        now,
    );
    write(store, |tx| -> Result<_, DomainError> {
        tx.transition_application(&app, current.version, &change.history, &notifications)?;
        Ok(tx.append_events(std::slice::from_ref(&change.event))?)
    })?;
    Ok(app)
}
