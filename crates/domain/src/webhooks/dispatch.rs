//! Queuing the change feed's events for each active endpoint: its organisation's events of the
//! types it wants, after its cursor, each as a delivery with a fixed body, and the cursor moved on,
//! in one transaction. Several dispatchers at once are safe: the cursor's version lets one win.

use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

use crate::error::StoreError;
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::model::feed::{EventType, FeedItem, FeedQuery, FeedScope};
use crate::model::webhook::{WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint};
use crate::ports::Store;
use crate::unit_of_work::write;

/// Events queued for one endpoint at a time; the next run takes the rest.
const EVENTS: u32 = 100;

/// The body of a delivery, as the Standard Webhooks specification suggests: the type, when, and
/// the event's ids with the link an organisation reads it at.
pub fn body(item: &FeedItem) -> String {
    json!({
        "type": item.event_type.code(),
        "timestamp": item.occurred_at,
        "data": {
            "event_id": item.id,
            "sequence": item.position.seq,
            "placement_id": item.placement_id,
            "application_id": item.application_id,
            "offer_id": item.offer_id,
            "link": item.link(false),
        }
    })
    .to_string()
}

fn queued(endpoint: &WebhookEndpoint, item: &FeedItem, now: DateTime<Utc>) -> WebhookDelivery {
    WebhookDelivery {
        id: Uuid::now_v7(),
        endpoint_id: endpoint.id,
        event_id: item.id,
        event_type: item.event_type,
        body: body(item),
        status: WebhookDeliveryStatus::Pending,
        attempts: 0,
        next_attempt_at: Some(now),
        last_status: None,
        last_error: None,
        created_at: now,
    }
}

/// Queues what is new for up to `limit` endpoints. Returns how many deliveries were queued.
pub fn dispatch_due(store: &dyn Store, now: DateTime<Utc>, limit: u32) -> Result<usize, StoreError> {
    let mut queued_in_all = 0;
    for endpoint in store.active_endpoints(limit)? {
        let kinds = EventType::kinds(&endpoint.event_types);
        if kinds.is_empty() {
            continue;
        }
        let scope = FeedScope::Organisations(vec![endpoint.organisation_id]);
        let rows = store.feed(&FeedQuery { after: endpoint.cursor, limit: EVENTS, kinds, scope })?;
        let Some((last, _)) = rows.last() else { continue };
        let deliveries: Vec<WebhookDelivery> = rows
            .iter()
            .filter_map(|(position, event)| FeedItem::of(*position, event))
            .map(|item| queued(&endpoint, &item, now))
            .collect();
        let moved = WebhookEndpoint { cursor: *last, version: endpoint.version + 1, ..endpoint.clone() };
        let events: Vec<DomainEvent> = deliveries
            .iter()
            .map(|d| {
                DomainEvent::change(Entity::WebhookDelivery, d.id, 1, None, d.status.code(), EventActor::Platform, now)
                    .with("webhook_id", endpoint.id)
            })
            .collect();
        let stored = write(store, |tx| -> Result<_, StoreError> {
            tx.queue_deliveries(&moved, endpoint.version, &deliveries)?;
            tx.append_events(&events)
        });
        match stored {
            Ok(()) => queued_in_all += deliveries.len(),
            // Another dispatcher queued them first.
            Err(StoreError::VersionConflict) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(queued_in_all)
}
