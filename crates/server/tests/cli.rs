//! The `wex` binary: its sub-commands, configuration errors and the demo data, run as a newcomer
//! or a deployer would, on SQLite or (with WEX_TEST_DATABASE_URL) PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};
use wex_domain::model::page::PageRequest;
use wex_domain::model::placement::PlacementFilter;
use wex_domain::model::reference::PlacementStatus;
use wex_domain::ports::{IdentityStore, OrganisationStore, PlacementStore};
use wex_persistence::testing::TestDb;

/// Runs `wex` with only the given WEX_* variables set.
fn wex(db: &TestDb, data_dir: &std::path::Path, vars: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wex"));
    for (key, _) in std::env::vars() {
        if key.starts_with("WEX_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("WEX_DATABASE_URL", &db.url).env("WEX_DATA_DIR", data_dir).env("RUST_LOG", "warn");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd.args(args).output().unwrap()
}

fn scratch() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("wex-cli-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[test]
fn help_lists_every_sub_command_with_its_help() {
    let out = Command::new(env!("CARGO_BIN_EXE_wex")).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for sub in ["serve", "migrate", "openapi", "token", "demo-data", "worker"] {
        let line = help
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{sub} ")))
            .unwrap_or_else(|| panic!("{sub} missing"));
        assert!(line.split_whitespace().count() > 2, "{sub} has no help text");
    }
}

#[test]
fn demo_data_loads_once_and_is_searchable() {
    let db = TestDb::new();
    let dir = scratch();
    let first = wex(&db, &dir, &[], &["demo-data"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let store = db.store();
    let orgs = store.organisations(&PageRequest::first(100)).unwrap().items.len();
    let open = PlacementFilter { open_now: true, ..PlacementFilter::default() };
    let now = wex_domain::now();
    let placements = store.search_placements(&open, now, &PageRequest::first(100)).unwrap().items;
    assert!(orgs >= 10, "{orgs} organisations");
    assert!(placements.len() >= 20, "{} open placements", placements.len());
    let specialties: std::collections::BTreeSet<_> = placements.iter().map(|p| p.details.specialty).collect();
    assert!(specialties.len() >= 10, "only {} specialties", specialties.len());
    assert!(placements.iter().all(|p| p.draw_commitment.is_some()));

    let all = PlacementFilter { status: PlacementStatus::Published, ..PlacementFilter::default() };
    let published = store.search_placements(&all, now, &PageRequest::first(100)).unwrap().items.len();
    assert!(published > placements.len(), "some demo placements open later");

    let second = wex(&db, &dir, &[], &["demo-data"]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(store.organisations(&PageRequest::first(100)).unwrap().items.len(), orgs);
    assert_eq!(store.search_placements(&all, now, &PageRequest::first(100)).unwrap().items.len(), published);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn token_prints_a_jwt_and_records_the_grant() {
    let db = TestDb::new();
    let dir = scratch();
    assert!(wex(&db, &dir, &[], &["demo-data"]).status.success());
    let store = db.store();
    let org = store.organisations(&PageRequest::first(1)).unwrap().items[0].id.to_string();
    let out = wex(
        &db,
        &dir,
        &[],
        &["token", "--role", "coordinator", "--subject", "cli-coordinator", "--organisation", &org],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert_eq!(token.split('.').count(), 3, "{token}");
    let grants = store.grants_of("cli-coordinator").unwrap();
    assert_eq!(grants.memberships.len(), 1);
    assert_eq!(grants.memberships[0].0.to_string(), org);
    assert!(dir.join("sandbox-jwt-secret").exists(), "the sandbox secret is generated on first run");

    let bad = wex(&db, &dir, &[], &["token", "--role", "wizard", "--subject", "x"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("--role"));
    let no_org = wex(&db, &dir, &[], &["token", "--role", "host", "--subject", "x"]);
    assert!(!no_org.status.success());
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn production_refuses_to_start_without_keys_and_never_mints() {
    let db = TestDb::new();
    let dir = scratch();
    let out = wex(&db, &dir, &[("WEX_MODE", "production")], &["migrate"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("WEX_JWT_ISSUER"), "{}", stderr(&out));
    let out = wex(&db, &dir, &[("WEX_MODE", "production"), ("WEX_JWT_ISSUER", "https://idp.example")], &["serve"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("WEX_JWT_PUBLIC_KEYS"), "{}", stderr(&out));

    let keys = [
        ("WEX_MODE", "production"),
        ("WEX_JWT_ISSUER", "https://idp.example"),
        ("WEX_JWT_PUBLIC_KEYS", "/nonexistent.pem"),
        ("WEX_DISCLOSURE_KEY", "a secret of at least thirty-two characters"),
    ];
    let out = wex(&db, &dir, &keys[..3], &["serve"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("WEX_DISCLOSURE_KEY"), "{}", stderr(&out));
    let out = wex(&db, &dir, &keys, &["token", "--role", "admin", "--subject", "x"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("sandbox mode only"), "{}", stderr(&out));
    let out = wex(&db, &dir, &keys, &["demo-data"]);
    assert!(!out.status.success());
    let out = wex(&db, &dir, &keys, &["serve"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("WEX_JWT_PUBLIC_KEYS"), "an unreadable key file stops start-up: {}", stderr(&out));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_bad_value_stops_start_up_naming_the_variable() {
    let db = TestDb::new();
    let dir = scratch();
    for (var, value) in [
        ("WEX_BIND", "everywhere"),
        ("WEX_MODE", "testing"),
        ("WEX_DB_POOL_SIZE", "-1"),
        ("WEX_DATABASE_URL", "mysql://x"),
    ] {
        let out = wex(&db, &dir, &[(var, value)], &["serve"]);
        assert!(!out.status.success(), "{var}={value} was accepted");
        assert!(stderr(&out).contains(var), "{var}: {}", stderr(&out));
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn migrate_is_repeatable() {
    let db = TestDb::new();
    let dir = scratch();
    for _ in 0..2 {
        let out = wex(&db, &dir, &[], &["migrate"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn openapi_prints_the_committed_document() {
    let out = Command::new(env!("CARGO_BIN_EXE_wex")).arg("openapi").output().unwrap();
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json")).unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), committed);
}
