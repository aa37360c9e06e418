//! Erasure (UK GDPR Article 17): an applicant's account deleted, by themselves, by the advocate who
//! manages their profile, by an admin on request, or by retention. Everything still in play ends
//! as a withdrawal, a place not yet started goes down the waiting list, what reports need is frozen,
//! and then every personal field is overwritten or deleted by the register's rules, in one unit of
//! work with its events and its audit entry.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::advocacy::{NotYoursError, applicant_profile};
use crate::codes;
use crate::error::StoreError;
use crate::model::application::{Application, ApplicationStatus, ChangedBy, PLATFORM_SUBJECT};
use crate::model::audit::{AuditEntry, AuditRole};
use crate::model::auth::Actor;
use crate::model::event::{DomainEvent, Entity, EventActor, next_version};
use crate::model::offer::OfferStatus;
use crate::model::transition::Illegal;
use crate::offers::fill_places;
use crate::ports::Store;
use crate::profiles::{OwnProfileError, own_profile};
use crate::read::applications::all_applications_of;
use crate::unit_of_work::write;
use crate::use_case_error::{Invalid, NotFound};

crate::use_case_error! {
    /// Why an account could not be erased.
    pub enum ErasureError {
        /// The caller manages other people's profiles: erasing their account would strand them.
        ManagesProfiles(()) = codes::MANAGES_PROFILES,
        /// An advocate acting by invitation, not managing the profile with recorded consent.
        NotAllowed(()) = codes::ERASURE_NOT_ALLOWED,
        /// Only platform admins erase someone else's account on request.
        NotAdmin(()) = codes::ADMIN_ROLE_REQUIRED,
        /// The `If-Match` version is not the profile's.
        Stale(()) = codes::VERSION_MISMATCH,
        /// Still clashing with other changes after several fresh reads: a busy moment.
        Busy(()) = codes::CONFLICT,
        /// The reason an admin gives is missing or too long.
        Invalid(Invalid),
        /// No such profile (or already erased), or not one the caller may know of.
        NotFound(NotFound),
        Illegal(Illegal),
        Store(StoreError),
    }
}

impl From<OwnProfileError> for ErasureError {
    fn from(e: OwnProfileError) -> Self {
        match e {
            OwnProfileError::NotFound(e) => e.into(),
            OwnProfileError::Store(e) => e.into(),
        }
    }
}

impl From<NotYoursError> for ErasureError {
    fn from(e: NotYoursError) -> Self {
        match e {
            NotYoursError::NotFound(e) => e.into(),
            NotYoursError::Store(e) => e.into(),
        }
    }
}

/// Who asked for an erasure, as the audit log and the events record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErasedBy {
    Applicant,
    Advocate,
    /// A provider coordinator of the college that manages the student's profile.
    Provider,
    Admin,
    /// The retention rules: an account inactive past its period, after a warning.
    Retention,
}

impl ErasedBy {
    pub fn code(self) -> &'static str {
        match self {
            ErasedBy::Applicant => "applicant",
            ErasedBy::Advocate => "advocate",
            ErasedBy::Provider => "provider",
            ErasedBy::Admin => "admin",
            ErasedBy::Retention => "retention",
        }
    }

    fn audit_role(self) -> AuditRole {
        match self {
            ErasedBy::Applicant => AuditRole::Applicant,
            ErasedBy::Advocate => AuditRole::Advocate,
            ErasedBy::Provider => AuditRole::ProviderCoordinator,
            ErasedBy::Admin => AuditRole::Admin,
            ErasedBy::Retention => AuditRole::Platform,
        }
    }

    fn event_actor(self) -> EventActor {
        match self {
            ErasedBy::Applicant => EventActor::Applicant,
            ErasedBy::Advocate => EventActor::Advocate,
            ErasedBy::Provider => EventActor::Provider,
            ErasedBy::Admin => EventActor::Admin,
            ErasedBy::Retention => EventActor::Platform,
        }
    }
}

/// What an erasure did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erasure {
    pub profile_id: Uuid,
    pub erased_at: DateTime<Utc>,
    pub by: ErasedBy,
    /// Applications, offers and places ended as withdrawals.
    pub applications_ended: usize,
    /// Accepted or offered places handed back, each passed down its waiting list.
    pub places_released: usize,
}

/// The caller deletes their own account, naming the profile version they read (`If-Match`).
pub fn erase_mine(
    store: &dyn Store,
    actor: &Actor,
    expected_version: i64,
    now: DateTime<Utc>,
) -> Result<Erasure, ErasureError> {
    let profile = own_profile(store, actor)?;
    if store.manages_profiles(&actor.subject)? {
        return Err(ErasureError::ManagesProfiles(()));
    }
    erase(store, profile.id, Some(expected_version), actor, ErasedBy::Applicant, None, now)
}

/// The advocate who manages a profile (a child's, with the consent they recorded) deletes it. An
/// advocate acting by the applicant's invitation may not (403); anyone else learns nothing (404).
pub fn erase_managed(
    store: &dyn Store,
    actor: &Actor,
    profile_id: Uuid,
    expected_version: i64,
    now: DateTime<Utc>,
) -> Result<Erasure, ErasureError> {
    let profile = applicant_profile(store, actor, profile_id)?;
    if profile.managed_by.as_deref() != Some(actor.subject.as_str()) || profile.consent.is_none() {
        return Err(ErasureError::NotAllowed(()));
    }
    // The version is checked inside the erasure's unit of work, against what it then reads.
    erase(store, profile.id, Some(expected_version), actor, ErasedBy::Advocate, None, now)
}

/// A provider coordinator deletes the account of a student their college manages (a profile with
/// no account of its own, added with consent). A student with their own account deletes it
/// themselves (403 `erasure_not_allowed`); a student of another college, or none, is not found.
pub fn erase_student(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    profile_id: Uuid,
    expected_version: i64,
    now: DateTime<Utc>,
) -> Result<Erasure, ErasureError> {
    let profile = match crate::providers::student_of(store, actor, organisation_id, profile_id) {
        Ok((_, profile)) => profile,
        Err(crate::providers::StudentAccessError::NotFound(e)) => return Err(e.into()),
        Err(crate::providers::StudentAccessError::Store(e)) => return Err(e.into()),
    };
    if profile.subject.is_some() {
        return Err(ErasureError::NotAllowed(()));
    }
    erase(store, profile.id, Some(expected_version), actor, ErasedBy::Provider, None, now)
}

/// A platform admin erases an account on the person's request (by email, by post), recording why.
pub fn erase_by_admin(
    store: &dyn Store,
    actor: &Actor,
    profile_id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Erasure, ErasureError> {
    if !actor.is_admin() {
        return Err(ErasureError::NotAdmin(()));
    }
    let reason = reason.trim();
    if !crate::model::validation::has_visible(reason) {
        return Err(Invalid::one("/reason", "required", "Say why the account is erased.").into());
    }
    if reason.chars().count() > 1000 {
        return Err(Invalid::one("/reason", "too_long", "Keep the reason to 1000 characters.").into());
    }
    erase(store, profile_id, None, actor, ErasedBy::Admin, Some(reason), now)
}

/// Retention erases an account that stayed inactive past its period after a warning.
pub fn erase_expired(store: &dyn Store, profile_id: Uuid, now: DateTime<Utc>) -> Result<Erasure, ErasureError> {
    erase(store, profile_id, None, &Actor::new(PLATFORM_SUBJECT), ErasedBy::Retention, None, now)
}

/// How often an erasure is decided again after losing a race to another change (an offer
/// accepted, a draw, a place given at the same moment).
const ATTEMPTS: usize = 5;

fn erase(
    store: &dyn Store,
    profile_id: Uuid,
    expected_version: Option<i64>,
    actor: &Actor,
    by: ErasedBy,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Erasure, ErasureError> {
    for _ in 0..ATTEMPTS {
        match try_erase(store, profile_id, expected_version, actor, by, reason, now) {
            Err(ErasureError::Store(StoreError::VersionConflict)) => continue,
            Err(e) => return Err(e),
            Ok((erasure, released)) => {
                // The erasure is stored; a waiting list that is busy just now is filled by the
                // next change to the placement's places, as after a decline.
                for placement_id in released {
                    let _ = fill_places(store, placement_id, now);
                }
                return Ok(erasure);
            }
        }
    }
    Err(ErasureError::Busy(()))
}

/// One attempt: the erasure and the placements whose places it handed back.
fn try_erase(
    store: &dyn Store,
    profile_id: Uuid,
    expected_version: Option<i64>,
    actor: &Actor,
    by: ErasedBy,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(Erasure, Vec<Uuid>), ErasureError> {
    write(store, |tx| {
        tx.lock_applicant(profile_id)?;
        let profile = match tx.profile(profile_id) {
            Err(StoreError::NotFound) => return Err(NotFound.into()),
            other => other?,
        };
        if tx.is_erased(profile_id)? {
            return Err(NotFound.into());
        }
        if expected_version.is_some_and(|v| v != profile.version) {
            return Err(ErasureError::Stale(()));
        }
        let mut events = Vec::new();
        let mut released = Vec::new();
        let mut ended = 0;
        for app in all_applications_of(tx, profile_id)? {
            let after = end(tx, &app, now, &mut events, &mut released)?;
            ended += usize::from(after.version != app.version);
            // One event per application, naming it and its placement only: an organisation learns
            // of its own applications, never of the person's others.
            events.push(
                DomainEvent::edit(
                    Entity::Application,
                    app.id,
                    next_version(after.version),
                    "erased",
                    by.event_actor(),
                    now,
                )
                .with("placement_id", app.placement_id),
            );
        }
        events.push(DomainEvent::edit(
            Entity::Profile,
            profile_id,
            next_version(profile.version),
            "erased",
            by.event_actor(),
            now,
        ));
        tx.append_events(&events)?;
        // Written before the personal data goes, so that the erasure's rules treat the entry
        // like any other: the applicant's own subject is overwritten in it too.
        tx.record_audit(&[AuditEntry::erasure(actor, by.audit_role(), profile.id, reason, now)])?;
        // What reports count about each application is frozen first, placements not yet drawn
        // included, so that no figure changes when the answers go.
        tx.freeze_characteristics_of_profile(profile_id, now)?;
        tx.erase_personal_data(profile_id, profile.subject.as_deref(), now)?;
        let erasure =
            Erasure { profile_id, erased_at: now, by, applications_ended: ended, places_released: released.len() };
        Ok((erasure, released))
    })
}

/// Ends an application still in play as a withdrawal, with its offer; an accepted place whose
/// placement has started stays as it is (the participant may be on site). Returns the
/// application as it now is.
fn end(
    tx: &dyn Store,
    app: &Application,
    now: DateTime<Utc>,
    events: &mut Vec<DomainEvent>,
    released: &mut Vec<Uuid>,
) -> Result<Application, ErasureError> {
    let by = (PLATFORM_SUBJECT, ChangedBy::Platform);
    match app.status {
        ApplicationStatus::Submitted | ApplicationStatus::Waitlisted => {
            let change = app.transition(ApplicationStatus::Withdrawn, by, None, now)?;
            tx.transition_application(&change.application, app.version, &change.history, &[])?;
            events.push(change.event);
            Ok(change.application)
        }
        ApplicationStatus::Offered | ApplicationStatus::Accepted => {
            let placement = tx.placement(app.placement_id)?;
            if app.status == ApplicationStatus::Accepted && placement.details.start_date <= now.date_naive() {
                return Ok(app.clone());
            }
            tx.lock_placement(app.placement_id)?;
            let Some(offer) = tx.offer_of_application(app.id)? else {
                return Err(StoreError::Internal("an offered application has no offer".to_string()).into());
            };
            let (ended_offer, offer_event) = offer.transition(OfferStatus::Declined, ChangedBy::Platform, now)?;
            let change = app.transition(ApplicationStatus::Withdrawn, by, None, now)?;
            tx.answer_offer(&ended_offer, offer.version, &change.application, app.version, &change.history, &[])?;
            events.extend([offer_event, change.event]);
            released.push(app.placement_id);
            Ok(change.application)
        }
        _ => Ok(app.clone()),
    }
}
