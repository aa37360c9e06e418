//! Closing and drawing placements, and the public draw record anyone can re-run.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::model::draw::{Draw, DrawOutcome};
use wex_domain::model::placement::Placement;
use wex_domain::placements;
use wex_domain::selection;

use crate::auth::{Caller, SignedIn};
use crate::errors_doc::Errors;
use crate::pagination::versioned;
use crate::problem::ApiResult;
use crate::state::AppState;
use crate::wire::codes;

#[derive(Serialize, ToSchema)]
pub struct DrawEntryResponse {
    pub ticket: Uuid,
    pub tier: u32,
    pub position: u32,
    #[schema(value_type = codes::DrawOutcome)]
    pub outcome: DrawOutcome,
}

/// The public record of a placement's draw (algorithm `wex-lottery-1`). Before the draw it holds
/// the commitment, the rules and the closing time; after, the revealed seed and every entry. No
/// name or other attribute of a person is ever in it.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "placement_id": "0190f3a4-5b6c-7d8e-9f00-112233445566", "algorithm": "wex-lottery-1", "drawn": true,
    "capacity": 2, "priority_rules": ["care_experienced"], "closes_at": "2027-04-01T17:00:00Z",
    "commitment": "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd",
    "seed": "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
    "entries_digest": "78d225e7f8514e01bbf79b2595c860a4a5e5c54eddd6c7dd103a1e2295716e2b", "drawn_at": "2027-04-01T17:00:30Z",
    "entries": [{"ticket": "3f2a9c1e-0b7d-4e5f-8a6b-1c2d3e4f5a6b", "tier": 1, "position": 1, "outcome": "offered"}]
}))]
pub struct DrawRecordResponse {
    pub placement_id: Uuid,
    #[schema(example = "wex-lottery-1")]
    pub algorithm: &'static str,
    pub drawn: bool,
    pub capacity: i32,
    pub priority_rules: Vec<String>,
    pub closes_at: DateTime<Utc>,
    /// SHA-256 (hex) of the seed, published before any application was made.
    pub commitment: Option<String>,
    /// The seed (hex), revealed only after the draw.
    pub seed: Option<String>,
    /// SHA-256 of the entries sorted by ticket, one `"{ticket},{tier}\n"` line each.
    pub entries_digest: Option<String>,
    pub drawn_at: Option<DateTime<Utc>>,
    /// In position order.
    pub entries: Vec<DrawEntryResponse>,
}

impl DrawRecordResponse {
    /// The record of `placement`, drawn or not; public so that the national cycle benchmark checks
    /// draws from exactly what this endpoint serves.
    pub fn new(placement: &Placement, drawn: Option<Draw>) -> Self {
        let pending = || Self {
            placement_id: placement.id,
            algorithm: wex_domain::model::lottery::ALGORITHM,
            drawn: false,
            capacity: placement.details.capacity,
            priority_rules: placement.details.priority_rules.iter().map(ToString::to_string).collect(),
            closes_at: placement.details.closes_at,
            commitment: placement.draw_commitment.clone(),
            seed: None,
            entries_digest: None,
            drawn_at: None,
            entries: Vec::new(),
        };
        match drawn {
            None => pending(),
            Some(d) => Self {
                drawn: true,
                capacity: i32::try_from(d.capacity).unwrap_or(i32::MAX),
                priority_rules: d.priority_rules.iter().map(ToString::to_string).collect(),
                commitment: Some(d.commitment),
                seed: Some(d.seed.to_hex()),
                entries_digest: Some(d.entries_digest),
                drawn_at: Some(d.drawn_at),
                entries: d
                    .entries
                    .into_iter()
                    .map(|e| DrawEntryResponse {
                        ticket: e.ticket,
                        tier: e.tier,
                        position: e.position,
                        outcome: e.outcome,
                    })
                    .collect(),
                ..pending()
            },
        }
    }
}

/// Read a placement's draw record.
///
/// Who may call: anyone, for a published placement (drafts: 404). Anyone can check it: SHA-256 of
/// the seed equals the commitment, the digest matches the entries, and re-ranking gives the
/// positions (see docs/selection.md).
#[utoipa::path(tag = "draws", operation_id = "getDrawRecord", security((), ("bearer" = [])),
    params(("placement_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The record: pending before the draw, complete after.", body = DrawRecordResponse),
        Errors<placements::PlacementReadError>,
    ))]
#[get("/placements/{placement_id}/draw")]
pub async fn record(state: web::Data<AppState>, Caller(actor): Caller, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let (placement, drawn) = state
        .run(move |s| {
            let placement = placements::get_placement(s, actor.as_ref(), id)?;
            if !placement.is_public() {
                return Err(wex_domain::DomainError::NotFound);
            }
            Ok((placement, s.draw(id)?))
        })
        .await?;
    Ok(HttpResponse::Ok().json(DrawRecordResponse::new(&placement, drawn)))
}

/// Close a placement early.
///
/// Who may call: coordinators of the placement's organisation (404 for everyone else). Stops
/// applications now; the draw follows (by the scheduler, or `POST .../draw`).
#[utoipa::path(tag = "draws", operation_id = "closePlacement", security(("bearer" = [])),
    params(("placement_id" = Uuid, Path)),
    responses(
        (status = 200, description = "Closed.", body = crate::routes::placements::views::PlacementResponse, headers(("ETag" = String))),
        Errors<placements::CloseError>,
    ))]
#[post("/placements/{placement_id}/close")]
pub async fn close(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    let v = state
        .run(move |s| {
            let p = placements::close_placement(s, &actor, id, now)?;
            crate::routes::placements::views::view(s, p)
        })
        .await?;
    Ok(crate::routes::placements::views::respond(StatusCode::OK, v, now))
}

/// Draw a closed placement.
///
/// Who may call: coordinators of the placement's organisation (404 for everyone else).
/// Idempotent: once drawn, it returns the same record. The scheduler draws every placement at its
/// closing time anyway, so nobody has to remember.
#[utoipa::path(tag = "draws", operation_id = "drawPlacement", security(("bearer" = [])),
    params(("placement_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The draw record.", body = DrawRecordResponse),
        Errors<selection::DrawError>,
    ))]
#[post("/placements/{placement_id}/draw")]
pub async fn run(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    let (placement, drawn) = state
        .run(move |s| {
            let (drawn, _) = selection::draw_placement(s, Some(&actor), id, now)?;
            Ok((s.placement(id)?, drawn))
        })
        .await?;
    let version = placement.version;
    Ok(versioned(StatusCode::OK, version, &DrawRecordResponse::new(&placement, Some(drawn))))
}

#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"meets_criteria": true}))]
pub struct ReviewRequest {
    /// Whether the application, read without knowing who sent it, meets the placement's criteria.
    pub meets_criteria: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ReviewResponse {
    pub application_id: Uuid,
    pub meets_criteria: bool,
}

/// Record a name-blind review of an application.
///
/// Who may call: coordinators of the placement's organisation (404 for everyone else), for
/// `name_blind_review` placements, on submitted applications, before the draw. Read the
/// application in the name-blind list (`GET /v1/placements/{id}/applications`); only those judged
/// to meet the criteria enter the draw, which waits until every application is reviewed.
#[utoipa::path(tag = "draws", operation_id = "reviewApplication", security(("bearer" = [])),
    params(("application_id" = Uuid, Path)),
    request_body = ReviewRequest,
    responses(
        (status = 200, description = "Recorded.", body = ReviewResponse),
        Errors<selection::ReviewError>,
    ))]
#[post("/applications/{application_id}/review")]
pub async fn review(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    body: crate::extract::Json<ReviewRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    let meets = body.value.meets_criteria;
    let app = state.run(move |s| Ok(selection::review(s, &actor, id, meets, now)?)).await?;
    Ok(HttpResponse::Ok().json(ReviewResponse { application_id: app.id, meets_criteria: meets }))
}
