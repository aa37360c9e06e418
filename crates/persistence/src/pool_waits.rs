//! How long requests wait to check a connection out of the pool, for the metrics
//! ([`crate::operations`] reports it; the store records it at each checkout).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use wex_domain::model::operations::Histogram;

/// Upper bounds of the checkout wait buckets, in seconds: a connection idle in the pool is lent in
/// microseconds, one checked first or newly opened takes a round trip or a handshake (about a
/// millisecond on loopback, more across a network), and a checkout that waits for another request
/// to give one back waits as long as that request's queries take.
pub(crate) const WAIT_BOUNDS: [f64; 14] =
    [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5];

/// Checkout waits, counted per bucket without a lock: a checkout adds to one bucket, so the
/// cumulative counts read back always rise, and the total is their sum.
#[derive(Debug, Default)]
pub(crate) struct WaitStats {
    /// One per bound, and one more for waits longer than the last.
    buckets: [AtomicU64; WAIT_BOUNDS.len() + 1],
    sum_micros: AtomicU64,
    failed: AtomicU64,
}

impl WaitStats {
    pub(crate) fn record(&self, waited: Duration) {
        let seconds = waited.as_secs_f64();
        let bucket = WAIT_BOUNDS.iter().position(|b| seconds <= *b).unwrap_or(WAIT_BOUNDS.len());
        if let Some(b) = self.buckets.get(bucket) {
            b.fetch_add(1, Ordering::Relaxed);
        }
        self.sum_micros.fetch_add(u64::try_from(waited.as_micros()).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    pub(crate) fn failed(&self) -> u64 {
        self.failed.load(Ordering::Relaxed)
    }

    pub(crate) fn record_failure(&self) {
        self.failed.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn histogram(&self) -> Histogram {
        let mut running = 0;
        let mut counts = Vec::with_capacity(WAIT_BOUNDS.len());
        for bucket in &self.buckets {
            running += bucket.load(Ordering::Relaxed);
            counts.push(running);
        }
        // The last running total includes the overflow bucket: it is the count of all.
        let count = counts.pop().unwrap_or(0);
        Histogram {
            bounds: WAIT_BOUNDS.to_vec(),
            counts,
            count,
            sum_seconds: self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn waits_fall_in_cumulative_buckets_and_the_total_counts_them_all() {
        let stats = WaitStats::default();
        for micros in [50, 100, 700, 30_000_000] {
            stats.record(Duration::from_micros(micros));
        }
        let h = stats.histogram();
        assert_eq!(h.bounds.len(), h.counts.len());
        // 50 µs and exactly 100 µs in the first bucket, 700 µs by 1 ms, 30 s beyond every bound.
        assert_eq!(h.counts[0], 2);
        assert_eq!(h.counts[3], 3);
        assert_eq!(*h.counts.last().unwrap(), 3);
        assert_eq!(h.count, 4);
        assert!((h.sum_seconds - 30.00085).abs() < 1e-9);
    }
}
