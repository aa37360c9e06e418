//! A provider coordinator adds, lists, reads and updates their college's students. Each student is
//! a managed profile (no account of their own) with the consent recorded as an advocate records
//! it, held by the provider rather than by one person, so that any of its provider coordinators
//! can act. Every read of a student's profile is audited.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::access::{ProviderAccessError, StudentAccessError, provider_read, require_provider_coordinator, student_of};
use crate::codes;
use crate::error::StoreError;
use crate::model::application::{Application, ApplicationStatus};
use crate::model::audit::{AuditAction, AuditEntry};
use crate::model::auth::Actor;
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::model::page::{Page, PageRequest};
use crate::model::placement::Placement;
use crate::model::profile::Profile;
use crate::model::provider::{Student, StudentRequest};
use crate::ports::Store;
use crate::unit_of_work::write;
use crate::use_case_error::{Invalid, NotFound};

crate::use_case_error! {
    /// Why a student could not be added.
    pub enum CreateStudentError {
        /// Not a provider coordinator of this education provider.
        NotProviderCoordinator(()) = codes::PROVIDER_COORDINATOR_ROLE_REQUIRED,
        /// No such organisation.
        NotFound(NotFound),
        /// The profile, the consent or the course breaks rules.
        Invalid(Invalid),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why a student could not be updated.
    pub enum UpdateStudentError {
        /// No such student of a provider the caller coordinates.
        NotFound(NotFound),
        /// It changed since the caller read it.
        Stale(()) = codes::VERSION_MISMATCH,
        Invalid(Invalid),
        Store(StoreError),
    }
}

impl From<ProviderAccessError> for CreateStudentError {
    fn from(e: ProviderAccessError) -> Self {
        match e {
            ProviderAccessError::NotProviderCoordinator(()) => CreateStudentError::NotProviderCoordinator(()),
            ProviderAccessError::NotFound(n) => n.into(),
            ProviderAccessError::Store(s) => s.into(),
        }
    }
}

impl From<StudentAccessError> for UpdateStudentError {
    fn from(e: StudentAccessError) -> Self {
        match e {
            StudentAccessError::NotFound(n) => n.into(),
            StudentAccessError::Store(s) => s.into(),
        }
    }
}

/// A provider coordinator adds a student of their college: a managed profile with the consent
/// given (a parent or carer's, by name, under 16) and the student's course.
pub fn create_student(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    request: StudentRequest,
    now: DateTime<Utc>,
) -> Result<(Student, Profile), CreateStudentError> {
    require_provider_coordinator(store, actor, organisation_id)?;
    let request = request.checked(now.date_naive())?;
    let id = Uuid::now_v7();
    let (version, created) = DomainEvent::created(Entity::Profile, id, "created", EventActor::Provider, now);
    let profile = Profile {
        id,
        subject: None,
        input: request.profile,
        // Who added the student; the provider, not this person, holds the profile (see Student).
        managed_by: Some(actor.subject.clone()),
        consent: Some(request.consent),
        version,
        created_at: now,
        updated_at: now,
    };
    let student = Student {
        profile_id: id,
        organisation_id,
        course: request.course,
        created_by: actor.subject.clone(),
        created_at: now,
        updated_at: now,
    };
    let created = created.with("organisation_id", organisation_id);
    write(store, |tx| -> Result<_, CreateStudentError> {
        tx.insert_student(&profile, &student)?;
        Ok(tx.append_events(&[created])?)
    })?;
    Ok((student, profile))
}

/// A page of the provider's students, one audit entry for each listed.
pub fn list_students(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    page: &PageRequest<Uuid>,
    now: DateTime<Utc>,
) -> Result<Page<(Student, Profile), Uuid>, ProviderAccessError> {
    require_provider_coordinator(store, actor, organisation_id)?;
    let found = store.students_of(organisation_id, page)?;
    let audit: Vec<AuditEntry> =
        found.items.iter().map(|(s, _)| provider_read(actor, AuditAction::StudentListed, s, now)).collect();
    if !audit.is_empty() {
        store.record_audit(&audit)?;
    }
    Ok(found)
}

/// One of the provider's students (404 for anyone who does not coordinate it), the read audited.
pub fn read_student(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    profile_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(Student, Profile), StudentAccessError> {
    let (student, profile) = student_of(store, actor, organisation_id, profile_id)?;
    store.record_audit(&[provider_read(actor, AuditAction::StudentRead, &student, now)])?;
    Ok((student, profile))
}

/// Replaces a student's profile, consent and course; `If-Match` is required.
pub fn update_student(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    profile_id: Uuid,
    expected_version: i64,
    request: StudentRequest,
    now: DateTime<Utc>,
) -> Result<(Student, Profile), UpdateStudentError> {
    let (student, current) = student_of(store, actor, organisation_id, profile_id)?;
    if current.version != expected_version {
        return Err(UpdateStudentError::Stale(()));
    }
    let request = request.checked(now.date_naive())?;
    let (version, event) =
        DomainEvent::edited(Entity::Profile, profile_id, current.version, "updated", EventActor::Provider, now);
    let event = event.with("organisation_id", organisation_id);
    let profile =
        Profile { input: request.profile, consent: Some(request.consent), version, updated_at: now, ..current };
    let student = Student { course: request.course, updated_at: now, ..student };
    write(store, |tx| -> Result<_, UpdateStudentError> {
        match tx.update_profile(&profile, expected_version) {
            Err(StoreError::VersionConflict) => return Err(UpdateStudentError::Stale(())),
            other => other?,
        }
        tx.update_student(&student)?;
        Ok(tx.append_events(&[event])?)
    })?;
    Ok((student, profile))
}

/// One of a student's proposals or placements, as their provider follows it.
#[derive(Debug, Clone, PartialEq)]
pub struct StudentPlacement {
    pub application: Application,
    pub placement: Placement,
    /// Why the organisation declined the proposal, when it did.
    pub decline_reason: Option<String>,
}

/// A page of a student's proposals and placements, with their status and any reason for a
/// decline (404 for anyone who does not coordinate the student's provider), the read audited once
/// for the page.
pub fn student_applications(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    profile_id: Uuid,
    page: &PageRequest<Uuid>,
    now: DateTime<Utc>,
) -> Result<Page<StudentPlacement, Uuid>, StudentAccessError> {
    let (student, _) = student_of(store, actor, organisation_id, profile_id)?;
    let found = store.applications_of_profile(profile_id, page)?;
    let mut items = Vec::with_capacity(found.items.len());
    for application in found.items {
        let placement = store.placement(application.placement_id)?;
        let decline_reason = if application.status == ApplicationStatus::NotSelected {
            store.events_of(application.id)?.into_iter().rev().find_map(|e| e.reason)
        } else {
            None
        };
        items.push(StudentPlacement { application, placement, decline_reason });
    }
    store.record_audit(&[provider_read(actor, AuditAction::StudentApplicationsRead, &student, now)])?;
    Ok(Page { items, next: found.next })
}
