//! The name-blind view of an application that coordinators get.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::model::application::{Answer, Application, ApplicationStatus};
use crate::model::auth::Role;
use crate::model::eligibility::{in_catchment, meets_age_rule, meets_user_group_rule};
use crate::model::placement::Placement;
use crate::model::profile::Profile;

/// An application as a coordinator sees it: no name, contact details, date of birth, postcode,
/// school, support worker or equality data; eligibility only as yes or no.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameBlind {
    pub id: Uuid,
    pub ticket: Uuid,
    pub status: ApplicationStatus,
    pub submitted_at: DateTime<Utc>,
    pub meets_age_rule: bool,
    pub meets_user_group_rule: bool,
    /// `None` when the placement has no local area, or the applicant has no fixed address and
    /// confirmed they can travel.
    pub in_catchment: Option<bool>,
    pub submitted_by_role: Role,
    pub answers: Vec<Answer>,
    /// For name-blind review placements: the review so far (`None` until reviewed).
    pub meets_criteria: Option<bool>,
}

impl NameBlind {
    /// Judged now, against the applicant's current profile: it may have changed since applying.
    pub fn of(app: Application, profile: &Profile, placement: &Placement) -> Self {
        NameBlind {
            id: app.id,
            ticket: app.ticket,
            status: app.status,
            submitted_at: app.created_at,
            meets_age_rule: meets_age_rule(placement, profile),
            meets_user_group_rule: meets_user_group_rule(placement, profile),
            in_catchment: in_catchment(placement, profile),
            submitted_by_role: app.submitted_by.role,
            meets_criteria: app.meets_criteria,
            answers: app.answers,
        }
    }
}
