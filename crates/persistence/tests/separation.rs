//! Equality answers are kept apart: in the storage code only the applicant's own answers
//! (`equality.rs`), the reports (`reports/`, which only count), the synthetic datasets and the
//! table definitions may name their tables.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[test]
fn only_the_answers_own_code_and_the_reports_name_the_equality_tables() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    // The register of personal data names every table, and reads none; its erasure rules delete
    // the answers, and read none either. Freezing for reports copies answers from table to table
    // inside the database and returns none.
    let allowed = [
        "equality.rs",
        "reports/mod.rs",
        "reports/freeze.rs",
        "synthetic.rs",
        "schema.rs",
        "personal_data/register/applicants.rs",
        "personal_data/erasure.rs",
    ];
    let mut readers = Vec::new();
    let mut dirs = vec![src.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let name = path.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(&path).unwrap();
            if text.contains("equality_answers") || text.contains("equality_responses") {
                readers.push(name);
            }
        }
    }
    readers.sort();
    assert!(readers.iter().all(|r| allowed.contains(&r.as_str())), "equality tables named in {readers:?}");
    assert!(readers.contains(&"equality.rs".to_string()) && readers.contains(&"reports/mod.rs".to_string()));
}
