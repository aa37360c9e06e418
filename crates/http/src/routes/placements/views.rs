//! What a placement looks like to callers: the response with the organisation, site and
//! department it names, and the loaders that fetch those in a few queries.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::DomainError;
use wex_domain::model::placement::Placement;
use wex_domain::model::reference::{OrganisationKind, PlacementStatus, Region, Specialty, priority_rule_reason};
use wex_domain::ports::Store;

use crate::pagination::versioned;
use crate::wire::codes;
use crate::wire::placements::PlacementDetails;

#[derive(Serialize, ToSchema)]
pub struct OrganisationSummary {
    pub id: Uuid,
    #[schema(example = "Wessex Coast NHS Foundation Trust")]
    pub name: String,
    #[schema(value_type = codes::OrganisationKind)]
    pub kind: OrganisationKind,
    #[schema(value_type = codes::Region)]
    pub region: Region,
    pub ods_code: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SiteSummary {
    pub id: Uuid,
    pub name: String,
    pub address_line_1: String,
    pub address_line_2: Option<String>,
    pub town: String,
    pub postcode: String,
    pub travel_notes: Option<String>,
    pub accessibility: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DepartmentSummary {
    pub id: Uuid,
    pub name: String,
    #[schema(value_type = codes::Specialty)]
    pub specialty: Specialty,
    pub description: Option<String>,
}

/// A priority rule with the reason applicants are shown.
#[derive(Serialize, ToSchema)]
pub struct PriorityRuleExplained {
    #[schema(example = "care_experienced")]
    pub code: String,
    pub reason: String,
}

/// Everything an applicant needs to decide whether to apply. The fields a coordinator writes are
/// those of `PlacementDetails`; the rest are set by the platform.
#[derive(Serialize, ToSchema)]
pub struct PlacementResponse {
    pub id: Uuid,
    pub organisation_id: Uuid,
    #[serde(flatten)]
    pub details: PlacementDetails,
    /// The status now: a published placement is `closed` from its closing time.
    #[schema(value_type = codes::PlacementStatus)]
    pub status: PlacementStatus,
    /// True while applications are being taken.
    pub open_for_applications: bool,
    /// Applying is always free.
    pub free_to_apply: bool,
    pub organisation: OrganisationSummary,
    pub site: Option<SiteSummary>,
    pub department: Option<DepartmentSummary>,
    pub priority_rules_explained: Vec<PriorityRuleExplained>,
    /// What someone must do or have before they may start, with why each is asked, who completes
    /// it and whom it applies to: shown so that applicants know before they apply.
    pub requirements_explained: Vec<crate::routes::readiness::RequirementExplained>,
    /// SHA-256 (hex) of the secret draw seed, fixed when published; the seed is revealed after the
    /// draw so anyone can check it.
    #[schema(example = "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd")]
    pub draw_commitment: Option<String>,
    pub cancellation_reason: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub(crate) use wex_domain::read::placements::PlacementRecord as PlacementView;

/// The view of a placement read by a use case that returns the placement alone.
pub(crate) fn view(store: &dyn Store, placement: Placement) -> Result<PlacementView, DomainError> {
    wex_domain::read::placements::records_of(store, vec![placement])?.pop().ok_or(DomainError::NotFound)
}

impl PlacementResponse {
    pub(super) fn new(v: PlacementView, now: DateTime<Utc>) -> Self {
        let p = v.placement;
        let o = v.organisation;
        Self {
            id: p.id,
            organisation_id: p.organisation_id,
            status: p.status_at(now),
            open_for_applications: p.is_open_at(now),
            free_to_apply: true,
            organisation: OrganisationSummary {
                id: o.id,
                name: o.input.name,
                kind: o.input.kind,
                region: o.input.region,
                ods_code: o.input.ods_code.map(|c| c.to_string()),
            },
            site: v.site.map(|s| SiteSummary {
                id: s.id,
                name: s.input.name,
                address_line_1: s.input.address_line_1,
                address_line_2: s.input.address_line_2,
                town: s.input.town,
                postcode: s.input.postcode.to_string(),
                travel_notes: s.input.travel_notes,
                accessibility: s.input.accessibility,
            }),
            department: v.department.map(|d| DepartmentSummary {
                id: d.id,
                name: d.input.name,
                specialty: d.input.specialty,
                description: d.input.description,
            }),
            priority_rules_explained: p
                .details
                .priority_rules
                .iter()
                .map(|r| PriorityRuleExplained { code: r.to_string(), reason: priority_rule_reason(r) })
                .collect(),
            requirements_explained: crate::routes::readiness::explain(&p.details.requirements),
            details: p.details.into(),
            draw_commitment: p.draw_commitment,
            cancellation_reason: p.cancellation_reason,
            published_at: p.published_at,
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

pub(crate) fn respond(status: StatusCode, v: PlacementView, now: DateTime<Utc>) -> HttpResponse {
    let version = v.placement.version;
    versioned(status, version, &PlacementResponse::new(v, now))
}
