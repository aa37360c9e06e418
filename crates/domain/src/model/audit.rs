//! The audit trail: one entry for every read of another person's identifying data, every role
//! granted or revoked and every erasure, saying who acted, in which role and for which
//! organisation, whose data it was, why, and in which request.

use chrono::{DateTime, Utc};
use std::fmt;
use uuid::Uuid;

use crate::model::api_client::Attribution;
use crate::model::auth::Actor;
use crate::model::reference::code_enum;

code_enum! {
    /// The role a person acted in when an audit entry was written.
    AuditRole {
        Applicant => ("applicant", "Applicant", "The applicant, about their own data."),
        Advocate => ("advocate", "Advocate", "An advocate acting for an applicant who linked them."),
        Coordinator => ("coordinator", "Coordinator", "A coordinator of the organisation named."),
        Host => ("host", "Host", "A host of the organisation named, named for the placement."),
        ProviderCoordinator => ("provider_coordinator", "Provider coordinator", "A provider coordinator of the education provider named, about one of its students."),
        ApiClient => ("api_client", "API client", "An organisation's system, acting as its coordinator."),
        Admin => ("admin", "Administrator", "A platform admin."),
        DataProtectionOfficer => ("data_protection_officer", "Data protection officer", "A data protection officer."),
        Platform => ("platform", "Platform", "The platform itself, applying a rule such as retention."),
    }
}

code_enum! {
    /// What an audit entry records.
    AuditAction {
        IdentityRevealed => ("identity_revealed", "Participant shown", "A participant's name, contact details, adjustments and support worker were shown to a coordinator or host of their placement."),
        SubjectAccessExport => ("subject_access_export", "Data exported", "Everything held about an applicant was exported, by them or an advocate."),
        ApplicantListed => ("applicant_listed", "Applicant listed", "An applicant's profile was listed to an advocate who acts for them."),
        ApplicantProfileRead => ("applicant_profile_read", "Profile read", "An applicant's profile was read by an advocate who acts for them."),
        ApplicantApplicationsRead => ("applicant_applications_read", "Applications read", "An applicant's applications were listed to an advocate who acts for them."),
        ApplicationRead => ("application_read", "Application read", "An application, with its supporting information, was read by an advocate of the applicant."),
        EqualityAnswersRead => ("equality_answers_read", "Equality answers read", "Equality answers an advocate gave for an applicant were read back by them."),
        MembershipGranted => ("membership_granted", "Membership granted", "An admin made someone a coordinator or host of an organisation."),
        MembershipRevoked => ("membership_revoked", "Membership revoked", "An admin ended someone's membership of an organisation."),
        PlatformRoleGranted => ("platform_role_granted", "Platform role granted", "An admin gave someone a platform role."),
        PlatformRoleRevoked => ("platform_role_revoked", "Platform role revoked", "An admin ended someone's platform role."),
        ReadinessDetailsShown => ("readiness_details_shown", "Readiness details shown", "A participant's emergency contact or the details of a parent's or carer's consent were shown: to the participant, an advocate acting for them, or a coordinator of their placement."),
        StudentListed => ("student_listed", "Student listed", "A student's profile was listed to a provider coordinator of their education provider."),
        StudentRead => ("student_read", "Student read", "A student's profile was read by a provider coordinator of their education provider."),
        StudentApplicationsRead => ("student_applications_read", "Student's proposals read", "A student's proposals and placements were listed to a provider coordinator of their education provider."),
        ProposalShown => ("proposal_shown", "Proposal shown", "A student's name, course and college were shown to a coordinator deciding on the college's proposal for their placement."),
        ApplicantErased => ("applicant_erased", "Applicant erased", "An applicant's personal data was erased, at their request or by an admin."),
    }
}

impl AuditAction {
    /// Why the platform does this, when the use case has no reason of its own to record: a fixed
    /// purpose code.
    pub fn purpose(self) -> &'static str {
        match self {
            AuditAction::IdentityRevealed | AuditAction::ReadinessDetailsShown => "running_the_placement",
            AuditAction::SubjectAccessExport => "subject_access_request",
            AuditAction::ApplicantListed
            | AuditAction::ApplicantProfileRead
            | AuditAction::ApplicantApplicationsRead
            | AuditAction::ApplicationRead
            | AuditAction::EqualityAnswersRead => "acting_for_the_applicant",
            AuditAction::StudentListed | AuditAction::StudentRead | AuditAction::StudentApplicationsRead => {
                "placing_the_student"
            }
            AuditAction::ProposalShown => "deciding_a_proposal",
            AuditAction::MembershipGranted
            | AuditAction::MembershipRevoked
            | AuditAction::PlatformRoleGranted
            | AuditAction::PlatformRoleRevoked => "role_administration",
            AuditAction::ApplicantErased => "erasure_request",
        }
    }
}

/// The role someone acted in, and the organisation when the role is one of an organisation's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActingAs {
    pub role: AuditRole,
    pub organisation_id: Option<Uuid>,
}

impl ActingAs {
    /// `role` for `organisation_id`; an API client always acts as its organisation's system,
    /// whatever membership it holds, so it is recorded as one.
    pub fn of(actor: &Actor, role: AuditRole, organisation_id: Option<Uuid>) -> Self {
        let role = if actor.is_client() { AuditRole::ApiClient } else { role };
        ActingAs { role, organisation_id }
    }
}

/// What a unit of work's store stamps on every audit entry it records, so that no use case has to
/// (and none can forget): the request it serves, and the API client and who it acted for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stamp {
    pub request_id: Option<Uuid>,
    pub attribution: Option<Attribution>,
}

impl Stamp {
    pub fn is_empty(&self) -> bool {
        self.request_id.is_none() && self.attribution.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_subject: String,
    /// `None` only for entries written before roles were recorded.
    pub acting_as: Option<ActingAs>,
    pub action: AuditAction,
    pub object_type: String,
    pub object_id: String,
    /// The applicant profile whose data it was, so that entries are found by person even when the
    /// object is one of their applications.
    pub data_subject: Option<Uuid>,
    /// The account the action was about when that person has no applicant profile in it: whom a
    /// role was granted to or taken from.
    pub about_subject: Option<String>,
    /// The reason given (an admin's erasure), or else the action's purpose code. `None` only for
    /// entries written before reasons were recorded.
    pub reason: Option<String>,
    /// Written by the code: roles and ids, never what was seen.
    pub details: String,
    /// The request that wrote it. Filled in by the store from the unit of work, never by the use
    /// case.
    pub request_id: Option<Uuid>,
    /// The API client that looked and who it acted for, if a client looked. Filled in by the
    /// store from the unit of work, never by the use case.
    pub attribution: Option<Attribution>,
}

impl AuditEntry {
    /// An entry for `action` on an object, by `actor` acting as `acting_as`, with the action's
    /// purpose as its reason; say whose data it was with [`AuditEntry::about`].
    pub fn new(
        actor: &Actor,
        acting_as: ActingAs,
        action: AuditAction,
        object_type: &str,
        object_id: Uuid,
        now: DateTime<Utc>,
    ) -> Self {
        AuditEntry {
            id: Uuid::now_v7(),
            at: now,
            actor_subject: actor.subject.clone(),
            acting_as: Some(acting_as),
            action,
            object_type: object_type.to_string(),
            object_id: object_id.to_string(),
            data_subject: None,
            about_subject: None,
            reason: Some(action.purpose().to_string()),
            details: action.description().to_string(),
            request_id: None,
            attribution: None,
        }
    }

    /// An erasure of the applicant profile `profile_id`, by `actor` acting as `role` (the
    /// applicant themselves, an advocate, or an admin on request), with the reason given if any.
    pub fn erasure(actor: &Actor, role: AuditRole, profile_id: Uuid, reason: Option<&str>, now: DateTime<Utc>) -> Self {
        let entry = AuditEntry::new(
            actor,
            ActingAs::of(actor, role, None),
            AuditAction::ApplicantErased,
            "applicant_profile",
            profile_id,
            now,
        )
        .about(profile_id);
        match reason {
            Some(reason) => entry.because(reason),
            None => entry,
        }
    }

    /// Whose data it was: an applicant profile.
    pub fn about(mut self, profile_id: Uuid) -> Self {
        self.data_subject = Some(profile_id);
        self
    }

    /// Whose account it was about, when they have no applicant profile in it (a role's holder).
    pub fn about_account(mut self, subject: &str) -> Self {
        self.about_subject = Some(subject.to_string());
        self
    }

    /// The reason given, in place of the action's purpose code.
    pub fn because(mut self, reason: &str) -> Self {
        self.reason = Some(reason.to_string());
        self
    }

    /// What was shown or done, in roles and ids, in place of the action's description.
    pub fn details(mut self, details: String) -> Self {
        self.details = details;
        self
    }
}

/// Which audit entries to read: every filter given must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub data_subject: Option<Uuid>,
    pub actor: Option<String>,
    pub action: Option<AuditAction>,
    /// Newest first instead of oldest first.
    pub newest_first: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_api_client_is_recorded_as_one_whatever_membership_it_holds() {
        let org = Uuid::now_v7();
        let mut client = Actor::new("client:x");
        client.client = Some(Uuid::now_v7());
        assert_eq!(ActingAs::of(&client, AuditRole::Coordinator, Some(org)).role, AuditRole::ApiClient);
        assert_eq!(ActingAs::of(&Actor::new("c"), AuditRole::Coordinator, Some(org)).role, AuditRole::Coordinator);
    }

    #[test]
    fn an_erasure_names_the_person_and_the_reason_given_or_its_purpose() {
        let admin = Actor::new("admin-1");
        let profile = Uuid::now_v7();
        let e = AuditEntry::erasure(&admin, AuditRole::Admin, profile, Some("asked by phone"), Utc::now());
        assert_eq!((e.data_subject, e.reason.as_deref()), (Some(profile), Some("asked by phone")));
        let e = AuditEntry::erasure(&admin, AuditRole::Applicant, profile, None, Utc::now());
        assert_eq!(e.reason.as_deref(), Some("erasure_request"));
    }
}
