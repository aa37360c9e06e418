//! The delivery worker: a thread of its own in `wex serve` and `wex worker`, sending the outbox in
//! batches. Any number of workers can run on one database (leases keep them apart).

use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::time::Duration;
use wex_domain::delivery::{DeliveryReport, deliver_due};
use wex_domain::ports::{Store, Transport};

/// Messages leased at a time: small enough that a batch is sent well inside its lease even when
/// every send times out.
pub const BATCH: u32 = 25;

/// Where the worker reads the time: the real clock, or (sandbox) the clock every process shares
/// through the database, read at the start of each batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockSource {
    Real,
    Shared,
}

impl ClockSource {
    /// The offset to add to the real time, in microseconds; `None` (logged) when the shared clock
    /// cannot be read.
    pub fn offset(self, store: &dyn Store) -> Option<i64> {
        match self {
            ClockSource::Real => Some(0),
            ClockSource::Shared => match store.clock_offset() {
                Ok(offset) => Some(offset),
                Err(e) => {
                    log::warn!("delivery: cannot read the shared clock: {e}");
                    None
                }
            },
        }
    }
}

pub struct Worker {
    pub store: Arc<dyn Store>,
    pub transport: Arc<dyn Transport>,
    pub frontend_base_url: String,
    pub clock: ClockSource,
    /// How long to wait after a batch that emptied the queue.
    pub idle: Duration,
}

impl Worker {
    /// One batch. Errors are logged (without addresses or words) and end the batch.
    pub fn run_once(&self) -> DeliveryReport {
        let Some(offset) = self.clock.offset(self.store.as_ref()) else { return DeliveryReport::default() };
        let clock = move || -> DateTime<Utc> { wex_domain::now() + chrono::Duration::microseconds(offset) };
        match deliver_due(self.store.as_ref(), self.transport.as_ref(), &self.frontend_base_url, &clock, BATCH) {
            Ok(report) => {
                if report.taken() > 0 {
                    log::info!(
                        "delivery ({}): {} sent, {} to retry, {} failed, {} given back, {} lost to another worker",
                        self.transport.name(),
                        report.sent,
                        report.retrying,
                        report.failed,
                        report.released,
                        report.lost
                    );
                }
                report
            }
            Err(e) => {
                log::warn!("delivery: the outbox cannot be read or written now: {e}");
                DeliveryReport::default()
            }
        }
    }

    /// Runs batches until the process ends: at once again after a full batch, else after `idle`.
    pub fn run_forever(self) {
        loop {
            let report = self.run_once();
            let full = report.taken() >= BATCH as usize && report.released == 0;
            if !full {
                std::thread::sleep(self.idle);
            }
        }
    }

    /// Starts [`Worker::run_forever`] on a thread of its own.
    pub fn spawn(self) -> std::io::Result<std::thread::JoinHandle<()>> {
        std::thread::Builder::new().name("wex-delivery".to_string()).spawn(move || self.run_forever())
    }
}
