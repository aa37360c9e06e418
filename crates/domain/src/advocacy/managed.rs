//! Profiles an advocate manages for people without an account, and the applicants an advocate
//! acts for.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::access::{NotYoursError, is_advocate_for};
use crate::codes;
use crate::error::{FieldError, StoreError};
use crate::model::advocacy::{AdvocateLink, LinkStatus, ManagedProfileRequest, check_consent, in_profile};
use crate::model::auth::Actor;
use crate::model::event::{DomainEvent, Entity, EventActor, FIRST_VERSION};
use crate::model::profile::{Profile, ProfileInput};
use crate::ports::{AdvocacyStore, ProfileStore, Store};
use crate::unit_of_work::write;
use crate::use_case_error::{Invalid, NotFound};

crate::use_case_error! {
    /// Why a profile could not be made for someone without an account.
    pub enum CreateManagedError {
        /// The profile or the consent breaks rules.
        Invalid(Invalid),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why an advocate could not replace the profile of someone they act for.
    pub enum UpdateApplicantProfileError {
        /// Not a profile they act for.
        NotYours(NotYoursError),
        /// It changed since the caller read it.
        Stale(()) = codes::VERSION_MISMATCH,
        Invalid(Invalid),
        Store(StoreError),
    }
}

/// An advocate creates a profile for someone without an account, and becomes their advocate.
pub fn create_managed(
    store: &dyn Store,
    actor: &Actor,
    request: ManagedProfileRequest,
    now: DateTime<Utc>,
) -> Result<Profile, CreateManagedError> {
    let today = now.date_naive();
    let mut errors: Vec<FieldError> = check_consent(&request.profile, &request.consent, today);
    let input = in_profile(request.profile.checked(today), &mut errors);
    let Some(input) = input.filter(|_| errors.is_empty()) else { return Err(Invalid(errors).into()) };
    let id = Uuid::now_v7();
    let (version, created) = DomainEvent::created(Entity::Profile, id, "created", EventActor::Advocate, now);
    let profile = Profile {
        id,
        subject: None,
        input,
        managed_by: Some(actor.subject.clone()),
        consent: Some(request.consent),
        version,
        created_at: now,
        updated_at: now,
    };
    // The advocate is linked from the start; there is no invitation, so no code can accept it.
    let link = AdvocateLink {
        id: Uuid::now_v7(),
        profile_id: profile.id,
        advocate_email: None,
        advocate_subject: Some(actor.subject.clone()),
        relationship: request.relationship,
        status: LinkStatus::Active,
        code_hash: String::new(),
        version: FIRST_VERSION,
        created_at: now,
        accepted_at: Some(now),
        revoked_at: None,
    };
    let linked = link.created_event("linked", EventActor::Advocate);
    write(store, |tx| -> Result<_, CreateManagedError> {
        tx.insert_managed_profile(&profile, &link)?;
        Ok(tx.append_events(&[created, linked])?)
    })?;
    Ok(profile)
}

/// A profile the advocate acts for (404 otherwise).
pub fn applicant_profile<S: AdvocacyStore + ProfileStore + ?Sized>(
    store: &S,
    actor: &Actor,
    profile_id: Uuid,
) -> Result<Profile, NotYoursError> {
    let profile = store.profile(profile_id)?;
    if is_advocate_for(store, actor, &profile)? { Ok(profile) } else { Err(NotFound.into()) }
}

/// The advocate replaces a profile they act for; `If-Match` is required.
pub fn update_applicant_profile(
    store: &dyn Store,
    actor: &Actor,
    profile_id: Uuid,
    expected_version: i64,
    input: ProfileInput,
    now: DateTime<Utc>,
) -> Result<Profile, UpdateApplicantProfileError> {
    let current = applicant_profile(store, actor, profile_id)?;
    if current.version != expected_version {
        return Err(UpdateApplicantProfileError::Stale(()));
    }
    let (version, event) =
        DomainEvent::edited(Entity::Profile, profile_id, current.version, "updated", EventActor::Advocate, now);
    let profile = Profile { input: input.checked(now.date_naive())?, version, updated_at: now, ..current };
    write(store, |tx| -> Result<_, UpdateApplicantProfileError> {
        tx.update_profile(&profile, expected_version)?;
        Ok(tx.append_events(&[event])?)
    })?;
    Ok(profile)
}
