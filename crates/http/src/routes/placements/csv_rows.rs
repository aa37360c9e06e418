//! The CSV form of an import: one placement a row, one column per field of `createPlacement`'s
//! body, named by its path with dots (`daily_hours.start`). Each row is turned into the JSON object
//! that body would be and then read exactly as a JSON row is, so the two forms cannot disagree, and
//! a pointer into a row (`/3/daily_hours/start`) names its column (`daily_hours.start`) in either.
//!
//! Cells: an empty cell is a field left out (its default, or `required` if it has none); numbers
//! are whole numbers; yes-or-no fields are `true` or `false`; lists (`eligibility.user_groups`,
//! `eligibility.catchment`, `priority_rules`) are their items separated by `;`. A placement's own
//! questions are not in the CSV form: they are written per placement, so add them to the drafts
//! afterwards, or import with JSON.

use actix_web::http::StatusCode;
use csv::{ByteRecord, ReaderBuilder};
use serde_json::{Map, Value};
use wex_domain::FieldError;
use wex_domain::placements::ImportRow;

use crate::problem::{ApiError, ApiResult};

/// How a column's cells are written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cell {
    Text,
    WholeNumber,
    TrueOrFalse,
    /// Items separated by `;`.
    List,
}

/// Every column: its name, how its cells are written, and whether the header must have it (the
/// fields `createPlacement` requires).
const COLUMNS: &[(&str, Cell, bool)] = &[
    ("kind", Cell::Text, true),
    ("delivery", Cell::Text, true),
    ("specialty", Cell::Text, true),
    ("title", Cell::Text, true),
    ("description", Cell::Text, true),
    ("site_id", Cell::Text, false),
    ("department_id", Cell::Text, false),
    ("start_date", Cell::Text, true),
    ("end_date", Cell::Text, true),
    ("daily_hours.start", Cell::Text, true),
    ("daily_hours.end", Cell::Text, true),
    ("capacity", Cell::WholeNumber, true),
    ("eligibility.min_age", Cell::WholeNumber, false),
    ("eligibility.max_age", Cell::WholeNumber, false),
    ("eligibility.user_groups", Cell::List, false),
    ("eligibility.catchment", Cell::List, false),
    ("opens_at", Cell::Text, true),
    ("closes_at", Cell::Text, true),
    ("outcome_by", Cell::Text, true),
    ("selection_method", Cell::Text, false),
    ("priority_rules", Cell::List, false),
    ("preparation.what_you_will_do", Cell::Text, false),
    ("preparation.what_you_will_not_do", Cell::Text, false),
    ("preparation.dress_code", Cell::Text, false),
    ("preparation.arrival_instructions", Cell::Text, false),
    ("preparation.contact_role", Cell::Text, false),
    ("preparation.breaks_and_food", Cell::Text, false),
    ("preparation.travel_expenses", Cell::Text, false),
    ("preparation.support_available", Cell::Text, false),
    ("preparation.leads_to_job", Cell::TrueOrFalse, false),
    ("preparation.paid", Cell::TrueOrFalse, false),
    ("offer_response_days", Cell::WholeNumber, false),
];

/// A small file with the required columns and a list, as the OpenAPI document shows it.
pub const EXAMPLE: &str = "kind,delivery,specialty,title,description,site_id,start_date,end_date,daily_hours.start,\
daily_hours.end,capacity,eligibility.catchment,opens_at,closes_at,outcome_by,priority_rules\n\
work_experience,in_person,allied_health_professions,Children's physiotherapy: a week on the ward,\
\"See how physiotherapists help children recover, on the ward and in clinic.\",0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b,\
2027-07-05,2027-07-09,09:00,15:30,4,SO14;SO15;SO16,2027-03-01T09:00:00Z,2027-04-01T17:00:00Z,2027-04-15,\
care_experienced;in_catchment\n";

/// The JSON pointer of a column within a row (`daily_hours.start` is `/daily_hours/start`).
fn pointer(column: &str) -> String {
    column.split('.').map(|part| format!("/{part}")).collect()
}

/// A problem in the header, which nothing after it can be read without.
fn header_problem(errors: Vec<FieldError>) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        "Some fields are not valid",
        "The CSV header is not one this service reads: see errors, and the columns in the documentation.",
    )
    .with_errors(errors)
}

/// Which column each position of the header is, or every problem the header has.
fn columns(header: &ByteRecord) -> ApiResult<Vec<(&'static str, Cell)>> {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for (position, name) in header.iter().enumerate() {
        let name = String::from_utf8_lossy(name);
        let name = name.trim();
        let field = format!("/header/{position}");
        match COLUMNS.iter().find(|(known, _, _)| *known == name) {
            Some(&(known, _, _)) if found.iter().any(|&(seen, _)| seen == known) => errors.push(FieldError::new(
                field,
                "duplicate_column",
                format!("The column `{known}` appears more than once. Keep one."),
            )),
            Some(&(known, cell, _)) => found.push((known, cell)),
            None => errors.push(FieldError::new(
                field,
                "unknown_column",
                format!("There is no column `{name}`. Column names are the fields of a placement, such as title or daily_hours.start."),
            )),
        }
    }
    for (name, _, required) in COLUMNS {
        if *required && !found.iter().any(|(seen, _)| seen == name) {
            errors.push(FieldError::new(
                "/header",
                "missing_column",
                format!("The column `{name}` is required: every placement needs it."),
            ));
        }
    }
    if errors.is_empty() { Ok(found) } else { Err(header_problem(errors)) }
}

/// Puts `value` at the path of `column` in `object`, making the objects on the way.
fn insert(object: &mut Map<String, Value>, column: &str, value: Value) {
    let mut parts = column.split('.').peekable();
    let mut current = object;
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            current.insert(part.to_string(), value);
            return;
        }
        let next = current.entry(part.to_string()).or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(next) = next else { return };
        current = next;
    }
}

/// The JSON value of one cell, or why it is not one.
fn cell_value(cell: Cell, text: &str) -> Result<Value, (&'static str, &'static str)> {
    match cell {
        Cell::Text => Ok(Value::String(text.to_string())),
        Cell::WholeNumber => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| ("invalid_value", "Write a whole number, such as 4.")),
        Cell::TrueOrFalse => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(("invalid_value", "Write true or false.")),
        },
        Cell::List => Ok(Value::Array(
            text.split(';').map(str::trim).filter(|t| !t.is_empty()).map(|t| Value::String(t.to_string())).collect(),
        )),
    }
}

/// One data row, read as the JSON object it stands for and then as a JSON row.
fn record_row(columns: &[(&'static str, Cell)], record: &ByteRecord) -> ImportRow {
    let mut object = Map::new();
    let mut errors = Vec::new();
    for (&(column, cell), bytes) in columns.iter().zip(record.iter()) {
        let Ok(text) = std::str::from_utf8(bytes) else {
            errors.push(FieldError::new(
                pointer(column),
                "invalid_value",
                "This cell is not UTF-8 text. Save the file as CSV UTF-8.",
            ));
            continue;
        };
        if text.is_empty() {
            continue;
        }
        match cell_value(cell, text) {
            Ok(value) => insert(&mut object, column, value),
            Err((code, message)) => errors.push(FieldError::new(pointer(column), code, message)),
        }
    }
    if errors.is_empty() { super::import_row::row(Value::Object(object)) } else { ImportRow::Unreadable(errors) }
}

/// The rows of a CSV body. Data rows count from 0 (the header is not a row), so that a pointer
/// means the same row as in the JSON form. A row that cannot be split into the header's columns
/// (a missing or extra field, often from an unclosed quote) is one error at `/{row}`.
pub fn rows(raw: &[u8]) -> ApiResult<Vec<ImportRow>> {
    // Spreadsheets often save CSV with a byte order mark; it is not part of the first column's name.
    let raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
    let mut reader = ReaderBuilder::new().has_headers(true).from_reader(raw);
    let header = reader.byte_headers().map_err(|e| {
        log::debug!("unreadable CSV header: {e}");
        header_problem(vec![FieldError::new("/header", "invalid_csv", "The first line is not a CSV header.")])
    })?;
    if header.iter().all(<[u8]>::is_empty) {
        return Err(header_problem(vec![FieldError::new(
            "/header",
            "missing_header",
            "The file is empty or its first line is blank: it must start with a header naming the columns.",
        )]));
    }
    let columns = columns(header)?;
    let mut rows = Vec::new();
    let mut record = ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => rows.push(record_row(&columns, &record)),
            Err(e) => {
                let line = e.position().map(|p| format!(" (line {})", p.line())).unwrap_or_default();
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths { len, expected_len, .. } => format!(
                        "This row{line} has {len} fields where the header has {expected_len}. Check for a missing \
                         or extra comma, or a quote that is not closed."
                    ),
                    _ => format!("This row{line} is not valid CSV."),
                };
                rows.push(ImportRow::Unreadable(vec![FieldError::new("", "invalid_csv_row", message)]));
            }
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn errors(row: &ImportRow) -> Vec<(String, String)> {
        match row {
            ImportRow::Read(_) => Vec::new(),
            ImportRow::Unreadable(e) => e.iter().map(|e| (e.field.clone(), e.code.clone())).collect(),
        }
    }

    #[test]
    fn the_example_reads_as_one_placement_with_its_lists() {
        let rows = rows(EXAMPLE.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        let ImportRow::Read(details) = &rows[0] else { panic!("{:?}", errors(&rows[0])) };
        assert_eq!(details.capacity, 4);
        assert_eq!(details.eligibility.catchment.as_deref().map(<[String]>::len), Some(3));
        assert_eq!(details.priority_rules.len(), 2);
        assert!(details.description.contains(", on the ward"), "a quoted comma stays in its cell");
    }

    #[test]
    fn every_column_is_a_field_of_the_json_form() {
        // A row with every column filled must read, so no column names a field the body lacks.
        let header: Vec<&str> = COLUMNS.iter().map(|(n, _, _)| *n).collect();
        let cells = [
            "work_experience",
            "in_person",
            "nursing",
            "Ward week",
            "Shadow a nurse.",
            "0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b",
            "0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7c",
            "2027-07-05",
            "2027-07-09",
            "09:00",
            "15:30",
            "4",
            "16",
            "18",
            "veterans;career_changers",
            "SO16",
            "2027-03-01T09:00:00Z",
            "2027-04-01T17:00:00Z",
            "2027-04-15",
            "lottery",
            "in_catchment",
            "a",
            "b",
            "c",
            "d",
            "e",
            "f",
            "g",
            "h",
            "false",
            "false",
            "5",
        ];
        assert_eq!(cells.len(), header.len());
        let text = format!("{}\n{}\n", header.join(","), cells.join(","));
        let rows = rows(text.as_bytes()).unwrap();
        assert!(matches!(rows[0], ImportRow::Read(_)), "{:?}", errors(&rows[0]));
    }

    #[test]
    fn header_problems_are_reported_together() {
        let err = rows(b"kind,kind,colour\nx,y,z\n").unwrap_err();
        let fields: Vec<(String, String)> =
            err.problem().errors.iter().map(|e| (e.field.clone(), e.code.clone())).collect();
        assert!(fields.contains(&("/header/1".into(), "duplicate_column".into())), "{fields:?}");
        assert!(fields.contains(&("/header/2".into(), "unknown_column".into())), "{fields:?}");
        assert!(fields.contains(&("/header".into(), "missing_column".into())), "{fields:?}");
    }

    #[test]
    fn a_row_of_the_wrong_length_is_one_error_and_the_next_row_still_reads() {
        let header: Vec<&str> = COLUMNS.iter().filter(|c| c.2).map(|(n, _, _)| *n).collect();
        let good = "work_experience,online,nursing,T,D,2027-07-05,2027-07-09,09:00,15:30,4,2027-03-01T09:00:00Z,\
                    2027-04-01T17:00:00Z,2027-04-15";
        let text = format!("{}\n{good}\n\"unclosed,{good}\n", header.join(","));
        let read = rows(text.as_bytes()).unwrap();
        assert!(matches!(read[0], ImportRow::Read(_)), "{:?}", errors(&read[0]));
        assert_eq!(errors(&read[1]), vec![(String::new(), "invalid_csv_row".to_string())]);
        let bad_cells = text.replacen(",4,", ",four,", 1);
        let read = rows(bad_cells.as_bytes()).unwrap();
        let found = errors(&read[0]);
        assert!(found.contains(&("/capacity".into(), "invalid_value".into())), "{found:?}");
    }
}
