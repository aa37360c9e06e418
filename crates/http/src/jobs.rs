//! Work the service does by itself on a schedule: drawing every placement whose closing time has
//! passed, so that no outcome is late because someone forgot, and sending the reminders due. It runs inside `wex serve` and as
//! `wex worker`; several at once are safe, because each draw is stored once.

use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::time::Duration;
use wex_domain::ports::Store;

/// How many placements one run draws at most; the next run takes the rest.
const BATCH: u32 = 100;

/// Draws what is due at `now`, then ends offers past their deadline (passing their places down the
/// waiting list). Returns how many placements were drawn.
pub async fn run_due(store: Arc<dyn Store>, now: DateTime<Utc>) -> usize {
    let expiring = Arc::clone(&store);
    let starting = Arc::clone(&store);
    let reminding = Arc::clone(&store);
    let result = actix_web::web::block(move || wex_domain::selection::draw_due(store.as_ref(), now, BATCH)).await;
    match actix_web::web::block(move || wex_domain::offers::expire_due(expiring.as_ref(), now, BATCH)).await {
        Ok(Ok(0)) => {}
        Ok(Ok(n)) => log::info!("{n} offer(s) expired and passed on"),
        Ok(Err(e)) => log::error!("could not expire offers: {e}"),
        Err(e) => log::error!("the expiry task failed: {e}"),
    }
    match actix_web::web::block(move || wex_domain::offers::close_waiting_lists(starting.as_ref(), now, BATCH)).await {
        Ok(Ok(0)) => {}
        Ok(Ok(n)) => log::info!("{n} waiting-list place(s) closed as the placements started"),
        Ok(Err(e)) => log::error!("could not close waiting lists: {e}"),
        Err(e) => log::error!("the waiting-list task failed: {e}"),
    }
    match actix_web::web::block(move || wex_domain::reminders::send_due(reminding.as_ref(), now, BATCH)).await {
        Ok(Ok(r)) if r == wex_domain::reminders::Reminded::default() => {}
        Ok(Ok(r)) => log::info!(
            "reminders sent: {} a week before the start, {} the day before, {} before an offer ends, {} to teams of outcomes due",
            r.week_before,
            r.day_before,
            r.offer_ending,
            r.outcomes_due
        ),
        Ok(Err(e)) => log::error!("could not send reminders: {e}"),
        Err(e) => log::error!("the reminder task failed: {e}"),
    }
    match result {
        Ok(Ok(report)) => {
            for id in &report.drawn {
                log::info!("drew placement {id}");
            }
            for (id, e) in &report.failed {
                log::error!("could not draw placement {id}: {e}");
            }
            report.drawn.len()
        }
        Ok(Err(e)) => {
            log::warn!("the scheduler could not look for placements to draw: {e}");
            0
        }
        Err(e) => {
            log::error!("the scheduler's task failed: {e}");
            0
        }
    }
}

/// Runs [`run_due`] every `interval`, reading the time from `now`, until the process stops.
pub async fn run_forever(store: Arc<dyn Store>, now: impl Fn() -> DateTime<Utc>, interval: Duration) {
    let mut ticker = actix_web::rt::time::interval(interval);
    loop {
        ticker.tick().await;
        run_due(Arc::clone(&store), now()).await;
    }
}
