//! What wex sends out: the outbox's email through its transports (GOV.UK Notify, SMTP, the sandbox)
//! and webhook deliveries over HTTP, each with the worker that sends them. The words and the rules of delivery (back-off, leases, receipts) are the
//! domain's; this crate only speaks the protocols.

pub mod notify;
pub mod sandbox;
pub mod smtp;
pub mod webhooks;
pub mod worker;

pub use notify::{ApiKey, NotifyTransport};
pub use sandbox::SandboxTransport;
pub use smtp::SmtpTransport;
pub use webhooks::{HttpWebhookSender, WebhookWorker};
pub use worker::{ClockSource, Worker};
#[cfg(feature = "testing")]
pub mod receiver;
#[cfg(feature = "testing")]
pub mod testing;
