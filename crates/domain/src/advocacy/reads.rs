//! What an advocate reads about the applicants they act for, each read written to the audit
//! trail: their identifying data is another person's, seen on that person's behalf.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::access::NotYoursError;
use super::managed::applicant_profile;
use crate::error::StoreError;
use crate::model::application::Application;
use crate::model::audit::{ActingAs, AuditAction, AuditEntry, AuditRole};
use crate::model::auth::Actor;
use crate::model::page::{Page, PageRequest};
use crate::model::profile::Profile;
use crate::ports::Store;

/// The entry of an advocate reading `object` of the applicant `profile_id`.
pub(crate) fn advocate_read(
    actor: &Actor,
    action: AuditAction,
    object_type: &str,
    object_id: Uuid,
    profile_id: Uuid,
    now: DateTime<Utc>,
) -> AuditEntry {
    AuditEntry::new(actor, ActingAs::of(actor, AuditRole::Advocate, None), action, object_type, object_id, now)
        .about(profile_id)
}

/// The applicants an advocate acts for, one audit entry for each profile listed.
pub fn my_applicants(
    store: &dyn Store,
    actor: &Actor,
    page: &PageRequest<Uuid>,
    now: DateTime<Utc>,
) -> Result<Page<Profile, Uuid>, StoreError> {
    let found = store.profiles_advocated_by(&actor.subject, page)?;
    let audit: Vec<AuditEntry> = found
        .items
        .iter()
        .map(|p| advocate_read(actor, AuditAction::ApplicantListed, "applicant_profile", p.id, p.id, now))
        .collect();
    if !audit.is_empty() {
        store.record_audit(&audit)?;
    }
    Ok(found)
}

/// The profile of an applicant the advocate acts for (404 otherwise), the read audited.
pub fn read_applicant_profile(
    store: &dyn Store,
    actor: &Actor,
    profile_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Profile, NotYoursError> {
    let profile = applicant_profile(store, actor, profile_id)?;
    store.record_audit(&[advocate_read(
        actor,
        AuditAction::ApplicantProfileRead,
        "applicant_profile",
        profile.id,
        profile.id,
        now,
    )])?;
    Ok(profile)
}

/// A page of the applications of an applicant the advocate acts for (404 otherwise), the read
/// audited once for the page.
pub fn applicant_applications(
    store: &dyn Store,
    actor: &Actor,
    profile_id: Uuid,
    page: &PageRequest<Uuid>,
    now: DateTime<Utc>,
) -> Result<Page<Application, Uuid>, NotYoursError> {
    let profile = applicant_profile(store, actor, profile_id)?;
    let found = store.applications_of_profile(profile.id, page)?;
    store.record_audit(&[advocate_read(
        actor,
        AuditAction::ApplicantApplicationsRead,
        "applicant_profile",
        profile.id,
        profile.id,
        now,
    )])?;
    Ok(found)
}
