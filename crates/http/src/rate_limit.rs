//! Per-caller rate limits on writes (POST, PUT, PATCH, DELETE): a token bucket per caller, refilled
//! continuously, answered with 429, `Retry-After` and `RateLimit-*` headers when empty. Callers are
//! told apart by the verified subject of their bearer token, so that re-spelling the header
//! (`bearer  TOKEN`) or minting another token for the same subject does not give a fresh bucket.
//! Anonymous calls, and calls with a token that cannot be verified, are counted by address: a
//! forged token naming someone else's subject must not spend that person's bucket. Limits are per
//! process: behind N processes a caller may get up to N times the limit.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError, web};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use crate::problem::ApiError;
use crate::state::AppState;

const LIMIT: HeaderName = HeaderName::from_static("ratelimit-limit");
const REMAINING: HeaderName = HeaderName::from_static("ratelimit-remaining");
const RESET: HeaderName = HeaderName::from_static("ratelimit-reset");
/// Above this many callers, full buckets are forgotten so memory stays bounded.
const MAX_TRACKED: usize = 10_000;

struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// What one request is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the next write is allowed (0 when one is allowed now).
    pub reset_seconds: u32,
}

pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        Self { per_minute, buckets: Mutex::new(HashMap::new()) }
    }

    fn per_second(&self) -> f64 {
        f64::from(self.per_minute) / 60.0
    }

    /// Takes one token from `key`'s bucket if it has one.
    pub fn check(&self, key: &str, now: Instant) -> Decision {
        let capacity = f64::from(self.per_minute);
        let rate = self.per_second();
        let Ok(mut buckets) = self.buckets.lock() else {
            // A poisoned lock means a panic elsewhere; fail open rather than refuse every write.
            return Decision { allowed: true, limit: self.per_minute, remaining: 0, reset_seconds: 0 };
        };
        if buckets.len() > MAX_TRACKED {
            buckets.retain(|_, b| b.tokens + now.duration_since(b.updated).as_secs_f64() * rate < capacity);
        }
        let bucket = buckets.entry(key.to_string()).or_insert(Bucket { tokens: capacity, updated: now });
        bucket.tokens = (bucket.tokens + now.duration_since(bucket.updated).as_secs_f64() * rate).min(capacity);
        bucket.updated = now;
        let allowed = bucket.tokens >= 1.0;
        if allowed {
            bucket.tokens -= 1.0;
        }
        let missing = (1.0 - bucket.tokens).max(0.0);
        Decision {
            allowed,
            limit: self.per_minute,
            remaining: bucket.tokens.floor() as u32,
            reset_seconds: (missing / rate).ceil() as u32,
        }
    }
}

/// The bucket of a request: `subject:` and a digest of the verified subject, else `addr:` and the
/// peer address. (The request itself is then refused 401 by the handler if its token was bad.)
fn caller_key(req: &ServiceRequest, state: &AppState) -> String {
    let subject = crate::auth::verified_subject(req.request(), &state.auth).ok().flatten();
    match subject {
        Some(subject) => format!("subject:{}", hex::encode(Sha256::digest(subject.as_bytes()))),
        None => format!("addr:{}", req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default()),
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
    let state = req.app_data::<web::Data<AppState>>().filter(|s| s.rate_limiter.per_minute > 0).cloned();
    let Some(state) = state.filter(|_| is_write) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let decision = state.rate_limiter.check(&caller_key(&req, &state), Instant::now());
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_bucket_empties_then_refills_over_time() {
        let limiter = RateLimiter::new(3);
        let t0 = Instant::now();
        let taken: Vec<bool> = (0..4).map(|_| limiter.check("a", t0).allowed).collect();
        assert_eq!(taken, vec![true, true, true, false]);
        let refused = limiter.check("a", t0);
        assert_eq!((refused.remaining, refused.reset_seconds), (0, 20));
        assert!(limiter.check("b", t0).allowed, "callers are limited separately");
        assert!(!limiter.check("a", t0 + Duration::from_secs(19)).allowed);
        assert!(limiter.check("a", t0 + Duration::from_secs(40)).allowed, "one token refills every 20 seconds");
        assert_eq!(limiter.check("a", t0 + Duration::from_secs(3600)).remaining, 2, "never above capacity");
    }
}
