//! Advocates: careers leaders, personal advisers, probation officers and other support workers who
//! act for applicants. An applicant links an advocate by email (the advocate accepts with the code
//! sent to them; the applicant can revoke the link), or an advocate manages a profile for someone
//! without an account, recording the consent given and, under 16, by whom.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use validator::Validate;

use crate::error::{DomainError, FieldError, StoreError};
use crate::model::auth::Actor;
use crate::model::notification::{Notification, Template};
use crate::model::page::{Page, PageRequest};
use crate::model::profile::{Consent, ConsentGiver, Profile, ProfileInput, age_on};
use crate::model::reference::code_enum;
use crate::model::validation::{field_errors, not_blank};
use crate::ports::{AdvocacyStore, ProfileStore};
use std::fmt;

code_enum! {
    Relationship {
        CareersLeader => ("careers_leader", "Careers leader", "A school or college careers leader or teacher."),
        SupportWorker => ("support_worker", "Support worker", "A support worker at a charity or service."),
        PersonalAdviser => ("personal_adviser", "Personal adviser", "A care leaver's personal adviser."),
        ProbationOfficer => ("probation_officer", "Probation officer", "A probation officer or prison education worker."),
        Caseworker => ("caseworker", "Caseworker", "A refugee resettlement caseworker or similar."),
        TLevelCoordinator => ("t_level_coordinator", "T level coordinator", "A college's T level placement coordinator."),
        Other => ("other", "Someone else", "Another person the applicant trusts to help."),
    }
}

code_enum! {
    LinkStatus {
        Pending => ("pending", "Pending", "Sent to the advocate, not yet accepted."),
        Active => ("active", "Active", "The advocate can act for the applicant."),
        Revoked => ("revoked", "Revoked", "The applicant ended the link."),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdvocateLink {
    pub id: Uuid,
    pub profile_id: Uuid,
    /// Where the invitation went; `None` for the link of a profile the advocate manages.
    pub advocate_email: Option<String>,
    pub advocate_subject: Option<String>,
    pub relationship: Relationship,
    pub status: LinkStatus,
    pub code_hash: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// What an applicant sends to invite an advocate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    #[validate(email(message = "This is not an email address, such as name@example.org."))]
    #[cfg_attr(feature = "openapi", schema(example = "sam.okafor@leaving-care.example.org"))]
    pub email: String,
    pub relationship: Relationship,
}

/// What an advocate sends to manage a profile for someone without an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ManagedProfileRequest {
    pub profile: ProfileInput,
    pub consent: Consent,
    pub relationship: Relationship,
}

/// Text an advocate adds to an application to support it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportingInformation {
    pub id: Uuid,
    pub application_id: Uuid,
    pub author_subject: String,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

fn hash(code: &str) -> String {
    hex::encode(Sha256::digest(code.trim().to_ascii_uppercase().as_bytes()))
}

/// A fresh invitation code: 10 characters from an alphabet without look-alikes.
fn new_code() -> Result<String, DomainError> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes).map_err(|e| DomainError::Store(StoreError::Internal(e.to_string())))?;
    Ok(bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect())
}

/// Whether `actor` may act for the profile: it is their own, or they hold an active link to it.
pub fn can_act_for<S: AdvocacyStore + ?Sized>(
    store: &S,
    actor: &Actor,
    profile: &Profile,
) -> Result<bool, DomainError> {
    if profile.subject.as_deref() == Some(actor.subject.as_str()) {
        return Ok(true);
    }
    Ok(store.has_active_link(profile.id, &actor.subject)?)
}

/// Whether `actor` acts for the profile as its advocate (not as the applicant themselves).
pub fn is_advocate_for<S: AdvocacyStore + ?Sized>(
    store: &S,
    actor: &Actor,
    profile: &Profile,
) -> Result<bool, DomainError> {
    Ok(profile.subject.as_deref() != Some(actor.subject.as_str())
        && store.has_active_link(profile.id, &actor.subject)?)
}

/// The invitation message, with the code the advocate needs to accept.
fn invitation(link: &AdvocateLink, code: &str, now: DateTime<Utc>) -> Notification {
    Notification::new(
        link.advocate_email.as_deref().unwrap_or_default(),
        Template::AdvocateInvitation,
        "You have been asked to help with NHS work experience applications".to_string(),
        format!(
            "Someone has named you ({}) to help with their NHS work experience applications. To accept, sign in and send POST /v1/advocate-links/{}/accept with the code {code}. They can end the link at any time.",
            link.relationship.label().to_lowercase(),
            link.id
        ),
        None,
        now,
    )
}

/// A new pending link to `email`, with the code the advocate will need to accept it.
pub fn pending_link(
    profile_id: Uuid,
    email: &str,
    relationship: Relationship,
    now: DateTime<Utc>,
) -> Result<(AdvocateLink, String), DomainError> {
    let code = new_code()?;
    let link = AdvocateLink {
        id: Uuid::now_v7(),
        profile_id,
        advocate_email: Some(email.trim().to_string()),
        advocate_subject: None,
        relationship,
        status: LinkStatus::Pending,
        code_hash: hash(&code),
        version: 1,
        created_at: now,
        accepted_at: None,
        revoked_at: None,
    };
    Ok((link, code))
}

/// An applicant invites an advocate to their own profile.
pub fn invite<S: AdvocacyStore + ProfileStore + ?Sized>(
    store: &S,
    actor: &Actor,
    request: InviteRequest,
    now: DateTime<Utc>,
) -> Result<AdvocateLink, DomainError> {
    let errors = field_errors(request.validate());
    if !errors.is_empty() {
        return Err(DomainError::Invalid(errors));
    }
    let profile = crate::profiles::required_profile(store, actor)?;
    let (link, code) = pending_link(profile.id, &request.email, request.relationship, now)?;
    store.insert_link(&link, &[invitation(&link, &code, now)])?;
    Ok(link)
}

/// The advocate accepts with the code from their invitation. A wrong code, or a link that is not
/// pending, is not found: nobody can probe for links.
pub fn accept<S: AdvocacyStore + ProfileStore + ?Sized>(
    store: &S,
    actor: &Actor,
    link_id: Uuid,
    code: &str,
    now: DateTime<Utc>,
) -> Result<AdvocateLink, DomainError> {
    let current = store.link(link_id)?;
    if current.status != LinkStatus::Pending || current.code_hash.is_empty() || current.code_hash != hash(code) {
        return Err(DomainError::NotFound);
    }
    // Only someone else can act for an applicant: a link to oneself would let an applicant pass
    // as their own advocate. (Said only to a holder of the code, so nothing is revealed.)
    if store.profile(current.profile_id)?.subject.as_deref() == Some(actor.subject.as_str()) {
        return Err(DomainError::Refused {
            code: "own_invitation",
            message: "This is your own invitation: give the code to the person who will act for you.".into(),
            errors: Vec::new(),
        });
    }
    let version = current.version;
    let link = AdvocateLink {
        status: LinkStatus::Active,
        advocate_subject: Some(actor.subject.clone()),
        accepted_at: Some(now),
        version: version + 1,
        ..current
    };
    match store.update_link(&link, version) {
        // A pending link changes only by being accepted or revoked: it is no longer pending, as
        // for a second accept (the caller sent no version, so this is no stale read of theirs).
        Err(StoreError::VersionConflict) => Err(DomainError::NotFound),
        other => Ok(other.map(|()| link)?),
    }
}

/// The applicant's own links.
pub fn my_links<S: AdvocacyStore + ProfileStore + ?Sized>(
    store: &S,
    actor: &Actor,
) -> Result<Vec<AdvocateLink>, DomainError> {
    match store.profile_by_subject(&actor.subject) {
        Ok(p) => Ok(store.links_of_profile(p.id)?),
        Err(StoreError::NotFound) => Ok(Vec::new()),
        Err(e) => Err(e.into()),
    }
}

/// One of the applicant's own links (404 for anyone else's).
pub fn my_link<S: AdvocacyStore + ProfileStore + ?Sized>(
    store: &S,
    actor: &Actor,
    link_id: Uuid,
) -> Result<AdvocateLink, DomainError> {
    let link = store.link(link_id)?;
    let profile = store.profile(link.profile_id)?;
    if profile.subject.as_deref() == Some(actor.subject.as_str()) { Ok(link) } else { Err(DomainError::NotFound) }
}

/// The applicant ends a link; it is kept, marked revoked, for the record.
pub fn revoke<S: AdvocacyStore + ProfileStore + ?Sized>(
    store: &S,
    actor: &Actor,
    link_id: Uuid,
    now: DateTime<Utc>,
) -> Result<AdvocateLink, DomainError> {
    let current = my_link(store, actor, link_id)?;
    if current.status == LinkStatus::Revoked {
        return Err(DomainError::conflict("already_revoked", "This link has already been ended."));
    }
    let version = current.version;
    let link = AdvocateLink { status: LinkStatus::Revoked, revoked_at: Some(now), version: version + 1, ..current };
    store.update_link(&link, version)?;
    Ok(link)
}

pub(crate) fn check_consent(profile: &ProfileInput, consent: &Consent, today: chrono::NaiveDate) -> Vec<FieldError> {
    let mut errors: Vec<FieldError> = field_errors(consent.validate())
        .into_iter()
        .map(|e| FieldError { field: format!("/consent{}", e.field), ..e })
        .collect();
    let under_16 = age_on(profile.date_of_birth, today) < 16;
    let named = consent.giver_name.as_deref().is_some_and(|n| not_blank(n).is_ok());
    if under_16 && (consent.given_by != ConsentGiver::ParentOrCarer || !named) {
        errors.push(FieldError::new(
            "/consent",
            "parent_or_carer_consent_required",
            "For applicants under 16, a parent or carer must agree: set given_by to parent_or_carer and give their name.",
        ));
    }
    errors
}

/// An advocate creates a profile for someone without an account, and becomes their advocate.
pub fn create_managed<S: AdvocacyStore + ?Sized>(
    store: &S,
    actor: &Actor,
    request: ManagedProfileRequest,
    now: DateTime<Utc>,
) -> Result<Profile, DomainError> {
    let today = now.date_naive();
    let mut errors: Vec<FieldError> = check_consent(&request.profile, &request.consent, today);
    let input = match request.profile.checked(today) {
        Ok(input) => Some(input),
        Err(DomainError::Invalid(e)) => {
            errors.extend(e.into_iter().map(|f| FieldError { field: format!("/profile{}", f.field), ..f }));
            None
        }
        Err(e) => return Err(e),
    };
    let Some(input) = input.filter(|_| errors.is_empty()) else { return Err(DomainError::Invalid(errors)) };
    let profile = Profile {
        id: Uuid::now_v7(),
        subject: None,
        input,
        managed_by: Some(actor.subject.clone()),
        consent: Some(request.consent),
        version: 1,
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
        version: 1,
        created_at: now,
        accepted_at: Some(now),
        revoked_at: None,
    };
    store.insert_managed_profile(&profile, &link)?;
    Ok(profile)
}

/// The applicants an advocate acts for.
pub fn my_applicants<S: AdvocacyStore + ?Sized>(
    store: &S,
    actor: &Actor,
    page: &PageRequest<Uuid>,
) -> Result<Page<Profile, Uuid>, DomainError> {
    Ok(store.profiles_advocated_by(&actor.subject, page)?)
}

/// A profile the advocate acts for (404 otherwise).
pub fn applicant_profile<S: AdvocacyStore + ProfileStore + ?Sized>(
    store: &S,
    actor: &Actor,
    profile_id: Uuid,
) -> Result<Profile, DomainError> {
    let profile = store.profile(profile_id)?;
    if is_advocate_for(store, actor, &profile)? { Ok(profile) } else { Err(DomainError::NotFound) }
}

/// The advocate replaces a profile they act for; `If-Match` is required.
pub fn update_applicant_profile<S: AdvocacyStore + ProfileStore + ?Sized>(
    store: &S,
    actor: &Actor,
    profile_id: Uuid,
    expected_version: i64,
    input: ProfileInput,
    now: DateTime<Utc>,
) -> Result<Profile, DomainError> {
    let current = applicant_profile(store, actor, profile_id)?;
    if current.version != expected_version {
        return Err(DomainError::PreconditionFailed);
    }
    let profile =
        Profile { input: input.checked(now.date_naive())?, version: current.version + 1, updated_at: now, ..current };
    store.update_profile(&profile, expected_version)?;
    Ok(profile)
}

/// An advocate adds supporting information to an application of someone they act for.
pub fn add_supporting_information<S: AdvocacyStore + ProfileStore + crate::ports::ApplicationStore + ?Sized>(
    store: &S,
    actor: &Actor,
    application_id: Uuid,
    text: &str,
    now: DateTime<Utc>,
) -> Result<SupportingInformation, DomainError> {
    let application = store.application(application_id)?;
    let profile = store.profile(application.profile_id)?;
    if !is_advocate_for(store, actor, &profile)? {
        return Err(DomainError::NotFound);
    }
    if !application.status.is_active() {
        return Err(DomainError::conflict(
            "application_not_active",
            "Supporting information can only be added while the application is waiting for an outcome.",
        ));
    }
    let text = text.trim();
    if !crate::model::validation::has_visible(text) || text.chars().count() > 4000 {
        return Err(DomainError::invalid("/text", "length", "Write 1 to 4000 characters."));
    }
    let info = SupportingInformation {
        id: Uuid::now_v7(),
        application_id,
        author_subject: actor.subject.clone(),
        text: text.to_string(),
        created_at: now,
    };
    store.insert_supporting_information(&info)?;
    Ok(info)
}
