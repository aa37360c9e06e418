//! `/v1/me/profile`: the caller's own applicant profile.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, put, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::delivery::reach;
use wex_domain::model::profile::Profile;
use wex_domain::model::reach::EmailProblem;
use wex_domain::profiles;

use crate::auth::SignedIn;
use crate::errors_doc::Errors;
use crate::extract::{Json, if_match};
use crate::pagination::versioned;
use crate::problem::ApiResult;
use crate::state::AppState;
use crate::wire::profiles::{Consent, ProfileInput};

#[derive(Serialize, ToSchema)]
pub struct ProfileResponse {
    pub id: Uuid,
    #[serde(flatten)]
    pub input: ProfileInput,
    /// The advocate who manages this profile for someone without an account, if any.
    pub managed_by: Option<String>,
    /// For a managed profile: the consent its advocate recorded.
    pub consent: Option<Consent>,
    /// Set when email to this address has failed for good (the address does not exist, or its
    /// provider refused it): the applicant should check it or give another. Null otherwise,
    /// including in the responses that create or replace a profile.
    pub email_problem: Option<EmailProblemResponse>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Why we could not email the applicant, and since when.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"since": "2027-03-01T09:00:00Z",
    "message": "We could not email you at this address. Check it is right, or give another."}))]
pub struct EmailProblemResponse {
    /// When the message that failed was given up.
    pub since: DateTime<Utc>,
    /// What to tell the applicant.
    pub message: String,
}

impl From<EmailProblem> for EmailProblemResponse {
    fn from(p: EmailProblem) -> Self {
        Self { since: p.since, message: p.message().to_string() }
    }
}

impl ProfileResponse {
    /// The profile as shown to the applicant or their advocate, with whether its address works.
    pub fn seen(p: Profile, problem: Option<EmailProblem>) -> Self {
        Self { email_problem: problem.map(Into::into), ..Self::from(p) }
    }
}

impl From<Profile> for ProfileResponse {
    fn from(p: Profile) -> Self {
        Self {
            id: p.id,
            input: p.input.into(),
            managed_by: p.managed_by,
            consent: p.consent.map(Into::into),
            email_problem: None,
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// Read my profile.
///
/// Who may call: anyone signed in, for their own profile only. 404 until the profile is created.
#[utoipa::path(tag = "profiles", operation_id = "getMyProfile", security(("bearer" = [])),
    responses(
        (status = 200, description = "Your profile.", body = ProfileResponse, headers(("ETag" = String))),
        Errors<profiles::OwnProfileError>,
    ))]
#[get("/me/profile")]
pub async fn get_mine(state: web::Data<AppState>, SignedIn(actor): SignedIn) -> ApiResult<HttpResponse> {
    let (p, problem) = state
        .run(move |s| {
            let p = profiles::own_profile(s, &actor)?;
            let problem = reach::email_problem_of(s, &p)?;
            Ok((p, problem))
        })
        .await?;
    Ok(versioned(StatusCode::OK, p.version, &ProfileResponse::seen(p, problem)))
}

/// Create or replace my profile.
///
/// Who may call: anyone signed in, for their own profile only. Creating: no `If-Match` (201).
/// Replacing: `If-Match` with the ETag you read (200; 428 without it, 412 if stale). Only the
/// email, the date of birth and a postcode (or `no_fixed_address: true`) are required.
#[utoipa::path(tag = "profiles", operation_id = "putMyProfile", security(("bearer" = [])),
    params(("If-Match" = Option<String>, Header, description = "Required to replace an existing profile.")),
    request_body(content = ProfileInput, example = json!({
        "preferred_name": "Jo", "email": "jo@example.org", "date_of_birth": "2010-05-17", "postcode": "SO16 6YD",
        "user_groups": ["school_pupils_14_16"], "care_experienced": true,
        "support_worker": {"name": "Sam Okafor", "email": "sam.okafor@leaving-care.example.org", "organisation": "Hampshire Leaving Care Team"}
    })),
    responses(
        (status = 200, description = "Replaced.", body = ProfileResponse, headers(("ETag" = String))),
        (status = 201, description = "Created.", body = ProfileResponse, headers(("ETag" = String), ("Location" = String))),
        Errors<profiles::PutOwnProfileError>,
    ))]
#[put("/me/profile")]
pub async fn put_mine(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    body: Json<ProfileInput>,
) -> ApiResult<HttpResponse> {
    let expected = if_match(&req)?;
    let now = state.now();
    let input = body.value.parse(now.date_naive())?;
    let (p, created) = state.run(move |s| Ok(profiles::put_own_profile(s, &actor, input, expected, now)?)).await?;
    let version = p.version;
    let mut res =
        versioned(if created { StatusCode::CREATED } else { StatusCode::OK }, version, &ProfileResponse::from(p));
    if created {
        res.headers_mut().insert(
            actix_web::http::header::LOCATION,
            actix_web::http::header::HeaderValue::from_static("/v1/me/profile"),
        );
    }
    Ok(res)
}
