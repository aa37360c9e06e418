//! Offers of a place: their status and deadline, and the `Allocation` that gives or ends places
//! together with the applications, history and messages that change with them.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use uuid::Uuid;

use crate::model::application::{Application, ApplicationEvent, ApplicationStatus, ChangedBy, PLATFORM_SUBJECT};
use crate::model::event::DomainEvent;
use crate::model::notification::Notification;
use crate::model::placement::Placement;
use crate::model::reference::code_enum;
use crate::model::transition::Illegal;
use std::fmt;

code_enum! {
    OfferStatus {
        Open => ("open", "Open", "Waiting for the applicant's answer."),
        Accepted => ("accepted", "Accepted", "The applicant accepted the place."),
        Declined => ("declined", "Declined", "The applicant declined the place."),
        Expired => ("expired", "Expired", "Not answered in time."),
        Cancelled => ("cancelled", "Cancelled", "The placement was cancelled."),
    }
}

impl OfferStatus {
    /// Whether an offer in this status holds one of the placement's places: an open offer until
    /// it is answered, an accepted one for good.
    pub fn holds_place(self) -> bool {
        matches!(self, OfferStatus::Open | OfferStatus::Accepted)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub id: Uuid,
    pub application_id: Uuid,
    pub placement_id: Uuid,
    pub status: OfferStatus,
    pub respond_by: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub responded_at: Option<DateTime<Utc>>,
    pub version: i64,
}

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
        self.events.push(change.history);
        self.recorded.push(change.event);
        self.notifications.extend(messages);
        self.applications.push((change.application, app.version));
        Ok(())
    }

    /// Records a change an actor made to an application (see [`Application::transition`]).
    pub fn moves(&mut self, change: crate::model::transition::ApplicationChange, had_version: i64) {
        self.events.push(change.history);
        self.recorded.push(change.event);
        self.applications.push((change.application, had_version));
    }
}

/// The deadline for an offer made at `now`: the placement's response days (five unless set), but
/// never past the day before the start.
pub fn respond_by(placement: &Placement, now: DateTime<Utc>) -> DateTime<Utc> {
    let last = (placement.details.start_date - Duration::days(1)).and_time(NaiveTime::MIN).and_utc();
    (now + Duration::days(i64::from(placement.details.offer_response_days))).min(last.max(now))
}
