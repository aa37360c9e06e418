//! The register of personal data matches the real schema after every migration, on SQLite and
//! PostgreSQL: a column added by a migration and left out of the register fails here, by name, and
//! so does a register entry for a column that does not exist.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use wex_persistence::personal_data::{Class, Export, personal_columns, tables};
use wex_persistence::testing::{TestDb, schema_columns};

#[test]
fn the_register_names_every_column_of_the_schema_and_nothing_else() {
    let db = TestDb::new();
    let store = db.store();
    let real: BTreeSet<(String, String)> = schema_columns(&store).into_iter().map(|c| (c.table, c.column)).collect();
    assert!(real.iter().any(|(t, _)| t == "applicant_profiles"), "the schema was not read: {real:?}");
    let registered: BTreeSet<(String, String)> =
        tables().flat_map(|t| t.columns.iter().map(move |c| (t.name.to_string(), c.name.to_string()))).collect();
    let unregistered: Vec<String> = real.difference(&registered).map(|(t, c)| format!("{t}.{c}")).collect();
    assert!(
        unregistered.is_empty(),
        "columns neither in the register of personal data nor marked not personal \
         (add them to crates/persistence/src/personal_data/register/): {unregistered:?}"
    );
    let missing: Vec<String> = registered.difference(&real).map(|(t, c)| format!("{t}.{c}")).collect();
    assert!(missing.is_empty(), "the register names columns the schema does not have: {missing:?}");
}

#[test]
fn each_column_is_registered_once() {
    let mut seen = BTreeSet::new();
    for t in tables() {
        assert!(!t.columns.is_empty(), "{} has no columns", t.name);
        for c in t.columns {
            assert!(seen.insert((t.name, c.name)), "{}.{} is registered twice", t.name, c.name);
        }
    }
}

#[test]
fn every_exported_column_says_how_to_find_an_applicants_rows() {
    for (t, c, _, _, export) in personal_columns() {
        if let Export::As(path) = export {
            assert!(
                !t.applicant_rows.is_empty(),
                "{}.{} is exported but its table has no applicant rows",
                t.name,
                c.name
            );
            assert!(!path.is_empty() && !path.starts_with('/'), "{}.{}: export path {path:?}", t.name, c.name);
        }
    }
    // A reason is given wherever the register leaves a personal column out of the export.
    for t in tables() {
        for c in t.columns {
            if let Class::Personal { export: Export::Not(why), .. } = c.class {
                assert!(!why.is_empty(), "{}.{} is left out of the export without a reason", t.name, c.name);
            }
        }
    }
}

#[test]
fn the_data_protection_document_holds_the_register() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/data-protection.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let expected = wex_persistence::personal_data::markdown();
    let start = "<!-- register:start -->\n";
    let end = "<!-- register:end -->";
    let from = doc.find(start).expect("docs/data-protection.md has no <!-- register:start --> marker") + start.len();
    let to = doc[from..].find(end).expect("docs/data-protection.md has no <!-- register:end --> marker") + from;
    assert!(
        doc[from..to] == expected,
        "docs/data-protection.md's register differs from the code's; put this between the markers:\n{expected}"
    );
}
