//! `/v1/reference-data/...`: the codes the API uses, with labels and plain-language descriptions.

use actix_web::{HttpResponse, get};
use serde::Serialize;
use utoipa::ToSchema;
use wex_domain::model::readiness::RequirementKind;
use wex_domain::model::reference::{
    Delivery, OrganisationKind, PlacementKind, PriorityRule, Region, Specialty, UserGroup, priority_rule_reason,
};
use wex_domain::model::t_level::Pattern as TLevelPattern;

/// One code with its label and description.
#[derive(Serialize, ToSchema)]
pub struct ReferenceItem {
    #[schema(example = "care_experienced")]
    pub code: String,
    #[schema(example = "Care-experienced people")]
    pub label: String,
    #[schema(example = "You are or have been in care, for example in foster care or a children's home, at any age.")]
    pub description: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReferenceList {
    pub items: Vec<ReferenceItem>,
}

macro_rules! reference_list {
    ($fn_name:ident, $path:literal, $op:literal, $ty:ty, $summary:literal) => {
        #[doc = $summary]
        ///
        /// Who may call: anyone. Codes are stable; labels and descriptions may be reworded.
        #[utoipa::path(tag = "reference-data", operation_id = $op, security(()),
                    responses((status = 200, description = "Every code, in display order.", body = ReferenceList)))]
        #[get($path)]
        pub async fn $fn_name() -> HttpResponse {
            let items = <$ty>::ALL
                .iter()
                .map(|v| ReferenceItem {
                    code: v.code().into(),
                    label: v.label().into(),
                    description: v.description().into(),
                })
                .collect();
            HttpResponse::Ok().json(ReferenceList { items })
        }
    };
}

reference_list!(user_groups, "/reference-data/user-groups", "listUserGroups", UserGroup, "The nine user groups.");
reference_list!(
    specialties,
    "/reference-data/specialties",
    "listSpecialties",
    Specialty,
    "Specialties (NHS Health Careers families)."
);
reference_list!(
    placement_kinds,
    "/reference-data/placement-kinds",
    "listPlacementKinds",
    PlacementKind,
    "Kinds of placement."
);
reference_list!(
    t_level_patterns,
    "/reference-data/t-level-patterns",
    "listTLevelPatterns",
    TLevelPattern,
    "How a T-level industry placement's days are spread."
);
reference_list!(
    delivery_modes,
    "/reference-data/delivery-modes",
    "listDeliveryModes",
    Delivery,
    "How placements are delivered."
);
reference_list!(
    requirement_kinds,
    "/reference-data/requirement-kinds",
    "listRequirementKinds",
    RequirementKind,
    "What a placement can require before someone may start, each with why it is asked (the description)."
);
reference_list!(regions, "/reference-data/regions", "listRegions", Region, "NHS England regions.");
reference_list!(
    organisation_kinds,
    "/reference-data/organisation-kinds",
    "listOrganisationKinds",
    OrganisationKind,
    "Kinds of organisation."
);

/// Priority rules a placement may use in its draw.
///
/// Who may call: anyone. Each rule comes with the reason applicants are shown. Entries matching an
/// earlier rule in a placement's list are drawn first; see the selection algorithm.
#[utoipa::path(tag = "reference-data", operation_id = "listPriorityRules", security(()),
    responses((status = 200, description = "Every rule code with its plain-language reason.", body = ReferenceList)))]
#[get("/reference-data/priority-rules")]
pub async fn priority_rules() -> HttpResponse {
    let items = PriorityRule::all()
        .iter()
        .map(|r| {
            let label = match r {
                PriorityRule::CareExperienced => "Care experienced first".to_string(),
                PriorityRule::InCatchment => "Local applicants first".to_string(),
                PriorityRule::UserGroup(g) => format!("{} first", g.label()),
            };
            ReferenceItem { code: r.to_string(), label, description: priority_rule_reason(r) }
        })
        .collect();
    HttpResponse::Ok().json(ReferenceList { items })
}

/// Guidance for hosts on supporting each user group.
///
/// Who may call: anyone. One item for each user group: `code` is the group, `description` the
/// guidance.
#[utoipa::path(tag = "reference-data", operation_id = "listHostGuidance", security(()),
    responses((status = 200, description = "Guidance per user group.", body = ReferenceList)))]
#[get("/reference-data/host-guidance")]
pub async fn host_guidance() -> HttpResponse {
    let items = UserGroup::ALL
        .iter()
        .map(|g| ReferenceItem {
            code: g.code().into(),
            label: g.label().into(),
            description: wex_domain::model::reference::host_guidance(*g).into(),
        })
        .collect();
    HttpResponse::Ok().json(ReferenceList { items })
}
