//! Sending through a real SMTP server: aiosmtpd (from PyPI) on a free loopback port (see
//! `wex_mail::testing::Smtpd`; skipped where it is not installed, unless WEX_TEST_REQUIRE_SMTP).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;
use uuid::Uuid;
use wex_domain::model::delivery::{AttemptOutcome, Email};
use wex_domain::ports::Transport;
use wex_mail::SmtpTransport;
use wex_mail::testing::{Smtpd, free_port};

fn email(to: &str) -> Email {
    Email {
        id: Uuid::new_v4(),
        to: to.to_string(),
        subject: "Place confirmed: Nursing".to_string(),
        body: "You have a place.\n\nhttps://wex.example/applications/1".to_string(),
    }
}

#[test]
fn a_message_reaches_the_smtp_server_with_its_words_and_id() {
    let Some(server) = Smtpd::start() else { return };
    let transport =
        SmtpTransport::new(&format!("smtp://127.0.0.1:{}", server.port), "wex@example.org", Duration::from_secs(5))
            .unwrap();
    let sent = email("applicant@example.org");
    assert_eq!(transport.send(&sent).outcome, AttemptOutcome::Sent);
    let mail = server.received();
    assert_eq!(mail.len(), 1);
    let m = &mail[0];
    assert!(m.contains("To: applicant@example.org"), "{m}");
    assert!(m.contains("From: wex@example.org"), "{m}");
    assert!(m.contains("Subject: Place confirmed: Nursing"), "{m}");
    assert!(m.contains(&format!("Message-ID: <{}@wex.invalid>", sent.id)), "{m}");
    assert!(m.contains("https://wex.example/applications/1"), "{m}");
}

#[test]
fn no_server_is_a_temporary_failure_and_a_bad_address_a_permanent_one() {
    let transport =
        SmtpTransport::new(&format!("smtp://127.0.0.1:{}", free_port()), "wex@example.org", Duration::from_secs(5))
            .unwrap();
    assert_eq!(transport.send(&email("a@example.org")).outcome, AttemptOutcome::TemporaryFailure);
    assert_eq!(transport.send(&email("not an address")).outcome, AttemptOutcome::PermanentFailure);
    assert!(SmtpTransport::new("smtp://127.0.0.1:25", "nobody", Duration::from_secs(5)).is_err());
}
