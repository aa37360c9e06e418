//! Reading placements with what they name (organisation, site, department) in one query each, for
//! one placement or a page of them: the read model behind every placement the API shows.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::StoreError;
use crate::model::auth::Actor;
use crate::model::page::{Page, PageRequest};
pub use crate::model::placement::PlacementRecord;
use crate::model::placement::{Placement, PlacementContext, PlacementCursor, PlacementFilter};
use crate::placements::{PlacementReadError, SearchPlacementsError, search_placements};
use crate::ports::Store;
use crate::use_case_error::NotFound;
use std::collections::HashMap;

/// A placement as the caller may see it: published ones to anyone, drafts to the organisation's
/// coordinators (`NotFound` for everyone else). One query.
pub fn placement_record(
    store: &dyn Store,
    actor: Option<&Actor>,
    id: Uuid,
) -> Result<PlacementRecord, PlacementReadError> {
    let record = store.placement_records(&[id])?.pop().ok_or(NotFound)?;
    if record.placement.visible_to(actor) { Ok(record) } else { Err(NotFound.into()) }
}

/// The records of `placements`, in their order: one query whatever their number. A placement
/// without its organisation is corrupt data, so the only failure is the store's.
pub fn records_of(store: &dyn Store, placements: Vec<Placement>) -> Result<Vec<PlacementRecord>, StoreError> {
    let ids: Vec<Uuid> = placements.iter().map(|p| p.id).collect();
    let mut found: HashMap<Uuid, PlacementContext> =
        store.placement_contexts(&ids)?.into_iter().map(|c| (c.placement_id, c)).collect();
    placements
        .into_iter()
        .map(|placement| {
            let context = found
                .remove(&placement.id)
                .ok_or_else(|| StoreError::Internal(format!("placement {} has no organisation", placement.id)))?;
            Ok(PlacementRecord {
                placement,
                organisation: context.organisation,
                site: context.site,
                department: context.department,
            })
        })
        .collect()
}

/// A page of the placement search with what each names: two queries whatever the page's length.
pub fn search_records(
    store: &dyn Store,
    actor: Option<&Actor>,
    filter: &PlacementFilter,
    page: &PageRequest<PlacementCursor>,
    now: DateTime<Utc>,
) -> Result<Page<PlacementRecord, PlacementCursor>, SearchPlacementsError> {
    let found = search_placements(store, actor, filter, page, now)?;
    Ok(Page { items: records_of(store, found.items)?, next: found.next })
}
