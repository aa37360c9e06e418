//! `Idempotency-Key` on creates: a retry with the same key and body gets the original response;
//! the same key with another body is 422; a retry while the first is still running is 409.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};
use std::future::Future;
use wex_domain::ports::{Reservation, StoredResponse};

use crate::extract::etag;
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;

pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
pub const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// What a create produced: the response body, where the new resource lives, and its version.
pub struct Created {
    pub body: String,
    /// `None` when the request created several resources, none of them the one to name.
    pub location: Option<String>,
    pub version: Option<i64>,
}

impl Created {
    pub fn new<T: serde::Serialize>(body: &T, location: String, version: Option<i64>) -> ApiResult<Self> {
        let body = serde_json::to_string(body).map_err(|_| ApiError::internal())?;
        Ok(Self { body, location: Some(location), version })
    }

    /// Several resources at once: the body names them all, and no `Location` or `ETag` is sent.
    pub fn many<T: serde::Serialize>(body: &T) -> ApiResult<Self> {
        let body = serde_json::to_string(body).map_err(|_| ApiError::internal())?;
        Ok(Self { body, location: None, version: None })
    }
}

fn render(stored: &StoredResponse, replayed: bool) -> HttpResponse {
    let mut res = HttpResponse::build(StatusCode::from_u16(stored.status).unwrap_or(StatusCode::CREATED));
    res.content_type("application/json");
    if let Some(location) = &stored.location {
        res.insert_header((header::LOCATION, location.clone()));
    }
    if let Some(tag) = &stored.etag {
        res.insert_header((header::ETAG, tag.clone()));
    }
    if replayed {
        res.insert_header((REPLAYED, "true"));
    }
    res.body(stored.body.clone())
}

fn key_of(req: &HttpRequest) -> ApiResult<Option<String>> {
    let Some(value) = req.headers().get(&IDEMPOTENCY_KEY) else { return Ok(None) };
    match value.to_str() {
        Ok(k) if !k.is_empty() && k.len() <= 255 && k.chars().all(|c| c.is_ascii_graphic()) => Ok(Some(k.to_string())),
        _ => Err(ApiError::bad_field(
            StatusCode::BAD_REQUEST,
            "/headers/idempotency-key",
            "invalid_idempotency_key",
            "An Idempotency-Key is 1 to 255 visible ASCII characters, such as a UUID.",
        )),
    }
}

/// Runs `create` at most once per (caller, key).
pub async fn create<F, Fut>(
    state: &AppState,
    req: &HttpRequest,
    subject: &str,
    raw: &Bytes,
    create: F,
) -> ApiResult<HttpResponse>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = ApiResult<Created>>,
{
    let Some(key) = key_of(req)? else {
        let created = create().await?;
        return Ok(render(&stored(created), false));
    };
    let mut hasher = Sha256::new();
    hasher.update(req.method().as_str().as_bytes());
    hasher.update(b" ");
    hasher.update(req.path().as_bytes());
    hasher.update(b"\n");
    hasher.update(raw);
    let hash = hex::encode(hasher.finalize());

    let (owner, k, h) = (subject.to_string(), key.clone(), hash.clone());
    let now = state.now();
    let reservation = state.run(move |store| Ok(store.reserve_key(&owner, &k, &h, now)?)).await?;
    match reservation {
        Reservation::Existing { request_hash, .. } if request_hash != hash => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "Idempotency key already used",
            "This Idempotency-Key was used for a different request. Use a new key for a new request.",
        )),
        Reservation::Existing { response: Some(response), .. } => Ok(render(&response, true)),
        Reservation::Existing { response: None, .. } => Err(ApiError::new(
            StatusCode::CONFLICT,
            "idempotency_key_in_use",
            "The first request is still running",
            "A request with this Idempotency-Key is still being handled. Retry in a moment.",
        )),
        Reservation::Reserved => {
            let owner = subject.to_string();
            match create().await {
                Ok(created) => {
                    let response = stored(created);
                    let saved = response.clone();
                    state.run(move |store| Ok(store.complete_key(&owner, &key, &saved)?)).await?;
                    Ok(render(&response, false))
                }
                Err(e) => {
                    // Free the key so that a retry can succeed; if this fails too the key stays
                    // "in use" and the client sees 409, never a duplicate.
                    if let Err(release) = state.run(move |store| Ok(store.release_key(&owner, &key)?)).await {
                        log::warn!("could not release an idempotency key: {release}");
                    }
                    Err(e)
                }
            }
        }
    }
}

fn stored(created: Created) -> StoredResponse {
    StoredResponse {
        status: StatusCode::CREATED.as_u16(),
        body: created.body,
        location: created.location,
        etag: created.version.map(etag),
    }
}
