//! Whether an applicant's email address works: the rule that flags an address that fails for
//! good, so that the applicant can correct it and their coordinator knows not to rely on it.
//!
//! Only the latest message to an applicant's own address that reached a final state counts, so
//! that a later delivery, or a new address, clears the flag without anyone having to.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::model::delivery::{AttemptOutcome, DeliveryStatus, Receipt};

/// What the applicant is told while their address does not work.
pub const EMAIL_PROBLEM_MESSAGE: &str = "We could not email you at this address. Check it is right, or give another.";

/// The latest message to an applicant's own address that reached a final state (sent, delivered
/// or failed), as the store returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettledMessage {
    pub profile_id: Uuid,
    pub recipient: String,
    pub status: DeliveryStatus,
    /// The stored failure: the attempt outcome's or the receipt's code first.
    pub failure: Option<String>,
    pub settled_at: DateTime<Utc>,
}

/// An address that could not be reached, and since when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmailProblem {
    pub since: DateTime<Utc>,
}

impl EmailProblem {
    pub fn message(&self) -> &'static str {
        EMAIL_PROBLEM_MESSAGE
    }
}

/// Whether a stored failure blames the address itself: a permanent failure from the transport or
/// a permanent-failure receipt. Seven temporary failures, or Notify's own technical failure, say
/// nothing about the address, so the applicant is not asked to change it.
fn blames_the_address(failure: &str) -> bool {
    let code = failure.split(':').next().unwrap_or_default().trim();
    code == AttemptOutcome::PermanentFailure.code() || Receipt::parse(code).is_some_and(Receipt::address_fails)
}

/// The problem with `current_email`, given the latest settled message to the applicant's own
/// address: only if that message failed because the address does not work, and was sent to the
/// address they have now (a new address has not failed yet).
pub fn email_problem(current_email: &str, latest: Option<&SettledMessage>) -> Option<EmailProblem> {
    let latest = latest?;
    let same_address = latest.recipient.trim().eq_ignore_ascii_case(current_email.trim());
    let address_fails =
        latest.status == DeliveryStatus::Failed && latest.failure.as_deref().is_some_and(blames_the_address);
    (same_address && address_fails).then_some(EmailProblem { since: latest.settled_at })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2027-03-01T09:00:00Z").map(|t| t.to_utc()).unwrap()
    }

    fn settled(status: DeliveryStatus, failure: Option<&str>) -> SettledMessage {
        SettledMessage {
            profile_id: Uuid::nil(),
            recipient: "jo@example.org".into(),
            status,
            failure: failure.map(str::to_string),
            settled_at: at(),
        }
    }

    #[test]
    fn a_permanent_failure_or_receipt_flags_the_address_since_it_failed() {
        for failure in ["permanent_failure: HTTP 400 BadRequestError", "permanent_failure", "permanent-failure"] {
            let latest = settled(DeliveryStatus::Failed, Some(failure));
            assert_eq!(email_problem("jo@example.org", Some(&latest)), Some(EmailProblem { since: at() }), "{failure}");
        }
    }

    #[test]
    fn temporary_and_technical_failures_do_not_blame_the_address() {
        for failure in
            ["temporary_failure: HTTP 503", "rate_limited: HTTP 429", "temporary-failure", "technical-failure"]
        {
            let latest = settled(DeliveryStatus::Failed, Some(failure));
            assert_eq!(email_problem("jo@example.org", Some(&latest)), None, "{failure}");
        }
    }

    #[test]
    fn a_later_delivery_or_nothing_settled_means_no_problem() {
        assert_eq!(email_problem("jo@example.org", None), None);
        assert_eq!(email_problem("jo@example.org", Some(&settled(DeliveryStatus::Delivered, None))), None);
        assert_eq!(email_problem("jo@example.org", Some(&settled(DeliveryStatus::Sent, None))), None);
    }

    #[test]
    fn a_changed_address_clears_it_and_case_does_not_matter() {
        let latest = settled(DeliveryStatus::Failed, Some("permanent_failure"));
        assert_eq!(email_problem("jo.new@example.org", Some(&latest)), None);
        assert!(email_problem("Jo@Example.org", Some(&latest)).is_some());
    }
}
