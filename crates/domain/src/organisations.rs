//! Organisations, their sites and their host departments: who may create and change them.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::codes;
use crate::error::{DomainError, FieldError, StoreError};
use crate::model::auth::Actor;
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::model::organisation::{Department, DepartmentInput, Organisation, OrganisationInput, Site, SiteInput};
use crate::ports::{OrganisationStore, Store};
use crate::unit_of_work::write;

fn ods_taken(e: StoreError) -> DomainError {
    match e {
        StoreError::Duplicate => DomainError::Rule {
            code: &codes::ODS_CODE_TAKEN,
            message: "Another organisation already has this ODS code.".to_string(),
            errors: vec![FieldError::new(
                "/ods_code",
                "ods_code_taken",
                "Another organisation already has this ODS code.",
            )],
        },
        other => other.into(),
    }
}

fn check_version(current: i64, expected: i64) -> Result<(), DomainError> {
    if current == expected { Ok(()) } else { Err(DomainError::PreconditionFailed) }
}

/// Admins create organisations.
pub fn create_organisation(
    store: &dyn Store,
    actor: &Actor,
    input: OrganisationInput,
    now: DateTime<Utc>,
) -> Result<Organisation, DomainError> {
    actor.require_admin()?;
    let id = Uuid::now_v7();
    let (version, event) = DomainEvent::created(Entity::Organisation, id, "created", EventActor::Admin, now);
    let org = Organisation { id, input: input.checked()?, version, created_at: now, updated_at: now };
    write(store, |tx| -> Result<_, DomainError> {
        tx.insert_organisation(&org).map_err(ods_taken)?;
        Ok(tx.append_events(&[event])?)
    })?;
    Ok(org)
}

/// Admins change organisations; `expected_version` comes from `If-Match`.
pub fn update_organisation(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
    expected_version: i64,
    input: OrganisationInput,
    now: DateTime<Utc>,
) -> Result<Organisation, DomainError> {
    actor.require_admin()?;
    let current = store.organisation(id)?;
    check_version(current.version, expected_version)?;
    let (version, event) =
        DomainEvent::edited(Entity::Organisation, id, current.version, "updated", EventActor::Admin, now);
    let org = Organisation { input: input.checked()?, version, updated_at: now, ..current };
    write(store, |tx| -> Result<_, DomainError> {
        tx.update_organisation(&org, expected_version).map_err(ods_taken)?;
        Ok(tx.append_events(&[event])?)
    })?;
    Ok(org)
}

/// Checks that a site named by an input belongs to the organisation; otherwise the field is invalid
/// (the caller is not told whether it exists elsewhere).
pub fn check_site_of(
    store: &dyn OrganisationStore,
    organisation_id: Uuid,
    site_id: Option<Uuid>,
    field: &str,
) -> Result<Option<FieldError>, DomainError> {
    let Some(site_id) = site_id else { return Ok(None) };
    match store.site(site_id) {
        Ok(site) if site.organisation_id == organisation_id => Ok(None),
        Ok(_) | Err(StoreError::NotFound) => {
            Ok(Some(FieldError::new(field, "unknown_site", "There is no site with this id in your organisation.")))
        }
        Err(e) => Err(e.into()),
    }
}

/// Coordinators of the organisation create its sites.
pub fn create_site(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    input: SiteInput,
    now: DateTime<Utc>,
) -> Result<Site, DomainError> {
    store.organisation(organisation_id)?;
    actor.require_coordinator_of(organisation_id)?;
    let id = Uuid::now_v7();
    let (version, event) = DomainEvent::created(Entity::Site, id, "created", EventActor::Coordinator, now);
    let site = Site { id, organisation_id, input: input.checked()?, version, created_at: now, updated_at: now };
    let event = event.with("organisation_id", organisation_id);
    write(store, |tx| -> Result<_, DomainError> {
        tx.insert_site(&site)?;
        Ok(tx.append_events(&[event])?)
    })?;
    Ok(site)
}

pub fn update_site(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
    expected_version: i64,
    input: SiteInput,
    now: DateTime<Utc>,
) -> Result<Site, DomainError> {
    let current = store.site(id)?;
    actor.require_owner_of(current.organisation_id)?;
    check_version(current.version, expected_version)?;
    let (version, event) =
        DomainEvent::edited(Entity::Site, id, current.version, "updated", EventActor::Coordinator, now);
    let event = event.with("organisation_id", current.organisation_id);
    let site = Site { input: input.checked()?, version, updated_at: now, ..current };
    write(store, |tx| -> Result<_, DomainError> {
        tx.update_site(&site, expected_version)?;
        Ok(tx.append_events(&[event])?)
    })?;
    Ok(site)
}

fn checked_department(
    store: &dyn OrganisationStore,
    organisation_id: Uuid,
    input: DepartmentInput,
) -> Result<DepartmentInput, DomainError> {
    let input = input.checked()?;
    if let Some(e) = check_site_of(store, organisation_id, input.site_id, "/site_id")? {
        return Err(DomainError::Invalid(vec![e]));
    }
    Ok(input)
}

/// Coordinators of the organisation create its host departments.
pub fn create_department(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    input: DepartmentInput,
    now: DateTime<Utc>,
) -> Result<Department, DomainError> {
    store.organisation(organisation_id)?;
    actor.require_coordinator_of(organisation_id)?;
    let input = checked_department(store, organisation_id, input)?;
    let id = Uuid::now_v7();
    let (version, event) = DomainEvent::created(Entity::Department, id, "created", EventActor::Coordinator, now);
    let event = event.with("organisation_id", organisation_id);
    let department = Department { id, organisation_id, input, version, created_at: now, updated_at: now };
    write(store, |tx| -> Result<_, DomainError> {
        tx.insert_department(&department)?;
        Ok(tx.append_events(&[event])?)
    })?;
    Ok(department)
}

pub fn update_department(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
    expected_version: i64,
    input: DepartmentInput,
    now: DateTime<Utc>,
) -> Result<Department, DomainError> {
    let current = store.department(id)?;
    actor.require_owner_of(current.organisation_id)?;
    check_version(current.version, expected_version)?;
    let input = checked_department(store, current.organisation_id, input)?;
    let (version, event) =
        DomainEvent::edited(Entity::Department, id, current.version, "updated", EventActor::Coordinator, now);
    let event = event.with("organisation_id", current.organisation_id);
    let department = Department { input, version, updated_at: now, ..current };
    write(store, |tx| -> Result<_, DomainError> {
        tx.update_department(&department, expected_version)?;
        Ok(tx.append_events(&[event])?)
    })?;
    Ok(department)
}

/// An organisation as an admin reads it to change it (a merge patch starts from it).
pub fn organisation_to_edit(
    store: &dyn OrganisationStore,
    actor: &Actor,
    id: Uuid,
) -> Result<Organisation, DomainError> {
    actor.require_admin()?;
    Ok(store.organisation(id)?)
}

/// A site as its organisation's coordinators read it to change it (404 for everyone else).
pub fn site_to_edit(store: &dyn OrganisationStore, actor: &Actor, id: Uuid) -> Result<Site, DomainError> {
    let site = store.site(id)?;
    actor.require_owner_of(site.organisation_id)?;
    Ok(site)
}

/// A department as its organisation's coordinators read it to change it (404 for everyone else).
pub fn department_to_edit(store: &dyn OrganisationStore, actor: &Actor, id: Uuid) -> Result<Department, DomainError> {
    let department = store.department(id)?;
    actor.require_owner_of(department.organisation_id)?;
    Ok(department)
}
