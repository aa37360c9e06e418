//! Offers of a place: their status and deadline.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use uuid::Uuid;

use crate::model::placement::Placement;
use crate::model::reference::code_enum;
use std::fmt;

code_enum! {
    OfferStatus {
        Open => ("open", "Open", "Waiting for the applicant's answer."),
        Accepted => ("accepted", "Accepted", "The applicant accepted the place."),
        Declined => ("declined", "Declined", "The applicant declined the place, or gave it up by deleting their account."),
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

/// The deadline for an offer made at `now`: the placement's response days (five unless set), but
/// never past the day before the start.
pub fn respond_by(placement: &Placement, now: DateTime<Utc>) -> DateTime<Utc> {
    let last = (placement.details.start_date - Duration::days(1)).and_time(NaiveTime::MIN).and_utc();
    (now + Duration::days(i64::from(placement.details.offer_response_days))).min(last.max(now))
}
