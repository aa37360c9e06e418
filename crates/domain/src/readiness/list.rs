//! Who is ready for a placement: its coordinators' list, by application, with what is missing by
//! code. It shows no one's details (the participants list does, audited), so it is not audited.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::error::StoreError;
use crate::model::application::ApplicationStatus;
use crate::model::auth::Actor;
use crate::model::profile::age_on;
use crate::model::readiness::{ItemRecord, checklist, missing};
use crate::participation::HiddenPlacementError;
use crate::ports::Store;
use crate::unit_of_work::read;
use crate::use_case_error::NotFound;

/// One accepted place and whether its participant is ready.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadinessRow {
    pub application_id: Uuid,
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacementReadiness {
    pub placement_id: Uuid,
    pub start_date: NaiveDate,
    /// Every application holding an accepted place, in id order.
    pub places: Vec<ReadinessRow>,
}

/// The readiness of a placement's accepted places, for its coordinators (404 for everyone else).
pub fn placement_readiness(
    store: &dyn Store,
    actor: &Actor,
    placement_id: Uuid,
) -> Result<PlacementReadiness, HiddenPlacementError> {
    read(store, |s| {
        let placement = match s.placement(placement_id) {
            Err(StoreError::NotFound) => return Err(NotFound.into()),
            other => other?,
        };
        actor.require_owner_of(placement.organisation_id)?;
        let places = not_started(s, &placement)?;
        Ok(PlacementReadiness { placement_id, start_date: placement.details.start_date, places })
    })
}

/// Each accepted place of the placement with what it still misses.
pub(crate) fn not_started(
    store: &dyn Store,
    placement: &crate::model::placement::Placement,
) -> Result<Vec<ReadinessRow>, StoreError> {
    let mut apps: Vec<_> = store
        .all_applications_for_placement(placement.id)?
        .into_iter()
        .filter(|a| a.status == ApplicationStatus::Accepted)
        .collect();
    apps.sort_by_key(|a| a.id);
    let ids: Vec<Uuid> = apps.iter().map(|a| a.id).collect();
    let profiles = store.profiles_by_ids(&apps.iter().map(|a| a.profile_id).collect::<Vec<_>>())?;
    let records = store.readiness_items(&ids)?;
    let mut rows = Vec::new();
    for app in apps {
        let Some(profile) = profiles.iter().find(|p| p.id == app.profile_id) else { continue };
        let age = age_on(profile.input.date_of_birth, placement.details.start_date);
        let own: Vec<ItemRecord> = records.iter().filter(|r| r.application_id == app.id).cloned().collect();
        let items = checklist(&placement.details.requirements, age, &own);
        rows.push(ReadinessRow { application_id: app.id, missing: missing(&items) });
    }
    Ok(rows)
}
