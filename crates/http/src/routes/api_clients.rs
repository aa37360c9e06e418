//! `/v1/organisations/{organisation_id}/api-clients`: the systems that act for an organisation
//! (a trust's HR system, a college's placement tool), each with its public keys and scopes. They
//! get tokens at `POST /v1/oauth2/token` (see `oauth.rs` and docs/integrators.md).

use actix_web::http::StatusCode;
use actix_web::http::header::ETAG;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::api_clients::manage::{self, ClientError, ClientInput, NewKeys};
use wex_domain::model::api_client::ApiClient;

use crate::auth::SignedIn;
use crate::client_tokens::check_client_jwks;
use crate::errors_doc::Errors;
use crate::extract::{Json, etag, if_match};
use crate::pagination::List;
use crate::problem::ApiResult;
use crate::state::AppState;
use crate::wire::codes;

/// An example public key (EC P-256) as a JWKS document.
fn example_jwks() -> Value {
    serde_json::json!({"keys": [{"kty": "EC", "crv": "P-256", "kid": "hr-2026-11", "use": "sig", "alg": "ES256",
        "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]})
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Trust HR system", "scopes": ["placements:read", "placements:write", "applications:read"],
    "jwks": example_jwks()}))]
pub struct NewApiClient {
    /// What people call the system, such as `Trust HR system`: 1 to 200 characters.
    pub name: String,
    /// What it may do; see docs/integrators.md for the operations each scope opens.
    #[schema(value_type = Vec<codes::ClientScope>)]
    pub scopes: Vec<String>,
    /// Its public keys (RFC 7517): one to five RSA or EC (P-256, P-384) signing keys, with a `kid`
    /// each when there are several. Never the private key.
    #[schema(value_type = Object)]
    pub jwks: Value,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!(example_jwks()))]
pub struct Jwks {
    /// The public keys: one to five.
    #[schema(value_type = Vec<Object>)]
    pub keys: Vec<Value>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiClientResponse {
    /// Also the `client_id`: the `iss` and `sub` of the client's assertions.
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub name: String,
    #[schema(value_type = Vec<codes::ClientScope>)]
    pub scopes: Vec<&'static str>,
    /// Its public keys, as registered.
    #[schema(value_type = Object)]
    pub jwks: Value,
    #[schema(value_type = codes::ClientStatus)]
    pub status: &'static str,
    /// The `aud` its assertions must carry: this service's token endpoint.
    pub token_endpoint: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiClientResponse {
    fn new(c: &ApiClient, token_endpoint: Option<String>) -> Self {
        Self {
            id: c.id,
            organisation_id: c.organisation_id,
            name: c.name.clone(),
            scopes: c.scopes.iter().map(|s| s.code()).collect(),
            jwks: serde_json::from_str(&c.jwks).unwrap_or(Value::Null),
            status: c.status.code(),
            token_endpoint,
            version: c.version,
            created_at: c.created_at,
            revoked_at: c.revoked_at,
        }
    }
}

fn token_endpoint(state: &AppState) -> Option<String> {
    state.auth.client_tokens().map(|t| t.token_url().to_string())
}

fn one(state: &AppState, status: StatusCode, client: &ApiClient) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((ETAG, etag(client.version)))
        .json(ApiClientResponse::new(client, token_endpoint(state)))
}

/// Register an API client for the organisation.
///
/// Who may call: the organisation's coordinators and platform admins (403 for others, API clients
/// included). The client can get tokens at once, signing its assertions with the private key of
/// one of `jwks`' keys.
#[utoipa::path(tag = "api-clients", operation_id = "createApiClient", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path)),
    request_body = NewApiClient,
    responses(
        (status = 201, description = "Registered.", body = ApiClientResponse, headers(("Location" = String), ("ETag" = String))),
        Errors<ClientError>,
    ))]
#[post("/organisations/{organisation_id}/api-clients")]
pub async fn create(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    organisation_id: web::Path<Uuid>,
    body: Json<NewApiClient>,
) -> ApiResult<HttpResponse> {
    let (organisation_id, now) = (organisation_id.into_inner(), state.now());
    let NewApiClient { name, scopes, jwks } = body.value;
    let input = ClientInput { name, scopes, jwks: jwks.to_string() };
    let client =
        state.run(move |s| Ok(manage::register(s, &actor, organisation_id, &input, &check_client_jwks, now)?)).await?;
    let mut res = one(&state, StatusCode::CREATED, &client);
    if let Ok(location) = format!("/v1/organisations/{organisation_id}/api-clients/{}", client.id).parse() {
        res.headers_mut().insert(actix_web::http::header::LOCATION, location);
    }
    Ok(res)
}

/// List the organisation's API clients.
///
/// Who may call: the organisation's coordinators and platform admins (403 for others). Revoked
/// clients are listed too.
#[utoipa::path(tag = "api-clients", operation_id = "listApiClients", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path)),
    responses(
        (status = 200, description = "Every client, oldest first, in one page.", body = List<ApiClientResponse>),
        Errors<ClientError>,
    ))]
#[get("/organisations/{organisation_id}/api-clients")]
pub async fn list(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    organisation_id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let organisation_id = organisation_id.into_inner();
    let clients = state.run(move |s| Ok(manage::clients(s, &actor, organisation_id)?)).await?;
    let url = token_endpoint(&state);
    let items = clients.iter().map(|c| ApiClientResponse::new(c, url.clone())).collect();
    Ok(HttpResponse::Ok().json(List { items, next_cursor: None }))
}

/// Read one API client.
///
/// Who may call: the organisation's coordinators and platform admins (403 for others; 404 for a
/// client of another organisation).
#[utoipa::path(tag = "api-clients", operation_id = "getApiClient", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), ("client_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The client.", body = ApiClientResponse, headers(("ETag" = String))),
        Errors<ClientError>,
    ))]
#[get("/organisations/{organisation_id}/api-clients/{client_id}")]
pub async fn read(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (organisation_id, id) = path.into_inner();
    let client = state.run(move |s| Ok(manage::client(s, &actor, organisation_id, id)?)).await?;
    Ok(one(&state, StatusCode::OK, &client))
}

/// Replace an API client's public keys.
///
/// Who may call: the organisation's coordinators and platform admins (403 for others; 404 for a
/// client of another organisation). To rotate a key without a gap, send the new key beside the old
/// one, move the client to signing with the new key, then send the new key alone. Honours
/// `If-Match` (412 when stale). A revoked client is `409 client_revoked`.
#[utoipa::path(tag = "api-clients", operation_id = "putApiClientKeys", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), ("client_id" = Uuid, Path),
        ("If-Match" = Option<String>, Header, description = "The ETag read, to refuse a change made meanwhile.")),
    request_body = Jwks,
    responses(
        (status = 200, description = "The client with its new keys.", body = ApiClientResponse, headers(("ETag" = String))),
        Errors<ClientError>,
    ))]
#[put("/organisations/{organisation_id}/api-clients/{client_id}/jwks")]
pub async fn put_keys(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<Jwks>,
) -> ApiResult<HttpResponse> {
    let ((organisation_id, id), now, expected) = (path.into_inner(), state.now(), if_match(&req)?);
    let jwks = serde_json::json!({"keys": body.value.keys}).to_string();
    let client = state
        .run(move |s| {
            let keys = NewKeys { jwks: &jwks, expected_version: expected, check: &check_client_jwks };
            Ok(manage::replace_keys(s, &actor, organisation_id, id, keys, now)?)
        })
        .await?;
    Ok(one(&state, StatusCode::OK, &client))
}

/// Revoke an API client.
///
/// Who may call: the organisation's coordinators and platform admins (403 for others; 404 for a
/// client of another organisation). It gets no more tokens, and the token it holds stops working at
/// its next request. Revoking a revoked client changes nothing. Honours `If-Match`.
#[utoipa::path(tag = "api-clients", operation_id = "revokeApiClient", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), ("client_id" = Uuid, Path),
        ("If-Match" = Option<String>, Header, description = "The ETag read, to refuse a change made meanwhile.")),
    responses(
        (status = 200, description = "The revoked client.", body = ApiClientResponse, headers(("ETag" = String))),
        Errors<ClientError>,
    ))]
#[post("/organisations/{organisation_id}/api-clients/{client_id}/revoke")]
pub async fn revoke(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let ((organisation_id, id), now, expected) = (path.into_inner(), state.now(), if_match(&req)?);
    let client = state.run(move |s| Ok(manage::revoke(s, &actor, organisation_id, id, expected, now)?)).await?;
    Ok(one(&state, StatusCode::OK, &client))
}
