//! What operators' metrics read: counts of work waiting (indexed COUNT and MIN queries, one
//! session), and how long checkouts from the pool wait, kept in memory.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::dsl::{count_star, min};
use diesel::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use wex_domain::model::delivery::DeliveryStatus;
use wex_domain::model::offer::OfferStatus;
use wex_domain::model::operations::{Due, Histogram, PoolUse, Queue};
use wex_domain::model::reference::{PlacementStatus, SelectionMethod};
use wex_domain::model::webhook::{WebhookDeliveryStatus, WebhookStatus};
use wex_domain::ports::{OperationsStore, PoolMonitor, StoreResult};

use crate::errors::{naive, utc};
use crate::placement_forms::any_of;
use crate::schema::{
    notifications as n, offers as o, placements as p, webhook_deliveries as d, webhook_endpoints as w,
};
use crate::store::DbStore;

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

    pub(crate) fn record_failure(&self) {
        self.failed.fetch_add(1, Ordering::Relaxed);
    }

    fn histogram(&self) -> Histogram {
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

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl OperationsStore for DbStore {
    fn outbox_queue(&self, now: DateTime<Utc>) -> StoreResult<Queue> {
        let pending = DeliveryStatus::Pending.code();
        let (waiting, oldest, due) = self.with_conn(|c| {
            let (waiting, oldest): (i64, Option<NaiveDateTime>) =
                n::table.filter(n::status.eq(pending)).select((count_star(), min(n::created_at))).first(c)?;
            let due = if waiting == 0 {
                0
            } else {
                n::table
                    .filter(n::status.eq(pending))
                    .filter(n::next_attempt_at.le(naive(now)))
                    .count()
                    .get_result(c)?
            };
            Ok((waiting, oldest, due))
        })?;
        Ok(Queue { pending: count(waiting), due: count(due), oldest_queued: oldest.map(utc) })
    }

    fn webhook_queue(&self, now: DateTime<Utc>) -> StoreResult<Queue> {
        let (pending, active) = (WebhookDeliveryStatus::Pending.code(), WebhookStatus::Active.code());
        let (waiting, oldest, due) = self.with_conn(|c| {
            let waiting = || {
                d::table
                    .inner_join(w::table.on(w::id.eq(d::endpoint_id)))
                    .filter(d::status.eq(pending))
                    .filter(w::status.eq(active))
            };
            let (count, oldest): (i64, Option<NaiveDateTime>) =
                waiting().select((count_star(), min(d::created_at))).first(c)?;
            let due = if count == 0 {
                0
            } else {
                waiting().filter(d::next_attempt_at.le(naive(now))).select(count_star()).first(c)?
            };
            Ok((count, oldest, due))
        })?;
        Ok(Queue { pending: count(waiting), due: count(due), oldest_queued: oldest.map(utc) })
    }

    fn placements_due(&self, status: PlacementStatus, method: SelectionMethod, now: DateTime<Utc>) -> StoreResult<Due> {
        let (n, oldest): (i64, Option<NaiveDateTime>) = self.with_conn(|c| {
            p::table
                .filter(any_of(&status.stored_forms(), naive(now)))
                .filter(p::selection_method.eq(method.code()))
                .select((count_star(), min(p::closes_at)))
                .first(c)
        })?;
        Ok(Due { count: count(n), oldest_due: oldest.map(utc) })
    }

    fn offers_past_deadline_due(&self, now: DateTime<Utc>) -> StoreResult<Due> {
        let (n, oldest): (i64, Option<NaiveDateTime>) = self.with_conn(|c| {
            o::table
                .filter(o::status.eq(OfferStatus::Open.code()))
                .filter(o::respond_by.lt(naive(now)))
                .select((count_star(), min(o::respond_by)))
                .first(c)
        })?;
        Ok(Due { count: count(n), oldest_due: oldest.map(utc) })
    }
}

impl PoolMonitor for DbStore {
    fn pool_use(&self) -> PoolUse {
        let state = self.pool().state();
        let waits = self.waits();
        PoolUse {
            max: self.pool().max_size(),
            open: state.connections,
            idle: state.idle_connections,
            wait: waits.histogram(),
            failed_checkouts: waits.failed.load(Ordering::Relaxed),
            reachable: !self.breaker().is_open(),
            refused: self.breaker().refused_total(),
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
