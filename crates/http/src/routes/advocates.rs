//! Advocates: applicants link them by email (`/v1/me/advocates`), advocates accept
//! (`/v1/advocate-links/{link_id}/accept`), manage profiles for people without an account, and act
//! for the applicants they are linked to (`/v1/advocacy/applicants`).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::advocacy;
use wex_domain::model::advocacy::{AdvocateLink, LinkStatus, Relationship};

use crate::auth::SignedIn;
use crate::errors_doc::Errors;
use crate::extract::{Json, Query, require_if_match};
use crate::idempotency::{self, Created};
use crate::pagination::{List, id_page_request, list_response, versioned};
use crate::problem::{ApiResult, Problem};
use crate::routes::applications::views::{ApplicationResponse, views};
use crate::routes::organisations::PageQuery;
use crate::routes::profiles::ProfileResponse;
use crate::state::AppState;
use crate::wire::codes;
use crate::wire::profiles::{InviteRequest, ManagedProfileRequest, ProfileInput};

/// A link between an applicant and an advocate.
#[derive(Serialize, ToSchema)]
pub struct AdvocateLinkResponse {
    pub id: Uuid,
    pub profile_id: Uuid,
    /// Where the invitation went (`null` for a profile the advocate manages).
    pub advocate_email: Option<String>,
    #[schema(value_type = codes::Relationship)]
    pub relationship: Relationship,
    #[schema(value_type = codes::LinkStatus)]
    pub status: LinkStatus,
    pub created_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<AdvocateLink> for AdvocateLinkResponse {
    fn from(l: AdvocateLink) -> Self {
        Self {
            id: l.id,
            profile_id: l.profile_id,
            advocate_email: l.advocate_email,
            relationship: l.relationship,
            status: l.status,
            created_at: l.created_at,
            accepted_at: l.accepted_at,
            revoked_at: l.revoked_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AdvocateLinks {
    pub items: Vec<AdvocateLinkResponse>,
}

/// Invite an advocate to act for me.
///
/// Who may call: anyone signed in with a profile. The advocate is sent a code to accept with; until
/// then the link is pending. Accepts `Idempotency-Key`.
#[utoipa::path(tag = "advocates", operation_id = "inviteAdvocate", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe.")),
    request_body = InviteRequest,
    responses(
        (status = 201, description = "Invited.", body = AdvocateLinkResponse, headers(("Location" = String))),
        Errors<advocacy::InviteError>,
    ))]
#[post("/me/advocates")]
pub async fn invite(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    body: Json<InviteRequest>,
) -> ApiResult<HttpResponse> {
    let subject = actor.subject.clone();
    idempotency::create(&state, &req, &subject, &body.raw, || async {
        let now = state.now();
        let request = wex_domain::model::advocacy::InviteRequest::from(body.value);
        let link = state.run(move |s| Ok(advocacy::invite(s, &actor, request, now)?)).await?;
        let location = format!("/v1/me/advocates/{}", link.id);
        Created::new(&AdvocateLinkResponse::from(link), location, None)
    })
    .await
}

/// List my advocates.
///
/// Who may call: anyone signed in; their own links only (pending, active and revoked).
#[utoipa::path(tag = "advocates", operation_id = "listMyAdvocates", security(("bearer" = [])),
    responses((status = 200, description = "Your links.", body = AdvocateLinks)))]
#[get("/me/advocates")]
pub async fn list_mine(state: web::Data<AppState>, SignedIn(actor): SignedIn) -> ApiResult<HttpResponse> {
    let links = state.run(move |s| Ok(advocacy::my_links(s, &actor)?)).await?;
    Ok(HttpResponse::Ok().json(AdvocateLinks { items: links.into_iter().map(AdvocateLinkResponse::from).collect() }))
}

/// Read one of my advocate links.
///
/// Who may call: the applicant whose link it is (404 for everyone else).
#[utoipa::path(tag = "advocates", operation_id = "getMyAdvocate", security(("bearer" = [])),
    params(("link_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The link.", body = AdvocateLinkResponse),
        Errors<advocacy::NotYoursError>,
    ))]
#[get("/me/advocates/{link_id}")]
pub async fn get_mine(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let link = state.run(move |s| Ok(advocacy::my_link(s, &actor, id)?)).await?;
    Ok(HttpResponse::Ok().json(AdvocateLinkResponse::from(link)))
}

/// End an advocate's link.
///
/// Who may call: the applicant whose link it is (404 for everyone else). The advocate loses access
/// at once; the link is kept, marked revoked.
#[utoipa::path(tag = "advocates", operation_id = "revokeAdvocate", security(("bearer" = [])),
    params(("link_id" = Uuid, Path)),
    responses(
        (status = 200, description = "Revoked.", body = AdvocateLinkResponse),
        Errors<advocacy::RevokeError>,
    ))]
#[delete("/me/advocates/{link_id}")]
pub async fn revoke(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    let link = state.run(move |s| Ok(advocacy::revoke(s, &actor, id, now)?)).await?;
    Ok(HttpResponse::Ok().json(AdvocateLinkResponse::from(link)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "K7QX2M9PRA"}))]
pub struct AcceptRequest {
    /// The code from the invitation.
    pub code: String,
}

/// Accept an invitation to act for an applicant.
///
/// Who may call: anyone signed in who has the invitation's code, except the applicant who sent it
/// (`422 own_invitation`). A wrong code, or a link that is not pending, is 404 so that links cannot
/// be probed.
#[utoipa::path(tag = "advocates", operation_id = "acceptAdvocateLink", security(("bearer" = [])),
    params(("link_id" = Uuid, Path)),
    request_body = AcceptRequest,
    responses(
        (status = 200, description = "Accepted: you can now act for the applicant.", body = AdvocateLinkResponse),
        Errors<advocacy::AcceptError>,
    ))]
#[post("/advocate-links/{link_id}/accept")]
pub async fn accept(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    body: Json<AcceptRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let code = body.value.code;
    let now = state.now();
    let link = state.run(move |s| Ok(advocacy::accept(s, &actor, id, &code, now)?)).await?;
    Ok(HttpResponse::Ok().json(AdvocateLinkResponse::from(link)))
}

/// Create a profile for someone without an account.
///
/// Who may call: anyone signed in acting as an advocate (a careers leader applying for pupils, a
/// support worker). The consent given is recorded; for applicants under 16 a parent or carer must
/// give it, by name. The caller becomes the profile's advocate. Accepts `Idempotency-Key`.
#[utoipa::path(tag = "advocates", operation_id = "createManagedApplicant", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe.")),
    request_body(content = ManagedProfileRequest, example = json!({
        "profile": {"email": "pupil.parent@example.org", "date_of_birth": "2011-03-02", "postcode": "SO15 2AA", "user_groups": ["school_pupils_14_16"]},
        "consent": {"given_by": "parent_or_carer", "giver_name": "Alex Smith (mother)"},
        "relationship": "careers_leader"
    })),
    responses(
        (status = 201, description = "Created; you act for this applicant.", body = ProfileResponse, headers(("Location" = String), ("ETag" = String))),
        Errors<advocacy::CreateManagedError>,
    ))]
#[post("/advocacy/applicants")]
pub async fn create_applicant(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    body: Json<ManagedProfileRequest>,
) -> ApiResult<HttpResponse> {
    let subject = actor.subject.clone();
    idempotency::create(&state, &req, &subject, &body.raw, || async {
        let now = state.now();
        let request = body.value.parse(now.date_naive())?;
        let p = state.run(move |s| Ok(advocacy::create_managed(s, &actor, request, now)?)).await?;
        let (location, version) = (format!("/v1/advocacy/applicants/{}", p.id), p.version);
        Created::new(&ProfileResponse::from(p), location, Some(version))
    })
    .await
}

/// List the applicants I act for.
///
/// Who may call: anyone signed in; the profiles they hold an active link to.
#[utoipa::path(tag = "advocates", operation_id = "listMyApplicants", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, description = "A page of profiles.", body = List<ProfileResponse>, headers(("Link" = String)))))]
#[get("/advocacy/applicants")]
pub async fn list_applicants(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    Query(q): Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let page = id_page_request(q.limit.as_deref(), q.cursor.as_deref())?;
    let now = state.now();
    let result = state.run(move |s| Ok(advocacy::my_applicants(s, &actor, &page, now)?)).await?;
    Ok(list_response(&req, result, |k| k.to_string(), ProfileResponse::from))
}

/// Read the profile of an applicant I act for.
///
/// Who may call: advocates with an active link to the applicant (404 for everyone else).
#[utoipa::path(tag = "advocates", operation_id = "getApplicantProfile", security(("bearer" = [])),
    params(("profile_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The profile.", body = ProfileResponse, headers(("ETag" = String))),
        Errors<advocacy::NotYoursError>,
    ))]
#[get("/advocacy/applicants/{profile_id}")]
pub async fn get_applicant(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    let (p, problem) = state
        .run(move |s| {
            let p = advocacy::read_applicant_profile(s, &actor, id, now)?;
            let problem = wex_domain::delivery::reach::email_problem_of(s, &p)?;
            Ok((p, problem))
        })
        .await?;
    Ok(versioned(StatusCode::OK, p.version, &ProfileResponse::seen(p, problem)))
}

/// Replace the profile of an applicant I act for.
///
/// Who may call: advocates with an active link to the applicant (404 for everyone else).
/// `If-Match` is required.
#[utoipa::path(tag = "advocates", operation_id = "putApplicantProfile", security(("bearer" = [])),
    params(("profile_id" = Uuid, Path), ("If-Match" = String, Header, description = "The ETag you read.")),
    request_body = ProfileInput,
    responses(
        (status = 200, description = "Replaced.", body = ProfileResponse, headers(("ETag" = String))),
        (status = 428, description = "If-Match is missing.", body = Problem, content_type = "application/problem+json"),
        Errors<advocacy::UpdateApplicantProfileError>,
    ))]
#[put("/advocacy/applicants/{profile_id}")]
pub async fn put_applicant(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    body: Json<ProfileInput>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let viewer = actor.clone();
    // Someone who does not act for the applicant learns nothing, not even that If-Match is missing.
    state.run(move |s| Ok(advocacy::applicant_profile(s, &viewer, id)?)).await?;
    let expected = require_if_match(&req)?;
    let now = state.now();
    let input = body.value.parse(now.date_naive())?;
    let p = state.run(move |s| Ok(advocacy::update_applicant_profile(s, &actor, id, expected, input, now)?)).await?;
    Ok(versioned(StatusCode::OK, p.version, &ProfileResponse::from(p)))
}

/// List the applications of an applicant I act for.
///
/// Who may call: advocates with an active link to the applicant (404 for everyone else).
#[utoipa::path(tag = "advocates", operation_id = "listApplicantApplications", security(("bearer" = [])),
    params(("profile_id" = Uuid, Path), PageQuery),
    responses(
        (status = 200, description = "A page of applications.", body = List<ApplicationResponse>, headers(("Link" = String))),
        Errors<wex_domain::advocacy::NotYoursError>,
    ))]
#[get("/advocacy/applicants/{profile_id}/applications")]
pub async fn list_applicant_applications(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    Query(q): Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let page = id_page_request(q.limit.as_deref(), q.cursor.as_deref())?;
    let id = id.into_inner();
    let now = state.now();
    let (items, next) = state
        .run(move |s| {
            let page = advocacy::applicant_applications(s, &actor, id, &page, now)?;
            Ok((views(s, page.items)?, page.next))
        })
        .await?;
    Ok(list_response(
        &req,
        wex_domain::model::page::Page { items, next },
        |k| k.to_string(),
        |v| ApplicationResponse::new(v, now),
    ))
}
