//! Equality monitoring answers: the applicant's own, and those an advocate gives for an applicant
//! with recorded consent.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use uuid::Uuid;

use crate::advocacy::{NotYoursError, advocate_read, applicant_profile};
use crate::codes;
use crate::error::{FieldError, StoreError};
use crate::model::advocacy::check_consent;
use crate::model::audit::AuditAction;
use crate::model::auth::Actor;
use crate::model::equality::{RecordedBy, Response, check};
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::model::profile::{Consent, Profile, age_on};
use crate::ports::{EqualityStore, ProfileStore, Store};
use crate::profiles::{RequiredProfileError, required_profile};
use crate::unit_of_work::write;
use crate::use_case_error::{Invalid, NotFound};

crate::use_case_error! {
    /// Why answers could not be read or deleted: there are none, or none the caller may reach
    /// (for an advocate: not an applicant they act for, or answers someone else gave).
    pub enum AnswersError {
        NotFound(NotFound),
        Store(StoreError),
    }
}

impl From<NotYoursError> for AnswersError {
    fn from(e: NotYoursError) -> Self {
        match e {
            NotYoursError::NotFound(e) => e.into(),
            NotYoursError::Store(e) => e.into(),
        }
    }
}

crate::use_case_error! {
    /// Why the caller's own answers could not be given or changed.
    pub enum PutMyAnswersError {
        /// The caller has no profile of their own yet.
        Profile(RequiredProfileError),
        /// An unknown question or answer, or a 16+ question for a younger applicant.
        Invalid(Invalid),
        /// The `If-Match` sent is not the current version (or there are no answers yet).
        Stale(()) = codes::VERSION_MISMATCH,
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why an advocate could not give or change an applicant's answers.
    pub enum PutAnswersForError {
        /// Not an applicant they act for, or answers someone else gave.
        Hidden(AnswersError),
        /// No consent, or not the consent the applicant's age needs; an unknown question or
        /// answer, or a 16+ question for a younger applicant.
        Invalid(Invalid),
        /// The `If-Match` sent is not the current version (or there are no answers yet).
        Stale(()) = codes::VERSION_MISMATCH,
        Store(StoreError),
    }
}

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

/// The caller's own profile, where having none means having no answers either.
fn own_profile<S: ProfileStore + ?Sized>(store: &S, actor: &Actor) -> Result<Profile, AnswersError> {
    match store.profile_by_subject(&actor.subject) {
        Err(StoreError::NotFound) => Err(NotFound.into()),
        other => Ok(other?),
    }
}

/// The caller's own answers (404 when they have given none).
pub fn my_answers<S: ProfileStore + EqualityStore + ?Sized>(
    store: &S,
    actor: &Actor,
) -> Result<Response, AnswersError> {
    let profile = own_profile(store, actor)?;
    Ok(store.equality_response(profile.id)?.ok_or(NotFound)?)
}

/// Gives or replaces the caller's answers; with a version from `If-Match` it must be current.
pub fn put_my_answers(
    store: &dyn Store,
    actor: &Actor,
    answers: BTreeMap<String, String>,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(Response, bool), PutMyAnswersError> {
    let profile = required_profile(store, actor)?;
    let current = store.equality_response(profile.id)?;
    check(&answers, age_on(profile.input.date_of_birth, now.date_naive()))?;
    if is_stale(current.as_ref(), expected_version) {
        return Err(PutMyAnswersError::Stale(()));
    }
    Ok(replace(store, &profile, current, answers, None, now)?)
}

/// Whether an `If-Match` names another version than what is there: a version when there is
/// nothing is stale too.
fn is_stale(current: Option<&Response>, expected_version: Option<i64>) -> bool {
    expected_version.is_some_and(|expected| current.is_none_or(|c| c.version != expected))
}

/// Stores checked answers in place of `current`, with their event; says whether they are new.
fn replace(
    store: &dyn Store,
    profile: &Profile,
    current: Option<Response>,
    answers: BTreeMap<String, String>,
    recorded_by: Option<RecordedBy>,
    now: DateTime<Utc>,
) -> Result<(Response, bool), StoreError> {
    let created = current.is_none();
    let what = if created { "given" } else { "changed" };
    let by = answered_by(recorded_by.as_ref());
    let (version, event) = answers_event(profile.id, current.as_ref(), what, by, now);
    let response = Response { answers, version, updated_at: now, recorded_by };
    write(store, |tx| -> Result<_, StoreError> {
        tx.put_equality_response(profile.id, &response)?;
        tx.append_events(&[event])
    })?;
    Ok((response, created))
}

/// Answers this advocate gave for an applicant they act for, which they may read back: answers
/// the applicant (or another advocate) gave stay out of their reach (404).
fn recorded_by_advocate(
    store: &dyn Store,
    actor: &Actor,
    profile_id: Uuid,
) -> Result<(Profile, Option<Response>), AnswersError> {
    let profile = applicant_profile(store, actor, profile_id)?;
    let current = store.equality_response(profile.id)?;
    match &current {
        Some(r) if r.recorded_by.as_ref().is_none_or(|b| b.advocate_subject != actor.subject) => Err(NotFound.into()),
        _ => Ok((profile, current)),
    }
}

/// The answers an advocate gave for an applicant they act for (404 otherwise), the read audited:
/// they are special category data about another person.
pub fn answers_for(
    store: &dyn Store,
    actor: &Actor,
    profile_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Response, AnswersError> {
    let (profile, answers) = recorded_by_advocate(store, actor, profile_id)?;
    let answers = answers.ok_or(NotFound)?;
    store.record_audit(&[advocate_read(
        actor,
        AuditAction::EqualityAnswersRead,
        "applicant_profile",
        profile.id,
        profile.id,
        now,
    )])?;
    Ok(answers)
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
) -> Result<(Response, bool), PutAnswersForError> {
    let (profile, current) = recorded_by_advocate(store, actor, profile_id)?;
    let Some(consent) = consent else {
        return Err(Invalid(vec![FieldError::new(
            "/consent",
            "consent_required",
            "Record the consent the applicant (or, under 16, a parent or carer) gave for you to answer for them.",
        )])
        .into());
    };
    let errors = check_consent(&profile.input, &consent, now.date_naive());
    if !errors.is_empty() {
        return Err(Invalid(errors).into());
    }
    check(&answers, age_on(profile.input.date_of_birth, now.date_naive()))?;
    if is_stale(current.as_ref(), expected_version) {
        return Err(PutAnswersForError::Stale(()));
    }
    let recorded_by = Some(RecordedBy { advocate_subject: actor.subject.clone(), consent });
    Ok(replace(store, &profile, current, answers, recorded_by, now)?)
}

/// An advocate deletes the answers they gave for an applicant they act for.
pub fn delete_answers_for(
    store: &dyn Store,
    actor: &Actor,
    profile_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AnswersError> {
    let (profile, current) = recorded_by_advocate(store, actor, profile_id)?;
    let current = current.ok_or(NotFound)?;
    Ok(delete(store, profile.id, &current, EventActor::Advocate, now)?)
}

/// Deletes the answers with their event; the deletion is the answers' last version.
fn delete(
    store: &dyn Store,
    profile_id: Uuid,
    current: &Response,
    by: EventActor,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let (_, event) = answers_event(profile_id, Some(current), "deleted", by, now);
    write(store, |tx| -> Result<_, StoreError> {
        tx.delete_equality_response(profile_id)?;
        tx.append_events(&[event])
    })
}

/// Deletes the caller's answers, for good.
pub fn delete_my_answers(store: &dyn Store, actor: &Actor, now: DateTime<Utc>) -> Result<(), AnswersError> {
    let profile = own_profile(store, actor)?;
    // Nothing to delete is not found, as the store says when asked to delete nothing.
    let current = store.equality_response(profile.id)?.ok_or(NotFound)?;
    Ok(delete(store, profile.id, &current, EventActor::Applicant, now)?)
}
