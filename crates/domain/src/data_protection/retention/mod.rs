//! Retention (issue 13, item 4): nothing personal is kept longer than it is needed. One run purges
//! what has expired at `now` under a [`Policy`], in batches: each batch is one unit of work that
//! changes at most `batch_size` rows and records an event with its counts, and a kind of data is
//! done when a batch comes back short. Every purge leaves purged rows alone, so a second run finds
//! nothing to do and writes nothing.
//!
//! What stays: the pseudonymous rows reports and draw records read (applications with their
//! statuses, tickets, stage reached and age; draws; survey scores; message ids, templates and
//! statuses), so purging changes no published figure.

mod accounts;

use std::fmt;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::Value;
use uuid::Uuid;

use crate::error::StoreError;
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::ports::{Purge, Store};
use crate::unit_of_work::write;

pub use accounts::{erase_expired_account, record_activity};

/// How long each kind of personal data is kept. [`Policy::default`] holds the documented defaults
/// (docs/data-protection.md, "Retention", says why each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Free text about applications (answers, supporting information, reasons, feedback comments,
    /// T-level reviews, reflections and objectives, messages about them), counted from the day the
    /// placement ends.
    pub application_data: Duration,
    /// Messages' recipients, subjects, bodies and providers' answers, counted from when the
    /// message settled (sent, delivered or failed).
    pub messages: Duration,
    /// Audit entries, counted from when they were written.
    pub audit_entries: Duration,
    /// An account not used for this long is warned that it will be erased.
    pub inactive_accounts: Duration,
    /// How long after the warning an account still not used is erased.
    pub erasure_notice: Duration,
}

/// Twelve months after the placement ends (366 days, so never less than a calendar year).
pub const APPLICATION_DAYS: i64 = 366;
pub const MESSAGE_DAYS: i64 = 90;
/// Six years (with the leap days they can hold).
pub const AUDIT_DAYS: i64 = 6 * 365 + 2;
/// Twenty-four months (731 days, so never less).
pub const INACTIVE_DAYS: i64 = 731;
pub const NOTICE_DAYS: i64 = 30;

impl Default for Policy {
    fn default() -> Self {
        Policy {
            application_data: Duration::days(APPLICATION_DAYS),
            messages: Duration::days(MESSAGE_DAYS),
            audit_entries: Duration::days(AUDIT_DAYS),
            inactive_accounts: Duration::days(INACTIVE_DAYS),
            erasure_notice: Duration::days(NOTICE_DAYS),
        }
    }
}

impl Policy {
    /// The purges due at `now`, in the order a run applies them: messages about applications
    /// before the applications' own text, so that nothing is left that points at purged text.
    pub fn purges(&self, now: DateTime<Utc>) -> Vec<Purge> {
        // A placement that ended on day D expires once D + period has passed entirely.
        let ended_before: NaiveDate = (now - self.application_data).date_naive();
        let settled_before = now - self.messages;
        vec![
            Purge::ApplicationMessages(ended_before),
            Purge::ApplicationAnswers(ended_before),
            Purge::SupportingInformation(ended_before),
            Purge::HistoryReasons(ended_before),
            Purge::FeedbackComments(ended_before),
            Purge::ReadinessDetails(ended_before),
            Purge::HostComments(ended_before),
            Purge::TLevelReviews(ended_before),
            Purge::TLevelObjectives(ended_before),
            Purge::SettledMessages(settled_before),
            Purge::DeliveryDetails(settled_before),
            Purge::AuditEntries(now - self.audit_entries),
        ]
    }
}

/// How many rows one run changed, by kind. Counts only: nothing here names anyone.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub application_answers: u64,
    pub supporting_information: u64,
    pub history_reasons: u64,
    pub feedback_comments: u64,
    /// Readiness items whose contact, consent or override details were emptied.
    pub readiness_details: u64,
    pub host_comments: u64,
    pub t_level_reviews: u64,
    pub t_level_objectives: u64,
    pub application_messages: u64,
    pub messages: u64,
    pub delivery_details: u64,
    pub audit_entries: u64,
    pub accounts_warned: u64,
    /// Accounts warned long enough ago and not used since.
    pub accounts_due: u64,
    pub accounts_erased: u64,
    /// Accounts due that could not be erased (see [`erase_expired_account`]).
    pub erasures_failed: u64,
}

impl Counts {
    fn slot(&mut self, purge: Purge) -> &mut u64 {
        match purge {
            Purge::ApplicationAnswers(_) => &mut self.application_answers,
            Purge::SupportingInformation(_) => &mut self.supporting_information,
            Purge::HistoryReasons(_) => &mut self.history_reasons,
            Purge::FeedbackComments(_) => &mut self.feedback_comments,
            Purge::ReadinessDetails(_) => &mut self.readiness_details,
            Purge::HostComments(_) => &mut self.host_comments,
            Purge::TLevelReviews(_) => &mut self.t_level_reviews,
            Purge::TLevelObjectives(_) => &mut self.t_level_objectives,
            Purge::ApplicationMessages(_) => &mut self.application_messages,
            Purge::SettledMessages(_) => &mut self.messages,
            Purge::DeliveryDetails(_) => &mut self.delivery_details,
            Purge::AuditEntries(_) => &mut self.audit_entries,
        }
    }
}

/// The event code of each purge, as events and logs name it.
pub fn code(purge: Purge) -> &'static str {
    match purge {
        Purge::ApplicationAnswers(_) => "application_answers",
        Purge::SupportingInformation(_) => "supporting_information",
        Purge::HistoryReasons(_) => "history_reasons",
        Purge::FeedbackComments(_) => "feedback_comments",
        Purge::ReadinessDetails(_) => "readiness_details",
        Purge::HostComments(_) => "host_comments",
        Purge::TLevelReviews(_) => "t_level_reviews",
        Purge::TLevelObjectives(_) => "t_level_objectives",
        Purge::ApplicationMessages(_) => "application_messages",
        Purge::SettledMessages(_) => "messages",
        Purge::DeliveryDetails(_) => "delivery_details",
        Purge::AuditEntries(_) => "audit_entries",
    }
}

/// One run: its id (the entity id of its events), how many batches stored something, and counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub id: Uuid,
    pub batches: u64,
    pub counts: Counts,
}

/// The run's log line: counts only, never an id or anything about a person.
impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.counts;
        write!(
            f,
            "retention: {} batch(es); application answers {}, supporting information {}, history reasons {}, \
             feedback comments {}, readiness details {}, host comments {}, t level reviews {}, t level objectives {}, \
             messages about applications {}, messages {}, delivery details {}, \
             audit entries deleted {}; accounts warned {}, due for erasure {}, erased {}, not erased {}",
            self.batches,
            c.application_answers,
            c.supporting_information,
            c.history_reasons,
            c.feedback_comments,
            c.readiness_details,
            c.host_comments,
            c.t_level_reviews,
            c.t_level_objectives,
            c.application_messages,
            c.messages,
            c.delivery_details,
            c.audit_entries,
            c.accounts_warned,
            c.accounts_due,
            c.accounts_erased,
            c.erasures_failed
        )
    }
}

/// The event of one stored batch: the run's id, the batch's number in the run, what it purged and
/// how many rows. Counts and codes only.
fn batch_event(run: Uuid, number: u64, what: &'static str, rows: u64, now: DateTime<Utc>) -> DomainEvent {
    let version = i64::try_from(number).unwrap_or(i64::MAX);
    let mut event =
        DomainEvent::edit(Entity::Retention, run, version, "purged", EventActor::Platform, now).with_code("what", what);
    event.data.insert("rows".to_string(), Value::from(rows));
    event
}

/// Applies `policy` at `now`: purges everything expired, warns the accounts that have been
/// inactive for the period, and erases those warned long enough ago and not used since. Each
/// batch is its own unit of work of at most `batch_size` rows (a batch size of 0 counts as 1).
pub fn apply(store: &dyn Store, policy: &Policy, now: DateTime<Utc>, batch_size: u32) -> Result<Run, StoreError> {
    let limit = batch_size.max(1);
    let mut run = Run { id: Uuid::now_v7(), batches: 0, counts: Counts::default() };
    for purge in policy.purges(now) {
        loop {
            let number = run.batches + 1;
            let rows = write(store, |s| {
                let rows = s.purge(purge, limit)?;
                if rows > 0 {
                    s.append_events(&[batch_event(run.id, number, code(purge), rows, now)])?;
                }
                Ok::<_, StoreError>(rows)
            })?;
            if rows > 0 {
                run.batches = number;
                *run.counts.slot(purge) += rows;
            }
            if rows < u64::from(limit) {
                break;
            }
        }
    }
    accounts::warn_inactive(store, policy, now, limit, &mut run)?;
    accounts::erase_due(store, policy, now, limit, &mut run)?;
    Ok(run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_line_holds_counts_only() {
        let counts = Counts { application_answers: 5, messages: 2, accounts_warned: 1, ..Counts::default() };
        let run = Run { id: Uuid::now_v7(), batches: 4, counts };
        let line = run.to_string();
        assert!(!line.contains(&run.id.to_string()), "{line}");
        assert!(line.contains("application answers 5") && line.contains("messages 2") && line.contains("4 batch(es)"));
        // Nothing but fixed words, digits and punctuation.
        assert!(line.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || " ;:,()".contains(c)), "{line}");
    }

    #[test]
    fn the_defaults_are_never_shorter_than_the_calendar_periods() {
        let p = Policy::default();
        assert!(p.application_data >= Duration::days(366));
        assert!(p.audit_entries >= Duration::days(6 * 365 + 2));
        assert!(p.inactive_accounts >= Duration::days(731));
        assert_eq!((p.messages, p.erasure_notice), (Duration::days(90), Duration::days(30)));
    }
}
