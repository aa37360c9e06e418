//! What T-level placements need from storage: agreements, hours logs and reviews.

use uuid::Uuid;

use super::StoreResult;
use crate::model::t_level::{Agreement, HoursEntry, Review};

pub trait TLevelStore {
    /// The agreement of an application's place, if one was recorded.
    fn t_level_agreement(&self, application_id: Uuid) -> StoreResult<Option<Agreement>>;
    /// Every agreement for the student's places, oldest first.
    fn t_level_agreements_of_profile(&self, profile_id: Uuid) -> StoreResult<Vec<Agreement>>;
    /// `Duplicate` when the application has one already.
    fn insert_t_level_agreement(&self, agreement: &Agreement) -> StoreResult<()>;
    /// `VersionConflict` when it changed since `expected_version`.
    fn update_t_level_agreement(&self, agreement: &Agreement, expected_version: i64) -> StoreResult<()>;
    /// The student's logged days on all their T-level places, by day.
    fn t_level_hours_of_profile(&self, profile_id: Uuid) -> StoreResult<Vec<HoursEntry>>;
    /// Stores a new day's entry (`expected_version` `None`; `Duplicate` when the day has one) or
    /// a correction replacing it (`VersionConflict` when it changed meanwhile).
    fn put_t_level_hours(&self, entry: &HoursEntry, expected_version: Option<i64>) -> StoreResult<()>;
    /// The application's reviews, mid-point first.
    fn t_level_reviews(&self, application_id: Uuid) -> StoreResult<Vec<Review>>;
    /// `Duplicate` when the stage has been reviewed already.
    fn insert_t_level_review(&self, review: &Review) -> StoreResult<()>;
    /// `VersionConflict` when it changed meanwhile.
    fn update_t_level_review(&self, review: &Review, expected_version: i64) -> StoreResult<()>;
}
