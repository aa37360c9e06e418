//! What operators' metrics need from storage: counts of work waiting (each a cheap indexed query,
//! read when metrics are scraped), and the connection pool's use (read from memory).

use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::model::operations::{Due, PoolUse, Queue};
use crate::model::reference::{PlacementStatus, SelectionMethod};

pub trait OperationsStore {
    /// Messages in the outbox not sent yet; due are those whose next try is at or before `now`.
    fn outbox_queue(&self, now: DateTime<Utc>) -> StoreResult<Queue>;
    /// Webhook deliveries not made yet to endpoints still active (a disabled endpoint's deliveries
    /// wait for nobody); due as for the outbox.
    fn webhook_queue(&self, now: DateTime<Utc>) -> StoreResult<Queue>;
    /// Placements chosen by `method` that show `status` at `now`, as
    /// [`super::DrawStore::placements_showing`] selects them, due since their closing time.
    fn placements_due(&self, status: PlacementStatus, method: SelectionMethod, now: DateTime<Utc>) -> StoreResult<Due>;
    /// Open offers whose answer-by time has passed, as [`super::OfferStore::offers_past_deadline`]
    /// selects them, due since that time.
    fn offers_past_deadline_due(&self, now: DateTime<Utc>) -> StoreResult<Due>;
}

/// The connection pool's use, read without touching the database (metrics of a process whose
/// database is gone must still be served).
pub trait PoolMonitor {
    fn pool_use(&self) -> PoolUse;
    /// How many transactions may usefully write at once: one where writers take turns for the
    /// whole database (SQLite), the pool's size where the database runs them side by side and
    /// flushes their commits together (PostgreSQL).
    fn writers_at_once(&self) -> usize;
}
