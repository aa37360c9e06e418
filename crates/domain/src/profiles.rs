//! The caller's own profile: reading it, creating or replacing it, and requiring it first.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::codes;
use crate::error::StoreError;
use crate::model::auth::Actor;
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::model::profile::{Profile, ProfileInput};
use crate::ports::{ProfileStore, Store};
use crate::unit_of_work::write;
use crate::use_case_error::{Invalid, NotFound};

crate::use_case_error! {
    /// Why the caller's own profile could not be had.
    pub enum RequiredProfileError {
        /// The caller has not set one up yet.
        ProfileRequired(String) = codes::PROFILE_REQUIRED,
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why the caller's own profile could not be read.
    pub enum OwnProfileError {
        /// They have not set one up yet.
        NotFound(NotFound),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why the caller's own profile could not be created or replaced.
    pub enum PutOwnProfileError {
        /// Replacing a profile needs the version the caller read (`If-Match`).
        VersionRequired(()) = codes::PRECONDITION_REQUIRED,
        /// The version sent is not the current one, or the caller named one for a profile that
        /// does not exist (yet, or was created meanwhile by another request).
        Stale(()) = codes::VERSION_MISMATCH,
        Invalid(Invalid),
        Store(StoreError),
    }
}

/// The caller's own profile, which applying, inviting an advocate and equality monitoring need
/// first: without one, `profile_required` (422) with the field `/profile`.
pub fn required_profile<S: ProfileStore + ?Sized>(store: &S, actor: &Actor) -> Result<Profile, RequiredProfileError> {
    match store.profile_by_subject(&actor.subject) {
        Err(StoreError::NotFound) => {
            let message = "Set up your profile first (PUT /v1/me/profile): we need a few details about you.";
            Err(RequiredProfileError::ProfileRequired(message.to_string()))
        }
        other => Ok(other?),
    }
}

/// Reads the caller's own profile.
pub fn own_profile(store: &dyn ProfileStore, actor: &Actor) -> Result<Profile, OwnProfileError> {
    match store.profile_by_subject(&actor.subject) {
        Err(StoreError::NotFound) => Err(NotFound.into()),
        other => Ok(other?),
    }
}

/// Creates or replaces the caller's own profile. Replacing needs the version the caller read
/// (`If-Match`); creating must not name one. Returns the profile and whether it was created.
pub fn put_own_profile(
    store: &dyn Store,
    actor: &Actor,
    input: ProfileInput,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(Profile, bool), PutOwnProfileError> {
    let input = input.checked(now.date_naive())?;
    match store.profile_by_subject(&actor.subject) {
        Err(StoreError::NotFound) => {
            if expected_version.is_some() {
                return Err(PutOwnProfileError::Stale(()));
            }
            let id = Uuid::now_v7();
            let (version, event) = DomainEvent::created(Entity::Profile, id, "created", EventActor::Applicant, now);
            let profile = Profile {
                id,
                subject: Some(actor.subject.clone()),
                input,
                managed_by: None,
                consent: None,
                version,
                created_at: now,
                updated_at: now,
            };
            write(store, |tx| -> Result<_, PutOwnProfileError> {
                tx.insert_profile(&profile).map_err(|e| match e {
                    // Another request created it first: this one's precondition (none) no longer holds.
                    StoreError::Duplicate => PutOwnProfileError::Stale(()),
                    other => other.into(),
                })?;
                Ok(tx.append_events(&[event])?)
            })?;
            Ok((profile, true))
        }
        Err(e) => Err(e.into()),
        Ok(current) => {
            let Some(expected) = expected_version else { return Err(PutOwnProfileError::VersionRequired(())) };
            if expected != current.version {
                return Err(PutOwnProfileError::Stale(()));
            }
            let (version, event) = DomainEvent::edited(
                Entity::Profile,
                current.id,
                current.version,
                "updated",
                EventActor::Applicant,
                now,
            );
            let profile = Profile { input, version, updated_at: now, ..current };
            write(store, |tx| -> Result<_, PutOwnProfileError> {
                tx.update_profile(&profile, expected)?;
                Ok(tx.append_events(&[event])?)
            })?;
            Ok((profile, false))
        }
    }
}
