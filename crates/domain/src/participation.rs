//! After a place is accepted: hosts named for a placement, the participants they and coordinators
//! may then see (each reveal written to the audit log), attendance, completion with a verifiable
//! certificate, and the feedback surveys of the Discovery Report's Appendix B.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

use crate::applying::visible_application;
use crate::error::{DomainError, FieldError, StoreError};
use crate::model::application::{Application, ApplicationEvent, ApplicationStatus, ChangedBy};
use crate::model::auth::{Actor, MembershipRole};
use crate::model::notification::{Notification, Template};
use crate::model::placement::Placement;
use crate::model::profile::SupportWorker;
use crate::model::reference::{UserGroup, code_enum};
use crate::ports::{
    AdvocacyStore, ApplicationStore, DrawStore, IdentityStore, ParticipationStore, PlacementStore, ProfileStore,
};
use std::fmt;

code_enum! {
    /// "Do you feel you are more likely to consider a career in health or social care?"
    Likelihood {
        ALotMoreLikely => ("a_lot_more_likely", "A lot more likely", "A lot more likely."),
        MoreLikely => ("more_likely", "More likely", "More likely."),
        TheSame => ("the_same", "I feel the same", "No change."),
        LessLikely => ("less_likely", "Less likely", "Less likely."),
        ALotLessLikely => ("a_lot_less_likely", "A lot less likely", "A lot less likely."),
    }
}

code_enum! {
    Agreement {
        StronglyAgree => ("strongly_agree", "Strongly agree", "Strongly agree."),
        Agree => ("agree", "Agree", "Agree."),
        SomewhatAgree => ("somewhat_agree", "Somewhat agree", "Somewhat agree."),
        Neither => ("neither_agree_nor_disagree", "Neither agree nor disagree", "Neither agree nor disagree."),
        SomewhatDisagree => ("somewhat_disagree", "Somewhat disagree", "Somewhat disagree."),
        StronglyDisagree => ("strongly_disagree", "Strongly disagree", "Strongly disagree."),
    }
}

code_enum! {
    /// The agreement statements of the evaluation survey (Discovery Report, Appendix B).
    Statement {
        BetterAbleToDecide => ("better_able_to_decide", "I feel better able to make decisions about my future career.", "Career decisions."),
        GainedNewInsights => ("gained_new_insights", "I feel I gained new insights into what it is like to work in health or social care.", "New insights."),
        GoodSectorToWorkIn => ("good_sector_to_work_in", "I feel that health or social care is a good sector to work in.", "Impression of the sector."),
        UnderstandSkillsAndQualities => ("understand_skills_and_qualities", "I feel I have a better understanding of the skills and qualities needed to work in health or social care.", "Skills and qualities."),
        RealisticInsights => ("realistic_insights", "I feel I was given realistic insights into working in health or social care.", "Realistic insights."),
    }
}

code_enum! {
    Recognition {
        Yes => ("yes", "Yes", "The host felt recognised for taking part."),
        Partly => ("partly", "Partly", "Partly recognised."),
        No => ("no", "No", "Not recognised."),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ParticipantFeedback {
    pub more_likely_to_consider: Likelihood,
    /// An answer for each statement you choose to answer, by statement code.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = std::collections::BTreeMap<String, Agreement>, example = json!({"better_able_to_decide": "agree", "realistic_insights": "strongly_agree"})))]
    pub agreement: BTreeMap<Statement, Agreement>,
    #[serde(default)]
    pub comments: Option<String>,
    /// Did you complete a pre-placement e-learning module? (The report's measure: at least half
    /// of applicants complete one.)
    #[serde(default)]
    pub completed_pre_module: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HostFeedback {
    /// Would you be happy to host more work experience participants?
    pub would_host_again: bool,
    /// Did you feel suitably recognised for taking part?
    pub felt_recognised: Recognition,
    #[serde(default)]
    pub comments: Option<String>,
}

/// A participant as coordinators and hosts see them once a place is accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub application_id: Uuid,
    pub status: ApplicationStatus,
    pub preferred_name: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub adjustments: Option<String>,
    pub support_worker: Option<SupportWorker>,
    pub user_groups: Vec<UserGroup>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_subject: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub details: String,
}

impl AuditEntry {
    pub fn new(
        actor: &str,
        action: &str,
        object_type: &str,
        object_id: Uuid,
        details: String,
        now: DateTime<Utc>,
    ) -> Self {
        AuditEntry {
            id: Uuid::now_v7(),
            at: now,
            actor_subject: actor.to_string(),
            action: action.to_string(),
            object_type: object_type.to_string(),
            object_id: object_id.to_string(),
            details,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// The code anyone can verify at `GET /v1/certificates/{code}`.
    pub code: String,
    pub application_id: Uuid,
    pub placement_id: Uuid,
    /// The participant's initials only.
    pub initials: String,
    pub issued_at: DateTime<Utc>,
}

/// The roles that may see a placement's participants: its coordinators and named hosts.
fn viewer_role<S: ParticipationStore + ?Sized>(
    store: &S,
    actor: &Actor,
    placement: &Placement,
) -> Result<Option<ChangedBy>, DomainError> {
    if actor.coordinates(placement.organisation_id) {
        Ok(Some(ChangedBy::Coordinator))
    } else if actor.memberships.contains(&(placement.organisation_id, MembershipRole::Host))
        && store.is_host(placement.id, &actor.subject)?
    {
        // Named for the placement and still a host of the organisation: a revoked role ends access.
        Ok(Some(ChangedBy::Host))
    } else {
        Ok(None)
    }
}

/// Coordinators name a host for a placement: someone who holds the host role in the organisation.
pub fn add_host<S: PlacementStore + IdentityStore + ParticipationStore + ?Sized>(
    store: &S,
    actor: &Actor,
    placement_id: Uuid,
    subject: &str,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    let placement = store.placement(placement_id)?;
    actor.require_owner_of(placement.organisation_id)?;
    let subject = subject.trim();
    let grants = store.grants_of(subject)?;
    if !grants.memberships.contains(&(placement.organisation_id, MembershipRole::Host)) {
        return Err(DomainError::invalid(
            "/subject",
            "not_a_host",
            "This person is not a host of the organisation: an administrator must grant them the host role first.",
        ));
    }
    match store.add_host(placement_id, subject, &actor.subject, now) {
        Ok(()) => Ok(()),
        Err(StoreError::Duplicate) => {
            Err(DomainError::conflict("already_named", "This host is already named for the placement."))
        }
        Err(e) => Err(e.into()),
    }
}

pub fn hosts<S: PlacementStore + ParticipationStore + ?Sized>(
    store: &S,
    actor: &Actor,
    placement_id: Uuid,
) -> Result<Vec<String>, DomainError> {
    let placement = store.placement(placement_id)?;
    actor.require_owner_of(placement.organisation_id)?;
    Ok(store.hosts_of(placement_id)?)
}

pub fn remove_host<S: PlacementStore + ParticipationStore + ?Sized>(
    store: &S,
    actor: &Actor,
    placement_id: Uuid,
    subject: &str,
) -> Result<(), DomainError> {
    let placement = store.placement(placement_id)?;
    actor.require_owner_of(placement.organisation_id)?;
    Ok(store.remove_host(placement_id, subject)?)
}

/// The participants of a placement (applications holding an accepted place), with the identity
/// and support details the placement needs. Each reveal is written to the audit log.
pub fn participants<S: PlacementStore + ProfileStore + DrawStore + ParticipationStore + ?Sized>(
    store: &S,
    actor: &Actor,
    placement_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(Placement, Vec<Participant>), DomainError> {
    let placement = store.placement(placement_id)?;
    let Some(role) = viewer_role(store, actor, &placement)? else { return Err(DomainError::NotFound) };
    let holding = [
        ApplicationStatus::Accepted,
        ApplicationStatus::Attended,
        ApplicationStatus::DidNotAttend,
        ApplicationStatus::Completed,
    ];
    let apps: Vec<Application> = store
        .all_applications_for_placement(placement_id)?
        .into_iter()
        .filter(|a| holding.contains(&a.status))
        .collect();
    let ids: Vec<Uuid> = apps.iter().map(|a| a.profile_id).collect();
    let profiles = store.profiles_by_ids(&ids)?;
    let mut out = Vec::new();
    let mut audit = Vec::new();
    for app in apps {
        let Some(p) = profiles.iter().find(|p| p.id == app.profile_id) else { continue };
        audit.push(AuditEntry::new(
            &actor.subject,
            "identity_revealed",
            "application",
            app.id,
            format!(
                "name, contact details, adjustments and support worker shown to a {} of placement {placement_id}",
                role.code()
            ),
            now,
        ));
        out.push(Participant {
            application_id: app.id,
            status: app.status,
            preferred_name: p.input.preferred_name.clone(),
            email: p.input.email.clone(),
            phone: p.input.phone.clone(),
            adjustments: p.input.adjustments.clone(),
            support_worker: p.input.support_worker.clone(),
            user_groups: p.input.user_groups.clone(),
        });
    }
    if !audit.is_empty() {
        store.record_audit(&audit)?;
    }
    Ok((placement, out))
}

fn held_application<S: PlacementStore + ApplicationStore + ParticipationStore + ?Sized>(
    store: &S,
    actor: &Actor,
    application_id: Uuid,
) -> Result<(Application, Placement, ChangedBy), DomainError> {
    let app = store.application(application_id)?;
    let placement = store.placement(app.placement_id)?;
    match viewer_role(store, actor, &placement)? {
        Some(role) => Ok((app, placement, role)),
        None => Err(DomainError::NotFound),
    }
}

/// A host or coordinator records whether a participant came.
pub fn record_attendance<S: PlacementStore + ApplicationStore + ParticipationStore + ?Sized>(
    store: &S,
    actor: &Actor,
    application_id: Uuid,
    attended: bool,
    now: DateTime<Utc>,
) -> Result<Application, DomainError> {
    let (app, placement, role) = held_application(store, actor, application_id)?;
    // Attendance can be corrected until the placement is marked complete.
    if !matches!(
        app.status,
        ApplicationStatus::Accepted | ApplicationStatus::Attended | ApplicationStatus::DidNotAttend
    ) {
        return Err(DomainError::conflict(
            "not_a_participant",
            format!("Attendance is recorded for participants holding a place; this application is {}.", app.status),
        ));
    }
    if now.date_naive() < placement.details.start_date {
        return Err(DomainError::conflict("not_started", "Attendance can be recorded once the placement has started."));
    }
    let status = if attended { ApplicationStatus::Attended } else { ApplicationStatus::DidNotAttend };
    let updated = Application { status, version: app.version + 1, updated_at: now, ..app.clone() };
    let event = ApplicationEvent::new(&updated, Some(app.status), (&actor.subject, role), None, now);
    store.transition_application(&updated, app.version, &event, &[])?;
    Ok(updated)
}

fn initials(name: Option<&str>) -> String {
    name.unwrap_or_default().split_whitespace().filter_map(|w| w.chars().next()).flat_map(char::to_uppercase).collect()
}

fn certificate_code() -> Result<String, DomainError> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(|e| DomainError::Store(StoreError::Internal(e.to_string())))?;
    Ok(bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect())
}

/// A host or coordinator marks an attended placement completed: a certificate is issued and the
/// participant is asked for feedback.
pub fn complete<S: PlacementStore + ApplicationStore + ProfileStore + ParticipationStore + ?Sized>(
    store: &S,
    actor: &Actor,
    application_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(Application, Certificate), DomainError> {
    let (app, placement, role) = held_application(store, actor, application_id)?;
    if app.status != ApplicationStatus::Attended {
        return Err(DomainError::conflict(
            "not_attended",
            format!("Only an attended placement can be completed; this application is {}.", app.status),
        ));
    }
    let profile = store.profile(app.profile_id)?;
    let updated =
        Application { status: ApplicationStatus::Completed, version: app.version + 1, updated_at: now, ..app.clone() };
    let event = ApplicationEvent::new(&updated, Some(app.status), (&actor.subject, role), None, now);
    let certificate = Certificate {
        code: certificate_code()?,
        application_id,
        placement_id: placement.id,
        initials: initials(profile.input.preferred_name.as_deref()),
        issued_at: now,
    };
    let title = &placement.details.title;
    let request = Notification::new(
        &profile.input.email,
        Template::FeedbackRequest,
        format!("Well done, and tell us how it went: {title}"),
        format!(
            "You have completed \"{title}\". Your certificate code is {}: anyone can check it. Please tell us how it went (POST /v1/applications/{application_id}/feedback); it takes two minutes and helps the NHS improve work experience.",
            certificate.code
        ),
        Some(application_id),
        now,
    );
    store.complete_with_certificate(&updated, app.version, &event, &certificate, &[request])?;
    Ok((updated, certificate))
}

/// The public view of a certificate: placement, organisation, dates and initials only.
pub fn verify_certificate<S: ParticipationStore + PlacementStore + ?Sized>(
    store: &S,
    code: &str,
) -> Result<(Certificate, Placement), DomainError> {
    let certificate = store.certificate(&code.trim().to_ascii_uppercase())?;
    let placement = store.placement(certificate.placement_id)?;
    Ok((certificate, placement))
}

fn check_comments(comments: &Option<String>) -> Result<(), DomainError> {
    if comments.as_ref().is_some_and(|c| c.chars().count() > 2000) {
        return Err(DomainError::Invalid(vec![FieldError::new(
            "/comments",
            "too_long",
            "Keep comments to 2000 characters.",
        )]));
    }
    if comments.as_ref().is_some_and(|c| !c.is_empty() && !crate::model::validation::has_visible(c)) {
        return Err(DomainError::invalid("/comments", "required", "Write something, or leave comments out."));
    }
    Ok(())
}

/// The participant (or their advocate) answers the survey once, after completing.
pub fn give_feedback<S: ApplicationStore + ProfileStore + AdvocacyStore + ParticipationStore + ?Sized>(
    store: &S,
    actor: &Actor,
    application_id: Uuid,
    feedback: &ParticipantFeedback,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    let (app, _, _) = visible_application(store, actor, application_id)?;
    if app.status != ApplicationStatus::Completed {
        return Err(DomainError::conflict("not_completed", "Feedback is asked for once the placement is completed."));
    }
    check_comments(&feedback.comments)?;
    match store.insert_participant_feedback(application_id, feedback, now) {
        Err(StoreError::Duplicate) => {
            Err(DomainError::conflict("feedback_already_given", "Feedback has already been given for this placement."))
        }
        other => Ok(other?),
    }
}

/// A named host answers the host survey for a placement, once.
pub fn give_host_feedback<S: PlacementStore + ParticipationStore + ?Sized>(
    store: &S,
    actor: &Actor,
    placement_id: Uuid,
    feedback: &HostFeedback,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    let placement = store.placement(placement_id)?;
    if viewer_role(store, actor, &placement)? != Some(ChangedBy::Host) {
        return Err(DomainError::NotFound);
    }
    if now.date_naive() < placement.details.start_date {
        return Err(DomainError::conflict("not_started", "Host feedback is asked for once the placement has started."));
    }
    check_comments(&feedback.comments)?;
    match store.insert_host_feedback(placement_id, &actor.subject, feedback, now) {
        Err(StoreError::Duplicate) => {
            Err(DomainError::conflict("feedback_already_given", "You have already given feedback for this placement."))
        }
        other => Ok(other?),
    }
}

/// Admins read the audit log.
pub fn audit_log<S: ParticipationStore + ?Sized>(
    store: &S,
    actor: &Actor,
    page: &crate::model::page::PageRequest<Uuid>,
) -> Result<crate::model::page::Page<AuditEntry, Uuid>, DomainError> {
    actor.require_admin()?;
    Ok(store.audit_entries(page)?)
}

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn initials_take_the_first_letter_of_each_word() {
        assert_eq!(initials(Some("jo  bloggs")), "JB");
        assert_eq!(initials(Some("Ōla")), "Ō");
        assert_eq!(initials(None), "");
    }
}
