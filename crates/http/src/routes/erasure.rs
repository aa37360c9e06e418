//! Erasure: `DELETE /v1/me` for the applicant, `DELETE /v1/advocacy/applicants/{profile_id}` for
//! the advocate who manages a child's profile, and an admin's erasure on request with a reason.

use actix_web::{HttpRequest, HttpResponse, delete, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::data_protection::{self, Erasure, ErasureError};

use crate::auth::SignedIn;
use crate::errors_doc::Errors;
use crate::extract::{Json, require_if_match};
use crate::problem::ApiResult;
use crate::state::AppState;

/// What an erasure did. Nothing in it names the person.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "profile_id": "0193a1c2-7a40-7d2e-9f1a-3b5c6d7e8f90", "erased_at": "2026-11-30T10:15:00Z",
    "erased_by": "applicant", "applications_ended": 2, "places_released": 1
}))]
pub struct ErasureResponse {
    /// The profile erased: its id stays, as a shell holding no personal data.
    pub profile_id: Uuid,
    pub erased_at: DateTime<Utc>,
    /// Who asked: `applicant`, `advocate`, `provider` (a college for a student it manages), `admin` or
    /// `retention`.
    #[schema(example = "applicant")]
    pub erased_by: String,
    /// Applications, offers and places not yet started that ended as withdrawals.
    pub applications_ended: usize,
    /// Places offered or accepted that went back to their placements, each passed down the
    /// waiting list.
    pub places_released: usize,
}

impl From<Erasure> for ErasureResponse {
    fn from(e: Erasure) -> Self {
        ErasureResponse {
            profile_id: e.profile_id,
            erased_at: e.erased_at,
            erased_by: e.by.code().to_string(),
            applications_ended: e.applications_ended,
            places_released: e.places_released,
        }
    }
}

/// Delete my account.
///
/// Who may call: anyone signed in with a profile, for themselves (404 without one). Confirm by
/// sending the profile's ETag (from `GET /v1/me/profile`) as `If-Match`: 428 without it, 412 if
/// the profile changed since. Applications waiting for an outcome are withdrawn; an offer, or an
/// accepted place whose placement has not started, is given up and passed down the waiting list.
/// Then every personal field is removed or overwritten (profile, answers, supporting information,
/// equality answers, messages, advocate links), and `applicant.erased` goes to the organisations
/// concerned. Reports, statistics and public draw records do not change. Signing in again starts
/// with no profile. 409 `manages_profiles` while you manage someone else's profile.
#[utoipa::path(tag = "me", operation_id = "eraseMyAccount", security(("bearer" = [])),
    params(("If-Match" = String, Header, description = "The profile's ETag: the confirmation.")),
    responses(
        (status = 200, description = "Erased.", body = ErasureResponse),
        (status = 428, description = "If-Match is missing.", body = crate::problem::Problem, content_type = "application/problem+json"),
        Errors<ErasureError>,
    ))]
#[delete("/me")]
pub async fn erase_mine(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> ApiResult<HttpResponse> {
    let viewer = actor.clone();
    // Someone without a profile learns that first, not that If-Match is missing.
    state.run(move |s| Ok(wex_domain::profiles::own_profile(s, &viewer)?)).await?;
    let expected = require_if_match(&req)?;
    let now = state.now();
    let erased = state.run(move |s| Ok(data_protection::erase_mine(s, &actor, expected, now)?)).await?;
    Ok(HttpResponse::Ok().json(ErasureResponse::from(erased)))
}

/// Delete the account of an applicant whose profile I manage.
///
/// Who may call: the advocate who created and manages the profile (with the consent of the
/// applicant, or of a parent or carer for under-16s, recorded then); 403 `erasure_not_allowed` for an
/// advocate acting by the applicant's invitation, 404 for everyone else. `If-Match` with the
/// profile's ETag confirms (428 without it). Otherwise as `DELETE /v1/me`.
#[utoipa::path(tag = "advocates", operation_id = "eraseApplicant", security(("bearer" = [])),
    params(("profile_id" = Uuid, Path), ("If-Match" = String, Header, description = "The profile's ETag: the confirmation.")),
    responses(
        (status = 200, description = "Erased.", body = ErasureResponse),
        (status = 428, description = "If-Match is missing.", body = crate::problem::Problem, content_type = "application/problem+json"),
        Errors<ErasureError>,
    ))]
#[delete("/advocacy/applicants/{profile_id}")]
pub async fn erase_applicant(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let viewer = actor.clone();
    state.run(move |s| Ok(wex_domain::advocacy::applicant_profile(s, &viewer, id)?)).await?;
    let expected = require_if_match(&req)?;
    let now = state.now();
    let erased = state.run(move |s| Ok(data_protection::erase_managed(s, &actor, id, expected, now)?)).await?;
    Ok(HttpResponse::Ok().json(ErasureResponse::from(erased)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Request by post received 28 November 2026, identity checked by the service desk (ticket 4411)."}))]
pub struct ErasureRequest {
    /// Why, for the audit log: how the request came and how the person's identity was checked.
    /// Up to 1000 characters. Do not name the person: the reason outlives the erasure, for
    /// accountability.
    pub reason: String,
}

/// Erase an applicant's account on their request.
///
/// Who may call: platform admins (403 for everyone else), for a request the person made outside
/// the API (by email, by post). The reason is recorded in the audit log. Otherwise as
/// `DELETE /v1/me`; 404 for a profile that does not exist or is already erased.
#[utoipa::path(tag = "data-protection", operation_id = "eraseApplicantByAdmin", security(("bearer" = [])),
    params(("profile_id" = Uuid, Path)),
    request_body = ErasureRequest,
    responses(
        (status = 200, description = "Erased.", body = ErasureResponse),
        Errors<ErasureError>,
    ))]
#[post("/applicants/{profile_id}/erasure")]
pub async fn erase_by_admin(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    body: Json<ErasureRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    let reason = body.value.reason;
    let erased = state.run(move |s| Ok(data_protection::erase_by_admin(s, &actor, id, &reason, now)?)).await?;
    Ok(HttpResponse::Ok().json(ErasureResponse::from(erased)))
}
