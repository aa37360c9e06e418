//! The `Allocation`: what one change that gives or ends places stores together (applications,
//! offers, history, messages and the domain events), built through the transition tables.

use chrono::{DateTime, Utc};

use crate::model::application::{Application, ApplicationEvent, ApplicationStatus, ChangedBy, PLATFORM_SUBJECT};
use crate::model::event::DomainEvent;
use crate::model::notification::Notification;
use crate::model::offer::Offer;
use crate::model::transition::{ApplicationChange, Illegal};

/// Everything that changes when places are given: applications (with the version each had),
/// new offers, history, messages and the domain events of every change. Stored in one
/// transaction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Allocation {
    pub applications: Vec<(Application, i64)>,
    pub offers: Vec<Offer>,
    /// Offers that end, with the version each had.
    pub ended_offers: Vec<(Offer, i64)>,
    pub events: Vec<ApplicationEvent>,
    pub notifications: Vec<Notification>,
    /// The domain events, appended in the transaction that stores the rest.
    pub recorded: Vec<DomainEvent>,
}

impl Allocation {
    /// Records that the platform moved `app` to `status`, giving its outcome now if it had none,
    /// with `messages` about it.
    pub(crate) fn platform_moves(
        &mut self,
        app: &Application,
        status: ApplicationStatus,
        messages: Vec<Notification>,
        now: DateTime<Utc>,
    ) -> Result<(), Illegal> {
        let mut change = app.transition(status, (PLATFORM_SUBJECT, ChangedBy::Platform), None, now)?;
        change.application.outcome_at = app.outcome_at.or(Some(now));
        self.notifications.extend(messages);
        self.moves(change, app.version);
        Ok(())
    }

    /// Records a change an actor made to an application (see [`Application::transition`]).
    pub fn moves(&mut self, change: ApplicationChange, had_version: i64) {
        self.events.push(change.history);
        self.recorded.push(change.event);
        self.applications.push((change.application, had_version));
    }
}
