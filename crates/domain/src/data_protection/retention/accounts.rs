//! Accounts not used for the retention period: their holders are warned by email, then, unless
//! they sign in again, their accounts are erased once the notice has passed. "Used" is recorded by
//! [`record_activity`] on every signed-in request, at most once a day.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::{Policy, Run, batch_event};
use crate::data_protection::ErasureError;
use crate::error::StoreError;
use crate::messages;
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::ports::Store;
use crate::unit_of_work::{read, write};

/// How stale the recorded activity may be before a request records it again: once a day keeps
/// reads from becoming writes.
pub const ACTIVITY_RESOLUTION: Duration = Duration::days(1);

/// Records that the holder of `subject` used the service at `now`, if they have a profile of their
/// own and it was last recorded more than a day ago. One read otherwise. Bookkeeping, not a change
/// to the profile: no version, no event (an event a day per applicant would fill the feed).
pub fn record_activity(store: &dyn Store, subject: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    match store.last_active(subject)? {
        Some(at) if now - at > ACTIVITY_RESOLUTION => store.record_activity(subject, now),
        _ => Ok(()),
    }
}

/// Erases one account whose holder was warned and did not sign in again: the same erasure as
/// `DELETE /v1/me`, by the platform (see [`crate::data_protection::erase_expired`]).
pub fn erase_expired_account(store: &dyn Store, profile_id: Uuid, now: DateTime<Utc>) -> Result<(), ErasureError> {
    crate::data_protection::erase_expired(store, profile_id, now).map(drop)
}

/// Warns, batch by batch, every account not used for the period and not warned since it was last
/// used: an email to the applicant's own address, the warning's time on the profile, and an event
/// per profile and per batch, in one unit of work per batch.
pub(super) fn warn_inactive(
    store: &dyn Store,
    policy: &Policy,
    now: DateTime<Utc>,
    limit: u32,
    run: &mut Run,
) -> Result<(), StoreError> {
    let erase_on = (now + policy.erasure_notice).date_naive();
    loop {
        let number = run.batches + 1;
        let warned = write(store, |s| {
            let due = s.accounts_to_warn(now - policy.inactive_accounts, limit)?;
            if due.is_empty() {
                return Ok::<_, StoreError>(0);
            }
            let messages: Vec<_> =
                due.iter().map(|p| messages::retention::account_inactive(p, erase_on, now)).collect();
            let ids: Vec<Uuid> = due.iter().map(|p| p.id).collect();
            s.enqueue(&messages)?;
            s.mark_warned(&ids, now)?;
            let count = u64::try_from(due.len()).unwrap_or(u64::MAX);
            let mut events: Vec<DomainEvent> = due
                .iter()
                .map(|p| {
                    DomainEvent::edit(Entity::Profile, p.id, p.version, "warned_of_erasure", EventActor::Platform, now)
                })
                .collect();
            events.push(batch_event(run.id, number, "accounts_warned", count, now));
            s.append_events(&events)?;
            Ok(count)
        })?;
        if warned > 0 {
            run.batches = number;
            run.counts.accounts_warned += warned;
        }
        if warned < u64::from(limit) {
            return Ok(());
        }
    }
}

/// Erases, one unit of work each (the erasure's own), every account warned at least the notice
/// period ago and not used since. Pages by id, so that an account that could not be erased is
/// counted once and the run still ends.
pub(super) fn erase_due(
    store: &dyn Store,
    policy: &Policy,
    now: DateTime<Utc>,
    limit: u32,
    run: &mut Run,
) -> Result<(), StoreError> {
    let mut after = None;
    loop {
        let due = read(store, |s| s.accounts_due_for_erasure(now - policy.erasure_notice, after, limit))?;
        for id in &due {
            // One account that cannot be erased now (a conflicting change, a busy moment)
            // must not keep the others: it is counted, and the next run tries it again.
            match erase_expired_account(store, *id, now) {
                Ok(()) => run.counts.accounts_erased += 1,
                Err(_) => run.counts.erasures_failed += 1,
            }
        }
        run.counts.accounts_due += u64::try_from(due.len()).unwrap_or(u64::MAX);
        after = due.last().copied();
        if due.len() < usize::try_from(limit).unwrap_or(usize::MAX) {
            return Ok(());
        }
    }
}
