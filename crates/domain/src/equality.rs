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
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::model::profile::{Consent, Profile, age_on};
use crate::ports::{EqualityStore, ProfileStore, Store};
use crate::profiles::required_profile;
use crate::unit_of_work::write;

/// Who changes answers: an advocate's answers record the advocate, the applicant's record none.
fn answered_by(recorded_by: Option<&RecordedBy>) -> EventActor {
    if recorded_by.is_some() { EventActor::Advocate } else { EventActor::Applicant }
}

/// The event of answers given, changed or deleted: it names the profile and nothing given in
/// them, not even which questions were answered.
fn answers_event(
    profile_id: Uuid,
    current: Option<&Response>,
    what: &'static str,
    by: EventActor,
    now: DateTime<Utc>,
) -> (i64, DomainEvent) {
    match current {
        None => DomainEvent::created(Entity::EqualityAnswers, profile_id, what, by, now),
        Some(c) => DomainEvent::edited(Entity::EqualityAnswers, profile_id, c.version, what, by, now),
    }
}

/// The caller's own answers (404 when they have given none).
pub fn my_answers<S: ProfileStore + EqualityStore + ?Sized>(store: &S, actor: &Actor) -> Result<Response, DomainError> {
    let profile = match store.profile_by_subject(&actor.subject) {
        Err(StoreError::NotFound) => return Err(DomainError::NotFound),
        other => other?,
    };
    store.equality_response(profile.id)?.ok_or(DomainError::NotFound)
}

/// Gives or replaces the caller's answers; with a version from `If-Match` it must be current.
pub fn put_my_answers(
    store: &dyn Store,
    actor: &Actor,
    answers: BTreeMap<String, String>,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(Response, bool), DomainError> {
    let profile = required_profile(store, actor)?;
    let current = store.equality_response(profile.id)?;
    replace(store, &profile, current, answers, None, expected_version, now)
}

fn replace(
    store: &dyn Store,
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
    let what = if created { "given" } else { "changed" };
    let by = answered_by(recorded_by.as_ref());
    let (version, event) = answers_event(profile.id, current.as_ref(), what, by, now);
    let response = Response { answers, version, updated_at: now, recorded_by };
    write(store, |tx| -> Result<_, DomainError> {
        tx.put_equality_response(profile.id, &response)?;
        Ok(tx.append_events(&[event])?)
    })?;
    Ok((response, created))
}

/// Answers this advocate gave for an applicant they act for, which they may read back: answers
/// the applicant (or another advocate) gave stay out of their reach (404).
fn recorded_by_advocate(
    store: &dyn Store,
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
pub fn answers_for(store: &dyn Store, actor: &Actor, profile_id: Uuid) -> Result<Response, DomainError> {
    recorded_by_advocate(store, actor, profile_id)?.1.ok_or(DomainError::NotFound)
}

/// An advocate gives or replaces the answers of an applicant they act for, with the consent the
/// applicant (or, under 16, a parent or carer) gave for it. Answers the applicant gave
/// themselves are never replaced by an advocate.
pub fn put_answers_for(
    store: &dyn Store,
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
pub fn delete_answers_for(
    store: &dyn Store,
    actor: &Actor,
    profile_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    let (profile, current) = recorded_by_advocate(store, actor, profile_id)?;
    let Some(current) = current else { return Err(DomainError::NotFound) };
    delete(store, profile.id, &current, EventActor::Advocate, now)
}

/// Deletes the answers with their event; the deletion is the answers' last version.
fn delete(
    store: &dyn Store,
    profile_id: Uuid,
    current: &Response,
    by: EventActor,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    let (_, event) = answers_event(profile_id, Some(current), "deleted", by, now);
    write(store, |tx| -> Result<_, DomainError> {
        tx.delete_equality_response(profile_id)?;
        Ok(tx.append_events(&[event])?)
    })
}

/// Deletes the caller's answers, for good.
pub fn delete_my_answers(store: &dyn Store, actor: &Actor, now: DateTime<Utc>) -> Result<(), DomainError> {
    let profile = match store.profile_by_subject(&actor.subject) {
        Err(StoreError::NotFound) => return Err(DomainError::NotFound),
        other => other?,
    };
    // Nothing to delete is not found, as the store says when asked to delete nothing.
    let current = store.equality_response(profile.id)?.ok_or(DomainError::NotFound)?;
    delete(store, profile.id, &current, EventActor::Applicant, now)
}
