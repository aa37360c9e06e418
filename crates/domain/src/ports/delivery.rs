//! The outbox as the delivery worker sees it, what is due for a reminder, and the transports that
//! send email.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::StoreResult;
use crate::model::application::{Application, ApplicationStatus};
use crate::model::delivery::{AfterAttempt, Attempt, Delivery, DeliveryStatus, Email, Lease, Leased, SendResult};
use crate::model::offer::Offer;

/// The outbox as the delivery worker sees it, and the clock every process shares.
pub trait DeliveryStore {
    /// Leases up to `limit` pending messages due at `now` that no live lease holds, oldest due
    /// first, counting an attempt on each. Atomic, and safe with any number of workers at once:
    /// two never lease one message while the lease lasts.
    fn lease_due(&self, now: DateTime<Utc>, lease: &Lease, limit: u32) -> StoreResult<Vec<Leased>>;
    /// Records an attempt and the state it leaves the message in, and ends the lease; false (and
    /// nothing written) if the lease was lost to another worker meanwhile.
    fn record_attempt(&self, attempt: &Attempt, lease: &Lease, after: &AfterAttempt) -> StoreResult<bool>;
    /// Gives leased messages back unsent, their attempt not used, for the next run.
    fn release(&self, ids: &[Uuid], lease: &Lease) -> StoreResult<()>;
    /// A message's status, for a receipt to move on.
    fn delivery_status(&self, id: Uuid) -> StoreResult<(DeliveryStatus, u32)>;
    /// Stores what a receipt says.
    fn record_receipt(
        &self,
        id: Uuid,
        status: DeliveryStatus,
        failure: Option<&str>,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Delivery state and attempts of these messages.
    fn deliveries(&self, ids: &[Uuid]) -> StoreResult<Vec<Delivery>>;
    /// For each of these profiles that has one, the latest message to the applicant's own address
    /// that reached a final state (sent, delivered or failed). One query however many profiles.
    fn latest_settled_to_profiles(&self, profile_ids: &[Uuid])
    -> StoreResult<Vec<crate::model::reach::SettledMessage>>;
    /// Records that the reminder of this kind about this application or offer was sent; false if
    /// it already had been.
    fn claim_reminder(&self, kind: &str, subject_id: Uuid, now: DateTime<Utc>) -> StoreResult<bool>;
    /// Applications in one of `statuses` whose placement starts from `from` to `to` (inclusive)
    /// and that have had no reminder of `kind`, at most `limit`.
    fn due_for_start_reminder(
        &self,
        statuses: &[ApplicationStatus],
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        kind: &str,
        limit: u32,
    ) -> StoreResult<Vec<Application>>;
    /// Offers in one of `statuses` whose `respond_by` is after `from` and no later than `to`, that
    /// have had no reminder of `kind`, at most `limit`.
    fn due_for_offer_reminder(
        &self,
        statuses: &[crate::model::offer::OfferStatus],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        kind: &str,
        limit: u32,
    ) -> StoreResult<Vec<Offer>>;
    /// Placements chosen by `method` whose stored status is one of `statuses` (as
    /// [`crate::model::reference::PlacementStatus::stored_forms`] gives them for `now`), whose
    /// outcome is promised within `window` (both days included), that have had no reminder of `kind`,
    /// at most `limit`.
    #[allow(clippy::too_many_arguments)]
    fn due_for_outcome_reminder(
        &self,
        statuses: &[crate::model::reference::PlacementStatus],
        method: crate::model::reference::SelectionMethod,
        window: (chrono::NaiveDate, chrono::NaiveDate),
        now: DateTime<Utc>,
        kind: &str,
        limit: u32,
    ) -> StoreResult<Vec<crate::model::placement::Placement>>;
    /// The sandbox clock's offset from real time, in microseconds (0 when never set).
    fn clock_offset(&self) -> StoreResult<i64>;
    fn set_clock_offset(&self, micros: i64) -> StoreResult<()>;
}

/// Something that sends email: GOV.UK Notify, an SMTP server, or the sandbox. Blocking: the worker
/// calls it on a thread of its own, never on a request's.
pub trait Transport: Send + Sync {
    /// `notify`, `smtp` or `sandbox`, as attempts record it.
    fn name(&self) -> &'static str;
    /// Sends one email, saying how it went. Never logs the address or the words.
    fn send(&self, email: &Email) -> SendResult;
}
