//! What the subject access export says about a place beyond its application: the readiness
//! checklist (with the emergency contact's and consent-giver's details) and, for a T-level place,
//! the agreement, each day's hours and the reviews.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use wex_domain::model::readiness::ItemRecord;

use crate::wire::codes;

#[derive(Serialize, ToSchema)]
pub struct ExportedReadinessItem {
    /// A requirement kind code, or `custom_{n}` for the placement's own.
    pub item: String,
    /// `done`, `not_cleared` or `overridden`.
    pub state: String,
    /// Who completed or overrode it (their account subject) and as whom.
    pub by: String,
    pub by_role: String,
    pub at: DateTime<Utc>,
    /// The emergency contact's name, or who gave consent.
    pub name: Option<String>,
    pub relationship: Option<String>,
    pub phone: Option<String>,
    pub override_reason: Option<String>,
}

impl From<ItemRecord> for ExportedReadinessItem {
    fn from(r: ItemRecord) -> Self {
        let d = r.details;
        ExportedReadinessItem {
            item: r.item.code(),
            state: r.state.code().to_string(),
            by: r.by_subject,
            by_role: r.by_role.code().to_string(),
            at: r.at,
            name: d.as_ref().map(|d| d.name.clone()),
            relationship: d.as_ref().map(|d| d.relationship.clone()),
            phone: d.and_then(|d| d.phone),
            override_reason: r.override_reason,
        }
    }
}

/// An accepted T-level place: the agreement, each day's hours, the reviews and reflections.
#[derive(Serialize, ToSchema)]
pub struct ExportedTLevel {
    pub agreement: ExportedTLevelAgreement,
    pub hours: Vec<ExportedTLevelHours>,
    pub reviews: Vec<ExportedTLevelReview>,
}

#[derive(Serialize, ToSchema)]
pub struct ExportedTLevelAgreement {
    pub objectives: String,
    #[schema(value_type = codes::TLevelPattern)]
    pub pattern: wex_domain::model::t_level::Pattern,
    pub supervisor: String,
    pub planned_hours: u32,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
}

#[derive(Serialize, ToSchema)]
pub struct ExportedTLevelHours {
    pub date: NaiveDate,
    pub quarter_hours: u32,
    pub hours: f64,
    pub logged_by: String,
    pub logged_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct ExportedTLevelReview {
    #[schema(value_type = codes::TLevelReviewStage)]
    pub stage: wex_domain::model::t_level::ReviewStage,
    pub on_track: bool,
    pub comments: String,
    pub reviewed_at: DateTime<Utc>,
    pub reflection: Option<String>,
    pub reflected_at: Option<DateTime<Utc>>,
}

impl From<wex_domain::data_protection::TLevelRecord> for ExportedTLevel {
    fn from(t: wex_domain::data_protection::TLevelRecord) -> Self {
        let terms = t.agreement.terms;
        ExportedTLevel {
            agreement: ExportedTLevelAgreement {
                objectives: terms.objectives,
                pattern: terms.pattern,
                supervisor: terms.supervisor,
                planned_hours: terms.planned_hours,
                start_date: terms.start_date,
                end_date: terms.end_date,
            },
            hours: t
                .hours
                .into_iter()
                .map(|e| ExportedTLevelHours {
                    date: e.day,
                    quarter_hours: e.hours.0,
                    hours: e.hours.as_hours(),
                    logged_by: e.logged_by,
                    logged_at: e.logged_at,
                })
                .collect(),
            reviews: t
                .reviews
                .into_iter()
                .map(|r| ExportedTLevelReview {
                    stage: r.stage,
                    on_track: r.on_track,
                    comments: r.comments,
                    reviewed_at: r.reviewed_at,
                    reflection: r.reflection,
                    reflected_at: r.reflected_at,
                })
                .collect(),
        }
    }
}
