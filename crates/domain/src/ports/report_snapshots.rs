//! Reports frozen at the draw: what reports group an application by (user groups, care
//! experience, equality answers) copied once, so that later changes to a person's answers, or
//! their erasure, leave published counts as they were.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::StoreResult;

/// Freezes applications' characteristics for reports. Each call is one set-based statement per
/// table, never one per application (a draw can hold thousands of entries), and an application
/// frozen once is never frozen again: a second call changes nothing.
pub trait ReportSnapshotStore {
    /// Freezes every application of the placement not frozen yet, from the applicants' current
    /// profiles and equality answers; returns how many this call froze. The draw calls it in the
    /// unit of work that stores the draw.
    fn freeze_characteristics_of_placement(&self, placement_id: Uuid, now: DateTime<Utc>) -> StoreResult<u64>;
    /// Freezes every application of the profile not frozen yet (those of placements not drawn
    /// yet too); returns how many this call froze. Erasure calls it before it overwrites the
    /// person's answers, so that no count changes.
    fn freeze_characteristics_of_profile(&self, profile_id: Uuid, now: DateTime<Utc>) -> StoreResult<u64>;
}
