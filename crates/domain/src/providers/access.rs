//! Who may reach a provider's students: the provider's own provider coordinators. Anyone else is
//! refused the provider's lists (403) and never learns that one of its students exists (404).

use uuid::Uuid;

use crate::codes;
use crate::error::StoreError;
use crate::model::audit::{ActingAs, AuditAction, AuditEntry, AuditRole};
use crate::model::auth::Actor;
use crate::model::profile::Profile;
use crate::model::provider::Student;
use crate::ports::Store;
use crate::use_case_error::NotFound;

crate::use_case_error! {
    /// Why a provider's students could not be listed or added to.
    pub enum ProviderAccessError {
        /// Not a provider coordinator of this education provider.
        NotProviderCoordinator(()) = codes::PROVIDER_COORDINATOR_ROLE_REQUIRED,
        /// No such organisation.
        NotFound(NotFound),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why a student could not be reached: there is no such student of this provider that the
    /// caller coordinates, and they may not learn whether there is.
    pub enum StudentAccessError {
        NotFound(NotFound),
        Store(StoreError),
    }
}

/// Refuses anyone who is not a provider coordinator of the education provider (404 when there is
/// no such organisation). An API client never is: clients act for NHS organisations.
pub fn require_provider_coordinator(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
) -> Result<(), ProviderAccessError> {
    store.organisation(organisation_id)?;
    if actor.coordinates_provider(organisation_id) && !actor.is_client() {
        Ok(())
    } else {
        Err(ProviderAccessError::NotProviderCoordinator(()))
    }
}

/// The student and their profile, when the caller coordinates the provider named and the student
/// is its own (404 otherwise).
pub fn student_of(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    profile_id: Uuid,
) -> Result<(Student, Profile), StudentAccessError> {
    if !actor.coordinates_provider(organisation_id) || actor.is_client() {
        return Err(NotFound.into());
    }
    let student = store.student(profile_id)?;
    if student.organisation_id != organisation_id {
        return Err(NotFound.into());
    }
    Ok((student, store.profile(profile_id)?))
}

/// The education provider whose student this profile is, if it is one's. For the use cases that
/// follow an accepted proposal (agreements, hours, reviews): the provider's coordinators act there.
pub fn provider_of_profile(store: &dyn Store, profile_id: Uuid) -> Result<Option<Uuid>, StoreError> {
    match store.student(profile_id) {
        Ok(student) => Ok(Some(student.organisation_id)),
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Whether `actor` is a provider coordinator of the provider whose student made (through the
/// college) this application. `false` for an application of someone who is no provider's student.
pub fn coordinates_provider_of_application(
    store: &dyn Store,
    actor: &Actor,
    application_id: Uuid,
) -> Result<bool, StoreError> {
    let application = store.application(application_id)?;
    Ok(provider_of_profile(store, application.profile_id)?
        .is_some_and(|provider| actor.coordinates_provider(provider) && !actor.is_client()))
}

/// The audit entry of a provider coordinator seeing `action` about their student.
pub(crate) fn provider_read(
    actor: &Actor,
    action: AuditAction,
    student: &Student,
    now: chrono::DateTime<chrono::Utc>,
) -> AuditEntry {
    let acting = ActingAs::of(actor, AuditRole::ProviderCoordinator, Some(student.organisation_id));
    AuditEntry::new(actor, acting, action, "applicant_profile", student.profile_id, now).about(student.profile_id)
}
