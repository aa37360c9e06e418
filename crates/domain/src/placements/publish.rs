use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::checks::owned_placement;
use crate::codes;
use crate::error::DomainError;
use crate::model::application::ChangedBy;
use crate::model::auth::Actor;
use crate::model::lottery::DrawSeed;
use crate::model::placement::Placement;
use crate::model::reference::PlacementStatus;
use crate::ports::Store;
use crate::unit_of_work::write;

/// Publishes a draft: checks the publishing rules and commits to a fresh secret draw seed.
pub fn publish_placement(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
    expected_version: Option<i64>,
    seed: &DrawSeed,
    now: DateTime<Utc>,
) -> Result<Placement, DomainError> {
    let current = owned_placement(store, actor, id, expected_version)?;
    let not_a_draft = || DomainError::rule(&codes::NOT_A_DRAFT, "Only a draft can be published.");
    if !current.status.movers(PlacementStatus::Published).contains(&ChangedBy::Coordinator) {
        return Err(not_a_draft());
    }
    let errors = current.details.publishing_errors(now);
    if !errors.is_empty() {
        return Err(DomainError::Invalid(errors));
    }
    let (placement, event) = current.published(seed, now).map_err(|_| not_a_draft())?;
    write(store, |tx| -> Result<_, DomainError> {
        tx.publish_placement(&placement, current.version, seed)?;
        Ok(tx.append_events(std::slice::from_ref(&event))?)
    })?;
    Ok(placement)
}
