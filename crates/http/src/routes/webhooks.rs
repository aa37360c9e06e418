//! `/v1/organisations/{organisation_id}/webhooks`: an organisation's endpoints, their deliveries,
//! and replaying a failed one. Signed per the Standard Webhooks specification (docs/integrators.md).

use std::net::{IpAddr, ToSocketAddrs};

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use wex_domain::model::webhook::{WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint};
use wex_domain::webhooks::{self, AddressPolicy, WebhookInput};

use crate::auth::SignedIn;
use crate::errors_doc::Errors;
use crate::extract::{Json, Query};
use crate::pagination::{List, id_page_request, list_response};
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;
use crate::wire::codes;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"url": "https://hr.trust.example.nhs.uk/wex/events", "event_types": ["offer.accepted", "placement.cancelled"]}))]
pub struct NewWebhook {
    /// Where to post: `https://` and a public address (in the sandbox, any `http://` or `https://`
    /// URL, so that tests can receive on loopback).
    pub url: String,
    /// The event types to receive; every type when absent or empty.
    #[serde(default)]
    #[schema(value_type = Vec<codes::EventType>)]
    pub event_types: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookResponse {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub url: String,
    #[schema(value_type = Vec<codes::EventType>)]
    pub event_types: Vec<&'static str>,
    /// `active`, or `disabled` once the endpoint answered 410 Gone.
    #[schema(value_type = codes::WebhookStatus)]
    pub status: &'static str,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
    /// Until when deliveries are also signed with the secret the last rotation replaced (a day
    /// after it); `null` if the secret was never rotated. Past once only the current one is used.
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
}

impl From<&WebhookEndpoint> for WebhookResponse {
    fn from(e: &WebhookEndpoint) -> Self {
        Self {
            id: e.id,
            organisation_id: e.organisation_id,
            url: e.url.clone(),
            event_types: e.event_types.iter().map(|t| t.code()).collect(),
            status: e.status.code(),
            created_at: e.created_at,
            disabled_at: e.disabled_at,
            previous_secret_expires_at: e.previous_secret.as_ref().map(|p| p.until),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: WebhookResponse,
    /// The signing secret (`whsec_` and base64). Shown this once (here, or when it is rotated): keep
    /// it to verify deliveries.
    #[schema(example = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD")]
    pub secret: String,
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryResponse {
    /// Also the `webhook-id` header: the same on every retry and replay.
    pub id: Uuid,
    pub event_id: Uuid,
    #[schema(value_type = codes::EventType)]
    pub event_type: &'static str,
    /// `pending`, `delivered` or `failed`.
    #[schema(value_type = codes::WebhookDeliveryStatus)]
    pub status: &'static str,
    pub attempts: u32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// The endpoint's last HTTP status, if it answered.
    pub last_status: Option<u16>,
    /// Why the last attempt failed when there was no answer (a timeout, no connection).
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<WebhookDelivery> for DeliveryResponse {
    fn from(d: WebhookDelivery) -> Self {
        Self {
            id: d.id,
            event_id: d.event_id,
            event_type: d.event_type.code(),
            status: d.status.code(),
            attempts: d.attempts,
            next_attempt_at: d.next_attempt_at,
            last_status: d.last_status,
            last_error: d.last_error,
            created_at: d.created_at,
        }
    }
}

fn resolve(host: &str, port: u16) -> Result<Vec<IpAddr>, String> {
    (host, port).to_socket_addrs().map(|found| found.map(|a| a.ip()).collect()).map_err(|e| e.to_string())
}

/// Register a webhook endpoint.
///
/// Who may call: the organisation's coordinators and platform admins (403 for others). Events of
/// the organisation from now on are posted to it, signed with the secret in the response, which is
/// shown only here. Outside the sandbox the URL must be `https://` and resolve only to public
/// addresses (`422 url_not_https`, `422 url_not_public`).
#[utoipa::path(tag = "webhooks", operation_id = "createWebhook", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path)),
    request_body = NewWebhook,
    responses(
        (status = 201, description = "Registered.", body = CreatedWebhook, headers(("Location" = String))),
        Errors<webhooks::RegisterError>,
    ))]
#[post("/organisations/{organisation_id}/webhooks")]
pub async fn create(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    organisation_id: web::Path<Uuid>,
    body: Json<NewWebhook>,
) -> ApiResult<HttpResponse> {
    let (organisation_id, now, sandbox) = (organisation_id.into_inner(), state.now(), state.sandbox());
    let input = WebhookInput { url: body.value.url, event_types: body.value.event_types };
    let endpoint = state
        .run(move |s| {
            let policy = if sandbox { AddressPolicy::Anywhere } else { AddressPolicy::PublicHttps(&resolve) };
            Ok(webhooks::register(s, &actor, organisation_id, &input, &policy, now)?)
        })
        .await?;
    let location = format!("/v1/organisations/{organisation_id}/webhooks/{}", endpoint.id);
    let body = CreatedWebhook { webhook: WebhookResponse::from(&endpoint), secret: endpoint.secret.clone() };
    Ok(HttpResponse::build(StatusCode::CREATED).insert_header(("Location", location)).json(body))
}

/// List an organisation's webhook endpoints.
///
/// Who may call: the organisation's coordinators and platform admins (403 for others). Secrets are
/// never shown again.
#[utoipa::path(tag = "webhooks", operation_id = "listWebhooks", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path)),
    responses(
        (status = 200, description = "Every endpoint, oldest first, in one page.", body = List<WebhookResponse>),
        Errors<webhooks::WebhookError>,
    ))]
#[get("/organisations/{organisation_id}/webhooks")]
pub async fn list(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    organisation_id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let organisation_id = organisation_id.into_inner();
    let endpoints = state.run(move |s| Ok(webhooks::webhooks(s, &actor, organisation_id)?)).await?;
    let items = endpoints.iter().map(WebhookResponse::from).collect();
    Ok(HttpResponse::Ok().json(List { items, next_cursor: None }))
}

/// Remove a webhook endpoint.
///
/// Who may call: the organisation's coordinators and platform admins (403 for others; 404 for an
/// endpoint of another organisation). Its queued deliveries go with it.
#[utoipa::path(tag = "webhooks", operation_id = "deleteWebhook", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), ("webhook_id" = Uuid, Path)),
    responses((status = 204, description = "Removed."), Errors<webhooks::WebhookError>))]
#[delete("/organisations/{organisation_id}/webhooks/{webhook_id}")]
pub async fn remove(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let ((organisation_id, id), now) = (path.into_inner(), state.now());
    state.run(move |s| Ok(webhooks::delete_webhook(s, &actor, organisation_id, id, now)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Rotate a webhook endpoint's signing secret.
///
/// Who may call: the organisation's coordinators and platform admins (403 for others; 404 for an
/// endpoint of another organisation). Answers with the endpoint and its new secret, shown only
/// here. For 24 hours (until `previous_secret_expires_at`) every delivery is signed with both the
/// new and the replaced secret, as two space-separated `v1,` signatures in `webhook-signature`,
/// so a receiver can switch at any moment in that day; then with the new one only. Rotating again
/// within the day stops signing with the oldest secret at once.
#[utoipa::path(tag = "webhooks", operation_id = "rotateWebhookSecret", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), ("webhook_id" = Uuid, Path)),
    responses(
        (status = 200, description = "Rotated: the endpoint with its new secret.", body = CreatedWebhook),
        Errors<webhooks::RotateError>,
    ))]
#[post("/organisations/{organisation_id}/webhooks/{webhook_id}/rotate-secret")]
pub async fn rotate_secret(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let ((organisation_id, id), now) = (path.into_inner(), state.now());
    let endpoint = state.run(move |s| Ok(webhooks::rotate_secret(s, &actor, organisation_id, id, now)?)).await?;
    let body = CreatedWebhook { webhook: WebhookResponse::from(&endpoint), secret: endpoint.secret.clone() };
    Ok(HttpResponse::Ok().json(body))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// Only deliveries in this state: `pending`, `delivered` or `failed`.
    #[param(value_type = Option<codes::WebhookDeliveryStatus>)]
    pub status: Option<String>,
    /// How many items per page, 1 to 100 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, example = 20)]
    pub limit: Option<String>,
    /// `next_cursor` from the previous page; empty or absent for the first page.
    pub cursor: Option<String>,
}

/// List a webhook endpoint's deliveries.
///
/// Who may call: the organisation's coordinators and platform admins. `status=failed` lists those
/// given up (after about three days of retries, or a 410), to replay.
#[utoipa::path(tag = "webhooks", operation_id = "listWebhookDeliveries", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), ("webhook_id" = Uuid, Path), DeliveryQuery),
    responses(
        (status = 200, description = "A page of deliveries, oldest first.", body = List<DeliveryResponse>, headers(("Link" = String))),
        Errors<webhooks::DeliveryError>,
    ))]
#[get("/organisations/{organisation_id}/webhooks/{webhook_id}/deliveries")]
pub async fn deliveries(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    path: web::Path<(Uuid, Uuid)>,
    Query(q): Query<DeliveryQuery>,
) -> ApiResult<HttpResponse> {
    let (organisation_id, id) = path.into_inner();
    let page = id_page_request(q.limit.as_deref(), q.cursor.as_deref())?;
    let status = match q.status.as_deref() {
        None => None,
        Some(code) => Some(WebhookDeliveryStatus::parse(code).ok_or_else(|| {
            ApiError::bad_field(
                StatusCode::BAD_REQUEST,
                "/status",
                "invalid_status",
                "status must be pending, delivered or failed.",
            )
        })?),
    };
    let result = state.run(move |s| Ok(webhooks::deliveries(s, &actor, organisation_id, id, status, &page)?)).await?;
    Ok(list_response(&req, result, |k| k.to_string(), DeliveryResponse::from))
}

/// Replay a failed delivery.
///
/// Who may call: the organisation's coordinators and platform admins. The same id and body are
/// posted again, from the first try of the back-off; `409 not_replayable` unless it failed and the
/// endpoint is active.
#[utoipa::path(tag = "webhooks", operation_id = "replayWebhookDelivery", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), ("webhook_id" = Uuid, Path), ("delivery_id" = Uuid, Path)),
    responses(
        (status = 200, description = "Queued again.", body = DeliveryResponse),
        Errors<webhooks::DeliveryError>,
    ))]
#[post("/organisations/{organisation_id}/webhooks/{webhook_id}/deliveries/{delivery_id}/replay")]
pub async fn replay(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    path: web::Path<(Uuid, Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let ((organisation_id, id, delivery_id), now) = (path.into_inner(), state.now());
    let delivery = state.run(move |s| Ok(webhooks::replay(s, &actor, organisation_id, id, delivery_id, now)?)).await?;
    Ok(HttpResponse::Ok().json(DeliveryResponse::from(delivery)))
}
