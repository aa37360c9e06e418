//! Equality monitoring answers: the applicant's own, and those an advocate gives for an applicant
//! with recorded consent.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use uuid::Uuid;

use crate::advocacy::applicant_profile;
use crate::error::{DomainError, FieldError, StoreError};
use crate::model::advocacy::check_consent;
use crate::model::auth::Actor;
use crate::model::equality::{RecordedBy, Response, check};
use crate::model::profile::{Consent, Profile, age_on};
use crate::ports::{AdvocacyStore, EqualityStore, ProfileStore};
use crate::profiles::required_profile;

/// The caller's own answers (404 when they have given none).
pub fn my_answers<S: ProfileStore + EqualityStore + ?Sized>(store: &S, actor: &Actor) -> Result<Response, DomainError> {
    let profile = match store.profile_by_subject(&actor.subject) {
        Err(StoreError::NotFound) => return Err(DomainError::NotFound),
        other => other?,
    };
    store.equality_response(profile.id)?.ok_or(DomainError::NotFound)
}

/// Gives or replaces the caller's answers; with a version from `If-Match` it must be current.
pub fn put_my_answers<S: ProfileStore + EqualityStore + ?Sized>(
    store: &S,
    actor: &Actor,
    answers: BTreeMap<String, String>,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(Response, bool), DomainError> {
    let profile = required_profile(store, actor)?;
    let current = store.equality_response(profile.id)?;
    replace(store, &profile, current, answers, None, expected_version, now)
}

fn replace<S: EqualityStore + ?Sized>(
    store: &S,
    profile: &Profile,
    current: Option<Response>,
    answers: BTreeMap<String, String>,
    recorded_by: Option<RecordedBy>,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(Response, bool), DomainError> {
    check(&answers, age_on(profile.input.date_of_birth, now.date_naive()))?;
    // An `If-Match` must match what is there: a version when there is nothing is stale too.
    if let Some(expected) = expected_version
        && current.as_ref().is_none_or(|c| c.version != expected)
    {
        return Err(DomainError::PreconditionFailed);
    }
    let created = current.is_none();
    let response = Response { answers, version: current.map_or(1, |c| c.version + 1), updated_at: now, recorded_by };
    store.put_equality_response(profile.id, &response)?;
    Ok((response, created))
}

/// Answers this advocate gave for an applicant they act for, which they may read back: answers
/// the applicant (or another advocate) gave stay out of their reach (404).
fn recorded_by_advocate<S: AdvocacyStore + ProfileStore + EqualityStore + ?Sized>(
    store: &S,
    actor: &Actor,
    profile_id: Uuid,
) -> Result<(Profile, Option<Response>), DomainError> {
    let profile = applicant_profile(store, actor, profile_id)?;
    let current = store.equality_response(profile.id)?;
    match &current {
        Some(r) if r.recorded_by.as_ref().is_none_or(|b| b.advocate_subject != actor.subject) => {
            Err(DomainError::NotFound)
        }
        _ => Ok((profile, current)),
    }
}

/// The answers an advocate gave for an applicant they act for (404 otherwise).
pub fn answers_for<S: AdvocacyStore + ProfileStore + EqualityStore + ?Sized>(
    store: &S,
    actor: &Actor,
    profile_id: Uuid,
) -> Result<Response, DomainError> {
    recorded_by_advocate(store, actor, profile_id)?.1.ok_or(DomainError::NotFound)
}

/// An advocate gives or replaces the answers of an applicant they act for, with the consent the
/// applicant (or, under 16, a parent or carer) gave for it. Answers the applicant gave
/// themselves are never replaced by an advocate.
pub fn put_answers_for<S: AdvocacyStore + ProfileStore + EqualityStore + ?Sized>(
    store: &S,
    actor: &Actor,
    profile_id: Uuid,
    answers: BTreeMap<String, String>,
    consent: Option<Consent>,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(Response, bool), DomainError> {
    let (profile, current) = recorded_by_advocate(store, actor, profile_id)?;
    let Some(consent) = consent else {
        return Err(DomainError::Invalid(vec![FieldError::new(
            "/consent",
            "consent_required",
            "Record the consent the applicant (or, under 16, a parent or carer) gave for you to answer for them.",
        )]));
    };
    let errors = check_consent(&profile.input, &consent, now.date_naive());
    if !errors.is_empty() {
        return Err(DomainError::Invalid(errors));
    }
    let recorded_by = Some(RecordedBy { advocate_subject: actor.subject.clone(), consent });
    replace(store, &profile, current, answers, recorded_by, expected_version, now)
}

/// An advocate deletes the answers they gave for an applicant they act for.
pub fn delete_answers_for<S: AdvocacyStore + ProfileStore + EqualityStore + ?Sized>(
    store: &S,
    actor: &Actor,
    profile_id: Uuid,
) -> Result<(), DomainError> {
    let (profile, current) = recorded_by_advocate(store, actor, profile_id)?;
    if current.is_none() {
        return Err(DomainError::NotFound);
    }
    Ok(store.delete_equality_response(profile.id)?)
}

/// Deletes the caller's answers, for good.
pub fn delete_my_answers<S: ProfileStore + EqualityStore + ?Sized>(
    store: &S,
    actor: &Actor,
) -> Result<(), DomainError> {
    let profile = match store.profile_by_subject(&actor.subject) {
        Err(StoreError::NotFound) => return Err(DomainError::NotFound),
        other => other?,
    };
    Ok(store.delete_equality_response(profile.id)?)
}
