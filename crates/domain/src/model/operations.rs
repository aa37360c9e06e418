//! What operators watch: work waiting in the database (messages, webhook deliveries, draws and
//! offer expiries the scheduler owes) and how the connection pool is used. Counts and times only:
//! nothing here names a person or a thing.

use chrono::{DateTime, Utc};

/// A queue of things to send (the outbox, webhook deliveries), as the store counts it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Queue {
    /// Not sent yet: waiting for their first try, or for a retry after a temporary failure.
    pub pending: u64,
    /// Of those, the ones whose next try is due now (not waiting out a retry's back-off).
    pub due: u64,
    /// When the oldest pending one was queued.
    pub oldest_queued: Option<DateTime<Utc>>,
}

/// Work the scheduler owes, as the store counts it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Due {
    pub count: u64,
    /// When the longest-owed item fell due.
    pub oldest_due: Option<DateTime<Utc>>,
}

/// A queue as operators read it at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct QueueState {
    pub pending: u64,
    pub due: u64,
    /// How long the oldest pending item has waited, in seconds; 0 when none waits.
    pub oldest_age_seconds: f64,
}

/// Scheduled work as operators read it at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Lag {
    /// How many items are due and not done.
    pub due: u64,
    /// How late the longest-owed item is, in seconds; 0 when nothing is owed.
    pub seconds: f64,
}

/// Everything waiting in the database at `now`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Backlog {
    pub outbox: QueueState,
    pub webhooks: QueueState,
    /// Lottery placements whose applications have closed and that are not drawn yet.
    pub draws: Lag,
    /// Open offers past their answer-by time, not yet expired and passed on.
    pub offer_expiries: Lag,
}

/// Seconds from `since` to `now`, never negative (a clock moved back, or a row written by a process
/// whose clock runs ahead, reads as not late rather than as a negative age).
pub fn seconds_since(since: Option<DateTime<Utc>>, now: DateTime<Utc>) -> f64 {
    since.map_or(0.0, |t| ((now - t).num_microseconds().unwrap_or(i64::MAX) as f64 / 1e6).max(0.0))
}

impl QueueState {
    pub fn at(queue: Queue, now: DateTime<Utc>) -> Self {
        Self { pending: queue.pending, due: queue.due, oldest_age_seconds: seconds_since(queue.oldest_queued, now) }
    }
}

impl Lag {
    pub fn at(due: Due, now: DateTime<Utc>) -> Self {
        Self { due: due.count, seconds: seconds_since(due.oldest_due, now) }
    }
}

/// A histogram of durations, cumulative as Prometheus keeps them: `counts[i]` observations took at
/// most `bounds[i]` seconds; `count` is all of them (the `+Inf` bucket).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Histogram {
    pub bounds: Vec<f64>,
    pub counts: Vec<u64>,
    pub count: u64,
    pub sum_seconds: f64,
}

/// How a process's connection pool is used, read without touching the database.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PoolUse {
    /// The most connections the pool opens (`WEX_DB_POOL_SIZE`).
    pub max: u32,
    /// Connections open now, lent out or idle.
    pub open: u32,
    /// Open connections waiting in the pool to be lent.
    pub idle: u32,
    /// How long each checkout waited for a connection, opening one or checking an idle one included.
    pub wait: Histogram,
    /// Checkouts that gave up: no connection free in time, or the database unreachable.
    pub failed_checkouts: u64,
    /// False while the database is believed unreachable (requests are refused at once).
    pub reachable: bool,
    /// Requests refused at once because the database was believed unreachable.
    pub refused: u64,
}

impl PoolUse {
    /// Connections lent out now.
    pub fn in_use(&self) -> u32 {
        self.open.saturating_sub(self.idle)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::Duration;

    #[test]
    fn ages_are_seconds_and_never_negative() {
        let now = Utc::now();
        assert_eq!(seconds_since(None, now), 0.0);
        assert_eq!(seconds_since(Some(now - Duration::milliseconds(1500)), now), 1.5);
        assert_eq!(seconds_since(Some(now + Duration::seconds(3)), now), 0.0, "a clock ahead is not late");
        let lag = Lag::at(Due { count: 2, oldest_due: Some(now - Duration::seconds(90)) }, now);
        assert_eq!(lag, Lag { due: 2, seconds: 90.0 });
        let pool = PoolUse { max: 8, open: 3, idle: 1, ..PoolUse::default() };
        assert_eq!(pool.in_use(), 2);
    }
}
