use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::checks::{check_references, owned_placement};
use crate::error::DomainError;
use crate::model::auth::Actor;
use crate::model::placement::{Placement, PlacementDetails};
use crate::model::reference::PlacementStatus;
use crate::ports::{OrganisationStore, PlacementStore};

/// Replaces a placement's details. Drafts change freely within the rules; published placements
/// must stay publishable, and once open their eligibility, priority rules and dates are frozen.
pub fn update_placement(
    orgs: &dyn OrganisationStore,
    store: &dyn PlacementStore,
    actor: &Actor,
    id: Uuid,
    expected_version: i64,
    details: PlacementDetails,
    now: DateTime<Utc>,
) -> Result<Placement, DomainError> {
    let current = owned_placement(store, actor, id, Some(expected_version))?;
    let details = details.checked()?;
    check_references(orgs, current.organisation_id, &details)?;
    match current.status_at(now) {
        PlacementStatus::Draft => {}
        PlacementStatus::Published => {
            if now >= current.details.opens_at {
                let frozen = current.details.frozen_changes(&details);
                if !frozen.is_empty() {
                    return Err(DomainError::Conflict {
                        code: "frozen_once_open",
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
            return Err(DomainError::conflict(
                "placement_not_editable",
                format!("A placement that is {other} can no longer be edited."),
            ));
        }
    }
    let placement = Placement { details, version: current.version + 1, updated_at: now, ..current };
    store.update_placement(&placement, expected_version)?;
    Ok(placement)
}
