//! What operators read about the work waiting in the database, for the metrics endpoint: computed
//! from the database each time it is asked (a few indexed counts), so that every process reports
//! the same figures and nothing cached can go stale.

use chrono::{DateTime, Utc};

use crate::error::StoreError;
use crate::model::operations::{Backlog, Lag, QueueState};
use crate::model::reference::{PlacementStatus, SelectionMethod};
use crate::ports::Store;
use crate::unit_of_work::read;

/// The backlog at `now` (the service clock, so that the sandbox's moved clock shows what the
/// scheduler would see): messages and webhook deliveries not sent, and how late the scheduler is
/// with what it owes. A draw is owed from a lottery placement's closing time (the scheduler draws
/// exactly those, see [`crate::selection::draw_due`]); an expiry from an open offer's answer-by
/// time ([`crate::offers::expire_due`]). The scheduler runs every `WEX_SCHEDULER_INTERVAL_SECONDS`,
/// so a lag up to that long is normal.
pub fn backlog(store: &dyn Store, now: DateTime<Utc>) -> Result<Backlog, StoreError> {
    read(store, |s| {
        Ok(Backlog {
            outbox: QueueState::at(s.outbox_queue(now)?, now),
            webhooks: QueueState::at(s.webhook_queue(now)?, now),
            draws: Lag::at(s.placements_due(PlacementStatus::Closed, SelectionMethod::Lottery, now)?, now),
            offer_expiries: Lag::at(s.offers_past_deadline_due(now)?, now),
        })
    })
}
