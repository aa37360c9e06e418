//! The sandbox's test-data batches. Only the sandbox's test-data routes call this, and they exist
//! in sandbox mode only.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::StoreResult;
use crate::model::test_data::{DeletedCounts, TestBatch};

pub trait TestDataStore {
    /// Records a batch and the organisations and profiles it made.
    fn insert_test_batch(&self, batch: &TestBatch) -> StoreResult<()>;
    /// A batch, deleted or not (`NotFound` if it never existed).
    fn test_batch(&self, id: Uuid) -> StoreResult<TestBatch>;
    /// The ids of the batches not yet deleted, oldest first.
    fn live_test_batches(&self) -> StoreResult<Vec<Uuid>>;
    /// Deletes what these batches made and everything that depends on it: the organisations with
    /// their sites, departments, grants, team addresses, webhooks and placements (with every
    /// application to them, whoever made it), the profiles with their applications, links and
    /// equality answers, the messages about any of these, and their events. Marks the batches
    /// deleted at `now`. Counts what went.
    fn delete_test_batches(&self, ids: &[Uuid], now: DateTime<Utc>) -> StoreResult<DeletedCounts>;
}
