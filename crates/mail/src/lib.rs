//! Delivering wex's outbox: the transports (GOV.UK Notify, SMTP, the sandbox) and the worker that
//! sends with them. The words and the rules of delivery (back-off, leases, receipts) are the
//! domain's; this crate only speaks the protocols.

pub mod notify;
pub mod sandbox;
pub mod smtp;
pub mod worker;

pub use notify::{ApiKey, NotifyTransport};
pub use sandbox::SandboxTransport;
pub use smtp::SmtpTransport;
pub use worker::{ClockSource, Worker};
#[cfg(feature = "testing")]
pub mod testing;
