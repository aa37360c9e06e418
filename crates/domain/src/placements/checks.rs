//! The checks several placement use cases share.

use uuid::Uuid;

use crate::error::{DomainError, FieldError, StoreError};
use crate::model::auth::Actor;
use crate::model::placement::{Placement, PlacementDetails};
use crate::ports::{OrganisationStore, PlacementStore};

/// Loads a placement the caller manages, with its version checked against `If-Match`.
pub(super) fn owned_placement(
    store: &dyn PlacementStore,
    actor: &Actor,
    id: Uuid,
    expected_version: Option<i64>,
) -> Result<Placement, DomainError> {
    let placement = store.placement(id)?;
    actor.require_owner_of(placement.organisation_id)?;
    if expected_version.is_some_and(|v| v != placement.version) {
        return Err(DomainError::PreconditionFailed);
    }
    Ok(placement)
}

pub(super) fn check_references(
    orgs: &dyn OrganisationStore,
    organisation_id: Uuid,
    details: &PlacementDetails,
) -> Result<(), DomainError> {
    let mut errors = Vec::new();
    if let Some(e) = crate::organisations::check_site_of(orgs, organisation_id, details.site_id, "/site_id")? {
        errors.push(e);
    }
    if let Some(department_id) = details.department_id {
        match orgs.department(department_id) {
            Ok(d) if d.organisation_id == organisation_id => {}
            Ok(_) | Err(StoreError::NotFound) => errors.push(FieldError::new(
                "/department_id",
                "unknown_department",
                "There is no department with this id in your organisation.",
            )),
            Err(e) => return Err(e.into()),
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(DomainError::Invalid(errors)) }
}
