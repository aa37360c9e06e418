//! Per-caller rate limits on writes (POST, PUT, PATCH, DELETE): a token bucket per caller, refilled
//! continuously, answered with 429, `Retry-After` and `RateLimit-*` headers when empty. Callers are
//! told apart by the verified subject of their bearer token, so that re-spelling the header
//! (`bearer  TOKEN`) or minting another token for the same subject does not give a fresh bucket.
//! Anonymous calls, and calls with a token that cannot be verified, are counted by address: a
//! forged token naming someone else's subject must not spend that person's bucket. The buckets are
//! kept in the database, so the limit holds across every process on it.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError, web};
use sha2::{Digest, Sha256};

use crate::problem::ApiError;
use crate::rate_limit::Decision;
use crate::state::AppState;
use crate::tokens::verified_caller;

const LIMIT: HeaderName = HeaderName::from_static("ratelimit-limit");
const REMAINING: HeaderName = HeaderName::from_static("ratelimit-remaining");
const RESET: HeaderName = HeaderName::from_static("ratelimit-reset");

/// The bucket of a request: `subject:` and a digest of the verified subject, else `addr:` and a
/// digest of the peer address (the database holds neither in the clear). (The request itself is then refused 401 by the handler if its token was bad.)
async fn caller_key(req: &ServiceRequest, state: &AppState) -> String {
    let caller = verified_caller(req.request(), &state.auth).await.ok().flatten();
    match caller {
        Some(caller) => format!("subject:{}", hex::encode(Sha256::digest(caller.key().as_bytes()))),
        None => {
            let addr = req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default();
            format!("addr:{}", hex::encode(Sha256::digest(addr.as_bytes())))
        }
    }
}

fn set_headers(headers: &mut header::HeaderMap, d: Decision) {
    for (name, value) in [(LIMIT, d.limit), (REMAINING, d.remaining), (RESET, d.reset_seconds)] {
        headers.insert(name, HeaderValue::from(value));
    }
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let is_write = !matches!(req.method().as_str(), "GET" | "HEAD" | "OPTIONS");
    let state = req.app_data::<web::Data<AppState>>().filter(|s| s.rate_limiter.per_minute() > 0).cloned();
    let Some(state) = state.filter(|_| is_write) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let key = caller_key(&req, &state).await;
    let decision = state.rate_limiter.check(std::sync::Arc::clone(&state.store), key).await;
    if !decision.allowed {
        let mut problem = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "Too many requests",
            format!(
                "You may make {} changes a minute. Try again in {} seconds.",
                decision.limit, decision.reset_seconds
            ),
        );
        problem.retry_after = Some(decision.reset_seconds.max(1));
        let mut res = problem.error_response();
        set_headers(res.headers_mut(), decision);
        return Ok(req.into_response(res));
    }
    let mut res = next.call(req).await?.map_into_boxed_body();
    set_headers(res.headers_mut(), decision);
    Ok(res)
}
