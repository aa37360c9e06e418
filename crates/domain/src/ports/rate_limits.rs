//! What the write rate limit needs from storage: one time per caller, advanced in one atomic
//! statement, so that every process on the database shares each caller's count.

use super::StoreResult;

/// What one attempt to take a write found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Taken {
    /// Whether the write was allowed (and the caller's time advanced).
    pub allowed: bool,
    /// The caller's time after the attempt, in microseconds since 1970 (see
    /// [`crate::rate_limit`]).
    pub tat_micros: i64,
}

pub trait RateLimitStore {
    /// For `caller`'s stored time `tat` (`now_micros` when none is stored): when
    /// `max(tat, now) + interval - now <= tolerance`, stores `max(tat, now) + interval` and answers
    /// allowed; otherwise leaves it and answers refused. Atomic against every other call for the
    /// same caller, from any process: one statement, no read before it.
    fn take_write(
        &self,
        caller: &str,
        now_micros: i64,
        interval_micros: i64,
        tolerance_micros: i64,
    ) -> StoreResult<Taken>;
    /// Forgets callers whose time is before `now_micros`: their bucket is full again, which is
    /// what no row means too. Returns how many were forgotten.
    fn forget_full_buckets(&self, now_micros: i64) -> StoreResult<usize>;
}
