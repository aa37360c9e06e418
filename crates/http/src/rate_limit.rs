//! Per-caller token buckets for the write rate limit (the middleware is `throttle.rs`): refilled
//! continuously, with the decision each request is told.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

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

    /// Writes allowed per minute; 0 turns the limit off.
    pub fn per_minute(&self) -> u32 {
        self.per_minute
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
