use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::visible::{HiddenError, visible_application};
use crate::codes;
use crate::error::StoreError;
use crate::messages::Advocates;
use crate::messages::applying::withdrawn;
use crate::model::application::{Application, ApplicationStatus, ChangedBy};
use crate::model::auth::Actor;
use crate::model::transition::Illegal;
use crate::ports::Store;
use crate::unit_of_work::write;
use crate::use_case_error::Invalid;

crate::use_case_error! {
    /// Why an application could not be withdrawn.
    pub enum WithdrawError {
        /// It has an outcome already, or is offered a place (the message names its status).
        NotWithdrawable(String) = codes::NOT_WITHDRAWABLE,
        /// The reason is too long.
        Invalid(Invalid),
        /// No such application of the caller's, or of someone they act for.
        Hidden(HiddenError),
        /// Its status changed between reading and deciding.
        Illegal(Illegal),
        Store(StoreError),
    }
}

/// Withdraws an application that has no outcome yet.
pub fn withdraw(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> Result<Application, WithdrawError> {
    let (current, profile, role) = visible_application(store, actor, id)?;
    let by = (actor.subject.as_str(), ChangedBy::from(role));
    if !current.status.movers(ApplicationStatus::Withdrawn).contains(&by.1) {
        return Err(WithdrawError::NotWithdrawable(format!(
            "An application that is {} cannot be withdrawn.",
            current.status
        )));
    }
    let reason = reason.map(|r| r.trim().to_string()).filter(|r| crate::model::validation::has_visible(r));
    if reason.as_ref().is_some_and(|r| r.chars().count() > 1000) {
        return Err(Invalid::one("/reason", "too_long", "Keep the reason to 1000 characters.").into());
    }
    let placement = store.placement(current.placement_id)?;
    let change = current.transition(ApplicationStatus::Withdrawn, by, reason, now)?;
    let app = change.application;
    let advocates = Advocates::from_pairs(store.advocate_addresses(&[profile.id])?);
    let notifications = withdrawn(&app, advocates.audience(&profile), &placement, now);
    write(store, |tx| -> Result<_, StoreError> {
        tx.transition_application(&app, current.version, &change.history, &notifications)?;
        tx.append_events(std::slice::from_ref(&change.event))
    })?;
    Ok(app)
}
