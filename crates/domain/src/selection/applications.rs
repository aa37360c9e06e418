use uuid::Uuid;

use crate::error::StoreError;
use crate::model::application::ApplicationStatus;
use crate::model::auth::Actor;
use crate::model::name_blind::NameBlind;
use crate::placements::PlacementReadError;
use crate::ports::{ApplicationStore, PlacementStore, ProfileStore};

/// A page of a placement's applications, name-blind, with the counts by status of all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacementApplications {
    pub page: crate::model::page::Page<NameBlind, Uuid>,
    pub counts: Vec<(ApplicationStatus, i64)>,
}

/// The coordinator's view of a placement's applications (`NotFound` for everyone else).
pub fn placement_applications<S: PlacementStore + ProfileStore + ApplicationStore + ?Sized>(
    store: &S,
    actor: &Actor,
    placement_id: Uuid,
    page: &crate::model::page::PageRequest<Uuid>,
) -> Result<PlacementApplications, PlacementReadError> {
    let placement = store.placement(placement_id)?;
    actor.require_owner_of(placement.organisation_id)?;
    let page = store.applications_for_placement(placement_id, page)?;
    let ids: Vec<Uuid> = page.items.iter().map(|a| a.profile_id).collect();
    let found = store.profiles_by_ids(&ids)?;
    let mut items = Vec::with_capacity(page.items.len());
    for app in page.items {
        let profile = found
            .iter()
            .find(|p| p.id == app.profile_id)
            .ok_or_else(|| StoreError::Internal(format!("application {} names a missing profile", app.id)))?;
        items.push(NameBlind::of(app, profile, &placement));
    }
    let counts = store.application_counts(placement_id)?;
    Ok(PlacementApplications { page: crate::model::page::Page { items, next: page.next }, counts })
}
