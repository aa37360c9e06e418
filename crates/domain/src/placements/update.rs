use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::checks::{check_references, owned_placement};
use crate::codes;
use crate::error::DomainError;
use crate::model::application::ChangedBy;
use crate::model::auth::Actor;
use crate::model::event::{DomainEvent, Entity};
use crate::model::placement::{Placement, PlacementDetails};
use crate::model::reference::PlacementStatus;
use crate::ports::Store;
use crate::unit_of_work::write;

/// A placement as its organisation's coordinators read it to change it (404 for everyone else).
pub fn placement_to_edit(store: &dyn Store, actor: &Actor, id: Uuid) -> Result<Placement, DomainError> {
    owned_placement(store, actor, id, None)
}

/// Replaces a placement's details. Drafts change freely within the rules; published placements
/// must stay publishable, and once open their eligibility, priority rules and dates are frozen.
pub fn update_placement(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
    expected_version: i64,
    details: PlacementDetails,
    now: DateTime<Utc>,
) -> Result<Placement, DomainError> {
    let current = owned_placement(store, actor, id, Some(expected_version))?;
    let details = details.checked()?;
    check_references(store, current.organisation_id, &details)?;
    match current.status_at(now) {
        PlacementStatus::Draft => {}
        PlacementStatus::Published => {
            if now >= current.details.opens_at {
                let frozen = current.details.frozen_changes(&details);
                if !frozen.is_empty() {
                    return Err(DomainError::Rule {
                        code: &codes::FROZEN_ONCE_OPEN,
                        message: "Applications have opened, so eligibility, priority rules, selection method, questions and all dates are fixed."
                            .to_string(),
                        errors: frozen,
                    });
                }
            }
            let errors = details.publishing_errors(now);
            if !errors.is_empty() {
                return Err(DomainError::Invalid(errors));
            }
        }
        other => {
            return Err(DomainError::rule(
                &codes::PLACEMENT_NOT_EDITABLE,
                format!("A placement that is {other} can no longer be edited."),
            ));
        }
    }
    let (version, event) =
        DomainEvent::edited(Entity::Placement, id, current.version, "updated", ChangedBy::Coordinator, now);
    let event = event.with("organisation_id", current.organisation_id);
    let placement = Placement { details, version, updated_at: now, ..current };
    write(store, |tx| -> Result<_, DomainError> {
        tx.update_placement(&placement, expected_version)?;
        Ok(tx.append_events(&[event])?)
    })?;
    Ok(placement)
}
