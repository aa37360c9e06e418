//! The participants of a placement, each reveal written to the audit log, and the log itself.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::access::{HiddenPlacementError, viewer_role};
use crate::codes;
use crate::delivery::reach::email_problems;
use crate::error::{NotFound, StoreError};
use crate::model::application::{Application, ApplicationStatus, ChangedBy};
use crate::model::audit::{ActingAs, AuditAction, AuditFilter, AuditRole};
use crate::model::auth::Actor;
use crate::model::page::{Page, PageRequest};
use crate::model::participation::AuditEntry;
use crate::model::placement::Placement;
use crate::model::profile::SupportWorker;
use crate::model::reach::EmailProblem;
use crate::model::reference::UserGroup;
use crate::ports::{DeliveryStore, DrawStore, ParticipationStore, PlacementStore, ProfileStore};

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
    /// Set when email to the participant's address has failed for good, so that the coordinator
    /// reaches them another way.
    pub email_problem: Option<EmailProblem>,
}

/// The participants of a placement (applications holding an accepted place), with the identity
/// and support details the placement needs. Each reveal is written to the audit log.
pub fn participants<S: PlacementStore + ProfileStore + DrawStore + ParticipationStore + DeliveryStore + ?Sized>(
    store: &S,
    actor: &Actor,
    placement_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(Placement, Vec<Participant>), HiddenPlacementError> {
    let placement = store.placement(placement_id)?;
    let Some(role) = viewer_role(store, actor, &placement)? else { return Err(NotFound.into()) };
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
    let problems = email_problems(store, &profiles)?;
    let mut out = Vec::new();
    let mut audit = Vec::new();
    for app in apps {
        let Some(p) = profiles.iter().find(|p| p.id == app.profile_id) else { continue };
        let acting_as = ActingAs::of(actor, audit_role(role), Some(placement.organisation_id));
        audit.push(
            AuditEntry::new(actor, acting_as, AuditAction::IdentityRevealed, "application", app.id, now)
                .about(p.id)
                .details(format!(
                    "name, contact details, adjustments and support worker shown to a {} of placement {placement_id}",
                    role.code()
                )),
        );
        out.push(Participant {
            application_id: app.id,
            status: app.status,
            preferred_name: p.input.preferred_name.clone(),
            email: p.input.email.to_string(),
            phone: p.input.phone.clone(),
            adjustments: p.input.adjustments.clone(),
            support_worker: p.input.support_worker.clone(),
            user_groups: p.input.user_groups.clone(),
            email_problem: problems.get(&p.id).copied(),
        });
    }
    if !audit.is_empty() {
        store.record_audit(&audit)?;
    }
    Ok((placement, out))
}

/// The role a placement's viewer is recorded in.
fn audit_role(role: ChangedBy) -> AuditRole {
    match role {
        ChangedBy::Host => AuditRole::Host,
        _ => AuditRole::Coordinator,
    }
}

crate::use_case_error! {
    /// Why the audit trail could not be read.
    pub enum AuditTrailError {
        /// Neither a platform admin nor a data protection officer.
        NotAllowed(()) = codes::AUDIT_READER_ROLE_REQUIRED,
        Store(StoreError),
    }
}

/// Platform admins and data protection officers search the audit trail.
pub fn audit_log<S: ParticipationStore + ?Sized>(
    store: &S,
    actor: &Actor,
    filter: &AuditFilter,
    page: &PageRequest<Uuid>,
) -> Result<Page<AuditEntry, Uuid>, AuditTrailError> {
    if !actor.reads_audit_trail() {
        return Err(AuditTrailError::NotAllowed(()));
    }
    Ok(store.audit_entries(filter, page)?)
}
