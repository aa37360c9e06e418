//! The SQLite and PostgreSQL migration folders must not drift apart: the same migrations, each
//! with the same files, holding the same SQL once comments, blank lines and lines marked
//! `-- per-backend` are set aside.
//!
//! The rule is deliberately plain. The migrations use portable types only (TEXT, SMALLINT,
//! BIGINT, BOOLEAN, TIMESTAMP...), so no type spellings are normalised: a statement that must
//! differ between the backends carries `-- per-backend` at the end of each differing line, in
//! both folders, and those lines are skipped on both sides. Everything else is compared line by
//! line after stripping `--` comments and trailing whitespace, so a column or index added to one
//! folder and not the other fails here, with the first differing line.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

const MARKER: &str = "-- per-backend";

fn migrations_dir(backend: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations").join(backend)
}

/// The names of the entries directly in `dir`, sorted.
fn names(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| {
            entry
                .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

/// The SQL lines that must match on both backends, with their 1-based line numbers.
/// Migrations hold no `--` inside string literals, so a plain search for `--` finds comments.
fn comparable_lines(path: &Path) -> Vec<(usize, String)> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.contains(MARKER))
        .map(|(i, line)| {
            let code = line.split("--").next().unwrap_or_default().trim_end();
            (i + 1, code.to_owned())
        })
        .filter(|(_, code)| !code.trim().is_empty())
        .collect()
}

#[test]
fn both_backends_have_the_same_migrations_and_files() {
    let sqlite = names(&migrations_dir("sqlite"));
    let postgres = names(&migrations_dir("postgres"));
    assert!(!sqlite.is_empty(), "no SQLite migrations found");
    assert_eq!(sqlite, postgres, "migration names differ between sqlite/ and postgres/");
    for migration in &sqlite {
        let sqlite_files = names(&migrations_dir("sqlite").join(migration));
        let postgres_files = names(&migrations_dir("postgres").join(migration));
        assert_eq!(sqlite_files, postgres_files, "files in {migration} differ");
    }
}

#[test]
fn both_backends_hold_the_same_sql_apart_from_marked_lines() {
    let mut drift = Vec::new();
    for migration in names(&migrations_dir("sqlite")) {
        for file in names(&migrations_dir("sqlite").join(&migration)) {
            let sqlite_path = migrations_dir("sqlite").join(&migration).join(&file);
            let postgres_path = migrations_dir("postgres").join(&migration).join(&file);
            if !postgres_path.exists() {
                continue; // reported by the test above
            }
            let sqlite = comparable_lines(&sqlite_path);
            let postgres = comparable_lines(&postgres_path);
            let texts = |lines: &[(usize, String)]| lines.iter().map(|(_, l)| l.clone()).collect();
            let (a, b): (Vec<String>, Vec<String>) = (texts(&sqlite), texts(&postgres));
            if a == b {
                continue;
            }
            let at = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
            let show = |lines: &[(usize, String)]| {
                lines.get(at).map_or_else(|| "(end of file)".to_owned(), |(n, l)| format!("line {n}: {l}"))
            };
            drift.push(format!("{migration}/{file}:\n  sqlite   {}\n  postgres {}", show(&sqlite), show(&postgres)));
        }
    }
    assert!(
        drift.is_empty(),
        "the migration folders drifted (mark a legitimately different line `{MARKER}` in both):\n{}",
        drift.join("\n")
    );
}
