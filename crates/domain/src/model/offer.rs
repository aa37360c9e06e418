//! Offers of a place: their status and deadline, and the `Allocation` that gives or ends places
//! together with the applications, history and messages that change with them.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use uuid::Uuid;

use crate::model::application::{Application, ApplicationEvent, ApplicationStatus, ChangedBy, PLATFORM_SUBJECT};
use crate::model::notification::Notification;
use crate::model::placement::Placement;
use crate::model::reference::code_enum;
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
/// new offers, history and messages. Stored in one transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allocation {
    pub applications: Vec<(Application, i64)>,
    pub offers: Vec<Offer>,
    /// Offers that end, with the version each had.
    pub ended_offers: Vec<(Offer, i64)>,
    pub events: Vec<ApplicationEvent>,
    pub notifications: Vec<Notification>,
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
    ) {
        let updated = Application {
            status,
            outcome_at: app.outcome_at.or(Some(now)),
            version: app.version + 1,
            updated_at: now,
            ..app.clone()
        };
        self.events.push(ApplicationEvent::new(
            &updated,
            Some(app.status),
            (PLATFORM_SUBJECT, ChangedBy::Platform),
            None,
            now,
        ));
        self.notifications.extend(messages);
        self.applications.push((updated, app.version));
    }
}

/// The deadline for an offer made at `now`: the placement's response days (five unless set), but
/// never past the day before the start.
pub fn respond_by(placement: &Placement, now: DateTime<Utc>) -> DateTime<Utc> {
    let last = (placement.details.start_date - Duration::days(1)).and_time(NaiveTime::MIN).and_utc();
    (now + Duration::days(i64::from(placement.details.offer_response_days))).min(last.max(now))
}
