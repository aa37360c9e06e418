//! The checks several placement use cases share. Each returns any use case's error that can say
//! what it found (a missing placement, invalid fields, a store failure), so that `?` reads the same
//! in every use case.

use uuid::Uuid;

use crate::error::{FieldError, StoreError};
use crate::model::auth::Actor;
use crate::model::placement::{Placement, PlacementDetails};
use crate::ports::{OrganisationStore, PlacementStore};
use crate::use_case_error::{Invalid, NotFound};

/// Loads a placement the caller manages (`NotFound` for anyone else).
pub(super) fn owned_placement<E: From<NotFound> + From<StoreError>>(
    store: &dyn PlacementStore,
    actor: &Actor,
    id: Uuid,
) -> Result<Placement, E> {
    let placement = store.placement(id)?;
    actor.require_owner_of(placement.organisation_id)?;
    Ok(placement)
}

/// Whether the caller's `If-Match` version, if they sent one, is stale.
pub(super) fn stale(placement: &Placement, expected_version: Option<i64>) -> bool {
    expected_version.is_some_and(|v| v != placement.version)
}

/// The site and department a placement names must be its organisation's.
pub(super) fn check_references<E: From<Invalid> + From<StoreError>>(
    orgs: &dyn OrganisationStore,
    organisation_id: Uuid,
    details: &PlacementDetails,
) -> Result<(), E> {
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
    if errors.is_empty() { Ok(()) } else { Err(Invalid(errors).into()) }
}
