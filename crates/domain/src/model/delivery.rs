//! Delivering a message: its state, what one attempt to send it can end in, and when to try again.
//!
//! A message is written to the outbox `pending`. A worker leases it, hands it to the transport
//! (GOV.UK Notify, SMTP or the sandbox) and records the attempt. Accepted by the transport it is
//! `sent` (Notify later reports `delivered` or a failure by a receipt); refused for good, or still
//! failing after [`MAX_ATTEMPTS`], it is `failed`; otherwise it waits for its next attempt.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::model::notification::Notification;

use crate::model::reference::code_enum;
use std::fmt;

code_enum! {
    /// Where a message is on its way to someone.
    DeliveryStatus {
        Pending => ("pending", "Pending", "Waiting to be sent, or to be tried again after a temporary failure."),
        Sent => ("sent", "Sent", "Accepted by the email service; no receipt yet (SMTP gives none)."),
        Delivered => ("delivered", "Delivered", "The email service reports it reached the recipient's inbox."),
        Failed => ("failed", "Failed", "Given up: the address does not work, the service refused it, or every retry failed."),
    }
}

code_enum! {
    /// How one attempt to send a message ended.
    AttemptOutcome {
        Sent => ("sent", "Sent", "The transport accepted the message."),
        Delivered => ("delivered", "Delivered", "The transport delivered it at once (the sandbox)."),
        TemporaryFailure => ("temporary_failure", "Temporary failure",
            "The transport could not take it now (a server error, a timeout, no connection); tried again later."),
        RateLimited => ("rate_limited", "Rate limited", "The transport asked us to slow down (HTTP 429); tried again later."),
        PermanentFailure => ("permanent_failure", "Permanent failure",
            "The transport refused it for good (an invalid address, a rejected request); not tried again."),
    }
}

/// What a transport reports about one attempt. `detail` says why without personal data: a status
/// code and the transport's error kind, never an address or a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendResult {
    pub outcome: AttemptOutcome,
    pub detail: Option<String>,
}

impl SendResult {
    pub fn ok(outcome: AttemptOutcome) -> Self {
        Self { outcome, detail: None }
    }

    pub fn failed(outcome: AttemptOutcome, detail: impl Into<String>) -> Self {
        Self { outcome, detail: Some(detail.into()) }
    }
}

/// A message gets this many attempts in all before it fails for good.
pub const MAX_ATTEMPTS: u32 = 7;

/// How long after the `n`th failed attempt (1-based) the next one is made: 1 minute, 10 minutes,
/// 1 hour, 2 hours, then every 4 hours (the schedule Get school experience uses with Notify).
pub fn retry_delay(failed_attempts: u32) -> Duration {
    match failed_attempts {
        0 | 1 => Duration::minutes(1),
        2 => Duration::minutes(10),
        3 => Duration::hours(1),
        4 => Duration::hours(2),
        _ => Duration::hours(4),
    }
}

/// A message's state after an attempt, as the outbox stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AfterAttempt {
    pub status: DeliveryStatus,
    /// When to try again, for a message still pending.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// When it reached a final state the sender knows of (sent, delivered or failed).
    pub settled_at: Option<DateTime<Utc>>,
}

/// Decides what follows the `attempt`th attempt (1-based) that ended in `outcome` at `now`.
pub fn after_attempt(attempt: u32, outcome: AttemptOutcome, now: DateTime<Utc>) -> AfterAttempt {
    let settled = |status| AfterAttempt { status, next_attempt_at: None, settled_at: Some(now) };
    match outcome {
        AttemptOutcome::Sent => settled(DeliveryStatus::Sent),
        AttemptOutcome::Delivered => settled(DeliveryStatus::Delivered),
        AttemptOutcome::PermanentFailure => settled(DeliveryStatus::Failed),
        AttemptOutcome::TemporaryFailure | AttemptOutcome::RateLimited if attempt >= MAX_ATTEMPTS => {
            settled(DeliveryStatus::Failed)
        }
        AttemptOutcome::TemporaryFailure | AttemptOutcome::RateLimited => AfterAttempt {
            status: DeliveryStatus::Pending,
            next_attempt_at: Some(now + retry_delay(attempt)),
            settled_at: None,
        },
    }
}

code_enum! {
    /// What an email service's delivery receipt says (GOV.UK Notify's callback statuses).
    Receipt {
        Delivered => ("delivered", "Delivered", "It reached the recipient's inbox."),
        PermanentFailure => ("permanent-failure", "Permanent failure", "The address does not exist or the provider refused it for good."),
        TemporaryFailure => ("temporary-failure", "Temporary failure", "The inbox was full or unreachable for Notify's 72 hours of retries."),
        TechnicalFailure => ("technical-failure", "Technical failure", "Notify could not send it because of a problem of its own."),
    }
}

impl Receipt {
    /// The state a receipt leaves the message in. A receipt is final: Notify has stopped trying.
    pub fn status(self) -> DeliveryStatus {
        match self {
            Receipt::Delivered => DeliveryStatus::Delivered,
            _ => DeliveryStatus::Failed,
        }
    }

    /// Whether it shows that the address itself does not work, so that the person should be told
    /// and given a chance to correct it.
    pub fn address_fails(self) -> bool {
        self == Receipt::PermanentFailure
    }
}

/// An email as a transport sends it: the words wex wrote, with the link made absolute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    /// The message's id: Notify's `reference`, and an SMTP `Message-ID`, so a retry is recognisable.
    pub id: Uuid,
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl Email {
    /// The email for a message, its link (if any) after the words on a line of its own, under
    /// the front end's base URL.
    pub fn of(message: &Notification, frontend_base_url: &str) -> Self {
        let body = match &message.link {
            Some(path) => format!("{}\n\n{}{path}", message.body, frontend_base_url.trim_end_matches('/')),
            None => message.body.clone(),
        };
        Email { id: message.id, to: message.recipient.clone(), subject: message.subject.clone(), body }
    }
}

/// A message a worker holds a lease on: no other worker takes it before `until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leased {
    pub message: Notification,
    /// This attempt's number, from 1: counted when leased, so that a worker that dies mid-send
    /// still uses up an attempt and a message cannot be retried for ever.
    pub attempt: u32,
}

/// One lease: who holds it (a fresh token per batch) and until when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lease {
    pub token: Uuid,
    pub until: DateTime<Utc>,
}

/// One attempt, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub message_id: Uuid,
    pub number: u32,
    pub at: DateTime<Utc>,
    /// `notify`, `smtp` or `sandbox`.
    pub transport: String,
    pub result: SendResult,
}

/// Where a message's delivery stands, with every attempt, for the sandbox outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub message_id: Uuid,
    pub status: DeliveryStatus,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub failure: Option<String>,
    pub attempts: Vec<Attempt>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2027-03-01T09:00:00Z").map(|t| t.to_utc()).unwrap()
    }

    #[test]
    fn temporary_failures_back_off_on_the_notify_schedule_then_give_up() {
        let waits: Vec<i64> = (1..MAX_ATTEMPTS)
            .map(|n| {
                let next = after_attempt(n, AttemptOutcome::TemporaryFailure, at());
                assert_eq!(next.status, DeliveryStatus::Pending);
                (next.next_attempt_at.unwrap() - at()).num_minutes()
            })
            .collect();
        assert_eq!(waits, vec![1, 10, 60, 120, 240, 240]);
        let last = after_attempt(MAX_ATTEMPTS, AttemptOutcome::TemporaryFailure, at());
        assert_eq!(
            last,
            AfterAttempt { status: DeliveryStatus::Failed, next_attempt_at: None, settled_at: Some(at()) }
        );
    }

    #[test]
    fn rate_limiting_is_retried_like_a_temporary_failure() {
        assert_eq!(
            after_attempt(2, AttemptOutcome::RateLimited, at()),
            after_attempt(2, AttemptOutcome::TemporaryFailure, at())
        );
    }

    #[test]
    fn a_permanent_failure_is_never_retried() {
        let next = after_attempt(1, AttemptOutcome::PermanentFailure, at());
        assert_eq!(next.status, DeliveryStatus::Failed);
        assert_eq!(next.next_attempt_at, None);
    }

    #[test]
    fn acceptance_settles_the_message() {
        assert_eq!(after_attempt(3, AttemptOutcome::Sent, at()).status, DeliveryStatus::Sent);
        assert_eq!(after_attempt(1, AttemptOutcome::Delivered, at()).status, DeliveryStatus::Delivered);
    }

    #[test]
    fn an_email_puts_the_link_under_the_front_end_on_a_line_of_its_own() {
        use crate::model::notification::Template;
        let message = Notification::new("a@example.org", Template::OfferMade, "S".into(), "Words.".into(), None, at());
        assert_eq!(Email::of(&message, "https://x.test/").body, "Words.");
        let linked = message.linking("/offers/1".into());
        let email = Email::of(&linked, "https://x.test/");
        assert_eq!(email.body, "Words.\n\nhttps://x.test/offers/1");
        assert_eq!((email.id, email.to.as_str(), email.subject.as_str()), (linked.id, "a@example.org", "S"));
    }

    #[test]
    fn only_a_delivered_receipt_counts_as_delivered_and_only_a_permanent_one_blames_the_address() {
        for r in Receipt::ALL {
            assert_eq!(r.status() == DeliveryStatus::Delivered, *r == Receipt::Delivered);
            assert_eq!(r.address_fails(), *r == Receipt::PermanentFailure);
        }
    }
}
