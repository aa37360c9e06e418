//! A draw's writes are set-based: more entries than one multi-row statement holds are all stored,
//! and an application changed after the draw read it stops the whole draw, whichever statement
//! finds it. On SQLite, or PostgreSQL with WEX_TEST_DATABASE_URL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, NaiveTime, Utc};
use std::collections::HashMap;
use uuid::Uuid;
use wex_domain::StoreError;
use wex_domain::messages::Advocates;
use wex_domain::model::application::{ApplicationStatus, ApplyRequest, ChangedBy};
use wex_domain::model::auth::{Actor, MembershipRole, PlatformRole};
use wex_domain::model::draw::{DrawOutcome, draw};
use wex_domain::model::lottery::DrawSeed;
use wex_domain::model::organisation::OrganisationInput;
use wex_domain::model::placement::{DailyHours, Eligibility, PlacementDetails, Preparation};
use wex_domain::model::privacy::PRIVACY_NOTICE_VERSION;
use wex_domain::model::profile::{Profile, ProfileInput};
use wex_domain::model::reference::{
    Delivery, OrganisationKind, PlacementKind, PlacementStatus, Region, SelectionMethod, Specialty,
};
use wex_domain::ports::{AdvocacyStore, DrawStore, EventStore, OfferStore, PlacementStore, ProfileStore};
use wex_domain::{applying, offers, organisations, placements, profiles, selection};
use wex_persistence::DbStore;
use wex_persistence::testing::TestDb;

/// More than the 1,000 rows of one multi-row statement, after one withdraws.
const APPLICANTS: usize = 1_002;
const CAPACITY: usize = 3;

fn text(s: &str) -> Option<String> {
    Some(s.to_string())
}

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
    let closes = now + Duration::days(30);
    let outcome = closes.date_naive() + Duration::days(7);
    let start = outcome + Duration::days(14);
    let hour = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    let details = PlacementDetails {
        kind: PlacementKind::WorkExperience,
        delivery: Delivery::Online,
        specialty: Specialty::Nursing,
        title: "Nursing: a week online".into(),
        description: "Meet nurses online.".into(),
        site_id: None,
        department_id: None,
        start_date: start,
        end_date: start + Duration::days(4),
        daily_hours: DailyHours { start: hour(9), end: hour(15) },
        capacity: i32::try_from(CAPACITY).unwrap(),
        eligibility: Eligibility { min_age: Some(16), ..Eligibility::default() },
        opens_at: now - Duration::days(1),
        closes_at: closes,
        outcome_by: outcome,
        selection_method: SelectionMethod::Lottery,
        priority_rules: vec![],
        preparation: Preparation {
            what_you_will_do: text("Join calls."),
            what_you_will_not_do: text("No patient contact."),
            dress_code: text("Anything."),
            arrival_instructions: text("A link by email."),
            contact_role: text("Coordinator"),
            breaks_and_food: text("Breaks hourly."),
            travel_expenses: text("None needed."),
            support_available: text("Captions."),
            leads_to_job: Some(false),
            paid: false,
        },
        questions: vec![],
        offer_response_days: 5,
        requirements: Default::default(),
    };
    let draft = placements::create_placement(store, &coordinator, organisation, details, now).unwrap();
    let seed = DrawSeed::generate().unwrap();
    let placement = placements::publish_placement(store, &coordinator, draft.id, Some(1), &seed, now).unwrap().id;
    let people = (0..applicants)
        .map(|n| {
            let actor = Actor::new(format!("applicant-{tag}-{n}"));
            let input = ProfileInput {
                preferred_name: None,
                email: format!("applicant{tag}.{n}@example.org"),
                phone: None,
                date_of_birth: now.date_naive() - Duration::days(17 * 366),
                postcode: text("SO16 6YD"),
                no_fixed_address: false,
                user_groups: vec![],
                care_experienced: None,
                adjustments: None,
                preferred_language: None,
                support_worker: None,
            };
            profiles::put_own_profile(store, &actor, input.parse(now.date_naive()).unwrap(), None, now).unwrap();
            let request = ApplyRequest {
                privacy_notice_version: PRIVACY_NOTICE_VERSION.to_string(),
                answers: vec![],
                can_travel: None,
                on_behalf_of: None,
            };
            let app = applying::apply(store, &actor, placement, request, 10, now).unwrap().record.application.id;
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
