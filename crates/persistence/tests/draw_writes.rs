//! A draw's writes are set-based: more entries than one multi-row statement holds are all stored,
//! and an application changed after the draw read it stops the whole draw, whichever statement
//! finds it. On SQLite, or PostgreSQL with WEX_TEST_DATABASE_URL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Utc};
use std::collections::HashMap;
use uuid::Uuid;
use wex_domain::StoreError;
use wex_domain::messages::Advocates;
use wex_domain::model::application::{ApplicationStatus, ChangedBy};
use wex_domain::model::auth::{Actor, MembershipRole, PlatformRole};
use wex_domain::model::draw::{DrawOutcome, draw};
use wex_domain::model::lottery::DrawSeed;
use wex_domain::model::organisation::OrganisationInput;
use wex_domain::model::profile::Profile;
use wex_domain::model::reference::{OrganisationKind, PlacementStatus, Region, SelectionMethod};
use wex_domain::model::reports::ReportFilter;
use wex_domain::model::reports::uptake::Dimension;
use wex_domain::ports::{AdvocacyStore, DrawStore, EventStore, OfferStore, PlacementStore, ProfileStore, ReportStore};
use wex_domain::{applying, offers, organisations, placements, profiles, selection};
use wex_persistence::fixtures;
use wex_persistence::testing::TestDb;
use wex_persistence::{DbStore, FromScratch};

/// More than the 1,000 rows of one multi-row statement, after one withdraws.
const APPLICANTS: usize = 1_002;
const CAPACITY: usize = 3;

/// A closed lottery placement with an application from each of `applicants` people, whose names
/// and organisation's name carry `tag`.
fn closed_placement(store: &DbStore, now: DateTime<Utc>, applicants: usize, tag: &str) -> (Uuid, Vec<(Actor, Uuid)>) {
    let admin = Actor { platform_roles: vec![PlatformRole::Admin], ..Actor::new("admin-1") };
    let input = OrganisationInput {
        name: format!("Wessex Trust {tag}"),
        kind: OrganisationKind::NhsTrust,
        region: Region::SouthEast,
        ods_code: None,
        description: None,
    };
    let organisation = organisations::create_organisation(store, &admin, input, now).unwrap().id;
    let coordinator =
        Actor { memberships: vec![(organisation, MembershipRole::Coordinator)], ..Actor::new("coordinator-1") };
    let details = fixtures::online_lottery(now, i32::try_from(CAPACITY).unwrap());
    let draft = placements::create_placement(store, &coordinator, organisation, details, now).unwrap();
    let seed = DrawSeed::generate().unwrap();
    let placement = placements::publish_placement(store, &coordinator, draft.id, Some(1), &seed, now).unwrap().id;
    let people = (0..applicants)
        .map(|n| {
            let actor = Actor::new(format!("applicant-{tag}-{n}"));
            let input = fixtures::applicant(format!("applicant{tag}.{n}@example.org"), now.date_naive());
            profiles::put_own_profile(store, &actor, input.parse(now.date_naive()).unwrap(), None, now).unwrap();
            let app = applying::apply(store, &actor, placement, fixtures::application(), 10, now)
                .unwrap()
                .record
                .application
                .id;
            (actor, app)
        })
        .collect();
    placements::close_placement(store, &coordinator, placement, now).unwrap();
    (placement, people)
}

#[test]
fn a_draw_beyond_one_statement_is_stored_whole_or_not_at_all() {
    let db = TestDb::new();
    let (store, log) = db.logged_store();
    let now = wex_domain::now();
    let (id, people) = closed_placement(&store, now, APPLICANTS, "a");

    // Read and decide as the draw does; then the last applicant, whose row the second
    // statement of each kind writes, withdraws before the draw is stored.
    let placement = store.placement(id).unwrap();
    let applications = store.all_applications_for_placement(id).unwrap();
    let ids: Vec<Uuid> = applications.iter().map(|a| a.profile_id).collect();
    let by_id: HashMap<Uuid, Profile> = store.profiles_by_ids(&ids).unwrap().into_iter().map(|p| (p.id, p)).collect();
    assert_eq!(by_id.len(), APPLICANTS);
    let entrants: Vec<_> = applications.into_iter().map(|a| (a.clone(), by_id[&a.profile_id].clone())).collect();
    let result = draw(&placement, &store.draw_seed(id).unwrap(), &entrants, now).unwrap();
    let advocates = Advocates::from_pairs(store.advocate_addresses(&ids).unwrap());
    let allocation = offers::allocation_after_draw(&result, &placement, &entrants, &advocates, now).unwrap();
    let (allocated, _) = placement.transition(PlacementStatus::Allocated, ChangedBy::Platform, now).unwrap();
    let last = allocation.applications.last().unwrap().0.id;
    let (leaver, _) = people.iter().find(|(_, app)| *app == last).unwrap();
    applying::withdraw(&store, leaver, last, None, now).unwrap();
    let events = store.events_after(0, 100_000).unwrap().len();

    assert_eq!(
        store.insert_draw(&result, &allocated, placement.version, &allocation),
        Err(StoreError::VersionConflict)
    );
    assert!(store.draw(id).unwrap().is_none(), "no draw stored");
    assert_eq!(store.places_taken(id).unwrap(), 0, "no offer stored");
    assert_eq!(store.events_after(0, 100_000).unwrap().len(), events, "no history");
    let unchanged: HashMap<Uuid, _> =
        store.all_applications_for_placement(id).unwrap().into_iter().map(|a| (a.id, a)).collect();
    assert!(unchanged.values().all(|a| a.draw_position.is_none()), "no application changed");
    assert_eq!(store.placement(id).unwrap().status_at(now), PlacementStatus::Closed);

    // The scheduler then draws everyone still in, every row in place, in statements whose
    // number does not grow with the entries: two of each kind of row for a thousand entries.
    log.take();
    let report = selection::draw_due(&store, now, 10, 1).unwrap();
    assert_eq!(report.drawn, vec![id]);
    let statements = log.take();
    let inserts_into = |table: &str| {
        statements
            .iter()
            .filter(|s| {
                // SQLite quotes names with backticks, PostgreSQL with double quotes.
                s.starts_with("INSERT INTO") && (s.contains(&format!("{table}`")) || s.contains(&format!("{table}\"")))
            })
            .count()
    };
    assert_eq!(inserts_into("draw_entries"), 2, "{statements:#?}");
    assert!(statements.len() < 60, "{} statements: {statements:#?}", statements.len());
    // The report counters move by the 1,001 applications' difference, a thousand to a statement,
    // and count what counting from scratch counts.
    let moved = statements.iter().filter(|s| s.starts_with("INSERT INTO report_funnel")).count();
    assert_eq!(moved, 2, "{statements:#?}");
    let national = ReportFilter::default();
    for dimension in Dimension::ALL {
        let grouping = dimension.grouping();
        assert_eq!(
            store.funnel_counts(grouping, &national, false).unwrap(),
            FromScratch(&store).funnel_counts(grouping, &national, false).unwrap(),
            "{dimension:?}"
        );
    }
    let drawn = store.draw(id).unwrap().unwrap();
    assert_eq!(drawn.entries.len(), APPLICANTS - 1);
    assert_eq!(store.places_taken(id).unwrap() as usize, CAPACITY);
    assert_eq!(store.waiting_list(id).unwrap().len(), APPLICANTS - 1 - CAPACITY);
    let stored: HashMap<Uuid, _> =
        store.all_applications_for_placement(id).unwrap().into_iter().map(|a| (a.id, a)).collect();
    for entry in &drawn.entries {
        let app = &stored[&entry.application_id];
        let status = match entry.outcome {
            DrawOutcome::Offered => ApplicationStatus::Offered,
            DrawOutcome::Waitlisted => ApplicationStatus::Waitlisted,
        };
        let had = unchanged[&entry.application_id].version;
        assert_eq!((app.status, app.draw_position, app.version), (status, Some(entry.position), had + 1));
    }
    assert_eq!(stored[&last].status, ApplicationStatus::Withdrawn);
    // An event for the placement, one per entrant, one per offer.
    let recorded = store.events_after(0, 100_000).unwrap().len() - events;
    assert_eq!(recorded, 1 + (APPLICANTS - 1) + CAPACITY);
}

/// The scheduler draws due placements several at once (on PostgreSQL; one at a time on SQLite),
/// reports them in the order they were due, and two schedulers at once draw each placement once.
#[test]
fn due_placements_are_drawn_several_at_once_and_each_once() {
    let db = TestDb::new();
    let store = db.store();
    let now = wex_domain::now();
    let placements: Vec<Uuid> = (0..10).map(|k| closed_placement(&store, now, 4, &k.to_string()).0).collect();
    let due = store.placements_showing(PlacementStatus::Closed, SelectionMethod::Lottery, now, 100).unwrap();
    assert_eq!(due.len(), placements.len());

    let first = selection::draw_due(&store, now, 4, 4).unwrap();
    assert!(first.failed.is_empty(), "{:?}", first.failed);
    assert_eq!(first.drawn, due[..4], "in the order they were due");

    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| selection::draw_due(&store, now, 100, 4).unwrap());
        let b = s.spawn(|| selection::draw_due(&store, now, 100, 4).unwrap());
        (a.join().unwrap(), b.join().unwrap())
    });
    let mut drawn: Vec<Uuid> = first.drawn.iter().chain(&a.drawn).chain(&b.drawn).copied().collect();
    drawn.sort();
    let mut expected = placements.clone();
    expected.sort();
    assert_eq!(drawn, expected, "each drawn once, by one of them");
    for (id, e) in a.failed.iter().chain(&b.failed) {
        // The one that lost a race for a placement was stopped by the other's draw, storing nothing.
        assert!(matches!(e, selection::DrawError::Interrupted(())), "{id}: {e:?}");
    }
    for id in &placements {
        let placement = store.placement(*id).unwrap();
        assert_eq!(placement.status, PlacementStatus::Allocated);
        assert_eq!(store.draw(*id).unwrap().unwrap().entries.len(), 4);
        assert_eq!(store.places_taken(*id).unwrap() as usize, CAPACITY);
    }
}
