//! The subject access export (UK GDPR Article 15): everything held about one applicant, read in
//! one transaction, and the export itself written to the audit log.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::advocacy::{NotYoursError, applicant_profile};
use crate::error::StoreError;
use crate::model::advocacy::{AdvocateLink, SupportingInformation};
use crate::model::application::ApplicationEvent;
use crate::model::audit::{ActingAs, AuditAction, AuditRole};
use crate::model::auth::Actor;
use crate::model::equality::Response;
use crate::model::notification::Notification;
use crate::model::participation::{AuditEntry, Certificate};
use crate::model::profile::Profile;
use crate::model::provider::Student;
use crate::model::readiness::ItemRecord;
use crate::model::t_level::{Agreement, HoursEntry, Review};
use crate::ports::{FrozenCharacteristics, GivenFeedback, Store};
use crate::profiles::{OwnProfileError, own_profile};
use crate::providers::{StudentAccessError, student_of};
use crate::read::applications::{ApplicationRecord, all_applications_of, records_of};
use crate::unit_of_work::write;
use crate::use_case_error::NotFound;

crate::use_case_error! {
    /// Why no export could be made: the caller has no profile, or (for an advocate) the profile
    /// is not one they act for, and they may not learn that it exists.
    pub enum ExportError {
        NotFound(NotFound),
        Store(StoreError),
    }
}

impl From<OwnProfileError> for ExportError {
    fn from(e: OwnProfileError) -> Self {
        match e {
            OwnProfileError::NotFound(e) => e.into(),
            OwnProfileError::Store(e) => e.into(),
        }
    }
}

impl From<StudentAccessError> for ExportError {
    fn from(e: StudentAccessError) -> Self {
        match e {
            StudentAccessError::NotFound(e) => e.into(),
            StudentAccessError::Store(e) => e.into(),
        }
    }
}

impl From<NotYoursError> for ExportError {
    fn from(e: NotYoursError) -> Self {
        match e {
            NotYoursError::NotFound(e) => e.into(),
            NotYoursError::Store(e) => e.into(),
        }
    }
}

/// One application with everything held beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportedApplication {
    /// The application, its placement and organisation, its latest offer and waiting list number.
    pub record: ApplicationRecord,
    /// Every change of status (attendance included), oldest first.
    pub history: Vec<ApplicationEvent>,
    pub supporting_information: Vec<SupportingInformation>,
    pub certificate: Option<Certificate>,
    pub feedback: Option<GivenFeedback>,
    /// What reports count the application by, frozen at its placement's draw (or at erasure).
    pub characteristics_at_draw: Option<FrozenCharacteristics>,
    /// The readiness checklist items done or overridden, with the emergency contact's and the
    /// consent-giver's details.
    pub readiness: Vec<ItemRecord>,
    /// For an accepted T-level place: its agreement, the hours logged and the reviews.
    pub t_level: Option<TLevelRecord>,
}

/// What a T-level place holds about its student.
#[derive(Debug, Clone, PartialEq)]
pub struct TLevelRecord {
    pub agreement: Agreement,
    pub hours: Vec<HoursEntry>,
    pub reviews: Vec<Review>,
}

/// Everything held about one applicant.
#[derive(Debug, Clone, PartialEq)]
pub struct SubjectAccessExport {
    pub generated_at: DateTime<Utc>,
    pub profile: Profile,
    pub applications: Vec<ExportedApplication>,
    pub equality: Option<Response>,
    /// The links of advocates acting for the applicant.
    pub advocate_links: Vec<AdvocateLink>,
    /// The links in which the applicant acts for someone else (their own export only).
    pub links_as_advocate: Vec<AdvocateLink>,
    /// Every message written to the applicant, and every message about their applications (the
    /// copies to their advocates and support worker).
    pub messages: Vec<Notification>,
    /// Who looked at the applicant's data, and earlier exports.
    pub audit_entries: Vec<AuditEntry>,
    /// For an education provider's student: the provider and their course.
    pub student: Option<Student>,
}

/// The caller's own export (404 without a profile). Read in one transaction so that the parts
/// agree with each other, which also holds the audit entry the export writes.
pub fn export_mine(store: &dyn Store, actor: &Actor, now: DateTime<Utc>) -> Result<SubjectAccessExport, ExportError> {
    write(store, |s| {
        let profile = own_profile(s, actor)?;
        let as_advocate = s.links_of_advocate(&actor.subject)?;
        let export = gather(s, profile, None, as_advocate, now)?;
        audit(s, actor, AuditRole::Applicant, &export, "by the applicant", now)?;
        Ok(export)
    })
}

/// The export of an applicant an advocate acts for: an active link is the consent (the applicant
/// invited them, or they recorded a parent's or carer's consent when creating the profile); 404
/// for anyone else. Equality answers are included only when this advocate gave them: those the
/// applicant gave are theirs alone.
pub fn export_for_applicant(
    store: &dyn Store,
    actor: &Actor,
    profile_id: Uuid,
    now: DateTime<Utc>,
) -> Result<SubjectAccessExport, ExportError> {
    write(store, |s| {
        let profile = applicant_profile(s, actor, profile_id)?;
        let export = gather(s, profile, Some(actor), Vec::new(), now)?;
        audit(s, actor, AuditRole::Advocate, &export, "by an advocate with an active link", now)?;
        Ok(export)
    })
}

/// The export of a student, for a provider coordinator of their education provider (404 for
/// anyone else): the provider recorded the consent when it added the student, who has no account
/// to ask from. Equality answers are included only when this coordinator gave them.
pub fn export_for_student(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    profile_id: Uuid,
    now: DateTime<Utc>,
) -> Result<SubjectAccessExport, ExportError> {
    write(store, |s| {
        let (_, profile) = student_of(s, actor, organisation_id, profile_id)?;
        let export = gather(s, profile, Some(actor), Vec::new(), now)?;
        audit(
            s,
            actor,
            AuditRole::ProviderCoordinator,
            &export,
            "by a provider coordinator of the student's college",
            now,
        )?;
        Ok(export)
    })
}

fn gather(
    store: &dyn Store,
    profile: Profile,
    advocate: Option<&Actor>,
    links_as_advocate: Vec<AdvocateLink>,
    now: DateTime<Utc>,
) -> Result<SubjectAccessExport, StoreError> {
    let apps = all_applications_of(store, profile.id)?;
    let ids: Vec<Uuid> = apps.iter().map(|a| a.id).collect();
    let mut certificates: HashMap<Uuid, Certificate> =
        store.certificates_of(&ids)?.into_iter().map(|c| (c.application_id, c)).collect();
    let mut feedback: HashMap<Uuid, GivenFeedback> =
        store.feedback_on(&ids)?.into_iter().map(|f| (f.application_id, f)).collect();
    // As with the current answers, an advocate sees frozen equality answers only where no one but
    // an advocate could have given them: on a profile they manage (it has no account of its own).
    // Who gave answers frozen on a profile with an account is not kept, so they are left out.
    let answers_shown = match advocate {
        None => true,
        Some(a) => profile.managed_by.as_deref() == Some(a.subject.as_str()),
    };
    let mut frozen: HashMap<Uuid, FrozenCharacteristics> = store
        .characteristics_at_draw(&ids)?
        .into_iter()
        .map(|mut f| {
            if !answers_shown {
                f.answers = None;
            }
            (f.application_id, f)
        })
        .collect();
    let readiness = store.readiness_items(&ids)?;
    let logged = store.t_level_hours_of_profile(profile.id)?;
    let mut applications = Vec::new();
    for record in records_of(store, apps)? {
        let id = record.application.id;
        let t_level = match store.t_level_agreement(id)? {
            None => None,
            Some(agreement) => Some(TLevelRecord {
                agreement,
                hours: logged.iter().filter(|e| e.application_id == id).cloned().collect(),
                reviews: store.t_level_reviews(id)?,
            }),
        };
        applications.push(ExportedApplication {
            t_level,
            history: store.events_of(id)?,
            supporting_information: store.supporting_information_of(id)?,
            certificate: certificates.remove(&id),
            feedback: feedback.remove(&id),
            characteristics_at_draw: frozen.remove(&id),
            readiness: readiness.iter().filter(|r| r.application_id == id).cloned().collect(),
            record,
        });
    }
    let equality = store.equality_response(profile.id)?.filter(|r| match advocate {
        None => true,
        Some(a) => r.recorded_by.as_ref().is_some_and(|b| b.advocate_subject == a.subject),
    });
    let messages = store.messages_about(profile.id, &ids)?;
    let student = match store.student(profile.id) {
        Ok(student) => Some(student),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e),
    };
    let mut about = ids;
    about.push(profile.id);
    Ok(SubjectAccessExport {
        generated_at: now,
        advocate_links: store.links_of_profile(profile.id)?,
        links_as_advocate,
        messages,
        audit_entries: store.audit_entries_about(&about)?,
        equality,
        applications,
        profile,
        student,
    })
}

/// The export is itself an audit entry on the profile: who asked, when, and as whom. It holds
/// no personal data, only the roles and ids.
fn audit(
    store: &dyn Store,
    actor: &Actor,
    role: AuditRole,
    export: &SubjectAccessExport,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    store.record_audit(&[AuditEntry::new(
        actor,
        ActingAs::of(actor, role, None),
        AuditAction::SubjectAccessExport,
        "applicant_profile",
        export.profile.id,
        now,
    )
    .about(export.profile.id)
    .details(format!("everything held about the applicant exported {by}"))])
}
