//! The use cases' rules without HTTP: each calls the domain directly on a real store (SQLite, or
//! PostgreSQL with WEX_TEST_DATABASE_URL), so what is checked is the rule and its unit of work.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use uuid::Uuid;
use wex_domain::model::application::{ApplyRequest, ChangedBy};
use wex_domain::model::auth::{Actor, MembershipRole, PlatformRole};
use wex_domain::model::lottery::DrawSeed;
use wex_domain::model::placement::Placement;
use wex_domain::model::privacy::PRIVACY_NOTICE_VERSION;
use wex_domain::model::reference::PlacementStatus;
use wex_domain::ports::{EventStore, OfferStore, PlacementStore, Store};
use wex_domain::{DomainError, applying, offers, organisations, placements, profiles, selection};
use wex_persistence::DbStore;
use wex_persistence::testing::TestDb;

fn parse<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).unwrap()
}

fn code(e: DomainError) -> &'static str {
    match e {
        DomainError::Rule { code, .. } => code.code,
        other => panic!("not a conflict: {other:?}"),
    }
}

struct World {
    _db: TestDb,
    store: DbStore,
    coordinator: Actor,
    organisation: Uuid,
    now: DateTime<Utc>,
}

fn world() -> World {
    let db = TestDb::new();
    let store = db.store();
    let now = wex_domain::now();
    let admin = Actor { platform_roles: vec![PlatformRole::Admin], ..Actor::new("admin-1") };
    let input = parse(json!({"name": "Wessex Trust", "kind": "nhs_trust", "region": "south_east"}));
    let organisation = organisations::create_organisation(&store, &admin, input, now).unwrap().id;
    let coordinator =
        Actor { memberships: vec![(organisation, MembershipRole::Coordinator)], ..Actor::new("coordinator-1") };
    World { _db: db, store, coordinator, organisation, now }
}

impl World {
    /// A published lottery placement with `capacity` places, open since yesterday.
    fn placement(&self, capacity: u32) -> Placement {
        let closes = self.now + Duration::days(30);
        let outcome = closes.date_naive() + Duration::days(7);
        let start = outcome + Duration::days(14);
        let details = parse(json!({
            "kind": "work_experience", "delivery": "online", "specialty": "nursing",
            "title": "Nursing: a week online", "description": "Meet nurses online.",
            "site_id": null, "department_id": null,
            "start_date": start.to_string(), "end_date": (start + Duration::days(4)).to_string(),
            "daily_hours": {"start": "09:00", "end": "15:00"}, "capacity": capacity,
            "eligibility": {"min_age": 16, "max_age": null, "user_groups": null, "catchment": null},
            "opens_at": (self.now - Duration::days(1)).to_rfc3339(), "closes_at": closes.to_rfc3339(),
            "outcome_by": outcome.to_string(), "selection_method": "lottery", "priority_rules": [],
            "preparation": {
                "what_you_will_do": "Join calls.", "what_you_will_not_do": "No patient contact.",
                "dress_code": "Anything.", "arrival_instructions": "A link by email.",
                "contact_role": "Coordinator", "breaks_and_food": "Breaks hourly.",
                "travel_expenses": "None needed.", "support_available": "Captions.",
                "leads_to_job": false, "paid": false
            },
            "questions": [], "offer_response_days": 5
        }));
        let draft =
            placements::create_placement(&self.store, &self.coordinator, self.organisation, details, self.now).unwrap();
        let seed = DrawSeed::generate().unwrap();
        placements::publish_placement(&self.store, &self.coordinator, draft.id, Some(1), &seed, self.now).unwrap()
    }

    fn applicant(&self, n: usize) -> Actor {
        let actor = Actor::new(format!("applicant-{n}"));
        let born = self.now.date_naive() - Duration::days(17 * 366);
        let input = parse(json!({
            "email": format!("applicant{n}@example.org"), "date_of_birth": born.to_string(), "postcode": "SO16 6YD"
        }));
        profiles::put_own_profile(&self.store, &actor, input, None, self.now).unwrap();
        actor
    }

    fn apply(&self, actor: &Actor, placement: Uuid, cap: u32) -> Result<Uuid, DomainError> {
        let request: ApplyRequest = parse(json!({"privacy_notice_version": PRIVACY_NOTICE_VERSION}));
        applying::apply(&self.store, actor, placement, request, cap, self.now).map(|a| a.id)
    }
}

#[test]
fn applying_twice_and_past_the_cap_is_refused_and_stores_nothing() {
    let w = world();
    let (first, second) = (w.placement(2).id, w.placement(2).id);
    let jo = w.applicant(1);
    w.apply(&jo, first, 1).unwrap();
    let events = w.store.events_after(0, 100).unwrap().len();
    assert_eq!(code(w.apply(&jo, first, 10).unwrap_err()), "already_applied");
    assert_eq!(code(w.apply(&jo, second, 1).unwrap_err()), "too_many_active_applications");
    assert_eq!(w.store.events_after(0, 100).unwrap().len(), events, "a refusal records nothing");
    // A higher cap lets the second through.
    w.apply(&jo, second, 2).unwrap();
}

#[test]
fn the_table_decides_what_an_applicant_may_still_withdraw() {
    let w = world();
    let placement = w.placement(1);
    let (jo, sam) = (w.applicant(1), w.applicant(2));
    let jos = w.apply(&jo, placement.id, 10).unwrap();
    let sams = w.apply(&sam, placement.id, 10).unwrap();
    placements::close_placement(&w.store, &w.coordinator, placement.id, w.now).unwrap();
    selection::draw_placement(&w.store, Some(&w.coordinator), placement.id, w.now).unwrap();
    assert_eq!(w.store.placement(placement.id).unwrap().status, PlacementStatus::Allocated, "drawn means allocated");
    let offered = [(&jo, jos), (&sam, sams)]
        .into_iter()
        .find(|(_, a)| w.store.offer_of_application(*a).unwrap().is_some())
        .unwrap();
    // Offered: the applicant answers the offer instead; withdrawing is not theirs to do now.
    let refused = applying::withdraw(&w.store, offered.0, offered.1, None, w.now).unwrap_err();
    assert_eq!(code(refused.into()), "not_withdrawable");
}

#[test]
fn a_declined_place_goes_to_the_next_person_and_never_past_capacity() {
    let w = world();
    let placement = w.placement(1);
    let people: Vec<Actor> = (0..3).map(|n| w.applicant(n)).collect();
    let apps: Vec<Uuid> = people.iter().map(|p| w.apply(p, placement.id, 10).unwrap()).collect();
    placements::close_placement(&w.store, &w.coordinator, placement.id, w.now).unwrap();
    selection::draw_placement(&w.store, Some(&w.coordinator), placement.id, w.now).unwrap();
    assert_eq!(w.store.places_taken(placement.id).unwrap(), 1);
    let holder = (0..3).find(|&i| w.store.offer_of_application(apps[i]).unwrap().is_some()).unwrap();
    let offer = w.store.offer_of_application(apps[holder]).unwrap().unwrap();
    offers::decline(&w.store, &people[holder], offer.id, w.now).unwrap();
    // The place passed on: still exactly one taken, now by someone else.
    assert_eq!(w.store.places_taken(placement.id).unwrap(), 1);
    let given: Vec<usize> =
        (0..3).filter(|&i| i != holder && w.store.offer_of_application(apps[i]).unwrap().is_some()).collect();
    assert_eq!(given.len(), 1);
    // Nothing more to give however often the waiting list is asked.
    assert_eq!(offers::fill_places(&w.store, placement.id, w.now).unwrap(), 0);
    assert_eq!(w.store.places_taken(placement.id).unwrap(), 1);
    // The events tell the same story, the platform's own moves marked as such.
    let events = w.store.events_after(0, 100).unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.event.kind.as_str()).collect();
    assert!(
        kinds.ends_with(&["offer.declined", "application.declined", "application.offered", "offer.open"]),
        "{kinds:?}"
    );
    assert_eq!(events.last().unwrap().event.actor, ChangedBy::Platform);
}

/// A store that is the pool itself (no session) still runs a use case's writes in one unit of work.
#[test]
fn use_cases_run_on_the_pools_store_as_well_as_in_a_session() {
    let w = world();
    let placement = w.placement(1);
    let jo = w.applicant(1);
    let in_session = wex_domain::unit_of_work::read(&w.store as &dyn Store, |s| {
        let request: ApplyRequest = parse(json!({"privacy_notice_version": PRIVACY_NOTICE_VERSION}));
        applying::apply(s, &jo, placement.id, request, 10, w.now)
    })
    .unwrap();
    assert_eq!(in_session.placement_id, placement.id);
}
