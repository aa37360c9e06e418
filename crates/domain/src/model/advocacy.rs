//! Advocates: careers leaders, personal advisers, probation officers and other support workers who
//! act for applicants. An applicant links an advocate by email (the advocate accepts with the code
//! sent to them; the applicant can revoke the link), or an advocate manages a profile for someone
//! without an account, recording the consent given and, under 16, by whom.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use validator::Validate;

use crate::error::{FieldError, StoreError};
use crate::model::email::EmailAddress;
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::model::postcode::Postcode;
use crate::model::profile::{Consent, ConsentGiver, ProfileInput, age_on};
use crate::model::reference::code_enum;
use crate::model::validation::{field_errors, not_blank};
use crate::use_case_error::Invalid;
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

/// What an applicant sends to invite an advocate: `InviteRequest<String>` as sent, parsed into an
/// `InviteRequest` with an [`EmailAddress`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteRequest<E = EmailAddress> {
    pub email: E,
    pub relationship: Relationship,
}

impl InviteRequest<String> {
    pub fn parse(self) -> Result<InviteRequest, Invalid> {
        match EmailAddress::parse(&self.email) {
            Some(email) => Ok(InviteRequest { email, relationship: self.relationship }),
            None => Err(Invalid::one("/email", "email", "This is not an email address, such as name@example.org.")),
        }
    }
}

/// What an advocate sends to manage a profile for someone without an account:
/// `ManagedProfileRequest<String, String>` as sent, parsed into a `ManagedProfileRequest` whose
/// profile is parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagedProfileRequest<E = EmailAddress, P = Postcode> {
    pub profile: ProfileInput<E, P>,
    pub consent: Consent,
    pub relationship: Relationship,
}

impl ManagedProfileRequest<String, String> {
    /// Parses the request as of `today`, reporting every broken rule of the consent and the
    /// profile at once.
    pub fn parse(self, today: chrono::NaiveDate) -> Result<ManagedProfileRequest, Invalid> {
        let mut errors = check_consent(&self.profile, &self.consent, today);
        let profile = in_profile(self.profile.parse(today), &mut errors);
        match profile.filter(|_| errors.is_empty()) {
            Some(profile) => {
                Ok(ManagedProfileRequest { profile, consent: self.consent, relationship: self.relationship })
            }
            None => Err(Invalid(errors)),
        }
    }
}

/// A profile's check, its field errors moved under `/profile` and added to `errors`.
pub(crate) fn in_profile<T>(checked: Result<T, Invalid>, errors: &mut Vec<FieldError>) -> Option<T> {
    match checked {
        Ok(value) => Some(value),
        Err(Invalid(e)) => {
            errors.extend(e.into_iter().map(|f| FieldError { field: format!("/profile{}", f.field), ..f }));
            None
        }
    }
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

pub(crate) fn hash(code: &str) -> String {
    hex::encode(Sha256::digest(code.trim().to_ascii_uppercase().as_bytes()))
}

/// A fresh invitation code: 10 characters from an alphabet without look-alikes.
fn new_code() -> Result<String, StoreError> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Internal(e.to_string()))?;
    Ok(bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect())
}

/// A new pending link to `email`, with the code the advocate will need to accept it.
pub fn pending_link(
    profile_id: Uuid,
    email: &str,
    relationship: Relationship,
    now: DateTime<Utc>,
) -> Result<(AdvocateLink, String), StoreError> {
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

pub(crate) fn check_consent<E, P>(
    profile: &ProfileInput<E, P>,
    consent: &Consent,
    today: chrono::NaiveDate,
) -> Vec<FieldError> {
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

impl AdvocateLink {
    /// The event of a new link (`invited`, or `linked` when it is active from the start), by
    /// whoever made it: it names the profile, never the advocate (whose email the link keeps).
    pub fn created_event(&self, what: &'static str, by: impl Into<EventActor>) -> DomainEvent {
        DomainEvent::edit(Entity::AdvocateLink, self.id, self.version, what, by, self.created_at)
            .with("profile_id", self.profile_id)
    }
}
