//! The sandbox's transport: nothing leaves the machine. Each message counts as delivered at once,
//! and stays in the outbox for a test harness to read, except GOV.UK Notify's simulator addresses,
//! which fail as Notify documents so that harnesses can try failures.

use wex_domain::model::delivery::{AttemptOutcome, Email, SendResult};
use wex_domain::ports::Transport;

/// Fails for now every time: retried on the back-off schedule, then failed for good.
pub const TEMPORARY_FAILURE: &str = "temp-fail@simulator.notify";
/// Fails for good at once: never retried.
pub const PERMANENT_FAILURE: &str = "perm-fail@simulator.notify";

pub struct SandboxTransport;

impl Transport for SandboxTransport {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    fn send(&self, email: &Email) -> SendResult {
        match email.to.trim().to_ascii_lowercase().as_str() {
            TEMPORARY_FAILURE => SendResult::failed(AttemptOutcome::TemporaryFailure, "simulated temporary failure"),
            PERMANENT_FAILURE => SendResult::failed(AttemptOutcome::PermanentFailure, "simulated permanent failure"),
            _ => SendResult::ok(AttemptOutcome::Delivered),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to(address: &str) -> Email {
        Email { id: uuid::Uuid::nil(), to: address.to_string(), subject: "s".into(), body: "b".into() }
    }

    #[test]
    fn simulator_addresses_fail_as_notify_documents_and_the_rest_are_delivered() {
        assert_eq!(SandboxTransport.send(&to("Temp-Fail@simulator.notify")).outcome, AttemptOutcome::TemporaryFailure);
        assert_eq!(SandboxTransport.send(&to(PERMANENT_FAILURE)).outcome, AttemptOutcome::PermanentFailure);
        assert_eq!(SandboxTransport.send(&to("someone@example.org")).outcome, AttemptOutcome::Delivered);
    }
}
