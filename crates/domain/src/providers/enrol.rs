//! A student who has their own account joins their college's list of students, so that the college
//! can propose them for T-level placements and follow their hours while the student signs in to see
//! their own place, agreement and progress.
//!
//! Consent is the student's own: they linked the college's provider coordinator as their advocate
//! (relationship `t_level_coordinator`, from their own account), and only a coordinator holding that
//! active link can enrol them. Nothing about the profile is copied or changed.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::access::{ProviderAccessError, provider_read, require_provider_coordinator};
use crate::advocacy::is_advocate_for;
use crate::codes;
use crate::error::StoreError;
use crate::model::audit::AuditAction;
use crate::model::auth::Actor;
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::model::profile::Profile;
use crate::model::provider::{Student, checked_course};
use crate::ports::Store;
use crate::unit_of_work::write;
use crate::use_case_error::{Invalid, NotFound};

crate::use_case_error! {
    /// Why a student with their own account could not be enrolled.
    pub enum EnrolStudentError {
        /// Not a provider coordinator of this education provider.
        NotProviderCoordinator(()) = codes::PROVIDER_COORDINATOR_ROLE_REQUIRED,
        /// No such organisation, or no profile whose owner linked the caller as their advocate.
        NotFound(NotFound),
        /// The student is a student of a provider already (this one or another).
        AlreadyAStudent(()) = codes::ALREADY_A_STUDENT,
        /// The course breaks rules.
        Invalid(Invalid),
        Store(StoreError),
    }
}

impl From<ProviderAccessError> for EnrolStudentError {
    fn from(e: ProviderAccessError) -> Self {
        match e {
            ProviderAccessError::NotProviderCoordinator(()) => EnrolStudentError::NotProviderCoordinator(()),
            ProviderAccessError::NotFound(n) => n.into(),
            ProviderAccessError::Store(s) => s.into(),
        }
    }
}

/// A provider coordinator enrols a student who linked them as their advocate from their own
/// account: the profile stays the student's own; the college holds the course.
pub fn enrol_student(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    profile_id: Uuid,
    course: &str,
    now: DateTime<Utc>,
) -> Result<(Student, Profile), EnrolStudentError> {
    require_provider_coordinator(store, actor, organisation_id)?;
    let course = checked_course(course).map_err(|e| Invalid(vec![e]))?;
    let profile = match store.profile(profile_id) {
        Err(StoreError::NotFound) => return Err(NotFound.into()),
        other => other?,
    };
    // Only the student's own invitation lets a college hold them: a managed profile, or one whose
    // owner never linked this coordinator, is not theirs to know of.
    if profile.subject.is_none() || !is_advocate_for(store, actor, &profile)? {
        return Err(NotFound.into());
    }
    let student = Student {
        profile_id,
        organisation_id,
        course,
        created_by: actor.subject.clone(),
        created_at: now,
        updated_at: now,
    };
    // The profile itself does not change, so the event names the version it stays at.
    let enrolled =
        DomainEvent::edit(Entity::Profile, profile_id, profile.version, "enrolled", EventActor::Provider, now);
    let enrolled = enrolled.with("organisation_id", organisation_id);
    write(store, |tx| -> Result<_, EnrolStudentError> {
        match tx.enrol_student(&student) {
            Err(StoreError::Duplicate) => return Err(EnrolStudentError::AlreadyAStudent(())),
            other => other?,
        }
        // The response shows the profile to the college: a read like any other of a student's.
        tx.record_audit(&[provider_read(actor, AuditAction::StudentRead, &student, now)])?;
        Ok(tx.append_events(&[enrolled])?)
    })?;
    Ok((student, profile))
}
