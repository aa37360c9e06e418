//! `POST /v1/sandbox/tokens`: mint a token for any role, in sandbox mode only (the route does not
//! exist in production).

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::model::auth::Role;
use wex_domain::sandbox;

use crate::errors_doc::Errors;
use crate::extract::Json;
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;
use crate::wire::codes;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"role": "coordinator", "subject": "coordinator-1", "organisation_id": "0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b"}))]
pub struct TokenRequest {
    #[schema(value_type = codes::Role)]
    pub role: Role,
    /// Who the token is for: any id you choose, such as `applicant-1`.
    pub subject: String,
    /// Required for coordinator and host tokens.
    #[serde(default)]
    pub organisation_id: Option<Uuid>,
    /// Lifetime in seconds, 60 to 2592000 (default 28800, eight hours).
    #[serde(default)]
    pub expires_in: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    pub expires_at: DateTime<Utc>,
    pub subject: String,
    #[schema(value_type = codes::Role)]
    pub role: Role,
    pub organisation_id: Option<Uuid>,
}

/// Mint a sandbox token.
///
/// Who may call: anyone, in sandbox mode only (in production this path does not exist: 404). The grant
/// the role needs (platform admin or analyst, coordinator or host of `organisation_id`) is recorded
/// too, so the token works at once.
#[utoipa::path(tag = "sandbox", operation_id = "mintSandboxToken", security(()),
    request_body = TokenRequest,
    responses(
        (status = 201, description = "A bearer token.", body = TokenResponse),
        Errors<sandbox::TokenError>,
    ))]
#[post("/sandbox/tokens")]
pub async fn mint_token(state: web::Data<AppState>, body: Json<TokenRequest>) -> ApiResult<HttpResponse> {
    let TokenRequest { role, subject, organisation_id, expires_in } = body.value;
    let subject = subject.trim().to_string();
    let grant_subject = subject.clone();
    let now = state.now();
    let ttl = state
        .run(move |s| Ok(sandbox::grant_for_token(s, &grant_subject, role, organisation_id, expires_in, now)?))
        .await?;
    let (token, exp) = state.auth.mint(&subject, role, organisation_id, ttl).ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Created().json(TokenResponse {
        token,
        token_type: "Bearer",
        expires_at: DateTime::from_timestamp(exp, 0).unwrap_or(now),
        subject,
        role,
        organisation_id,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct OutboxMessage {
    pub id: Uuid,
    /// The email address it goes to.
    pub recipient: String,
    #[schema(value_type = codes::Template)]
    pub template: wex_domain::model::notification::Template,
    pub subject: String,
    pub body: String,
    pub application_id: Option<Uuid>,
    /// The front-end link the email ends with (`WEX_FRONTEND_BASE_URL` and the message's path).
    pub link: Option<String>,
    pub created_at: DateTime<Utc>,
    pub delivery: DeliveryView,
}

/// Where a message's delivery stands.
#[derive(Serialize, ToSchema)]
pub struct DeliveryView {
    #[schema(value_type = codes::DeliveryStatus)]
    pub status: wex_domain::model::delivery::DeliveryStatus,
    /// When it will be tried again, while `pending` after a failure.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Why it last failed: an outcome code and a status, never personal data.
    pub failure: Option<String>,
    pub attempts: Vec<AttemptView>,
}

/// One attempt to send a message.
#[derive(Serialize, ToSchema)]
pub struct AttemptView {
    pub number: u32,
    pub at: DateTime<Utc>,
    /// `notify`, `smtp` or `sandbox`.
    pub transport: String,
    #[schema(value_type = codes::AttemptOutcome)]
    pub outcome: wex_domain::model::delivery::AttemptOutcome,
    pub detail: Option<String>,
}

/// List the notification outbox.
///
/// Who may call: anyone, in sandbox mode only (in production this path does not exist: 404).
/// Every message the platform owes someone, oldest first, so that test harnesses can check them.
#[utoipa::path(tag = "sandbox", operation_id = "listSandboxOutbox", security(()), params(crate::routes::organisations::PageQuery),
    responses((status = 200, description = "A page of notifications.", body = crate::pagination::List<OutboxMessage>, headers(("Link" = String)))))]
#[get("/sandbox/outbox")]
pub async fn outbox(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    crate::extract::Query(q): crate::extract::Query<crate::routes::organisations::PageQuery>,
) -> ApiResult<HttpResponse> {
    let page = crate::pagination::id_page_request(q.limit.as_deref(), q.cursor.as_deref())?;
    let result = state.run(move |s| Ok(wex_domain::delivery::outbox::outbox(s, &page)?)).await?;
    let frontend = state.frontend_base_url.clone();
    Ok(crate::pagination::list_response(
        &req,
        result,
        |k| k.to_string(),
        |(n, d)| OutboxMessage {
            id: n.id,
            link: n.link.as_ref().map(|path| format!("{}{path}", frontend.trim_end_matches('/'))),
            recipient: n.recipient,
            template: n.template,
            subject: n.subject,
            body: n.body,
            application_id: n.application_id,
            created_at: n.created_at,
            delivery: DeliveryView {
                status: d.status,
                next_attempt_at: d.next_attempt_at,
                failure: d.failure,
                attempts: d
                    .attempts
                    .into_iter()
                    .map(|a| AttemptView {
                        number: a.number,
                        at: a.at,
                        transport: a.transport,
                        outcome: a.result.outcome,
                        detail: a.result.detail,
                    })
                    .collect(),
            },
        },
    ))
}

/// Send exactly one of `set` and `advance_seconds` (otherwise `422 invalid_clock_change`).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"advance_seconds": 2_592_000}))]
pub struct ClockRequest {
    /// Set the clock to this time (RFC 3339).
    #[serde(default)]
    pub set: Option<DateTime<Utc>>,
    /// Or move it on by this many seconds (negative moves it back). Either way the clock moves at
    /// most 100 years (3,162,240,000 seconds).
    #[serde(default)]
    pub advance_seconds: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ClockResponse {
    /// The time every rule of the service now reads.
    pub now: DateTime<Utc>,
}

/// Read the service's clock.
///
/// Who may call: anyone, in sandbox mode only (in production this path does not exist: 404).
#[utoipa::path(tag = "sandbox", operation_id = "getSandboxClock", security(()),
    responses((status = 200, description = "The service's time.", body = ClockResponse)))]
#[get("/sandbox/clock")]
pub async fn clock(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(ClockResponse { now: state.now() })
}

/// Set or advance the service's clock.
///
/// Who may call: anyone, in sandbox mode only (in production this path does not exist: 404).
/// Every rule reads time through this clock (opening and closing times, deadlines), so test
/// harnesses can move through a placement's life without waiting. It is shared through the database:
/// every process on it (`wex worker`, other `wex serve` processes) reads the new time within a
/// fifth of a second, and the delivery worker uses it for retries and reminders.
#[utoipa::path(tag = "sandbox", operation_id = "setSandboxClock", security(()),
    request_body = ClockRequest,
    responses(
        (status = 200, description = "The clock's new time.", body = ClockResponse),
        Errors<sandbox::ClockError>,
    ))]
#[post("/sandbox/clock")]
pub async fn set_clock(state: web::Data<AppState>, body: Json<ClockRequest>) -> ApiResult<HttpResponse> {
    let to = sandbox::clock_change(state.now(), body.value.set, body.value.advance_seconds)
        .map_err(|e| ApiError::from_use_case(&e))?;
    state.set_clock(to).await?;
    Ok(HttpResponse::Ok().json(ClockResponse { now: state.now() }))
}
