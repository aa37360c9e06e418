//! Bulk import: many drafts at once, all or nothing, each checked exactly as a single create.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::create::draft;
use crate::codes;
use crate::error::{FieldError, StoreError};
use crate::model::auth::Actor;
use crate::model::placement::PlacementDetails;
use crate::ports::Store;
use crate::unit_of_work::write;
use crate::use_case_error::Invalid;

/// The most placements one import may hold: enough for a trust's season, and few enough that its
/// one transaction stays short. A larger season is imported in parts.
pub const MAX_IMPORT_ROWS: usize = 5000;

/// One row of an import, as the edge read it.
#[derive(Debug)]
pub enum ImportRow {
    /// The row's details, to be checked as a single create checks them (boxed, so that a row
    /// that could not be read does not take a placement's room).
    Read(Box<PlacementDetails>),
    /// The edge could not read the row (a wrong type, an unknown code, a bad date); the errors
    /// point into the row (`/title`), as a single create's would.
    Unreadable(Vec<FieldError>),
}

crate::use_case_error! {
    /// Why an import created nothing.
    pub enum ImportPlacementsError {
        /// The organisation is public, so a caller who does not coordinate it is told so.
        NotCoordinator(()) = codes::COORDINATOR_ROLE_REQUIRED,
        /// Some rows break rules (each error's pointer starts with its row, counted from 0:
        /// `/3/title`), or there are no rows or too many (pointer `""`).
        Invalid(Invalid),
        /// No such organisation (`not_found`), or the store failed.
        Store(StoreError),
    }
}

/// `errors` of row `index`, their pointers prefixed with the row.
fn at_row(index: usize, errors: Vec<FieldError>) -> impl Iterator<Item = FieldError> {
    errors.into_iter().map(move |e| FieldError { field: format!("/{index}{}", e.field), ..e })
}

/// Coordinators create many draft placements for their organisation in one transaction: every row
/// is checked as a single create checks it, and if any fails, nothing is written and every error of
/// every row is returned. Returns the new placements' ids in row order.
pub fn import_placements(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    rows: Vec<ImportRow>,
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>, ImportPlacementsError> {
    store.organisation(organisation_id)?;
    if !actor.coordinates(organisation_id) {
        return Err(ImportPlacementsError::NotCoordinator(()));
    }
    if rows.is_empty() {
        return Err(Invalid::one("", "no_rows", "The import holds no placements. Send at least one.").into());
    }
    if rows.len() > MAX_IMPORT_ROWS {
        let message = format!("An import may hold at most {MAX_IMPORT_ROWS} placements. Split it into parts.");
        return Err(Invalid::one("", "too_many_rows", &message).into());
    }
    let mut drafts = Vec::with_capacity(rows.len());
    let mut errors = Vec::new();
    for (index, row) in rows.into_iter().enumerate() {
        match row {
            ImportRow::Unreadable(found) => errors.extend(at_row(index, found)),
            ImportRow::Read(details) => match draft::<ImportPlacementsError>(store, organisation_id, *details, now) {
                Ok(d) => drafts.push(d),
                Err(ImportPlacementsError::Invalid(Invalid(found))) => errors.extend(at_row(index, found)),
                Err(other) => return Err(other),
            },
        }
    }
    if !errors.is_empty() {
        return Err(Invalid(errors).into());
    }
    let (placements, events): (Vec<_>, Vec<_>) = drafts.into_iter().unzip();
    write(store, |tx| -> Result<_, StoreError> {
        placements.iter().try_for_each(|p| tx.insert_placement(p))?;
        tx.append_events(&events)
    })?;
    Ok(placements.into_iter().map(|p| p.id).collect())
}
