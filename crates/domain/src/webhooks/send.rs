//! Posting queued deliveries: each signed afresh (its timestamp is the attempt's), under a lease so
//! that any number of workers never post one delivery at once, and its result recorded with an
//! event in one transaction.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::error::StoreError;
use crate::model::delivery::Lease;
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::model::webhook::{WebhookDeliveryStatus, after_post, signed_headers};
use crate::ports::{Store, WebhookSender};
use crate::unit_of_work::write;

/// How long a worker holds the deliveries it leased: far longer than a batch of posts takes.
pub const LEASE: Duration = Duration::minutes(10);

/// What one batch did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WebhookReport {
    pub delivered: usize,
    pub retrying: usize,
    pub failed: usize,
    /// Lost to another worker whose lease took over (after this one's ran out).
    pub lost: usize,
}

impl WebhookReport {
    pub fn taken(&self) -> usize {
        self.delivered + self.retrying + self.failed + self.lost
    }
}

/// Posts up to `limit` deliveries due at `clock()`.
pub fn deliver_webhooks(
    store: &dyn Store,
    sender: &dyn WebhookSender,
    clock: &dyn Fn() -> DateTime<Utc>,
    limit: u32,
) -> Result<WebhookReport, StoreError> {
    let now = clock();
    let lease = Lease { token: Uuid::new_v4(), until: now + LEASE };
    let mut report = WebhookReport::default();
    for (delivery, endpoint) in store.lease_deliveries(now, &lease, limit)? {
        let sent_at = clock();
        let id = delivery.id.to_string();
        let Some(headers) =
            signed_headers(&endpoint.signing_secrets(sent_at), &id, sent_at.timestamp(), &delivery.body)
        else {
            return Err(StoreError::Internal(format!("webhook {} has a secret that is not base64", endpoint.id)));
        };
        let result = sender.post(&endpoint.url, &headers, &delivery.body);
        let at = clock();
        let after = after_post(delivery.attempts, &result, at);
        let event = DomainEvent::change(
            Entity::WebhookDelivery,
            delivery.id,
            i64::from(delivery.attempts),
            Some(WebhookDeliveryStatus::Pending.code()),
            after.status.code(),
            EventActor::Platform,
            at,
        )
        .with("webhook_id", endpoint.id);
        let kept = write(store, |tx| -> Result<_, StoreError> {
            if !tx.record_post(delivery.id, &lease, &result, &after, at)? {
                return Ok(false);
            }
            let mut events = vec![event.clone()];
            if after.endpoint_gone {
                events.push(
                    DomainEvent::edit(
                        Entity::Webhook,
                        endpoint.id,
                        endpoint.version,
                        "disabled",
                        EventActor::Platform,
                        at,
                    )
                    .with("organisation_id", endpoint.organisation_id),
                );
            }
            tx.append_events(&events)?;
            Ok(true)
        })?;
        match (kept, after.status) {
            (false, _) => report.lost += 1,
            (true, WebhookDeliveryStatus::Delivered) => report.delivered += 1,
            (true, WebhookDeliveryStatus::Pending) => report.retrying += 1,
            (true, WebhookDeliveryStatus::Failed) => report.failed += 1,
        }
    }
    Ok(report)
}
