use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::checks::owned_placement;
use crate::error::DomainError;
use crate::model::auth::Actor;
use crate::model::lottery::DrawSeed;
use crate::model::placement::Placement;
use crate::model::reference::PlacementStatus;
use crate::ports::PlacementStore;

/// Publishes a draft: checks the publishing rules and commits to a fresh secret draw seed.
pub fn publish_placement(
    store: &dyn PlacementStore,
    actor: &Actor,
    id: Uuid,
    expected_version: Option<i64>,
    seed: &DrawSeed,
    now: DateTime<Utc>,
) -> Result<Placement, DomainError> {
    let current = owned_placement(store, actor, id, expected_version)?;
    if current.status != PlacementStatus::Draft {
        return Err(DomainError::conflict("not_a_draft", "Only a draft can be published."));
    }
    let errors = current.details.publishing_errors(now);
    if !errors.is_empty() {
        return Err(DomainError::Invalid(errors));
    }
    let version = current.version;
    let placement = current.published(seed, now);
    store.publish_placement(&placement, version, seed)?;
    Ok(placement)
}
