//! Delivery receipts: what an email service reports once it has delivered a message or given up.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::StoreError;
use crate::model::delivery::{DeliveryStatus, Receipt};
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::ports::Store;
use crate::unit_of_work::write;

crate::use_case_error! {
    /// Why a receipt could not be recorded.
    pub enum ReceiptError {
        /// No message has this reference (`404 not_found`), or the database failed.
        Store(StoreError),
    }
}

/// Records a receipt for message `id`. Receipts are final and may arrive more than once: the
/// latest wins. A permanent failure marks the address as not working, which the applicant (and a
/// participant's coordinator) is shown.
pub fn record_receipt(store: &dyn Store, id: Uuid, receipt: Receipt, at: DateTime<Utc>) -> Result<(), ReceiptError> {
    write(store, |s| {
        let (was, attempts) = s.delivery_status(id)?;
        let status = receipt.status();
        let failure = (status == DeliveryStatus::Failed).then(|| receipt.code());
        s.record_receipt(id, status, failure, at)?;
        let event = DomainEvent::change(
            Entity::Message,
            id,
            i64::from(attempts),
            Some(was.code()),
            status.code(),
            EventActor::Platform,
            at,
        )
        .with_code("receipt", receipt.code());
        s.append_events(&[event])?;
        if receipt.address_fails()
            && let Some(profile_id) = s.notification(id)?.profile_id
        {
            super::unreachable::tell_teams(s, profile_id, at)?;
        }
        Ok(())
    })
}
