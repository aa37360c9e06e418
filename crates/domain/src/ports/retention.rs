//! What retention needs from storage: set-based purges of what has expired, bounded per call, and
//! the accounts due for a warning or for erasure. The domain decides what expires and when; the
//! store only finds the rows and overwrites or deletes them.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::StoreResult;
use crate::model::profile::Profile;

/// What a retention purge overwrites, blanks or deletes. Each names one statement; every one
/// leaves alone the rows it has already purged, so running it again changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purge {
    /// Applications to placements that ended before the date: their answers become an empty list.
    ApplicationAnswers(NaiveDate),
    /// Supporting information on those applications: its text becomes [`REMOVED`].
    SupportingInformation(NaiveDate),
    /// The reasons typed into those applications' histories become null.
    HistoryReasons(NaiveDate),
    /// Applicants' feedback comments on those applications become null (the survey's answers stay).
    FeedbackComments(NaiveDate),
    /// Readiness items of those applications: the emergency contact's and consent-giver's name,
    /// relationship and phone, and override reasons, become null (the items stay done).
    ReadinessDetails(NaiveDate),
    /// Hosts' feedback comments on placements that ended before the date become null.
    HostComments(NaiveDate),
    /// T-level reviews of those applications: the supervisor's comments and the student's
    /// reflection become [`REMOVED`] (the stage and whether on track stay).
    TLevelReviews(NaiveDate),
    /// T-level agreements of those applications: their objectives become [`REMOVED`].
    TLevelObjectives(NaiveDate),
    /// Settled messages about those applications: recipient, subject and body become [`REMOVED`],
    /// the failure reason null.
    ApplicationMessages(NaiveDate),
    /// Messages settled (sent, delivered or failed) before the time: as above.
    SettledMessages(DateTime<Utc>),
    /// The providers' answers (`delivery_attempts.detail`) about messages settled before the time
    /// become null.
    DeliveryDetails(DateTime<Utc>),
    /// Audit entries written before the time are deleted.
    AuditEntries(DateTime<Utc>),
}

/// What an overwritten text reads afterwards: plainly removed, not blank, so that nobody mistakes
/// it for something the person left empty.
pub const REMOVED: &str = "[removed under the retention policy]";

pub trait RetentionStore {
    /// Purges up to `limit` rows (the first by id) that `purge` names and that are not purged
    /// already, in one statement; returns how many it changed.
    fn purge(&self, purge: Purge, limit: u32) -> StoreResult<u64>;
    /// Up to `limit` profiles of their own (not managed by an advocate) not used since
    /// `inactive_since`, and not warned since they were last used, in id order.
    fn accounts_to_warn(&self, inactive_since: DateTime<Utc>, limit: u32) -> StoreResult<Vec<Profile>>;
    /// Records that these profiles' holders were warned at `now`.
    fn mark_warned(&self, profile_ids: &[Uuid], now: DateTime<Utc>) -> StoreResult<()>;
    /// Up to `limit` profiles, after `after` in id order, warned before `warned_before` and not
    /// used since their warning.
    fn accounts_due_for_erasure(
        &self,
        warned_before: DateTime<Utc>,
        after: Option<Uuid>,
        limit: u32,
    ) -> StoreResult<Vec<Uuid>>;
    /// When the subject's own profile was last used: `None` when the subject has no profile.
    fn last_active(&self, subject: &str) -> StoreResult<Option<DateTime<Utc>>>;
    /// Records that the subject's own profile was used at `now`.
    fn record_activity(&self, subject: &str, now: DateTime<Utc>) -> StoreResult<()>;
}
