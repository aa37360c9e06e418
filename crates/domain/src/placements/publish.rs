use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::checks::{owned_placement, stale};
use crate::codes;
use crate::error::StoreError;
use crate::model::application::ChangedBy;
use crate::model::auth::Actor;
use crate::model::lottery::DrawSeed;
use crate::model::placement::Placement;
use crate::model::reference::PlacementStatus;
use crate::ports::Store;
use crate::unit_of_work::write;
use crate::use_case_error::{Invalid, NotFound};

crate::use_case_error! {
    /// Why a placement could not be published.
    pub enum PublishError {
        /// It is not a draft (published already, or later).
        NotADraft(()) = codes::NOT_A_DRAFT,
        /// It changed since the caller read it (`If-Match`).
        Stale(()) = codes::VERSION_MISMATCH,
        /// No such placement of an organisation the caller coordinates.
        NotFound(NotFound),
        /// It is not ready: the errors list what publishing needs.
        Invalid(Invalid),
        Store(StoreError),
    }
}

/// Publishes a draft: checks the publishing rules and commits to a fresh secret draw seed.
pub fn publish_placement(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
    expected_version: Option<i64>,
    seed: &DrawSeed,
    now: DateTime<Utc>,
) -> Result<Placement, PublishError> {
    let current = owned_placement::<PublishError>(store, actor, id)?;
    if stale(&current, expected_version) {
        return Err(PublishError::Stale(()));
    }
    if !current.status.movers(PlacementStatus::Published).contains(&ChangedBy::Coordinator) {
        return Err(PublishError::NotADraft(()));
    }
    let errors = current.details.publishing_errors(now);
    if !errors.is_empty() {
        return Err(Invalid(errors).into());
    }
    let (placement, event) = current.published(seed, now).map_err(|_| PublishError::NotADraft(()))?;
    write(store, |tx| -> Result<_, StoreError> {
        tx.publish_placement(&placement, current.version, seed)?;
        tx.append_events(std::slice::from_ref(&event))
    })?;
    Ok(placement)
}
