//! Delivering the outbox: the worker's batch ([`send`]) and what an email service reports
//! afterwards ([`receipts`]).

pub mod outbox;
pub mod reach;
pub mod receipts;
pub mod send;
pub mod unreachable;

pub use receipts::{ReceiptError, record_receipt};
pub use send::{DeliveryReport, LEASE, deliver_due};
