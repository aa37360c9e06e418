//! The `wex` binary: its sub-commands, configuration errors and the demo data, run as a newcomer
//! or a deployer would, on SQLite or (with WEX_TEST_DATABASE_URL) PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};
use wex_domain::model::auth::{Actor, MembershipRole, PlatformRole};
use wex_domain::model::page::PageRequest;
use wex_domain::model::placement::PlacementFilter;
use wex_domain::model::reference::PlacementStatus;
use wex_domain::model::reports::measures::{FeedbackCounts, ImplementationCounts, SupplyBy};
use wex_domain::model::reports::suppression::Rules;
use wex_domain::model::reports::uptake::Dimension;
use wex_domain::model::reports::{Figure, ReportFilter};
use wex_domain::ports::{EventStore, IdentityStore, NotificationStore, OrganisationStore, PlacementStore, ReportStore};
use wex_domain::reports;
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

/// What the demo holds, counted the ways a newcomer would see it. Who wins each draw is random, but
/// how many do (and so every count here) is not.
#[derive(Debug, PartialEq, Eq)]
struct Counts {
    organisations: usize,
    published: usize,
    open: usize,
    funnel: [u64; 6],
    implementation: ImplementationCounts,
    feedback: FeedbackCounts,
}

fn counts(store: &wex_persistence::DbStore) -> Counts {
    let now = wex_domain::now();
    let search =
        |filter: PlacementFilter| store.search_placements(&filter, now, &PageRequest::first(100)).unwrap().items;
    let all = ReportFilter::default();
    let mut funnel = [0; 6];
    for group in store.funnel_counts(Dimension::CareExperienced.grouping(), &all, false).unwrap() {
        for (total, n) in funnel.iter_mut().zip(group.reached) {
            *total += n;
        }
    }
    let mut feedback = store.feedback_counts(&all).unwrap();
    feedback.participants.sort();
    feedback.hosts.sort();
    Counts {
        organisations: store.organisations(&PageRequest::first(100)).unwrap().items.len(),
        published: search(PlacementFilter { status: PlacementStatus::Published, ..PlacementFilter::default() }).len(),
        open: search(PlacementFilter { open_now: true, ..PlacementFilter::default() }).len(),
        funnel,
        implementation: store.implementation_counts(&all, &wex_domain::model::reports::counting::COUNTING).unwrap(),
        feedback,
    }
}

#[test]
fn demo_data_is_searchable_and_loading_it_again_replaces_everything() {
    let db = TestDb::new();
    let dir = scratch();
    let first = wex(&db, &dir, &[], &["demo-data"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let store = db.store();
    let open = PlacementFilter { open_now: true, ..PlacementFilter::default() };
    let placements = store.search_placements(&open, wex_domain::now(), &PageRequest::first(100)).unwrap().items;
    let specialties: std::collections::BTreeSet<_> = placements.iter().map(|p| p.details.specialty).collect();
    assert!(specialties.len() >= 10, "only {} specialties", specialties.len());
    assert!(placements.iter().all(|p| p.draw_commitment.is_some()));
    let loaded = counts(&store);
    assert_eq!((loaded.organisations, loaded.open), (11, 29));
    assert!(loaded.published > loaded.open, "some demo placements open later");
    // Applied, entered the draw, offered, accepted, attended, completed: a whole round happened.
    assert_eq!(loaded.funnel, [213, 115, 64, 55, 49, 49]);
    assert_eq!(loaded.implementation.registered_applicants, 106);
    assert_eq!(loaded.implementation.placements_completed, 6);

    // What a walk-through adds (an organisation's new coordinator, a profile) goes with the demo.
    let org = store.organisations(&PageRequest::first(1)).unwrap().items[0].id.to_string();
    let token = ["token", "--role", "coordinator", "--subject", "tour-coordinator", "--organisation", &org];
    assert!(wex(&db, &dir, &[], &token).status.success());
    assert_eq!(store.grants_of("tour-coordinator").unwrap().memberships.len(), 1);
    let second = wex(&db, &dir, &[], &["demo-data"]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(counts(&store), loaded, "the demo is replaced, not added to");
    assert!(store.grants_of("tour-coordinator").unwrap().memberships.is_empty());
    assert!(store.organisation(org.parse().unwrap()).is_err(), "new ids each time");
    assert!(store.notifications(&PageRequest::first(10)).unwrap().items.is_empty(), "the outbox starts empty");
    std::fs::remove_dir_all(dir).ok();
}

/// Everything in the event log.
fn event_count(store: &wex_persistence::DbStore) -> usize {
    store.events_after(0, u32::MAX).unwrap().len()
}

#[test]
fn deleting_test_data_leaves_the_demo_as_it_was() {
    use wex_domain::model::test_data::TestDataRequest;
    use wex_domain::sandbox::test_data::{delete_test_data, generate_test_data};
    let db = TestDb::new();
    let dir = scratch();
    assert!(wex(&db, &dir, &[], &["demo-data"]).status.success());
    let store = db.store();
    let (demo, events) = (counts(&store), event_count(&store));
    let admin = Actor { platform_roles: vec![PlatformRole::Admin], ..Actor::new("test-data-admin") };
    let request = TestDataRequest { organisations: Some(2), applicants: Some(4), seed: Some(5), ..Default::default() };
    let batch = generate_test_data(&store, &admin, request, 10, wex_domain::now()).unwrap();
    let with_batch = counts(&store);
    assert_eq!((with_batch.organisations, with_batch.open), (demo.organisations + 2, demo.open + 6));
    assert_eq!(with_batch.funnel[0], demo.funnel[0] + 4, "each applicant applied once");
    assert!(!store.notifications(&PageRequest::first(10)).unwrap().items.is_empty(), "applying sent messages");

    let deleted = delete_test_data(&store, &admin, None, wex_domain::now()).unwrap();
    assert_eq!((deleted.batches, deleted.organisations, deleted.applications), (1, 2, 4));
    assert_eq!(counts(&store), demo, "the demo is as it was");
    // Only the batch's own record stays in the log: made, then deleted.
    assert_eq!(event_count(&store), events + 2);
    assert!(store.organisation(batch.organisations[0].id).is_err());
    assert!(store.notifications(&PageRequest::first(10)).unwrap().items.is_empty(), "its messages went too");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn every_report_has_figures_for_an_analyst_and_for_the_first_organisations_coordinator() {
    let db = TestDb::new();
    let dir = scratch();
    let out = wex(&db, &dir, &[], &["demo-data"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let store = db.store();
    let analyst = Actor { platform_roles: vec![PlatformRole::Analyst], ..Actor::new("analyst") };
    // The README's tour coordinates the first organisation listed.
    let first = store.organisations(&PageRequest::first(1)).unwrap().items[0].id;
    let coordinator = Actor { memberships: vec![(first, MembershipRole::Coordinator)], ..Actor::new("coordinator") };
    let shown = |f: &Figure| f.count.unwrap_or(0) > 0;
    let rules = Rules::default();
    for actor in [&analyst, &coordinator] {
        let all = ReportFilter::default;
        for dimension in Dimension::ALL {
            let r = reports::uptake(&store, actor, *dimension, all(), false, rules).unwrap();
            let total: Vec<bool> = r.total.counts.iter().map(|c| shown(&c.figure)).collect();
            assert_eq!(total, [true; 6], "{dimension} for {}", actor.subject);
        }
        let t = reports::timeliness(&store, actor, all(), wex_domain::now().date_naive(), rules).unwrap();
        assert!(shown(&t.total.due) && shown(&t.total.on_time), "timeliness for {}", actor.subject);
        for by in SupplyBy::ALL {
            let s = reports::supply_and_demand(&store, actor, *by, all(), rules).unwrap();
            assert!(shown(&s.total.applications) && shown(&s.total.filled), "supply by {by} for {}", actor.subject);
        }
        let i = reports::implementation(&store, actor, all(), rules).unwrap();
        for (what, f) in [
            ("registered", &i.registered_applicants),
            ("applicants", &i.applicants),
            ("hosts", &i.hosts_who_hosted),
            ("pre-module answered", &i.pre_module_answered),
            ("pre-module completed", &i.pre_module_completed),
        ] {
            assert!(shown(f), "{what} for {}", actor.subject);
        }
        let f = reports::feedback(&store, actor, all(), rules).unwrap();
        for q in f.participants.iter().chain(&f.hosts) {
            assert!(
                shown(&q.answered) && q.answers.iter().any(|a| shown(&a.figure)),
                "{} for {}",
                q.question,
                actor.subject
            );
        }
    }
    let s = reports::statistics(&store, rules).unwrap();
    assert!(s.national.all_applications.counts.iter().all(|c| shown(&c.figure)));
    assert!(shown(&s.national.places.filled));
    assert!(s.regions.iter().filter(|r| r.all_applications.counts.iter().all(|c| shown(&c.figure))).count() >= 4);
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
        ("WEX_SMTP_URL", "smtp://127.0.0.1:25"),
        ("WEX_EMAIL_FROM", "wex@example.org"),
        ("WEX_FRONTEND_BASE_URL", "https://wex.example"),
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
