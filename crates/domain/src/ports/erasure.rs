//! What erasure needs beyond the other ports: whether someone still answers for other people's
//! profiles, and the overwriting itself, which the register of personal data drives.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::StoreResult;

pub trait ErasureStore {
    /// Whether `subject` manages a profile (one they created for someone, with consent) that is
    /// not erased.
    fn manages_profiles(&self, subject: &str) -> StoreResult<bool>;
    /// Whether the profile has been erased (its shell stays for reports and draws).
    fn is_erased(&self, profile_id: Uuid) -> StoreResult<bool>;
    /// Overwrites or deletes every personal field held about the profile and its applications,
    /// by the register's erasure rules (`subject` is the account's, if it has one: rows found by
    /// it go too), stops messages to them not yet sent, moves each changed row's version on and
    /// marks the profile erased at `now`. Call inside [`super::Store::atomically`], after
    /// everything that still reads those fields.
    fn erase_personal_data(&self, profile_id: Uuid, subject: Option<&str>, now: DateTime<Utc>) -> StoreResult<()>;
}
