//! Reading applications with what a list shows beside each (its placement and organisation, its
//! offer, its number on the waiting list) in a fixed number of queries, whatever the list's length.

use std::collections::HashMap;
use uuid::Uuid;

use crate::error::StoreError;
use crate::model::application::{Application, ApplicationStatus};
use crate::model::auth::Actor;
use crate::model::offer::Offer;
use crate::model::page::{Page, PageRequest};
use crate::model::placement::Placement;
use crate::ports::Store;

/// An application with what its response names.
#[derive(Debug, Clone, PartialEq)]
pub struct ApplicationRecord {
    pub application: Application,
    pub placement: Placement,
    pub organisation_name: String,
    pub offer: Option<Offer>,
    /// The applicant's number on the waiting list (1 = next), while on it.
    pub waiting: Option<u32>,
}

/// The caller's own applications, a page at a time, with their records. Someone without a profile
/// has no applications: an empty page, not an error, so the only failure is the store's.
pub fn mine(
    store: &dyn Store,
    actor: &Actor,
    page: &PageRequest<Uuid>,
) -> Result<Page<ApplicationRecord, Uuid>, StoreError> {
    let profile = match store.profile_by_subject(&actor.subject) {
        Ok(profile) => profile,
        Err(StoreError::NotFound) => return Ok(Page { items: Vec::new(), next: None }),
        Err(e) => return Err(e),
    };
    let found = store.applications_of_profile(profile.id, page)?;
    Ok(Page { items: records_of(store, found.items)?, next: found.next })
}

/// Every application of the profile, in id order, read a page at a time.
pub fn all_applications_of(store: &dyn Store, profile_id: Uuid) -> Result<Vec<Application>, StoreError> {
    let mut apps = Vec::new();
    let mut page = PageRequest::first(100);
    loop {
        let found = store.applications_of_profile(profile_id, &page)?;
        apps.extend(found.items);
        match found.next {
            Some(next) => page = PageRequest { after: Some(next), limit: page.limit },
            None => return Ok(apps),
        }
    }
}

/// The records of `apps`, in their order: three queries at most, whatever their number (one for
/// the placements with their organisations, one for the offers, one for the waiting lists when
/// any application is on one). An application without its placement is corrupt data, so the only
/// failure is the store's.
pub fn records_of(store: &dyn Store, apps: Vec<Application>) -> Result<Vec<ApplicationRecord>, StoreError> {
    let mut placement_ids: Vec<Uuid> = apps.iter().map(|a| a.placement_id).collect();
    placement_ids.sort();
    placement_ids.dedup();
    let placements: HashMap<Uuid, (Placement, String)> = store
        .placement_records(&placement_ids)?
        .into_iter()
        .map(|r| (r.placement.id, (r.placement, r.organisation.input.name)))
        .collect();
    let app_ids: Vec<Uuid> = apps.iter().map(|a| a.id).collect();
    let mut offers: HashMap<Uuid, Offer> =
        store.offers_of_applications(&app_ids)?.into_iter().map(|o| (o.application_id, o)).collect();
    let waiting = waiting_numbers(store, &apps)?;
    apps.into_iter()
        .map(|application| {
            let (placement, organisation_name) = placements
                .get(&application.placement_id)
                .cloned()
                .ok_or_else(|| StoreError::Internal(format!("application {} has no placement", application.id)))?;
            Ok(ApplicationRecord {
                offer: offers.remove(&application.id),
                waiting: waiting.get(&application.id).copied(),
                application,
                placement,
                organisation_name,
            })
        })
        .collect()
}

/// Each waitlisted application's number on its placement's waiting list (1 = next, in draw
/// order): one query for all their placements, none when no application is waiting.
pub fn waiting_numbers(store: &dyn Store, apps: &[Application]) -> Result<HashMap<Uuid, u32>, StoreError> {
    let mut placements: Vec<Uuid> =
        apps.iter().filter(|a| a.status == ApplicationStatus::Waitlisted).map(|a| a.placement_id).collect();
    if placements.is_empty() {
        return Ok(HashMap::new());
    }
    placements.sort();
    placements.dedup();
    let mut numbers = HashMap::new();
    let mut next: HashMap<Uuid, u32> = HashMap::new();
    // In draw order within each placement, so counting gives each its number.
    for (placement_id, application_id) in store.waiting_lists(&placements)? {
        let n = next.entry(placement_id).or_insert(0);
        *n += 1;
        numbers.insert(application_id, *n);
    }
    Ok(numbers)
}
