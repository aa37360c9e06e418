//! What readiness needs from storage: each accepted place's checklist items, and the placements
//! due for the team's reminder about participants not ready.

use chrono::NaiveDate;
use uuid::Uuid;

use super::StoreResult;
use crate::model::placement::Placement;
use crate::model::readiness::ItemRecord;

pub trait ReadinessStore {
    /// The stored items of these applications, in (application, item) order.
    fn readiness_items(&self, application_ids: &[Uuid]) -> StoreResult<Vec<ItemRecord>>;
    /// Creates or replaces the application's record of the item.
    fn put_readiness_item(&self, record: &ItemRecord) -> StoreResult<()>;
    /// Placements not cancelled that start from `from` to `to` (inclusive) and have had no
    /// reminder of `kind`, at most `limit`, earliest start first.
    fn starting_unreminded(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        kind: &str,
        limit: u32,
    ) -> StoreResult<Vec<Placement>>;
}
