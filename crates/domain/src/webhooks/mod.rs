//! Webhooks: organisations register endpoints ([`manage`]); a dispatcher queues the change feed's
//! events for each ([`dispatch`]); a worker posts them, signed, with retries ([`send`]).

pub mod dispatch;
pub mod manage;
pub mod send;

pub use dispatch::dispatch_due;
pub use manage::{
    AddressPolicy, DeliveryError, RegisterError, WebhookError, WebhookInput, delete_webhook, deliveries, register,
    replay, webhooks,
};
pub use send::{WebhookReport, deliver_webhooks};
