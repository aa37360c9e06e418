//! Placements: what is advertised and its lifecycle
//! `draft → published → closed → allocated → completed`, or `cancelled`.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::model::auth::Actor;
use crate::model::postcode::PostcodeDistrict;
use crate::model::reference::{Delivery, PlacementKind, PlacementStatus, Region, Specialty, UserGroup};

mod details;
mod stored;
pub use details::{
    DailyHours, Eligibility, MAX_AGE, MAX_CAPACITY, MAX_CATCHMENT_DISTRICTS, MAX_QUESTIONS, MIN_AGE, PlacementDetails,
    Preparation, Question,
};
pub use stored::{Moment, OPEN_NOW, StoredForm};

/// A placement as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub details: PlacementDetails,
    /// The stored status. What callers see depends on the time too: see [`Placement::status_at`].
    pub status: PlacementStatus,
    pub draw_commitment: Option<String>,
    pub cancellation_reason: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

impl Placement {
    /// The status callers see: a published placement is closed from its closing time.
    pub fn status_at(&self, now: DateTime<Utc>) -> PlacementStatus {
        match self.status {
            PlacementStatus::Published if now >= self.details.closes_at => PlacementStatus::Closed,
            s => s,
        }
    }

    pub fn is_open_at(&self, now: DateTime<Utc>) -> bool {
        self.status_at(now) == PlacementStatus::Published && now >= self.details.opens_at
    }

    /// A new draft of already checked details.
    pub fn draft(id: Uuid, organisation_id: Uuid, details: PlacementDetails, now: DateTime<Utc>) -> Placement {
        Placement {
            id,
            organisation_id,
            details,
            status: PlacementStatus::Draft,
            draw_commitment: None,
            cancellation_reason: None,
            version: 1,
            created_at: now,
            updated_at: now,
            published_at: None,
        }
    }

    /// Public once it has been published, whatever happened next.
    pub fn is_public(&self) -> bool {
        self.published_at.is_some()
    }

    /// Who may read it: anyone once published; before that, its organisation's coordinators.
    pub fn visible_to(&self, actor: Option<&Actor>) -> bool {
        self.is_public() || actor.is_some_and(|a| a.coordinates(self.organisation_id))
    }
}

/// Filters of the placement search. Every filter narrows the result.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlacementFilter {
    /// Words to find in the title or description (case-insensitive).
    pub text: Option<String>,
    pub specialty: Option<Specialty>,
    pub kind: Option<PlacementKind>,
    pub delivery: Option<Delivery>,
    pub region: Option<Region>,
    pub organisation_id: Option<Uuid>,
    /// Placements this user group may apply to.
    pub user_group: Option<UserGroup>,
    /// Placements someone of this age (at the start date) may apply to.
    pub age: Option<u8>,
    /// Only placements taking applications now.
    pub open_now: bool,
    pub start_from: Option<NaiveDate>,
    pub start_to: Option<NaiveDate>,
    /// Placements someone living in this district may apply to.
    pub postcode_district: Option<PostcodeDistrict>,
    /// The status as callers see it (see [`Placement::status_at`]); `Published` by default.
    pub status: PlacementStatus,
}

/// The search order is (closes_at, id): a page continues after the last row's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlacementCursor {
    pub closes_at: DateTime<Utc>,
    pub id: Uuid,
}

impl PlacementCursor {
    pub fn of(p: &Placement) -> Self {
        PlacementCursor { closes_at: p.details.closes_at, id: p.id }
    }
}

#[cfg(test)]
pub(crate) mod tests;

/// The organisation, site and department a placement names.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacementContext {
    pub placement_id: Uuid,
    pub organisation: crate::model::organisation::Organisation,
    pub site: Option<crate::model::organisation::Site>,
    pub department: Option<crate::model::organisation::Department>,
}

/// A placement with the organisation, site and department it names, as read together.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacementRecord {
    pub placement: Placement,
    pub organisation: crate::model::organisation::Organisation,
    pub site: Option<crate::model::organisation::Site>,
    pub department: Option<crate::model::organisation::Department>,
}
