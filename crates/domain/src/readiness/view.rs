//! A place's checklist as its participant, their advocate or a coordinator reads it. Consent and
//! emergency-contact details are personal data: every view that shows them is audited.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::access::{Place, ReadinessAccessError, place};
use crate::error::StoreError;
use crate::model::application::{Application, ChangedBy};
use crate::model::audit::{ActingAs, AuditAction, AuditRole};
use crate::model::auth::Actor;
use crate::model::participation::AuditEntry;
use crate::model::placement::Placement;
use crate::model::profile::age_on;
use crate::model::readiness::{CONSENT_AGE, ChecklistItem, Requirements, checklist as items, missing};
use crate::ports::Store;
use crate::unit_of_work::read;

/// A place's checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readiness {
    pub application_id: Uuid,
    pub placement_id: Uuid,
    /// Under 16 on the start date: consent and an emergency contact are needed and cannot be overridden.
    pub under_16: bool,
    /// What the placement requires (for the induction link and the placement's own items' words).
    pub requirements: Requirements,
    pub items: Vec<ChecklistItem>,
    /// The codes of the items not done or overridden; empty when ready.
    pub missing: Vec<String>,
}

impl Readiness {
    pub fn ready(&self) -> bool {
        self.missing.is_empty()
    }
}

/// The checklist of an application the caller may see (404 for everyone else).
pub fn checklist(
    store: &dyn Store,
    actor: &Actor,
    application_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Readiness, ReadinessAccessError> {
    read(store, |s| {
        let place = place(s, actor, application_id)?;
        Ok(view(s, actor, &place, now)?)
    })
}

/// The checklist of a place, auditing the view when it shows consent or contact details.
pub(crate) fn view(
    store: &dyn Store,
    actor: &Actor,
    place: &Place,
    now: DateTime<Utc>,
) -> Result<Readiness, StoreError> {
    let records = store.readiness_items(&[place.app.id])?;
    let requirements = place.placement.details.requirements.clone();
    let items = items(&requirements, place.age, &records);
    let shown: Vec<String> = items
        .iter()
        .filter(|i| i.record.as_ref().is_some_and(|r| r.details.is_some()))
        .map(|i| i.item.code())
        .collect();
    if !shown.is_empty() {
        let role = match place.role {
            ChangedBy::Applicant => AuditRole::Applicant,
            ChangedBy::Advocate => AuditRole::Advocate,
            _ => AuditRole::Coordinator,
        };
        let organisation = (role == AuditRole::Coordinator).then_some(place.placement.organisation_id);
        let entry = AuditEntry::new(
            actor,
            ActingAs::of(actor, role, organisation),
            AuditAction::ReadinessDetailsShown,
            "application",
            place.app.id,
            now,
        )
        .about(place.profile.id)
        .details(format!("readiness details ({}) shown to the {}", shown.join(", "), role.code()));
        store.record_audit(&[entry])?;
    }
    Ok(Readiness {
        application_id: place.app.id,
        placement_id: place.placement.id,
        under_16: place.age < CONSENT_AGE,
        missing: missing(&items),
        requirements,
        items,
    })
}

/// The codes of what an application's participant still owes before they may start.
pub fn missing_for(store: &dyn Store, app: &Application, placement: &Placement) -> Result<Vec<String>, StoreError> {
    let profile = store.profile(app.profile_id)?;
    let age = age_on(profile.input.date_of_birth, placement.details.start_date);
    let records = store.readiness_items(&[app.id])?;
    Ok(missing(&items(&placement.details.requirements, age, &records)))
}
