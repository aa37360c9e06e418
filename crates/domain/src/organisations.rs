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
use crate::use_case_error::{Invalid, NotFound, UseCaseError};

crate::use_case_error! {
    /// Why an organisation could not be created.
    pub enum CreateOrganisationError {
        /// Only platform admins create organisations.
        NotAdmin(()) = codes::ADMIN_ROLE_REQUIRED,
        /// Another organisation has its ODS code (the errors point at `/ods_code`).
        OdsCodeTaken(Vec<FieldError>) = codes::ODS_CODE_TAKEN,
        Invalid(Invalid),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why an organisation could not be changed.
    pub enum UpdateOrganisationError {
        /// Only platform admins change organisations.
        NotAdmin(()) = codes::ADMIN_ROLE_REQUIRED,
        /// Another organisation has its ODS code (the errors point at `/ods_code`).
        OdsCodeTaken(Vec<FieldError>) = codes::ODS_CODE_TAKEN,
        /// It changed since the caller read it.
        Stale(()) = codes::VERSION_MISMATCH,
        Invalid(Invalid),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why an organisation could not be read to change it.
    pub enum OrganisationToEditError {
        /// Only platform admins change organisations.
        NotAdmin(()) = codes::ADMIN_ROLE_REQUIRED,
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why a site or a department could not be created: the organisation is missing, or the caller
    /// does not coordinate it.
    pub enum CreateInOrganisationError {
        /// The organisation is public, so a caller who does not coordinate it is told so.
        NotCoordinator(()) = codes::COORDINATOR_ROLE_REQUIRED,
        Invalid(Invalid),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why a site or a department could not be changed.
    pub enum UpdateInOrganisationError {
        /// No such object of an organisation the caller coordinates.
        NotFound(NotFound),
        /// It changed since the caller read it.
        Stale(()) = codes::VERSION_MISMATCH,
        Invalid(Invalid),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why a site or a department could not be read to change it.
    pub enum ToEditError {
        /// No such object of an organisation the caller coordinates.
        NotFound(NotFound),
        Store(StoreError),
    }
}

impl From<ToEditError> for UpdateInOrganisationError {
    fn from(e: ToEditError) -> Self {
        match e {
            ToEditError::NotFound(e) => e.into(),
            ToEditError::Store(e) => e.into(),
        }
    }
}

/// The ODS code is an organisation's only unique field, so a broken uniqueness rule is about it.
fn ods_code_taken() -> Vec<FieldError> {
    vec![FieldError::new("/ods_code", codes::ODS_CODE_TAKEN.code, codes::ODS_CODE_TAKEN.detail)]
}

/// The model's checks of an input fail only as invalid fields.
fn checked<T>(checked: Result<T, DomainError>) -> Result<T, Invalid> {
    checked.map_err(|e| Invalid(e.field_errors()))
}

/// Admins create organisations.
pub fn create_organisation(
    store: &dyn Store,
    actor: &Actor,
    input: OrganisationInput,
    now: DateTime<Utc>,
) -> Result<Organisation, CreateOrganisationError> {
    if !actor.is_admin() {
        return Err(CreateOrganisationError::NotAdmin(()));
    }
    let id = Uuid::now_v7();
    let (version, event) = DomainEvent::created(Entity::Organisation, id, "created", EventActor::Admin, now);
    let org = Organisation { id, input: checked(input.checked())?, version, created_at: now, updated_at: now };
    write(store, |tx| -> Result<_, CreateOrganisationError> {
        tx.insert_organisation(&org).map_err(|e| match e {
            StoreError::Duplicate => CreateOrganisationError::OdsCodeTaken(ods_code_taken()),
            other => other.into(),
        })?;
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
) -> Result<Organisation, UpdateOrganisationError> {
    if !actor.is_admin() {
        return Err(UpdateOrganisationError::NotAdmin(()));
    }
    let current = store.organisation(id)?;
    if current.version != expected_version {
        return Err(UpdateOrganisationError::Stale(()));
    }
    let (version, event) =
        DomainEvent::edited(Entity::Organisation, id, current.version, "updated", EventActor::Admin, now);
    let org = Organisation { input: checked(input.checked())?, version, updated_at: now, ..current };
    write(store, |tx| -> Result<_, UpdateOrganisationError> {
        tx.update_organisation(&org, expected_version).map_err(|e| match e {
            StoreError::Duplicate => UpdateOrganisationError::OdsCodeTaken(ods_code_taken()),
            other => other.into(),
        })?;
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
) -> Result<Option<FieldError>, StoreError> {
    let Some(site_id) = site_id else { return Ok(None) };
    match store.site(site_id) {
        Ok(site) if site.organisation_id == organisation_id => Ok(None),
        Ok(_) | Err(StoreError::NotFound) => {
            Ok(Some(FieldError::new(field, "unknown_site", "There is no site with this id in your organisation.")))
        }
        Err(e) => Err(e),
    }
}

/// Coordinators of the organisation create its sites.
pub fn create_site(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    input: SiteInput,
    now: DateTime<Utc>,
) -> Result<Site, CreateInOrganisationError> {
    store.organisation(organisation_id)?;
    if !actor.coordinates(organisation_id) {
        return Err(CreateInOrganisationError::NotCoordinator(()));
    }
    let id = Uuid::now_v7();
    let (version, event) = DomainEvent::created(Entity::Site, id, "created", EventActor::Coordinator, now);
    let site =
        Site { id, organisation_id, input: checked(input.checked())?, version, created_at: now, updated_at: now };
    let event = event.with("organisation_id", organisation_id);
    write(store, |tx| -> Result<_, StoreError> {
        tx.insert_site(&site)?;
        tx.append_events(&[event])
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
) -> Result<Site, UpdateInOrganisationError> {
    let current = site_to_edit(store, actor, id)?;
    if current.version != expected_version {
        return Err(UpdateInOrganisationError::Stale(()));
    }
    let (version, event) =
        DomainEvent::edited(Entity::Site, id, current.version, "updated", EventActor::Coordinator, now);
    let event = event.with("organisation_id", current.organisation_id);
    let site = Site { input: checked(input.checked())?, version, updated_at: now, ..current };
    write(store, |tx| -> Result<_, StoreError> {
        tx.update_site(&site, expected_version)?;
        tx.append_events(&[event])
    })?;
    Ok(site)
}

fn checked_department(
    store: &dyn OrganisationStore,
    organisation_id: Uuid,
    input: DepartmentInput,
) -> Result<Result<DepartmentInput, Invalid>, StoreError> {
    let input = match checked(input.checked()) {
        Ok(input) => input,
        Err(invalid) => return Ok(Err(invalid)),
    };
    Ok(match check_site_of(store, organisation_id, input.site_id, "/site_id")? {
        Some(e) => Err(Invalid(vec![e])),
        None => Ok(input),
    })
}

/// Coordinators of the organisation create its host departments.
pub fn create_department(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    input: DepartmentInput,
    now: DateTime<Utc>,
) -> Result<Department, CreateInOrganisationError> {
    store.organisation(organisation_id)?;
    if !actor.coordinates(organisation_id) {
        return Err(CreateInOrganisationError::NotCoordinator(()));
    }
    let input = checked_department(store, organisation_id, input)??;
    let id = Uuid::now_v7();
    let (version, event) = DomainEvent::created(Entity::Department, id, "created", EventActor::Coordinator, now);
    let event = event.with("organisation_id", organisation_id);
    let department = Department { id, organisation_id, input, version, created_at: now, updated_at: now };
    write(store, |tx| -> Result<_, StoreError> {
        tx.insert_department(&department)?;
        tx.append_events(&[event])
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
) -> Result<Department, UpdateInOrganisationError> {
    let current = department_to_edit(store, actor, id)?;
    if current.version != expected_version {
        return Err(UpdateInOrganisationError::Stale(()));
    }
    let input = checked_department(store, current.organisation_id, input)??;
    let (version, event) =
        DomainEvent::edited(Entity::Department, id, current.version, "updated", EventActor::Coordinator, now);
    let event = event.with("organisation_id", current.organisation_id);
    let department = Department { input, version, updated_at: now, ..current };
    write(store, |tx| -> Result<_, StoreError> {
        tx.update_department(&department, expected_version)?;
        tx.append_events(&[event])
    })?;
    Ok(department)
}

/// An organisation as an admin reads it to change it (a merge patch starts from it).
pub fn organisation_to_edit(
    store: &dyn OrganisationStore,
    actor: &Actor,
    id: Uuid,
) -> Result<Organisation, OrganisationToEditError> {
    if !actor.is_admin() {
        return Err(OrganisationToEditError::NotAdmin(()));
    }
    Ok(store.organisation(id)?)
}

/// A site as its organisation's coordinators read it to change it (404 for everyone else).
pub fn site_to_edit(store: &dyn OrganisationStore, actor: &Actor, id: Uuid) -> Result<Site, ToEditError> {
    let site = store.site(id)?;
    actor.require_owner_of(site.organisation_id)?;
    Ok(site)
}

/// A department as its organisation's coordinators read it to change it (404 for everyone else).
pub fn department_to_edit(store: &dyn OrganisationStore, actor: &Actor, id: Uuid) -> Result<Department, ToEditError> {
    let department = store.department(id)?;
    actor.require_owner_of(department.organisation_id)?;
    Ok(department)
}
