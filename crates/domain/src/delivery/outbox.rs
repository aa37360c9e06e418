//! The outbox as the sandbox shows it: each message with where its delivery stands.

use uuid::Uuid;

use crate::error::StoreError;
use crate::model::delivery::{Delivery, DeliveryStatus};
use crate::model::notification::Notification;
use crate::model::page::{Page, PageRequest};
use crate::ports::Store;
use crate::unit_of_work::read;

/// A page of the outbox, oldest first, each message with its delivery state and attempts.
pub fn outbox(store: &dyn Store, page: &PageRequest<Uuid>) -> Result<Page<(Notification, Delivery), Uuid>, StoreError> {
    read(store, |s| {
        let messages = s.notifications(page)?;
        let ids: Vec<Uuid> = messages.items.iter().map(|m| m.id).collect();
        let mut deliveries = s.deliveries(&ids)?;
        Ok(messages.map(|m| {
            let delivery = deliveries.iter().position(|d| d.message_id == m.id).map_or_else(
                // Both come from one row of one table, so this cannot happen; pending is the
                // honest answer if it did.
                || Delivery {
                    message_id: m.id,
                    status: DeliveryStatus::Pending,
                    next_attempt_at: None,
                    failure: None,
                    attempts: Vec::new(),
                },
                |i| deliveries.swap_remove(i),
            );
            (m, delivery)
        }))
    })
}
