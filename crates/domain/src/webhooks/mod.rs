//! Webhooks: organisations register endpoints ([`manage`]); a dispatcher queues the change feed's
//! events for each ([`dispatch`]); a worker posts them, signed, with retries ([`send`]); a
//! coordinator rotates an endpoint's secret ([`rotate`]).

pub mod dispatch;
pub mod manage;
pub mod rotate;
pub mod send;

pub use dispatch::dispatch_due;
pub use manage::{
    AddressPolicy, DeliveryError, RegisterError, WebhookError, WebhookInput, delete_webhook, deliveries, register,
    replay, webhooks,
};
pub use rotate::{RotateError, rotate_secret};
pub use send::{WebhookReport, deliver_webhooks};
