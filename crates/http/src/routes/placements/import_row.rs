//! One row of a placement import, read from its JSON form: the JSON body's rows are that form
//! already, and the CSV reader builds it from each record.

use serde_json::Value;
use wex_domain::placements::ImportRow;

use crate::extract::shape_error;
use crate::wire::placements::PlacementDetails;

/// Reads one row from its JSON form: the text rules every JSON body obeys, then the shape of a
/// `createPlacement` body. Errors point into the row.
pub(super) fn row(value: Value) -> ImportRow {
    let errors = crate::input::text_errors(&value);
    if !errors.is_empty() {
        return ImportRow::Unreadable(errors);
    }
    match serde_path_to_error::deserialize::<_, PlacementDetails>(value) {
        Ok(details) => ImportRow::Read(Box::new(details.into())),
        Err(e) => ImportRow::Unreadable(vec![shape_error(e)]),
    }
}
