//! What operators' metrics read: counts of work waiting (indexed COUNT and MIN queries, one
//! session), and how long checkouts from the pool wait, kept in memory.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::dsl::{count_star, min};
use diesel::prelude::*;
use wex_domain::model::delivery::DeliveryStatus;
use wex_domain::model::offer::OfferStatus;
use wex_domain::model::operations::{Due, PoolUse, Queue};
use wex_domain::model::reference::{PlacementStatus, SelectionMethod};
use wex_domain::model::webhook::{WebhookDeliveryStatus, WebhookStatus};
use wex_domain::ports::{OperationsStore, PoolMonitor, StoreResult};

use crate::connection::Backend;
use crate::errors::{naive, utc};
use crate::placement_forms::any_of;
use crate::schema::{
    notifications as n, offers as o, placements as p, webhook_deliveries as d, webhook_endpoints as w,
};
use crate::store::DbStore;

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
            failed_checkouts: waits.failed(),
            reachable: !self.breaker().is_open(),
            refused: self.breaker().refused_total(),
        }
    }

    fn writers_at_once(&self) -> usize {
        match self.backend() {
            Backend::Sqlite => 1,
            Backend::Postgres => usize::try_from(self.pool().max_size()).unwrap_or(1),
        }
    }
}
