//! Work the service does by itself on a schedule: drawing every placement whose closing time has
//! passed, so that no outcome is late because someone forgot, sending the reminders due, and
//! applying the retention policy. It runs inside `wex serve` and as `wex worker`; several at once
//! are safe, because each draw is stored once and retention leaves what it purged alone.

use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::time::Duration;
use wex_domain::ports::Store;

/// How many placements one run draws at most; the next run takes the rest.
const BATCH: u32 = 100;

/// How many placements are drawn at once (PostgreSQL; one at a time on SQLite): enough for the
/// database to flush their commits together, while leaving most of the pool to requests.
const DRAWS_AT_ONCE: usize = 4;

/// Draws what is due at `now`, then ends offers past their deadline (passing their places down the
/// waiting list). Returns how many placements were drawn.
pub async fn run_due(store: Arc<dyn Store>, now: DateTime<Utc>) -> usize {
    let expiring = Arc::clone(&store);
    let starting = Arc::clone(&store);
    let reminding = Arc::clone(&store);
    let result =
        actix_web::web::block(move || wex_domain::selection::draw_due(store.as_ref(), now, BATCH, DRAWS_AT_ONCE)).await;
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
            "reminders sent: {} a week before the start, {} the day before, {} before an offer ends, {} to teams of outcomes due, {} of readiness to participants, {} of readiness to teams",
            r.week_before,
            r.day_before,
            r.offer_ending,
            r.outcomes_due,
            r.not_ready,
            r.teams_not_ready
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

/// The retention policy as the scheduler applies it: at most once `every` (by the service clock).
#[derive(Debug, Clone, Copy)]
pub struct RetentionJob {
    pub policy: wex_domain::data_protection::retention::Policy,
    pub batch_size: u32,
    pub every: chrono::Duration,
}

/// Applies the retention policy once at `now` and logs the run's counts (never an id or anything
/// about a person). `None` (logged) when it failed; a failed run stops at a batch boundary, and
/// the next run carries on.
pub async fn run_retention(
    store: Arc<dyn Store>,
    policy: wex_domain::data_protection::retention::Policy,
    now: DateTime<Utc>,
    batch_size: u32,
) -> Option<wex_domain::data_protection::retention::Run> {
    let run = actix_web::web::block(move || {
        wex_domain::data_protection::retention::apply(store.as_ref(), &policy, now, batch_size)
    })
    .await;
    match run {
        Ok(Ok(run)) => {
            log::info!("{run}");
            if run.counts.erasures_failed > 0 {
                log::warn!(
                    "retention: {} inactive account(s) due for erasure were not erased",
                    run.counts.erasures_failed
                );
            }
            Some(run)
        }
        Ok(Err(e)) => {
            log::error!("retention: the run failed: {e}");
            None
        }
        Err(e) => {
            log::error!("retention: the task failed: {e}");
            None
        }
    }
}

/// Runs [`run_due`] every `interval`, and retention when it is due, reading the time from `now`,
/// until the process stops.
pub async fn run_forever(
    store: Arc<dyn Store>,
    now: impl Fn() -> DateTime<Utc>,
    interval: Duration,
    retention: Option<RetentionJob>,
) {
    let mut ticker = actix_web::rt::time::interval(interval);
    // When this process last applied retention; each process keeps its own, which is enough
    // because a run that finds nothing to do writes nothing.
    let mut retained: Option<DateTime<Utc>> = None;
    loop {
        ticker.tick().await;
        let at = now();
        run_due(Arc::clone(&store), at).await;
        if let Some(job) = retention
            && retained.is_none_or(|last| at - last >= job.every)
        {
            run_retention(Arc::clone(&store), job.policy, at, job.batch_size).await;
            retained = Some(at);
        }
    }
}
