//! The write rate limit: each caller may make `per_minute` writes a minute, all at once or spread
//! out, counted across every process of a deployment.
//!
//! It is a token bucket of `per_minute` tokens refilled continuously, kept the way the generic
//! cell rate algorithm (GCRA) keeps it: as one time per caller, the "theoretical arrival time"
//! `tat`, when the caller's bucket would be full again. A write at `now` is allowed when, after
//! it, the bucket is still owed no more than a full minute (`max(tat, now) + interval - now <=
//! tolerance`); then `tat` moves on by one interval. A single number that only moves forward can
//! be advanced by one conditional upsert ([`RateLimitStore::take_write`]), so a write costs one
//! statement and no process keeps a count of its own: behind N processes the limit is still the
//! limit, not N times it.

use chrono::{DateTime, Utc};

use crate::ports::StoreResult;
use crate::ports::rate_limits::{RateLimitStore, Taken};

const MICROS_PER_MINUTE: i64 = 60_000_000;
const MICROS_PER_SECOND: i64 = 1_000_000;

/// What one request is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the next write is allowed (0 when one is allowed now).
    pub reset_seconds: u32,
}

/// Writes allowed per caller per minute; 0 turns the limit off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteLimit {
    pub per_minute: u32,
}

impl WriteLimit {
    pub fn is_off(&self) -> bool {
        self.per_minute == 0
    }

    /// How long one token takes to refill.
    fn interval(&self) -> i64 {
        MICROS_PER_MINUTE / i64::from(self.per_minute.max(1))
    }

    /// How far ahead of now a caller's time may run: a full bucket's worth of intervals.
    fn tolerance(&self) -> i64 {
        self.interval() * i64::from(self.per_minute.max(1))
    }

    /// Takes one write from `caller`'s bucket if it has one. `now` is the real time, the same
    /// for every process (a moved sandbox clock must not refill buckets).
    pub fn take(&self, store: &dyn RateLimitStore, caller: &str, now: DateTime<Utc>) -> StoreResult<Decision> {
        let now = now.timestamp_micros();
        let taken = store.take_write(caller, now, self.interval(), self.tolerance())?;
        Ok(self.decision(now, taken))
    }

    /// What the caller is told, from the time the store kept.
    pub fn decision(&self, now_micros: i64, taken: Taken) -> Decision {
        let (interval, tolerance) = (self.interval(), self.tolerance());
        let owed = (taken.tat_micros - now_micros).max(0);
        let (remaining, wait) = if taken.allowed {
            ((tolerance - owed) / interval, 0)
        } else {
            // The next write is allowed once `tat + interval - now <= tolerance`.
            (0, (owed + interval - tolerance).max(0))
        };
        Decision {
            allowed: taken.allowed,
            limit: self.per_minute,
            remaining: u32::try_from(remaining.max(0)).unwrap_or(u32::MAX),
            reset_seconds: u32::try_from((wait + MICROS_PER_SECOND - 1) / MICROS_PER_SECOND).unwrap_or(u32::MAX),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::sync::Mutex;

    /// The rule `take_write` documents, as the database statement applies it.
    #[derive(Default)]
    struct Memory(Mutex<HashMap<String, i64>>);

    impl RateLimitStore for Memory {
        fn take_write(&self, caller: &str, now: i64, interval: i64, tolerance: i64) -> StoreResult<Taken> {
            let mut times = self.0.lock().unwrap();
            let tat = times.get(caller).copied().unwrap_or(now);
            let next = tat.max(now) + interval;
            let allowed = next - now <= tolerance;
            let kept = if allowed { next } else { tat };
            times.insert(caller.to_string(), kept);
            Ok(Taken { allowed, tat_micros: kept })
        }
        fn forget_full_buckets(&self, now: i64) -> StoreResult<usize> {
            let mut times = self.0.lock().unwrap();
            let before = times.len();
            times.retain(|_, tat| *tat >= now);
            Ok(before - times.len())
        }
    }

    #[test]
    fn a_bucket_empties_then_refills_over_time() {
        let store = Memory::default();
        let limit = WriteLimit { per_minute: 3 };
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let at = |s: i64| t0 + chrono::Duration::seconds(s);
        let taken: Vec<Decision> = (0..4).map(|_| limit.take(&store, "a", t0).unwrap()).collect();
        assert_eq!(taken.iter().map(|d| d.allowed).collect::<Vec<_>>(), vec![true, true, true, false]);
        assert_eq!(taken.iter().map(|d| d.remaining).collect::<Vec<_>>(), vec![2, 1, 0, 0]);
        let refused = limit.take(&store, "a", t0).unwrap();
        assert_eq!((refused.remaining, refused.reset_seconds), (0, 20));
        assert!(limit.take(&store, "b", t0).unwrap().allowed, "callers are limited separately");
        assert!(!limit.take(&store, "a", at(19)).unwrap().allowed);
        assert_eq!(limit.take(&store, "a", at(19)).unwrap().reset_seconds, 1);
        assert!(limit.take(&store, "a", at(40)).unwrap().allowed, "one token refills every 20 seconds");
        assert_eq!(limit.take(&store, "a", at(3600)).unwrap().remaining, 2, "never above capacity");
        assert_eq!(
            store.forget_full_buckets(at(3600).timestamp_micros()).unwrap(),
            1,
            "b's bucket is full, a's not yet"
        );
        assert_eq!(store.forget_full_buckets(at(3660).timestamp_micros()).unwrap(), 1);
    }

    #[test]
    fn a_large_limit_keeps_its_arithmetic_in_range() {
        let store = Memory::default();
        let limit = WriteLimit { per_minute: 1_000_000 };
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let first = limit.take(&store, "a", now).unwrap();
        assert_eq!((first.allowed, first.remaining, first.reset_seconds), (true, 999_999, 0));
    }
}
