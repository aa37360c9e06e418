//! `POST /v1/oauth2/token`: OAuth 2.0 client credentials for organisation API clients, each
//! proving itself with a JWT signed by its private key (RFC 7523 `private_key_jwt`, the pattern NHS
//! England's API platform uses). Answers and errors are RFC 6749's (section 5), so OAuth libraries
//! work unchanged; the error bodies also carry the problem members every other error has.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType};
use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::api_clients::token::{self, TokenRefusal};

use crate::client_tokens::{ASSERTION_TYPE, claimed_client, verify_assertion};
use crate::problem::{ApiError, ApiResult, NotAProblem};
use crate::request_scope::current_request_id;
use crate::state::AppState;

/// The form a client posts (`application/x-www-form-urlencoded`).
#[derive(Deserialize, ToSchema)]
pub struct TokenForm {
    /// `client_credentials`.
    #[schema(required = true, nullable = false, pattern = "^client_credentials$", example = "client_credentials")]
    pub grant_type: Option<String>,
    /// `urn:ietf:params:oauth:client-assertion-type:jwt-bearer`.
    #[schema(
        required = true,
        nullable = false,
        pattern = "^urn:ietf:params:oauth:client-assertion-type:jwt-bearer$",
        example = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    )]
    pub client_assertion_type: Option<String>,
    /// A JWT the client signed with one of its registered keys (RS256, RS384, RS512, ES256 or
    /// ES384): `iss` and `sub` its client id, `aud` this endpoint's URL, `jti` never used before,
    /// `exp` at most five minutes ahead.
    #[schema(required = true, nullable = false, min_length = 1)]
    pub client_assertion: Option<String>,
    /// The client id; optional, and when sent it must match the assertion's.
    pub client_id: Option<String>,
    /// Space-separated scopes wanted, all granted to the client; every granted scope when absent.
    #[schema(example = "placements:read applications:read")]
    pub scope: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AccessToken {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds the token lives: 600.
    #[schema(example = 600)]
    pub expires_in: i64,
    /// The scopes it carries, space-separated.
    pub scope: String,
}

/// An RFC 6749 error, with the problem members beside `error` and `error_description`.
#[derive(Serialize, ToSchema)]
pub struct OAuthError {
    /// `invalid_request`, `invalid_client`, `invalid_grant`, `invalid_scope` or
    /// `unsupported_grant_type`.
    pub error: &'static str,
    pub error_description: String,
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    pub code: &'static str,
    pub request_id: String,
}

fn oauth_error(status: StatusCode, error: &'static str, description: impl Into<String>) -> HttpResponse {
    let description = description.into();
    let body = OAuthError {
        error,
        error_description: description.clone(),
        problem_type: format!("/problems/{error}"),
        title: "No access token",
        status: status.as_u16(),
        detail: description,
        code: error,
        request_id: current_request_id().map(|id| id.to_string()).unwrap_or_default(),
    };
    let mut res = HttpResponse::build(status)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .json(body);
    res.extensions_mut().insert(NotAProblem);
    res
}

fn invalid_request(description: &str) -> HttpResponse {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_request", description)
}

/// Get an access token for an organisation's API client.
///
/// Who may call: a registered, unrevoked API client, authenticating with a signed JWT assertion
/// (no bearer token). The token lives ten minutes and carries the scopes asked for; send it as
/// `Authorization: Bearer`, with `Wex-Attribution` on every write. Errors follow RFC 6749 section
/// 5.2 (`application/json`, `error` and `error_description`).
#[utoipa::path(tag = "api-clients", operation_id = "getAccessToken", security(()),
    request_body(content = TokenForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "An access token.", body = AccessToken, headers(("Cache-Control" = String))),
        (status = 400, description = "`invalid_request`, `invalid_grant` (an assertion used before), `invalid_scope` or `unsupported_grant_type`.", body = OAuthError),
        (status = 401, description = "`invalid_client`: no active client, or the assertion does not verify.", body = OAuthError),
        (status = 503, description = "`clients_not_configured`: this deployment issues no client tokens; or the database is unavailable.", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
#[post("/oauth2/token")]
pub async fn token_endpoint(state: web::Data<AppState>, req: HttpRequest, body: web::Bytes) -> ApiResult<HttpResponse> {
    let form_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !form_type.starts_with(ContentType::form_url_encoded().essence_str()) {
        return Ok(invalid_request("Send the form as application/x-www-form-urlencoded."));
    }
    let Ok(form) = serde_urlencoded::from_bytes::<TokenForm>(&body) else {
        return Ok(invalid_request("The form cannot be read: each parameter once, URL-encoded."));
    };
    if form.grant_type.as_deref() != Some("client_credentials") {
        let why = "grant_type must be client_credentials.";
        return Ok(oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", why));
    }
    if form.client_assertion_type.as_deref() != Some(ASSERTION_TYPE) {
        return Ok(invalid_request(&format!("client_assertion_type must be {ASSERTION_TYPE}.")));
    }
    let Some(assertion) = form.client_assertion.filter(|a| !a.trim().is_empty()) else {
        return Ok(invalid_request("Send client_assertion: a JWT signed with your private key."));
    };
    let Some(tokens) = state.auth.client_tokens() else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "clients_not_configured",
            "API clients are not configured",
            "This deployment issues no client tokens: its operators have not set WEX_CLIENT_TOKEN_SECRET.",
        ));
    };
    let invalid_client = |why: &str| oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", why);
    let Some(client_id) = claimed_client(&assertion) else {
        return Ok(invalid_client("The assertion's sub must be your client_id."));
    };
    if form.client_id.as_deref().is_some_and(|id| Uuid::try_parse(id).ok() != Some(client_id)) {
        return Ok(invalid_client("client_id differs from the assertion's sub."));
    }
    let (token_url, now, scope) = (tokens.token_url().to_string(), state.now(), form.scope);
    let issued = state
        .run(move |s| {
            let verify = |client: &_| verify_assertion(&assertion, client, &token_url);
            Ok(token::issue(s, client_id, scope.as_deref(), &verify, now))
        })
        .await?;
    let grant = match issued {
        Ok(grant) => grant,
        Err(TokenRefusal::InvalidClient(why)) => {
            return Ok(invalid_client(&format!("The client cannot be authenticated: {why}.")));
        }
        Err(TokenRefusal::Replayed) => {
            let why = "This assertion was used before: sign a new one, with a new jti, for each token.";
            return Ok(oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", why));
        }
        Err(TokenRefusal::InvalidScope(why)) => {
            return Ok(oauth_error(StatusCode::BAD_REQUEST, "invalid_scope", format!("{why}.")));
        }
        Err(TokenRefusal::Store(e)) => return Err(e.into()),
    };
    let access_token = tokens.sign(&grant, now).map_err(|e| {
        log::error!("signing an access token failed: {e}");
        ApiError::internal()
    })?;
    let scope = wex_domain::model::api_client::scope_text(&grant.scopes);
    let expires_in = (grant.expires_at - now).num_seconds();
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .json(AccessToken { access_token, token_type: "Bearer", expires_in, scope }))
}
