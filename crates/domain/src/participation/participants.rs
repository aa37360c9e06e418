//! The participants of a placement, each reveal written to the audit log, and the log itself.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::access::{HiddenPlacementError, viewer_role};
use crate::delivery::reach::email_problems;
use crate::error::NotFound;
use crate::grants::AdminOnlyError;
use crate::model::application::{Application, ApplicationStatus};
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

/// Admins read the audit log.
pub fn audit_log<S: ParticipationStore + ?Sized>(
    store: &S,
    actor: &Actor,
    page: &PageRequest<Uuid>,
) -> Result<Page<AuditEntry, Uuid>, AdminOnlyError> {
    if !actor.is_admin() {
        return Err(AdminOnlyError::NotAdmin(()));
    }
    Ok(store.audit_entries(page)?)
}
