//! `/v1/placements`: create (one at a time or imported in bulk), edit, publish, cancel and search
//! placements.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::model::lottery::DrawSeed;
use wex_domain::placements;
use wex_domain::read::placements as read;

use crate::auth::{Caller, SignedIn};
use crate::errors_doc::Errors;
use crate::extract::{Json, Query, if_match};
use crate::idempotency::{self, Created};
use crate::pagination::{list_response, page_request};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::routes::apply_patch;
use crate::state::AppState;
use crate::wire::placements::PlacementDetails;

mod csv_rows;
pub mod import;
mod import_row;
mod query;
pub(crate) mod views;

use query::{SearchQuery, cursor_text, parse_cursor};
use views::{PlacementResponse, respond, view};

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
        Errors<placements::CreatePlacementError>,
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
                let p = placements::create_placement(s, &actor, organisation_id, body.value.into(), now)?;
                view(s, p)
            })
            .await?;
        let (id, version) = (v.placement.id, v.placement.version);
        Created::new(&PlacementResponse::new(v, now), format!("/v1/placements/{id}"), Some(version))
    })
    .await
}

/// Search placements.
///
/// Who may call: anyone. Lists published placements by default; coordinators can list their own
/// organisation's drafts with `status=draft&organisation_id=...`. Sorted by closing time, then id.
#[utoipa::path(tag = "placements", operation_id = "searchPlacements", security((), ("bearer" = [])), params(SearchQuery),
    responses(
        (status = 200, description = "A page of placements.", body = crate::pagination::List<PlacementResponse>,
            headers(("Link" = String, description = "The next page, when there is one."))),
        Errors<placements::SearchPlacementsError>,
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
            let page = read::search_records(s, actor.as_ref(), &filter, &page, now)?;
            Ok((page.items, page.next))
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
        Errors<placements::PlacementReadError>,
    ))]
#[get("/placements/{placement_id}")]
pub async fn get(state: web::Data<AppState>, Caller(actor): Caller, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let v = state.run(move |s| Ok(read::placement_record(s, actor.as_ref(), id)?)).await?;
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
        Errors<placements::UpdatePlacementError>,
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
        move |s| Ok(placements::placement_to_edit(s, &viewer, id)?),
        |current| PlacementDetails::from(current.details.clone()),
        move |s, expected, details| {
            view(s, placements::update_placement(s, &actor, id, expected, details.into(), now)?)
        },
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
        Errors<placements::PublishError>,
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
        Errors<placements::CancelError>,
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
    let v = state.run(move |s| view(s, placements::cancel_placement(s, &actor, id, expected, &reason, now)?)).await?;
    Ok(respond(StatusCode::OK, v, now))
}
