//! Who the caller is and what the platform's own records let them do.
//!
//! A token only proves identity (`sub`). Roles inside the platform (platform admin or analyst,
//! coordinator or host of an organisation) are grants stored in the database; anyone signed in may
//! act as an applicant.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::codes;
use crate::error::{DomainError, FieldError, NotFound};
use crate::model::reference::OrganisationKind;
use crate::model::reference::code_enum;
use std::fmt;

code_enum! {
    /// The roles of product.md. A token minted in the sandbox names one; production identity
    /// providers do not, and the platform never trusts a role claim.
    Role {
        Applicant => ("applicant", "Applicant", "A person seeking work experience."),
        Advocate => ("advocate", "Advocate", "A careers leader or support worker acting for applicants who linked them."),
        Coordinator => ("coordinator", "Coordinator", "NHS staff who run work experience for their organisation."),
        Host => ("host", "Host", "A department's staff member hosting participants."),
        ProviderCoordinator => ("provider_coordinator", "Provider coordinator", "A college's T level placement coordinator, who manages its students and proposes them for T level placements."),
        Analyst => ("analyst", "Analyst", "Central or regional staff who read aggregated, suppressed reports."),
        Admin => ("admin", "Administrator", "Central service team: organisations, memberships, reference content."),
        DataProtectionOfficer => ("data_protection_officer", "Data protection officer", "Reads the audit trail of who saw whose personal data, and nothing else."),
    }
}

code_enum! {
    /// Roles held across the whole platform.
    PlatformRole {
        Admin => ("admin", "Administrator", "Manages organisations, memberships and reference content."),
        Analyst => ("analyst", "Analyst", "Reads aggregated, suppressed reports."),
        DataProtectionOfficer => ("data_protection_officer", "Data protection officer", "Reads the audit trail of who saw whose personal data, and nothing else an admin may do."),
    }
}

code_enum! {
    /// Roles held within one organisation.
    MembershipRole {
        Coordinator => ("coordinator", "Coordinator", "Manages the organisation's sites, departments and placements."),
        Host => ("host", "Host", "Hosts participants in one of the organisation's departments."),
        ProviderCoordinator => ("provider_coordinator", "Provider coordinator", "Manages an education provider's students and proposes them for T level placements (education providers only)."),
    }
}

impl Role {
    /// The stored grant a sandbox token for this role needs, if any.
    pub fn grant(self) -> Option<Grant> {
        match self {
            Role::Admin => Some(Grant::Platform(PlatformRole::Admin)),
            Role::Analyst => Some(Grant::Platform(PlatformRole::Analyst)),
            Role::DataProtectionOfficer => Some(Grant::Platform(PlatformRole::DataProtectionOfficer)),
            Role::Coordinator => Some(Grant::Membership(MembershipRole::Coordinator)),
            Role::Host => Some(Grant::Membership(MembershipRole::Host)),
            Role::ProviderCoordinator => Some(Grant::Membership(MembershipRole::ProviderCoordinator)),
            Role::Applicant | Role::Advocate => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    Platform(PlatformRole),
    Membership(MembershipRole),
}

/// A person's role in one organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub subject: String,
    pub role: MembershipRole,
    pub granted_by: String,
    pub created_at: DateTime<Utc>,
}

/// A platform-wide role held by a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformRoleGrant {
    pub id: Uuid,
    pub subject: String,
    pub role: PlatformRole,
    pub granted_by: String,
    pub created_at: DateTime<Utc>,
}

/// The longest subject the platform stores; identity providers' subjects are far shorter.
pub const MAX_SUBJECT_LEN: usize = 255;

/// Everything the platform has granted one person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grants {
    pub platform_roles: Vec<PlatformRole>,
    pub memberships: Vec<(Uuid, MembershipRole)>,
}

/// A signed-in caller with the grants the platform holds for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub subject: String,
    pub platform_roles: Vec<PlatformRole>,
    pub memberships: Vec<(Uuid, MembershipRole)>,
    /// The organisation API client this caller is (`None` for a person). A client holds its
    /// organisation's coordinator membership, narrowed by its scopes before any use case runs,
    /// and never keeps the organisation's own settings (see [`Actor::is_client`]).
    pub client: Option<Uuid>,
}

impl Actor {
    pub fn new(subject: impl Into<String>) -> Self {
        Self { subject: subject.into(), platform_roles: Vec::new(), memberships: Vec::new(), client: None }
    }

    pub fn is_client(&self) -> bool {
        self.client.is_some()
    }

    pub fn is_admin(&self) -> bool {
        self.platform_roles.contains(&PlatformRole::Admin)
    }

    /// Platform admins and data protection officers read the audit trail.
    pub fn reads_audit_trail(&self) -> bool {
        self.is_admin() || self.platform_roles.contains(&PlatformRole::DataProtectionOfficer)
    }

    pub fn coordinates(&self, organisation_id: Uuid) -> bool {
        self.memberships.contains(&(organisation_id, MembershipRole::Coordinator))
    }

    /// Whether the caller is a provider coordinator of this education provider.
    pub fn coordinates_provider(&self, organisation_id: Uuid) -> bool {
        self.memberships.contains(&(organisation_id, MembershipRole::ProviderCoordinator))
    }

    pub fn require_admin(&self) -> Result<(), DomainError> {
        if self.is_admin() { Ok(()) } else { Err(DomainError::Forbidden(&codes::ADMIN_ROLE_REQUIRED)) }
    }

    /// For actions on an organisation the caller can see but may only change as its coordinator.
    pub fn require_coordinator_of(&self, organisation_id: Uuid) -> Result<(), DomainError> {
        if self.coordinates(organisation_id) {
            Ok(())
        } else {
            Err(DomainError::Forbidden(&codes::COORDINATOR_ROLE_REQUIRED))
        }
    }

    /// For objects of an organisation the caller does not coordinate: they are refused as if absent.
    pub fn require_owner_of(&self, organisation_id: Uuid) -> Result<(), NotFound> {
        if self.coordinates(organisation_id) { Ok(()) } else { Err(NotFound) }
    }
}

/// Why `role` cannot be held in an organisation of `kind`, pointing at `/role`: provider
/// coordinators belong to education providers only, and an education provider runs no placements
/// of its own, so it has no coordinators or hosts.
pub fn membership_kind_error(kind: OrganisationKind, role: MembershipRole) -> Option<FieldError> {
    let provider = kind == OrganisationKind::EducationProvider;
    match (role, provider) {
        (MembershipRole::ProviderCoordinator, false) => Some(FieldError::new(
            "/role",
            "role_not_for_organisation_kind",
            "Provider coordinators belong to an education provider: grant this role in an organisation of kind education_provider.",
        )),
        (MembershipRole::Coordinator | MembershipRole::Host, true) => Some(FieldError::new(
            "/role",
            "role_not_for_organisation_kind",
            "An education provider runs no placements, so it has no coordinators or hosts: grant provider_coordinator instead.",
        )),
        _ => None,
    }
}

/// Checks a subject from a token or a request body.
pub fn valid_subject(subject: &str) -> bool {
    crate::model::validation::has_visible(subject)
        && subject.len() <= MAX_SUBJECT_LEN
        && !subject.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinating_one_organisation_does_not_reach_another() {
        let org = Uuid::now_v7();
        let other = Uuid::now_v7();
        let mut actor = Actor::new("c1");
        actor.memberships.push((org, MembershipRole::Coordinator));
        actor.memberships.push((other, MembershipRole::Host));
        assert!(actor.require_owner_of(org).is_ok());
        assert_eq!(actor.require_owner_of(other), Err(NotFound));
        assert_eq!(actor.require_admin(), Err(DomainError::Forbidden(&codes::ADMIN_ROLE_REQUIRED)));
    }

    #[test]
    fn subjects_are_bounded_and_printable() {
        assert!(valid_subject("auth0|abc"));
        assert!(!valid_subject("  "));
        assert!(!valid_subject("a\nb"));
        assert!(!valid_subject(&"x".repeat(256)));
    }
}
