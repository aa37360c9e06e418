//! SMTP, for deployments without GOV.UK Notify: the same words as plain text, sent with lettre.

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{Message, SmtpTransport as Lettre, Transport as _};
use std::time::Duration;
use wex_domain::model::delivery::{AttemptOutcome, Email, SendResult};
use wex_domain::ports::Transport;

pub struct SmtpTransport {
    mailer: Lettre,
    from: Mailbox,
}

impl SmtpTransport {
    /// `url` as lettre reads it: `smtp://host:port` (plain, for a local relay),
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS) or `smtps://user:pass@host:465`.
    /// Errors name the setting, never the URL (it may hold a password).
    pub fn new(url: &str, from: &str, timeout: Duration) -> Result<Self, String> {
        let mailer = Lettre::from_url(url)
            .map_err(|e| format!("WEX_SMTP_URL is not a usable SMTP URL: {}", redact(&e.to_string(), url)))?
            .timeout(Some(timeout))
            .build();
        let from = from.parse::<Mailbox>().map_err(|_| "WEX_EMAIL_FROM is not an email address".to_string())?;
        Ok(SmtpTransport { mailer, from })
    }
}

/// An error message with the URL taken out.
fn redact(message: &str, url: &str) -> String {
    message.replace(url, "(the URL)")
}

/// A `Message-ID` from the message's id, so that a retry of one message is recognisable.
fn message_id(email: &Email) -> String {
    format!("<{}@wex.invalid>", email.id)
}

impl Transport for SmtpTransport {
    fn name(&self) -> &'static str {
        "smtp"
    }

    fn send(&self, email: &Email) -> SendResult {
        let Ok(to) = email.to.parse::<Mailbox>() else {
            return SendResult::failed(AttemptOutcome::PermanentFailure, "invalid address");
        };
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&email.subject)
            .message_id(Some(message_id(email)))
            .header(ContentType::TEXT_PLAIN)
            .body(email.body.clone());
        let message = match message {
            Ok(m) => m,
            Err(e) => return SendResult::failed(AttemptOutcome::PermanentFailure, format!("cannot build: {e}")),
        };
        match self.mailer.send(&message) {
            Ok(_) => SendResult::ok(AttemptOutcome::Sent),
            // 5xx: the server refused it for good (an unknown mailbox, a policy).
            Err(e) if e.is_permanent() => {
                SendResult::failed(AttemptOutcome::PermanentFailure, format!("SMTP {}", status_of(&e)))
            }
            // 4xx, or no server, a timeout, a dropped connection: try again later.
            Err(e) if e.is_transient() => {
                SendResult::failed(AttemptOutcome::TemporaryFailure, format!("SMTP {}", status_of(&e)))
            }
            Err(e) => SendResult::failed(AttemptOutcome::TemporaryFailure, connection_kind(&e)),
        }
    }
}

/// The reply code only: the server's text may repeat the address.
fn status_of(e: &lettre::transport::smtp::Error) -> String {
    e.status().map_or_else(|| "error".to_string(), |code| code.to_string())
}

fn connection_kind(e: &lettre::transport::smtp::Error) -> String {
    if e.is_timeout() {
        "timeout".to_string()
    } else if e.is_tls() {
        "tls".to_string()
    } else {
        "connection".to_string()
    }
}
