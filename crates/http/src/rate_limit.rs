//! The write rate limit of this process's requests (the middleware is `throttle.rs`), kept in the
//! database so that every process on it shares each caller's count (`wex_domain::rate_limit`).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use wex_domain::ports::Store;
use wex_domain::rate_limit::WriteLimit;

pub use wex_domain::rate_limit::Decision;

/// How often a process forgets callers whose buckets are full again, so that the table holds only
/// those who wrote within the last minute or so. Every process does it; it costs one statement a
/// minute each.
const SWEEP_EVERY_MICROS: i64 = 60_000_000;

pub struct RateLimiter {
    limit: WriteLimit,
    /// When this process next forgets full buckets (microseconds since 1970).
    next_sweep: AtomicI64,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        Self { limit: WriteLimit { per_minute }, next_sweep: AtomicI64::new(0) }
    }

    /// Writes allowed per minute; 0 turns the limit off.
    pub fn per_minute(&self) -> u32 {
        self.limit.per_minute
    }

    /// Takes one write from `key`'s bucket if it has one: one statement on the blocking pool.
    /// When the database cannot be asked the write is let through: the request itself will need
    /// the database and be answered 503, and refusing every write while it is away would only
    /// hide that.
    pub async fn check(&self, store: Arc<dyn Store>, key: String) -> Decision {
        let limit = self.limit;
        let now = wex_domain::now();
        let micros = now.timestamp_micros();
        let due = self.next_sweep.load(Ordering::Relaxed);
        let sweep = micros >= due
            && self
                .next_sweep
                .compare_exchange(due, micros + SWEEP_EVERY_MICROS, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok();
        let taken = actix_web::web::block(move || {
            if sweep && let Err(e) = store.forget_full_buckets(micros) {
                log::warn!("cannot forget full rate-limit buckets: {e}");
            }
            limit.take(store.as_ref(), &key, now)
        })
        .await;
        match taken {
            Ok(Ok(decision)) => decision,
            Ok(Err(e)) => {
                log::debug!("rate limit not checked: {e}");
                Decision { allowed: true, limit: limit.per_minute, remaining: 0, reset_seconds: 0 }
            }
            Err(e) => {
                log::debug!("rate limit not checked: {e}");
                Decision { allowed: true, limit: limit.per_minute, remaining: 0, reset_seconds: 0 }
            }
        }
    }
}
