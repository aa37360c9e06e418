//! `/v1/placements`: create, edit, publish, cancel and search placements.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use wex_domain::DomainError;
use wex_domain::model::lottery::DrawSeed;
use wex_domain::model::organisation::{Department, Organisation, Site};
use wex_domain::model::placement::{Placement, PlacementCursor, PlacementDetails, PlacementFilter};
use wex_domain::model::postcode::PostcodeDistrict;
use wex_domain::model::reference::{
    Delivery, OrganisationKind, PlacementKind, PlacementStatus, Region, Specialty, UserGroup, priority_rule_reason,
};
use wex_domain::placements;
use wex_domain::ports::Store;

use crate::auth::{Caller, SignedIn};
use crate::extract::{Json, Query, if_match, query_value};
use crate::idempotency::{self, Created};
use crate::pagination::{list_response, page_request, versioned};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::routes::apply_patch;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct OrganisationSummary {
    pub id: Uuid,
    #[schema(example = "Wessex Coast NHS Foundation Trust")]
    pub name: String,
    pub kind: OrganisationKind,
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
    pub status: PlacementStatus,
    /// True while applications are being taken.
    pub open_for_applications: bool,
    /// Applying is always free.
    pub free_to_apply: bool,
    pub organisation: OrganisationSummary,
    pub site: Option<SiteSummary>,
    pub department: Option<DepartmentSummary>,
    pub priority_rules_explained: Vec<PriorityRuleExplained>,
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

/// A placement with the organisation, site and department it names.
pub(crate) struct PlacementView {
    placement: Placement,
    organisation: Organisation,
    site: Option<Site>,
    department: Option<Department>,
}

/// Loads what a page of placements names, three queries in all.
fn views(store: &dyn Store, placements: Vec<Placement>) -> Result<Vec<PlacementView>, DomainError> {
    let ids = |f: &dyn Fn(&Placement) -> Option<Uuid>| {
        let mut v: Vec<Uuid> = placements.iter().filter_map(f).collect();
        v.sort();
        v.dedup();
        v
    };
    let orgs: HashMap<Uuid, Organisation> =
        store.organisations_by_ids(&ids(&|p| Some(p.organisation_id)))?.into_iter().map(|o| (o.id, o)).collect();
    let sites: HashMap<Uuid, Site> =
        store.sites_by_ids(&ids(&|p| p.details.site_id))?.into_iter().map(|s| (s.id, s)).collect();
    let departments: HashMap<Uuid, Department> =
        store.departments_by_ids(&ids(&|p| p.details.department_id))?.into_iter().map(|d| (d.id, d)).collect();
    placements
        .into_iter()
        .map(|p| {
            let organisation = orgs.get(&p.organisation_id).cloned().ok_or(DomainError::Store(
                wex_domain::StoreError::Internal(format!("placement {} names a missing organisation", p.id)),
            ))?;
            let site = p.details.site_id.and_then(|id| sites.get(&id).cloned());
            let department = p.details.department_id.and_then(|id| departments.get(&id).cloned());
            Ok(PlacementView { placement: p, organisation, site, department })
        })
        .collect()
}

pub(crate) fn view(store: &dyn Store, placement: Placement) -> Result<PlacementView, DomainError> {
    views(store, vec![placement])?.pop().ok_or(DomainError::NotFound)
}

impl PlacementResponse {
    fn new(v: PlacementView, now: DateTime<Utc>) -> Self {
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
                ods_code: o.input.ods_code,
            },
            site: v.site.map(|s| SiteSummary {
                id: s.id,
                name: s.input.name,
                address_line_1: s.input.address_line_1,
                address_line_2: s.input.address_line_2,
                town: s.input.town,
                postcode: s.input.postcode,
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
            details: p.details,
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

/// Create a draft placement.
///
/// Who may call: coordinators of the organisation. Accepts `Idempotency-Key`. Preparation fields
/// may be left empty in a draft; they are required to publish.
#[utoipa::path(tag = "placements", operation_id = "createPlacement", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe.")),
    request_body(content = PlacementDetails, example = json!({
        "kind": "work_experience", "delivery": "in_person", "specialty": "allied_health_professions",
        "title": "Children's physiotherapy: a week on the ward",
        "description": "See how physiotherapists help children recover from illness and injury.",
        "site_id": "0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b",
        "start_date": "2027-07-05", "end_date": "2027-07-09", "daily_hours": {"start": "09:00", "end": "15:30"},
        "capacity": 4, "eligibility": {"min_age": 16, "max_age": null, "user_groups": null, "catchment": ["SO14", "SO15", "SO16"]},
        "opens_at": "2027-03-01T09:00:00Z", "closes_at": "2027-04-01T17:00:00Z", "outcome_by": "2027-04-15",
        "selection_method": "lottery", "priority_rules": ["care_experienced", "in_catchment"],
        "preparation": {"dress_code": "Smart casual, closed flat shoes, hair tied back.", "leads_to_job": false, "paid": false}
    })),
    responses(
        (status = 201, description = "Created as a draft.", body = PlacementResponse, headers(("Location" = String), ("ETag" = String))),
        (status = 403, description = "Not a coordinator of this organisation.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Breaks a rule (dates out of order, capacity under 1, unknown site ...).", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/organisations/{organisation_id}/placements")]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    organisation_id: web::Path<Uuid>,
    body: Json<PlacementDetails>,
) -> ApiResult<HttpResponse> {
    let subject = actor.subject.clone();
    let organisation_id = organisation_id.into_inner();
    idempotency::create(&state, &req, &subject, &body.raw, || async {
        let now = state.now();
        let v = state
            .run(move |s| {
                let p = placements::create_placement(s, s, &actor, organisation_id, body.value, now)?;
                view(s, p)
            })
            .await?;
        let (id, version) = (v.placement.id, v.placement.version);
        Created::new(&PlacementResponse::new(v, now), format!("/v1/placements/{id}"), Some(version))
    })
    .await
}

/// Search filters. Every filter narrows the result; results are sorted by closing time.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words to find in the title or description (at most 200 characters).
    #[param(example = "physiotherapy", max_length = 200)]
    pub q: Option<String>,
    #[param(value_type = Option<Specialty>)]
    pub specialty: Option<String>,
    #[param(value_type = Option<PlacementKind>)]
    pub kind: Option<String>,
    #[param(value_type = Option<Delivery>)]
    pub delivery: Option<String>,
    #[param(value_type = Option<Region>)]
    pub region: Option<String>,
    #[param(value_type = Option<Uuid>)]
    pub organisation_id: Option<String>,
    /// Placements this user group may apply to.
    #[param(value_type = Option<UserGroup>)]
    pub user_group: Option<String>,
    /// Placements someone of this age (1 to 120) on the start date may apply to.
    #[param(value_type = Option<u8>, minimum = 1, maximum = 120, example = 15)]
    pub age: Option<String>,
    /// `true`: only placements taking applications now.
    #[param(value_type = Option<bool>)]
    pub open_now: Option<String>,
    /// Earliest start date (YYYY-MM-DD).
    #[param(value_type = Option<NaiveDate>)]
    pub start_from: Option<String>,
    /// Latest start date (YYYY-MM-DD).
    #[param(value_type = Option<NaiveDate>)]
    pub start_to: Option<String>,
    /// Placements someone living in this postcode district (such as `SO16`) may apply to.
    #[param(example = "SO16", pattern = r"^ *[A-Za-z]{1,2}[0-9][A-Za-z0-9]? *$")]
    pub postcode_district: Option<String>,
    /// `published` (default), `closed`, `allocated`, `completed` or `cancelled`; `draft` only with the
    /// `organisation_id` of an organisation you coordinate.
    #[param(value_type = Option<PlacementStatus>)]
    pub status: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
    /// `next_cursor` from the previous page; empty or absent for the first page.
    pub cursor: Option<String>,
}

fn code_hint<T: Copy>(all: &[T], code: impl Fn(T) -> &'static str) -> String {
    let codes: Vec<&str> = all.iter().map(|v| code(*v)).collect();
    format!("Use one of: {}.", codes.join(", "))
}

impl SearchQuery {
    fn filter(&self) -> ApiResult<PlacementFilter> {
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let date_hint = "Use a date as YYYY-MM-DD.";
        Ok(PlacementFilter {
            text: query_value(
                "q",
                self.q.as_deref(),
                |t| (t.chars().count() <= 200).then(|| t.to_string()),
                "Search for at most 200 characters.",
            )?,
            specialty: query_value(
                "specialty",
                self.specialty.as_deref(),
                Specialty::parse,
                &code_hint(Specialty::ALL, Specialty::code),
            )?,
            kind: query_value(
                "kind",
                self.kind.as_deref(),
                PlacementKind::parse,
                &code_hint(PlacementKind::ALL, PlacementKind::code),
            )?,
            delivery: query_value(
                "delivery",
                self.delivery.as_deref(),
                Delivery::parse,
                &code_hint(Delivery::ALL, Delivery::code),
            )?,
            region: query_value(
                "region",
                self.region.as_deref(),
                Region::parse,
                &code_hint(Region::ALL, Region::code),
            )?,
            organisation_id: query_value(
                "organisation_id",
                self.organisation_id.as_deref(),
                |s| Uuid::parse_str(s).ok(),
                "Use an organisation id (a UUID).",
            )?,
            user_group: query_value(
                "user_group",
                self.user_group.as_deref(),
                UserGroup::parse,
                &code_hint(UserGroup::ALL, UserGroup::code),
            )?,
            age: query_value(
                "age",
                self.age.as_deref(),
                |s| s.parse::<u8>().ok().filter(|a| (1..=120).contains(a)),
                "Use a whole number of years from 1 to 120.",
            )?,
            open_now: query_value(
                "open_now",
                self.open_now.as_deref(),
                |s| s.parse::<bool>().ok(),
                "Use true or false.",
            )?
            .unwrap_or(false),
            start_from: query_value("start_from", self.start_from.as_deref(), date, date_hint)?,
            start_to: query_value("start_to", self.start_to.as_deref(), date, date_hint)?,
            postcode_district: query_value(
                "postcode_district",
                self.postcode_district.as_deref(),
                PostcodeDistrict::parse,
                "Use a postcode district: the first part of a postcode, such as SO16.",
            )?,
            status: query_value(
                "status",
                self.status.as_deref(),
                PlacementStatus::parse,
                &code_hint(PlacementStatus::ALL, PlacementStatus::code),
            )?
            .unwrap_or_default(),
        })
    }
}

fn cursor_text(c: &PlacementCursor) -> String {
    format!("{}|{}", c.closes_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true), c.id)
}

fn parse_cursor(text: &str) -> Option<PlacementCursor> {
    let (at, id) = text.split_once('|')?;
    Some(PlacementCursor {
        closes_at: DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc),
        id: Uuid::parse_str(id).ok()?,
    })
}

/// Search placements.
///
/// Who may call: anyone. Lists published placements by default; coordinators can list their own
/// organisation's drafts with `status=draft&organisation_id=...`. Sorted by closing time, then id.
#[utoipa::path(tag = "placements", operation_id = "searchPlacements", security((), ("bearer" = [])), params(SearchQuery),
    responses(
        (status = 200, description = "A page of placements.", body = crate::pagination::List<PlacementResponse>,
            headers(("Link" = String, description = "The next page, when there is one."))),
        (status = 403, description = "Drafts asked for without an organisation you coordinate.", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/placements")]
pub async fn search(
    state: web::Data<AppState>,
    req: HttpRequest,
    Caller(actor): Caller,
    Query(q): Query<SearchQuery>,
) -> ApiResult<HttpResponse> {
    let filter = q.filter()?;
    let page = page_request(q.limit.as_deref(), q.cursor.as_deref(), parse_cursor)?;
    let now = state.now();
    let (items, next) = state
        .run(move |s| {
            let page = placements::search_placements(s, actor.as_ref(), &filter, &page, now)?;
            Ok((views(s, page.items)?, page.next))
        })
        .await?;
    let page = wex_domain::model::page::Page { items, next };
    Ok(list_response(&req, page, cursor_text, |v| PlacementResponse::new(v, now)))
}

/// Read a placement.
///
/// Who may call: anyone, once it is published; drafts only the organisation's coordinators
/// (404 for everyone else).
#[utoipa::path(tag = "placements", operation_id = "getPlacement", security((), ("bearer" = [])),
    params(("placement_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The placement.", body = PlacementResponse, headers(("ETag" = String))),
        (status = 404, description = "No such placement, or a draft you may not see.", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/placements/{placement_id}")]
pub async fn get(state: web::Data<AppState>, Caller(actor): Caller, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let v = state.run(move |s| view(s, placements::get_placement(s, actor.as_ref(), id)?)).await?;
    Ok(respond(StatusCode::OK, v, state.now()))
}

/// Change a placement.
///
/// Who may call: coordinators of the placement's organisation (404 for everyone else). JSON
/// merge patch of the `PlacementDetails` fields; `If-Match` required. Drafts change freely within
/// the rules; a published placement must stay publishable, and once applications open its
/// eligibility, priority rules, selection method and dates are fixed (409).
#[utoipa::path(tag = "placements", operation_id = "updatePlacement", security(("bearer" = [])),
    params(("placement_id" = Uuid, Path), ("If-Match" = String, Header, description = "The ETag you read.")),
    request_body(content = serde_json::Value, content_type = "application/merge-patch+json",
        example = json!({"capacity": 6, "preparation": {"dress_code": "Smart casual. No jeans or trainers."}})),
    responses(
        (status = 200, description = "Changed.", body = PlacementResponse, headers(("ETag" = String))),
        (status = 404, description = "No such placement among those you manage.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Frozen fields changed after opening, or the placement can no longer change.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Breaks a rule.", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing.", body = Problem, content_type = "application/problem+json"),
    ))]
#[patch("/placements/{placement_id}")]
pub async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    body: Json<serde_json::Value>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let viewer = actor.clone();
    let now = state.now();
    let v = apply_patch(
        &state,
        &req,
        body.value,
        move |s| {
            let current = s.placement(id)?;
            viewer.require_owner_of(current.organisation_id)?;
            Ok(current)
        },
        |current| &current.details,
        move |s, expected, details| view(s, placements::update_placement(s, s, &actor, id, expected, details, now)?),
    )
    .await?;
    Ok(respond(StatusCode::OK, v, now))
}

/// Publish a draft placement.
///
/// Who may call: coordinators of the placement's organisation (404 for everyone else). Checks
/// the publishing rules (all preparation fields, a site unless online, closing in the future) and
/// commits to the draw: a secret seed is generated and its SHA-256 published as
/// `draw_commitment`. `If-Match` is optional.
#[utoipa::path(tag = "placements", operation_id = "publishPlacement", security(("bearer" = [])),
    params(("placement_id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The ETag you read.")),
    responses(
        (status = 200, description = "Published.", body = PlacementResponse, headers(("ETag" = String))),
        (status = 404, description = "No such placement among those you manage.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a draft.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not ready: the errors list what is missing.", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/placements/{placement_id}/publish")]
pub async fn publish(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let expected = if_match(&req)?;
    let seed = DrawSeed::generate().map_err(|e| {
        log::error!("{e}");
        ApiError::internal()
    })?;
    let now = state.now();
    let v = state.run(move |s| view(s, placements::publish_placement(s, &actor, id, expected, &seed, now)?)).await?;
    Ok(respond(StatusCode::OK, v, now))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "The ward is closed for refurbishment that week. We are sorry."}))]
pub struct CancelRequest {
    /// Why, in words applicants will read.
    pub reason: String,
}

/// Cancel a placement.
///
/// Who may call: coordinators of the placement's organisation (404 for everyone else). Possible
/// until it is completed: applications still in play and open or accepted offers end with the
/// reason, and everyone affected is told. `If-Match` is optional.
#[utoipa::path(tag = "placements", operation_id = "cancelPlacement", security(("bearer" = [])),
    params(("placement_id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The ETag you read.")),
    request_body = CancelRequest,
    responses(
        (status = 200, description = "Cancelled.", body = PlacementResponse, headers(("ETag" = String))),
        (status = 404, description = "No such placement among those you manage.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already completed or cancelled.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason given.", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/placements/{placement_id}/cancel")]
pub async fn cancel(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    body: Json<CancelRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let expected = if_match(&req)?;
    let now = state.now();
    let reason = body.value.reason;
    let v = state
        .run(move |s| view(s, wex_domain::placements::cancel_placement(s, &actor, id, expected, &reason, now)?))
        .await?;
    Ok(respond(StatusCode::OK, v, now))
}
