//! Webhook endpoints and their deliveries, and the port that posts them.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::StoreResult;
use crate::model::delivery::Lease;
use crate::model::page::{Page, PageRequest};
use crate::model::webhook::{AfterPost, PostResult, WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint};

pub trait WebhookStore {
    fn insert_endpoint(&self, endpoint: &WebhookEndpoint) -> StoreResult<()>;
    fn endpoint(&self, id: Uuid) -> StoreResult<WebhookEndpoint>;
    /// An organisation's endpoints, oldest first.
    fn endpoints_of(&self, organisation_id: Uuid) -> StoreResult<Vec<WebhookEndpoint>>;
    /// Stores `rotated`'s secret and previous secret and moves its version on, if its secret is
    /// still `replaced` (`VersionConflict`, and nothing written, if another rotation came first).
    fn rotate_secret(&self, rotated: &WebhookEndpoint, replaced: &str) -> StoreResult<()>;
    /// Removes the endpoint and its deliveries.
    fn delete_endpoint(&self, id: Uuid) -> StoreResult<()>;
    /// Active endpoints, at most `limit`, those queued longest ago first.
    fn active_endpoints(&self, limit: u32) -> StoreResult<Vec<WebhookEndpoint>>;
    /// Stores new deliveries and the endpoint's new cursor (version check): `VersionConflict` if
    /// another dispatcher moved it meanwhile, and then nothing is written.
    fn queue_deliveries(
        &self,
        endpoint: &WebhookEndpoint,
        expected_version: i64,
        deliveries: &[WebhookDelivery],
    ) -> StoreResult<()>;
    /// Leases up to `limit` pending deliveries due at `now` of active endpoints that no live lease
    /// holds, counting an attempt on each, with their endpoints. Safe with any number of workers.
    fn lease_deliveries(
        &self,
        now: DateTime<Utc>,
        lease: &Lease,
        limit: u32,
    ) -> StoreResult<Vec<(WebhookDelivery, WebhookEndpoint)>>;
    /// Records an attempt's result and ends the lease; false (nothing written) if the lease was
    /// lost. When `after.endpoint_gone`, the endpoint is disabled too.
    fn record_post(
        &self,
        delivery_id: Uuid,
        lease: &Lease,
        result: &PostResult,
        after: &AfterPost,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    fn delivery(&self, id: Uuid) -> StoreResult<WebhookDelivery>;
    /// An endpoint's deliveries in `status` (all when `None`), in id order.
    fn deliveries_of(
        &self,
        endpoint_id: Uuid,
        status: Option<WebhookDeliveryStatus>,
        page: &PageRequest<Uuid>,
    ) -> StoreResult<Page<WebhookDelivery, Uuid>>;
    /// Makes a delivery pending again, due at `now`, with its attempts counted afresh.
    fn replay_delivery(&self, id: Uuid, now: DateTime<Utc>) -> StoreResult<()>;
}

/// Posts a signed delivery. Blocking: the worker calls it on a thread of its own.
pub trait WebhookSender: Send + Sync {
    fn post(&self, url: &str, headers: &[(&'static str, String)], body: &str) -> PostResult;
}
