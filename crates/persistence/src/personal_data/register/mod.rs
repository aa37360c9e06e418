//! The register itself: every table the migrations make, each column once, in two lists: the
//! tables that hold rows about applicants, and the rest (organisations, staff, the service's own).

mod applicants;
mod service;

use super::{About, Class, Column, Export, Kind, Table};

/// Every table, each once.
pub fn tables() -> impl Iterator<Item = &'static Table> {
    applicants::TABLES.iter().chain(service::TABLES)
}

/// Not personal: ids, codes, times, counts, versions.
const fn n(name: &'static str) -> Column {
    Column { name, class: Class::NotPersonal("") }
}

/// Not personal, for a reason worth saying.
const fn nw(name: &'static str, why: &'static str) -> Column {
    Column { name, class: Class::NotPersonal(why) }
}

const fn p(name: &'static str, kind: Kind, about: About, export: Export) -> Column {
    Column { name, class: Class::Personal { kind, about, export } }
}

const STAFF: Export = Export::Not("staff data, not an applicant's");
const ORGANISATION: &str = "an organisation's own data";

const fn table(name: &'static str, applicant_rows: &'static [super::Link], columns: &'static [Column]) -> Table {
    Table { name, applicant_rows, columns }
}
