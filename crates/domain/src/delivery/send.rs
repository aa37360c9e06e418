//! One run of the delivery worker: lease what is due, send each, record how it went.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::error::StoreError;
use crate::model::delivery::{Attempt, AttemptOutcome, DeliveryStatus, Email, Lease, after_attempt};
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::ports::{Store, Transport};
use crate::unit_of_work::write;

/// How long a worker holds the messages it leased. A batch must be sent well within it (a batch
/// of 25 at the transports' 10-second timeout takes at most about 4 minutes); a worker that dies
/// lets its messages go to another worker when it ends.
pub const LEASE: Duration = Duration::minutes(10);

/// What one run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Accepted by the transport (or delivered at once, by the sandbox).
    pub sent: usize,
    /// Failed for now, to be tried again.
    pub retrying: usize,
    /// Failed for good.
    pub failed: usize,
    /// Given back unsent because the transport asked us to slow down.
    pub released: usize,
    /// Sent, but another worker had taken the message over (its lease ran out mid-batch).
    pub lost: usize,
}

impl DeliveryReport {
    /// How many messages the run took from the outbox.
    pub fn taken(&self) -> usize {
        self.sent + self.retrying + self.failed + self.released + self.lost
    }
}

/// Leases up to `limit` messages due at `clock()` and sends each through `transport`, recording
/// every attempt with the state it leaves the message in, and an event, in one transaction per
/// message. When the transport says it is rate limited, the rest of the batch is given back
/// unsent. Store failures end the run; messages already leased come back when the lease ends.
pub fn deliver_due(
    store: &dyn Store,
    transport: &dyn Transport,
    frontend_base_url: &str,
    clock: &dyn Fn() -> DateTime<Utc>,
    limit: u32,
) -> Result<DeliveryReport, StoreError> {
    let now = clock();
    let lease = Lease { token: Uuid::new_v4(), until: now + LEASE };
    let leased = store.lease_due(now, &lease, limit)?;
    let mut report = DeliveryReport::default();
    for (i, item) in leased.iter().enumerate() {
        let result = transport.send(&Email::of(&item.message, frontend_base_url));
        let at = clock();
        let outcome = result.outcome;
        let attempt = Attempt {
            message_id: item.message.id,
            number: item.attempt,
            at,
            transport: transport.name().to_string(),
            result,
        };
        let after = after_attempt(item.attempt, outcome, at);
        let kept = write(store, |s| {
            if !s.record_attempt(&attempt, &lease, &after)? {
                return Ok(false);
            }
            let event = DomainEvent::change(
                Entity::Message,
                item.message.id,
                i64::from(item.attempt),
                Some(DeliveryStatus::Pending.code()),
                after.status.code(),
                EventActor::Platform,
                at,
            )
            .with_code("outcome", outcome.code());
            s.append_events(&[event])?;
            // The address itself failed: whoever runs a placement this applicant holds is told.
            if let (Some(profile_id), AttemptOutcome::PermanentFailure) = (item.message.profile_id, outcome) {
                super::unreachable::tell_teams(s, profile_id, at)?;
            }
            Ok::<_, StoreError>(true)
        })?;
        if !kept {
            // Another worker leased it after ours ran out and will record its own attempt.
            report.lost += 1;
            continue;
        }
        match after.status {
            DeliveryStatus::Pending => report.retrying += 1,
            DeliveryStatus::Failed => report.failed += 1,
            DeliveryStatus::Sent | DeliveryStatus::Delivered => report.sent += 1,
        }
        if outcome == AttemptOutcome::RateLimited {
            let rest: Vec<Uuid> = leased[i + 1..].iter().map(|l| l.message.id).collect();
            store.release(&rest, &lease)?;
            report.released += rest.len();
            break;
        }
    }
    Ok(report)
}
