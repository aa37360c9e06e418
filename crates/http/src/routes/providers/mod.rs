//! Education providers: a provider coordinator manages their college's students
//! (`/v1/organisations/{organisation_id}/students`) and proposes them for T level placements
//! arranged by agreement; the placement's coordinators decide on the proposals
//! (`/v1/placements/{placement_id}/proposals`, in [`proposals`]).

pub mod proposals;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::DomainError;
use wex_domain::model::profile::Profile;
use wex_domain::model::provider::{self as domain, Student};
use wex_domain::providers;

use crate::auth::SignedIn;
use crate::errors_doc::Errors;
use crate::extract::{Json, Query, require_if_match};
use crate::idempotency::{self, Created};
use crate::pagination::{List, id_page_request, list_response, versioned};
use crate::problem::{ApiResult, Problem};
use crate::routes::organisations::PageQuery;
use crate::routes::profiles::ProfileResponse;
use crate::state::AppState;
use crate::wire::profiles::{Consent, ProfileInput};

/// What a provider coordinator sends to add a student, or to replace one.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StudentRequest {
    pub profile: ProfileInput,
    /// The consent given for the college to manage the student's profile and propose them: the
    /// student's own, or for a student under 16 a parent or carer's, by name.
    pub consent: Consent,
    /// The student's T level course, as a short code or title (1 to 100 characters).
    #[schema(example = "Health (Adult Nursing)")]
    pub course: String,
}

impl StudentRequest {
    /// The command: the profile parsed, and the consent and the course checked, as of `today`.
    fn parse(self, today: chrono::NaiveDate) -> Result<domain::StudentRequest, DomainError> {
        let request = domain::StudentRequest::<String, String> {
            profile: self.profile.into(),
            consent: self.consent.into(),
            course: self.course,
        };
        Ok(request.parse(today)?)
    }
}

/// What a provider coordinator sends to enrol a student who has their own account.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrolmentRequest {
    /// The student's profile id, as the advocate link the student made shows it.
    pub profile_id: Uuid,
    /// The student's T level course, as a short code or title (1 to 100 characters).
    #[schema(example = "Health (Adult Nursing)")]
    pub course: String,
}

/// A student of an education provider: their profile, held by the provider, and their course.
#[derive(Serialize, ToSchema)]
pub struct StudentResponse {
    /// The student's profile id: it names the student in every other request.
    pub id: Uuid,
    /// The education provider the student belongs to.
    pub organisation_id: Uuid,
    pub course: String,
    pub profile: ProfileResponse,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl StudentResponse {
    fn new(student: Student, profile: Profile) -> Self {
        Self {
            id: student.profile_id,
            organisation_id: student.organisation_id,
            course: student.course,
            version: profile.version,
            profile: ProfileResponse::from(profile),
            created_at: student.created_at,
            updated_at: student.updated_at,
        }
    }
}

/// Add a student.
///
/// Who may call: provider coordinators of this education provider (403 for everyone else). The
/// student's profile is held by the provider, so any of its provider coordinators can act for
/// them. The consent given is recorded; under 16 a parent or carer must give it, by name. Accepts
/// `Idempotency-Key`.
#[utoipa::path(tag = "providers", operation_id = "createStudent", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe.")),
    request_body(content = StudentRequest, example = json!({
        "profile": {"preferred_name": "Sam", "email": "sam.student@example.org", "date_of_birth": "2008-09-01", "postcode": "SO15 2AA", "user_groups": ["young_people_16_18"]},
        "consent": {"given_by": "applicant"},
        "course": "Health (Adult Nursing)"
    })),
    responses(
        (status = 201, description = "Added.", body = StudentResponse, headers(("Location" = String), ("ETag" = String))),
        Errors<providers::CreateStudentError>,
    ))]
#[post("/organisations/{organisation_id}/students")]
pub async fn create_student(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    body: Json<StudentRequest>,
) -> ApiResult<HttpResponse> {
    let organisation_id = id.into_inner();
    let subject = actor.subject.clone();
    idempotency::create(&state, &req, &subject, &body.raw, || async {
        let now = state.now();
        let request = body.value.parse(now.date_naive())?;
        let (student, profile) =
            state.run(move |s| Ok(providers::create_student(s, &actor, organisation_id, request, now)?)).await?;
        let location = format!("/v1/organisations/{organisation_id}/students/{}", student.profile_id);
        let version = profile.version;
        Created::new(&StudentResponse::new(student, profile), location, Some(version))
    })
    .await
}

/// List the provider's students.
///
/// Who may call: provider coordinators of this education provider (403 for everyone else). Each
/// student listed is written to the audit trail.
#[utoipa::path(tag = "providers", operation_id = "listStudents", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), PageQuery),
    responses(
        (status = 200, description = "A page of students.", body = List<StudentResponse>, headers(("Link" = String))),
        Errors<providers::ProviderAccessError>,
    ))]
#[get("/organisations/{organisation_id}/students")]
pub async fn list_students(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    Query(q): Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let page = id_page_request(q.limit.as_deref(), q.cursor.as_deref())?;
    let organisation_id = id.into_inner();
    let now = state.now();
    let result = state.run(move |s| Ok(providers::list_students(s, &actor, organisation_id, &page, now)?)).await?;
    Ok(list_response(&req, result, |k| k.to_string(), |(st, p)| StudentResponse::new(st, p)))
}

/// Read a student.
///
/// Who may call: provider coordinators of the student's education provider (404 for everyone
/// else, including another provider's coordinators). The read is written to the audit trail.
#[utoipa::path(tag = "providers", operation_id = "getStudent", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), ("profile_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The student.", body = StudentResponse, headers(("ETag" = String))),
        Errors<providers::StudentAccessError>,
    ))]
#[get("/organisations/{organisation_id}/students/{profile_id}")]
pub async fn get_student(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (organisation_id, profile_id) = path.into_inner();
    let now = state.now();
    let (student, profile) =
        state.run(move |s| Ok(providers::read_student(s, &actor, organisation_id, profile_id, now)?)).await?;
    Ok(versioned(StatusCode::OK, profile.version, &StudentResponse::new(student, profile)))
}

/// Replace a student's profile, consent and course.
///
/// Who may call: provider coordinators of the student's education provider (404 for everyone
/// else). `If-Match` is required.
#[utoipa::path(tag = "providers", operation_id = "putStudent", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), ("profile_id" = Uuid, Path), ("If-Match" = String, Header, description = "The ETag you read.")),
    request_body = StudentRequest,
    responses(
        (status = 200, description = "Replaced.", body = StudentResponse, headers(("ETag" = String))),
        (status = 428, description = "If-Match is missing.", body = Problem, content_type = "application/problem+json"),
        Errors<providers::UpdateStudentError>,
    ))]
#[put("/organisations/{organisation_id}/students/{profile_id}")]
pub async fn put_student(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<StudentRequest>,
) -> ApiResult<HttpResponse> {
    let (organisation_id, profile_id) = path.into_inner();
    let viewer = actor.clone();
    // Someone who does not coordinate the student learns nothing, not even that If-Match is missing.
    state.run(move |s| Ok(providers::student_of(s, &viewer, organisation_id, profile_id).map(drop)?)).await?;
    let expected = require_if_match(&req)?;
    let now = state.now();
    let request = body.value.parse(now.date_naive())?;
    let (student, profile) = state
        .run(move |s| Ok(providers::update_student(s, &actor, organisation_id, profile_id, expected, request, now)?))
        .await?;
    Ok(versioned(StatusCode::OK, profile.version, &StudentResponse::new(student, profile)))
}

/// Enrol a student who has their own account.
///
/// Who may call: a provider coordinator of this education provider whom the student linked as
/// their advocate from their own account (`POST /v1/me/advocates`, relationship
/// `t_level_coordinator`): that link is the student's consent. The profile stays the student's own;
/// they sign in to see their place, agreement and progress. 404 when no such student linked the
/// caller (a managed profile is added with `createStudent` instead); 409 `already_a_student` when
/// a provider holds them already. Accepts `Idempotency-Key`.
#[utoipa::path(tag = "providers", operation_id = "enrolStudent", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe.")),
    request_body(content = EnrolmentRequest, example = json!({
        "profile_id": "0193a6c0-7f1e-7c3a-9a57-3c1f0e2b9d41",
        "course": "Health (Adult Nursing)"
    })),
    responses(
        (status = 201, description = "Enrolled.", body = StudentResponse, headers(("Location" = String), ("ETag" = String))),
        Errors<providers::EnrolStudentError>,
    ))]
#[post("/organisations/{organisation_id}/enrolments")]
pub async fn enrol_student(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    body: Json<EnrolmentRequest>,
) -> ApiResult<HttpResponse> {
    let organisation_id = id.into_inner();
    let subject = actor.subject.clone();
    idempotency::create(&state, &req, &subject, &body.raw, || async {
        let now = state.now();
        let (profile_id, course) = (body.value.profile_id, body.value.course.clone());
        let (student, profile) = state
            .run(move |s| Ok(providers::enrol_student(s, &actor, organisation_id, profile_id, &course, now)?))
            .await?;
        let location = format!("/v1/organisations/{organisation_id}/students/{}", student.profile_id);
        let version = profile.version;
        Created::new(&StudentResponse::new(student, profile), location, Some(version))
    })
    .await
}

/// Delete the account of a student the college manages.
///
/// Who may call: the provider coordinators of the student's college, for a student whose profile
/// the college manages (added with consent, no account of their own); 403 `erasure_not_allowed`
/// for a student with their own account (they delete it themselves), 404 for everyone else.
/// `If-Match` with the student's ETag confirms (428 without it). Otherwise as `DELETE /v1/me`.
#[utoipa::path(tag = "providers", operation_id = "eraseStudent", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), ("profile_id" = Uuid, Path),
        ("If-Match" = String, Header, description = "The student's ETag: the confirmation.")),
    responses(
        (status = 200, description = "Erased.", body = crate::routes::erasure::ErasureResponse),
        (status = 428, description = "If-Match is missing.", body = crate::problem::Problem, content_type = "application/problem+json"),
        Errors<wex_domain::data_protection::ErasureError>,
    ))]
#[delete("/organisations/{organisation_id}/students/{profile_id}")]
pub async fn erase_student(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    ids: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (organisation_id, profile_id) = ids.into_inner();
    let viewer = actor.clone();
    // Someone who may not know of the student learns nothing, not even that If-Match is needed.
    state.run(move |s| Ok(providers::student_of(s, &viewer, organisation_id, profile_id).map(drop)?)).await?;
    let expected = require_if_match(&req)?;
    let now = state.now();
    let erased = state
        .run(move |s| {
            Ok(wex_domain::data_protection::erase_student(s, &actor, organisation_id, profile_id, expected, now)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(crate::routes::erasure::ErasureResponse::from(erased)))
}
