//! Readiness between "place accepted" and the first day: a place's checklist (the participant,
//! their advocate and the placement's coordinators), completing and overriding its items, and a
//! placement's list of who is ready (its coordinators).

use actix_web::{HttpResponse, get, post, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::model::application::ChangedBy;
use wex_domain::model::readiness::{ChecklistItem, Completer, Item, ItemState, RequirementKind, Requirements};
use wex_domain::participation::HiddenPlacementError;
use wex_domain::readiness::{self, CompleteItemError, Completion, OverrideError, Readiness, ReadinessAccessError};

use crate::auth::SignedIn;
use crate::errors_doc::Errors;
use crate::extract::Json;
use crate::problem::ApiResult;
use crate::state::AppState;
use crate::wire::codes;

/// One requirement as applicants see it before applying.
#[derive(Serialize, ToSchema)]
pub struct RequirementExplained {
    /// A requirement kind code, or `custom_{n}` for the placement's own.
    #[schema(example = "emergency_contact")]
    pub item: String,
    pub label: String,
    pub why_we_ask: String,
    /// `participant` (the participant or their advocate), `parent_or_carer` (through an
    /// advocate's account) or `organisation` (its coordinators).
    #[schema(example = "participant")]
    pub completed_by: &'static str,
    /// Whom it is asked of: `everyone`, `under_18` or `under_16` (on the start date).
    #[schema(example = "everyone")]
    pub applies_to: &'static str,
    /// The online module, for `induction`.
    pub url: Option<String>,
}

/// The placement's requirements, with consent and an emergency contact for under-16s always.
pub fn explain(r: &Requirements) -> Vec<RequirementExplained> {
    let listed = |k: RequirementKind| r.kinds.contains(&k);
    let mut out: Vec<RequirementExplained> = RequirementKind::ALL
        .iter()
        .copied()
        .filter_map(|k| {
            let applies_to = match k {
                RequirementKind::ParentCarerConsent if listed(k) => "under_18",
                RequirementKind::ParentCarerConsent | RequirementKind::EmergencyContact if !listed(k) => "under_16",
                _ if listed(k) => "everyone",
                _ => return None,
            };
            Some(RequirementExplained {
                item: k.code().to_string(),
                label: k.label().to_string(),
                why_we_ask: k.description().to_string(),
                completed_by: k.completer().code(),
                applies_to,
                url: (k == RequirementKind::Induction).then(|| r.induction_url.clone()).flatten(),
            })
        })
        .collect();
    out.extend(r.custom.iter().enumerate().map(|(i, c)| RequirementExplained {
        item: Item::Custom(i).code(),
        label: c.text.clone(),
        why_we_ask: c.why_we_ask.clone(),
        completed_by: Completer::Participant.code(),
        applies_to: "everyone",
        url: None,
    }));
    out
}

/// The details an emergency contact or a consent records.
#[derive(Serialize, ToSchema)]
pub struct PersonDetailsResponse {
    /// The contact's name, or who gave consent.
    pub name: String,
    pub relationship: String,
    /// The contact's phone (emergency contact only).
    pub phone: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ChecklistItemResponse {
    #[schema(example = "parent_carer_consent")]
    pub item: String,
    pub label: String,
    pub why_we_ask: String,
    /// `participant`, `parent_or_carer` or `organisation`.
    pub completed_by: &'static str,
    #[schema(value_type = codes::ReadinessState)]
    pub state: ItemState,
    /// Whether a coordinator may override it: never an under-16's consent or emergency contact.
    pub may_override: bool,
    /// Who last completed or overrode it (their account subject), and as whom.
    pub done_by: Option<String>,
    #[schema(value_type = Option<codes::ChangedBy>)]
    pub done_by_role: Option<ChangedBy>,
    pub done_at: Option<DateTime<Utc>>,
    pub override_reason: Option<String>,
    /// The contact's or consent's details (each view is written to the audit log).
    pub details: Option<PersonDetailsResponse>,
    /// The online module, for `induction`.
    pub url: Option<String>,
}

/// A place's readiness checklist.
#[derive(Serialize, ToSchema)]
pub struct ChecklistResponse {
    pub application_id: Uuid,
    pub placement_id: Uuid,
    /// Under 16 on the placement's start date.
    pub under_16: bool,
    /// True when every item is done or overridden: attendance can be recorded.
    pub ready: bool,
    /// The codes of the items still missing.
    pub missing: Vec<String>,
    pub items: Vec<ChecklistItemResponse>,
}

fn item_response(i: ChecklistItem, r: &Requirements) -> ChecklistItemResponse {
    let (label, why_we_ask) = match i.item {
        Item::Kind(k) => (k.label().to_string(), k.description().to_string()),
        Item::Custom(n) => r.custom.get(n).map(|c| (c.text.clone(), c.why_we_ask.clone())).unwrap_or_default(),
    };
    let state = i.state();
    let record = i.record;
    ChecklistItemResponse {
        item: i.item.code(),
        label,
        why_we_ask,
        completed_by: i.completer.code(),
        state,
        may_override: i.may_override,
        done_by: record.as_ref().map(|r| r.by_subject.clone()),
        done_by_role: record.as_ref().map(|r| r.by_role),
        done_at: record.as_ref().map(|r| r.at),
        override_reason: record.as_ref().and_then(|r| r.override_reason.clone()),
        details: record.and_then(|r| r.details).map(|d| PersonDetailsResponse {
            name: d.name,
            relationship: d.relationship,
            phone: d.phone,
        }),
        url: (i.item == Item::Kind(RequirementKind::Induction)).then(|| r.induction_url.clone()).flatten(),
    }
}

impl From<Readiness> for ChecklistResponse {
    fn from(r: Readiness) -> Self {
        let ready = r.ready();
        let requirements = r.requirements;
        ChecklistResponse {
            application_id: r.application_id,
            placement_id: r.placement_id,
            under_16: r.under_16,
            ready,
            missing: r.missing,
            items: r.items.into_iter().map(|i| item_response(i, &requirements)).collect(),
        }
    }
}

/// Read a place's readiness checklist.
///
/// Who may call: the participant, an advocate with an active link to them, and coordinators of the
/// placement's organisation (404 for everyone else, hosts included), for an application that holds
/// or held a place (409 `not_a_participant` otherwise). A view that shows an emergency contact or
/// consent details is written to the audit log.
#[utoipa::path(tag = "readiness", operation_id = "getReadiness", security(("bearer" = [])),
    params(("application_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The checklist.", body = ChecklistResponse),
        Errors<ReadinessAccessError>,
    ))]
#[get("/applications/{application_id}/readiness")]
pub async fn checklist(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    let r = state.run(move |s| Ok(readiness::checklist(s, &actor, id, now)?)).await?;
    Ok(HttpResponse::Ok().json(ChecklistResponse::from(r)))
}

/// What completing an item sends. `emergency_contact`: `name`, `relationship` and `phone`;
/// `parent_carer_consent`: `name` (who gave it) and `relationship`; `occupational_health` and
/// `dbs_clearance`: `cleared` (yes or no, never documents); every other item: nothing (`{}`).
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Sam Okafor", "relationship": "mother", "phone": "07700 900123"}))]
pub struct CompleteItemRequest {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub relationship: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub cleared: Option<bool>,
}

/// Complete a readiness item.
///
/// Who may call: for `parent_carer_consent`, an advocate with an active link to the participant
/// (a parent or carer; the manager of a managed profile); for `occupational_health`,
/// `dbs_clearance` and `adjustments_agreed`, the placement's coordinators; for every other item,
/// the participant or their advocate. Others who may see the checklist get 403
/// `readiness_item_not_yours`; everyone else 404. Only while the place is `accepted` (409
/// `not_a_participant` after). Doing it again replaces what was recorded.
#[utoipa::path(tag = "readiness", operation_id = "completeReadinessItem", security(("bearer" = [])),
    params(("application_id" = Uuid, Path), ("item" = String, Path, description = "A requirement kind code, or `custom_{n}`.")),
    request_body = CompleteItemRequest,
    responses(
        (status = 200, description = "Recorded; the checklist as it now stands.", body = ChecklistResponse),
        Errors<CompleteItemError>,
    ))]
#[put("/applications/{application_id}/readiness/{item}")]
pub async fn complete(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    path: web::Path<(Uuid, String)>,
    body: Json<CompleteItemRequest>,
) -> ApiResult<HttpResponse> {
    let (id, item) = path.into_inner();
    let now = state.now();
    let b = body.value;
    let input = Completion { name: b.name, relationship: b.relationship, phone: b.phone, cleared: b.cleared };
    let r = state.run(move |s| Ok(readiness::complete_item(s, &actor, id, &item, input, now)?)).await?;
    Ok(HttpResponse::Ok().json(ChecklistResponse::from(r)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Induction done in person on the first morning instead."}))]
pub struct OverrideRequest {
    /// Why the participant may start without it (1 to 500 characters). Name no one.
    pub reason: String,
}

/// Override a readiness item.
///
/// Who may call: coordinators of the placement's organisation (403 `coordinator_role_required` for
/// the participant and their advocates; 404 for everyone else), while the place is `accepted`.
/// Never the parent or carer consent or the emergency contact of someone under 16 on the start
/// date (409 `override_not_allowed`).
#[utoipa::path(tag = "readiness", operation_id = "overrideReadinessItem", security(("bearer" = [])),
    params(("application_id" = Uuid, Path), ("item" = String, Path, description = "A requirement kind code, or `custom_{n}`.")),
    request_body = OverrideRequest,
    responses(
        (status = 200, description = "Overridden; the checklist as it now stands.", body = ChecklistResponse),
        Errors<OverrideError>,
    ))]
#[post("/applications/{application_id}/readiness/{item}/override")]
pub async fn override_item(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    path: web::Path<(Uuid, String)>,
    body: Json<OverrideRequest>,
) -> ApiResult<HttpResponse> {
    let (id, item) = path.into_inner();
    let now = state.now();
    let reason = body.value.reason;
    let r = state.run(move |s| Ok(readiness::override_item(s, &actor, id, &item, &reason, now)?)).await?;
    Ok(HttpResponse::Ok().json(ChecklistResponse::from(r)))
}

#[derive(Serialize, ToSchema)]
pub struct ReadinessRowResponse {
    pub application_id: Uuid,
    pub ready: bool,
    /// The codes of the items still missing.
    pub missing: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PlacementReadinessResponse {
    pub placement_id: Uuid,
    pub start_date: NaiveDate,
    /// How many accepted places are ready.
    pub ready: usize,
    /// Every accepted place (not yet attended), in application id order. Names are on the
    /// participants list.
    pub places: Vec<ReadinessRowResponse>,
}

/// List who is ready for a placement.
///
/// Who may call: coordinators of the placement's organisation (404 for everyone else). Ids and
/// item codes only: it names no one, so it is not audited.
#[utoipa::path(tag = "readiness", operation_id = "listPlacementReadiness", security(("bearer" = [])),
    params(("placement_id" = Uuid, Path)),
    responses(
        (status = 200, description = "Each accepted place and what it still misses.", body = PlacementReadinessResponse),
        Errors<HiddenPlacementError>,
    ))]
#[get("/placements/{placement_id}/readiness")]
pub async fn placement(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let r = state.run(move |s| Ok(readiness::placement_readiness(s, &actor, id)?)).await?;
    let places: Vec<ReadinessRowResponse> = r
        .places
        .into_iter()
        .map(|p| ReadinessRowResponse {
            application_id: p.application_id,
            ready: p.missing.is_empty(),
            missing: p.missing,
        })
        .collect();
    Ok(HttpResponse::Ok().json(PlacementReadinessResponse {
        placement_id: r.placement_id,
        start_date: r.start_date,
        ready: places.iter().filter(|p| p.ready).count(),
        places,
    }))
}
