//! The use cases' rules without HTTP: each calls the domain directly on a real store (SQLite, or
//! PostgreSQL with WEX_TEST_DATABASE_URL), so what is checked is the rule and its unit of work.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, NaiveTime, Utc};
use uuid::Uuid;
use wex_domain::model::application::{ApplyRequest, ChangedBy};
use wex_domain::model::auth::{Actor, MembershipRole, PlatformRole};
use wex_domain::model::lottery::DrawSeed;
use wex_domain::model::organisation::OrganisationInput;
use wex_domain::model::placement::Placement;
use wex_domain::model::profile::ProfileInput;
use wex_domain::model::reference::{OrganisationKind, PlacementStatus, Region};
use wex_domain::ports::{ApplicationStore, EventStore, OfferStore, PlacementStore, Store};
use wex_domain::{DomainError, applying, offers, organisations, placements, profiles, selection};
use wex_persistence::DbStore;
use wex_persistence::fixtures;
use wex_persistence::testing::TestDb;

fn text(s: &str) -> Option<String> {
    Some(s.to_string())
}

fn apply_request() -> ApplyRequest {
    fixtures::application()
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
    let input = OrganisationInput {
        name: "Wessex Trust".into(),
        kind: OrganisationKind::NhsTrust,
        region: Region::SouthEast,
        ods_code: None,
        description: None,
    };
    let organisation = organisations::create_organisation(&store, &admin, input, now).unwrap().id;
    let coordinator =
        Actor { memberships: vec![(organisation, MembershipRole::Coordinator)], ..Actor::new("coordinator-1") };
    World { _db: db, store, coordinator, organisation, now }
}

impl World {
    /// A published lottery placement with `capacity` places, open since yesterday.
    fn placement(&self, capacity: u32) -> Placement {
        let details = fixtures::online_lottery(self.now, i32::try_from(capacity).unwrap());
        let draft =
            placements::create_placement(&self.store, &self.coordinator, self.organisation, details, self.now).unwrap();
        let seed = DrawSeed::generate().unwrap();
        placements::publish_placement(&self.store, &self.coordinator, draft.id, Some(1), &seed, self.now).unwrap()
    }

    fn applicant(&self, n: usize) -> Actor {
        let actor = Actor::new(format!("applicant-{n}"));
        let input = fixtures::applicant(format!("applicant{n}@example.org"), self.now.date_naive());
        let input = input.parse(self.now.date_naive()).unwrap();
        profiles::put_own_profile(&self.store, &actor, input, None, self.now).unwrap();
        actor
    }

    /// Which of these applications holds the offer (after a draw of one place).
    fn offered(&self, apps: &[Uuid]) -> usize {
        apps.iter().position(|a| self.store.offer_of_application(*a).unwrap().is_some()).unwrap()
    }

    fn apply(&self, actor: &Actor, placement: Uuid, cap: u32) -> Result<Uuid, DomainError> {
        let request = apply_request();
        applying::apply(&self.store, actor, placement, request, cap, self.now)
            .map(|a| a.record.application.id)
            .map_err(DomainError::from)
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
    let holder = w.offered(&apps);
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
        let request = apply_request();
        applying::apply(s, &jo, placement.id, request, 10, w.now)
    })
    .unwrap();
    assert_eq!(in_session.record.application.placement_id, placement.id);
}

/// The report store counts what `Counting` defines, not what its SQL would choose: change a
/// definition and the same rows count differently.
#[test]
fn reports_count_what_the_domain_defines() {
    use wex_domain::model::application::{ApplicationStatus, Stage};
    use wex_domain::model::reports::ReportFilter;
    use wex_domain::model::reports::counting::{COUNTING, Counting};
    use wex_domain::model::reports::measures::SupplyBy;
    use wex_domain::ports::ReportStore;

    let w = world();
    let placement = w.placement(1);
    let people: Vec<Actor> = (0..3).map(|n| w.applicant(n)).collect();
    let apps: Vec<Uuid> = people.iter().map(|p| w.apply(p, placement.id, 10).unwrap()).collect();
    let all = ReportFilter::default();
    let owed_by = placement.details.outcome_by;
    let overdue = |counting: &Counting| -> u64 {
        w.store.timeliness_counts(&all, counting, owed_by + Duration::days(1)).unwrap().iter().map(|r| r.overdue).sum()
    };
    assert_eq!(overdue(&COUNTING), 3, "three submitted applications are owed an outcome");
    assert_eq!(overdue(&Counting { awaiting_outcome: &[ApplicationStatus::Withdrawn], ..COUNTING }), 0);

    placements::close_placement(&w.store, &w.coordinator, placement.id, w.now).unwrap();
    selection::draw_placement(&w.store, Some(&w.coordinator), placement.id, w.now).unwrap();
    let holder = w.offered(&apps);
    let offer = w.store.offer_of_application(apps[holder]).unwrap().unwrap();
    offers::accept(&w.store, &people[holder], offer.id, w.now).unwrap();

    let supply = |counting: &Counting| {
        let rows = w.store.supply_counts(SupplyBy::Specialty, &all, counting).unwrap();
        rows.iter().map(|r| (r.placements, r.applications, r.filled)).collect::<Vec<_>>()
    };
    assert_eq!(supply(&COUNTING), [(1, 3, 1)], "one place filled: the accepted one");
    assert_eq!(supply(&Counting { filled: Stage::Entered, ..COUNTING }), [(1, 3, 3)]);
    assert_eq!(supply(&Counting { filled: Stage::Attended, ..COUNTING }), [(1, 3, 0)]);
    let drawn = Counting { withdrawn_from_supply: &[PlacementStatus::Allocated], ..COUNTING };
    assert_eq!(supply(&drawn), [], "an allocated placement left supply by that definition");

    let implementation = |counting: &Counting| w.store.implementation_counts(&all, counting).unwrap();
    assert_eq!(implementation(&COUNTING).placements_completed, 0);
    assert_eq!(implementation(&Counting { completed: Stage::Accepted, ..COUNTING }).placements_completed, 1);
}

/// The search and the draw scheduler list placements by the status people see, which changes at
/// the closing time without any write: the store selects by the domain's stored forms.
#[test]
fn a_placement_past_its_closing_time_is_listed_as_closed_and_due_for_its_draw() {
    use wex_domain::model::page::PageRequest;
    use wex_domain::model::placement::PlacementFilter;
    use wex_domain::model::reference::SelectionMethod;
    use wex_domain::ports::DrawStore;

    let w = world();
    let placement = w.placement(1);
    let after_closing = placement.details.closes_at + Duration::seconds(1);
    let listed = |status: PlacementStatus, open_now: bool, at: DateTime<Utc>| -> Vec<Uuid> {
        let filter = PlacementFilter { status, open_now, ..PlacementFilter::default() };
        let page = placements::search_placements(&w.store, None, &filter, &PageRequest::first(20), at).unwrap();
        page.items.iter().map(|p| p.id).collect()
    };
    let due = |at| w.store.placements_showing(PlacementStatus::Closed, SelectionMethod::Lottery, at, 10).unwrap();

    assert_eq!(listed(PlacementStatus::Published, false, w.now), [placement.id]);
    assert_eq!(listed(PlacementStatus::Published, true, w.now), [placement.id], "open now");
    assert_eq!(listed(PlacementStatus::Closed, false, w.now), Vec::<Uuid>::new());
    assert_eq!(due(w.now), Vec::<Uuid>::new());

    assert_eq!(listed(PlacementStatus::Published, false, after_closing), Vec::<Uuid>::new());
    assert_eq!(listed(PlacementStatus::Published, true, after_closing), Vec::<Uuid>::new());
    assert_eq!(listed(PlacementStatus::Closed, false, after_closing), [placement.id]);
    assert_eq!(due(after_closing), [placement.id]);
    let by_review =
        w.store.placements_showing(PlacementStatus::Closed, SelectionMethod::NameBlindReview, after_closing, 10);
    assert_eq!(by_review.unwrap(), Vec::<Uuid>::new(), "a name-blind review waits for its coordinators");

    selection::draw_due(&w.store, after_closing, 10, 4).unwrap();
    assert_eq!(due(after_closing), Vec::<Uuid>::new(), "drawn means allocated, so no longer due");
    assert_eq!(listed(PlacementStatus::Allocated, false, after_closing), [placement.id]);
}

/// Every change after a place is accepted is an event too, with ids and codes only: the host
/// named and removed, supporting information, the certificate and both kinds of feedback. A
/// change refused (a second feedback, a host named twice) records nothing, and leaves nothing.
#[test]
fn what_follows_a_place_is_recorded_without_who_or_what_was_said() {
    use serde_json::{Value, json};
    use wex_domain::model::advocacy::{ManagedProfileRequest, Relationship};
    use wex_domain::model::event::EventActor;
    use wex_domain::model::participation::{HostFeedback, Likelihood, ParticipantFeedback, Recognition};
    use wex_domain::model::profile::{Consent, ConsentGiver};
    use wex_domain::{advocacy, grants, participation};
    let w = world();
    let placement = w.placement(1);
    let admin = Actor { platform_roles: vec![PlatformRole::Admin], ..Actor::new("admin-1") };
    let leader = Actor::new("careers-leader-1");
    let managed = ManagedProfileRequest {
        profile: ProfileInput {
            preferred_name: text("Ari Quill"),
            ..fixtures::applicant("ari.quill@example.org".to_string(), w.now.date_naive())
        },
        consent: Consent { given_by: ConsentGiver::Applicant, giver_name: None },
        relationship: Relationship::CareersLeader,
    };
    let managed = managed.parse(w.now.date_naive()).unwrap();
    let profile = advocacy::create_managed(&w.store, &leader, managed, w.now).unwrap();
    let request = ApplyRequest { on_behalf_of: Some(profile.id), ..apply_request() };
    let app = applying::apply(&w.store, &leader, placement.id, request, 10, w.now).unwrap().record.application.id;
    let said = "Ari cares for a parent and would thrive here.";
    let info = advocacy::add_supporting_information(&w.store, &leader, app, said, w.now).unwrap();
    let named_at = w.store.placement(placement.id).unwrap().version;

    grants::grant_membership(&w.store, &admin, w.organisation, "host-1", MembershipRole::Host, w.now).unwrap();
    let host = Actor { memberships: vec![(w.organisation, MembershipRole::Host)], ..Actor::new("host-1") };
    participation::add_host(&w.store, &w.coordinator, placement.id, "host-1", w.now).unwrap();
    let refused = participation::add_host(&w.store, &w.coordinator, placement.id, "host-1", w.now).unwrap_err();
    assert_eq!(code(refused.into()), "already_named");
    placements::close_placement(&w.store, &w.coordinator, placement.id, w.now).unwrap();
    selection::draw_placement(&w.store, Some(&w.coordinator), placement.id, w.now).unwrap();
    let offer = w.store.offer_of_application(app).unwrap().unwrap();
    offers::accept(&w.store, &leader, offer.id, w.now).unwrap();
    let started = w.now + Duration::days(60);
    participation::record_attendance(&w.store, &host, app, true, started).unwrap();
    participation::complete(&w.store, &host, app, started).unwrap();
    let feedback = ParticipantFeedback {
        more_likely_to_consider: Likelihood::MoreLikely,
        agreement: Default::default(),
        comments: text("Loved the physio gym."),
        completed_pre_module: None,
    };
    participation::give_feedback(&w.store, &leader, app, &feedback, started).unwrap();
    let host_feedback =
        HostFeedback { would_host_again: true, felt_recognised: Recognition::Yes, comments: text("Ari was great.") };
    participation::give_host_feedback(&w.store, &host, placement.id, &host_feedback, started).unwrap();
    let before = w.store.events_after(0, 1000).unwrap();
    let again = participation::give_feedback(&w.store, &leader, app, &feedback, started).unwrap_err();
    assert_eq!(code(again.into()), "feedback_already_given");
    let again = participation::give_host_feedback(&w.store, &host, placement.id, &host_feedback, started).unwrap_err();
    assert_eq!(code(again.into()), "feedback_already_given");
    let refused = grants::grant_membership(&w.store, &admin, w.organisation, "host-1", MembershipRole::Host, w.now);
    assert_eq!(code(refused.unwrap_err().into()), "already_granted");
    assert_eq!(w.store.events_after(0, 1000).unwrap(), before, "a refusal records nothing");
    participation::remove_host(&w.store, &w.coordinator, placement.id, "host-1", started).unwrap();

    let all = w.store.events_after(0, 1000).unwrap();
    let one = |kind: &str| {
        let found: Vec<_> = all.iter().filter(|e| e.event.kind == kind).map(|e| e.event.clone()).collect();
        assert_eq!(found.len(), 1, "{kind}");
        found.into_iter().next().unwrap()
    };
    let e = one("profile.created");
    assert_eq!((e.entity_id, e.entity_version, e.actor), (profile.id, 1, EventActor::Advocate));
    let e = one("advocate_link.linked");
    assert_eq!((e.data["profile_id"].as_str(), e.actor), (Some(profile.id.to_string().as_str()), EventActor::Advocate));
    let e = one("supporting_information.added");
    assert_eq!((e.entity_id, e.entity_version, e.actor), (info.id, 1, EventActor::Advocate));
    assert_eq!(e.data["application_id"], json!(app.to_string()));
    // Hosts and feedback leave the placement as it was: its events name the version it had.
    let drawn = w.store.placement(placement.id).unwrap().version;
    let e = one("placement.host_named");
    assert_eq!((e.entity_id, e.entity_version, e.actor), (placement.id, named_at, EventActor::Coordinator));
    let e = one("placement.host_removed");
    assert_eq!((e.entity_id, e.entity_version, e.actor), (placement.id, drawn, EventActor::Coordinator));
    let completed = w.store.application(app).unwrap().version;
    let e = one("certificate.issued");
    assert_eq!((e.entity_id, e.entity_version, e.actor), (app, 1, EventActor::Host));
    assert_eq!(e.data["placement_id"], json!(placement.id.to_string()));
    let e = one("application.feedback_given");
    assert_eq!((e.entity_id, e.entity_version, e.actor), (app, completed, EventActor::Advocate));
    let e = one("placement.host_feedback_given");
    assert_eq!((e.entity_id, e.entity_version, e.actor), (placement.id, drawn, EventActor::Host));
    for e in &all {
        let data = Value::Object(e.event.data.clone()).to_string();
        for personal in ["Ari", "ari.quill", "SO16", "host-1", "careers-leader-1", "physio", "more_likely", "thrive"] {
            assert!(!data.contains(personal), "{} carries {personal}: {data}", e.event.kind);
        }
    }
}

#[test]
fn reminders_go_once_before_an_offer_ends_and_a_week_and_a_day_before_the_start() {
    use wex_domain::model::notification::Template;
    use wex_domain::ports::NotificationStore;
    use wex_domain::reminders::{self, OFFER_NOTICE, Reminded};
    let w = world();
    let placement = w.placement(1);
    let people: Vec<Actor> = (0..2).map(|n| w.applicant(n)).collect();
    let apps: Vec<Uuid> = people.iter().map(|p| w.apply(p, placement.id, 10).unwrap()).collect();
    placements::close_placement(&w.store, &w.coordinator, placement.id, w.now).unwrap();
    selection::draw_placement(&w.store, Some(&w.coordinator), placement.id, w.now).unwrap();
    let holder = w.offered(&apps);
    let offer = w.store.offer_of_application(apps[holder]).unwrap().unwrap();
    let run = |at| reminders::send_due(&w.store, at, 100).unwrap();
    let none = Reminded::default();
    assert_eq!(run(offer.respond_by - OFFER_NOTICE - Duration::minutes(1)), none, "not yet");
    let due = offer.respond_by - Duration::days(1);
    assert_eq!(run(due), Reminded { offer_ending: 1, ..none });
    assert_eq!(run(due), none, "once, however often the scheduler runs");
    offers::accept(&w.store, &people[holder], offer.id, w.now).unwrap();
    let start = placement.details.start_date.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap()).and_utc();
    assert_eq!(run(start - Duration::days(8)), none);
    assert_eq!(run(start - Duration::days(7)), Reminded { week_before: 1, ..none });
    assert_eq!(run(start - Duration::days(3)), none);
    assert_eq!(run(start - Duration::days(1)), Reminded { day_before: 1, ..none });
    assert_eq!(run(start - Duration::hours(1)), none);
    // Each went to the holder alone, linking to their application.
    let outbox = w.store.notifications(&wex_domain::model::page::PageRequest::first(100)).unwrap().items;
    let address = format!("applicant{holder}@example.org");
    for template in [Template::OfferExpiring, Template::StartingSoon, Template::StartingTomorrow] {
        let sent: Vec<_> = outbox.iter().filter(|m| m.template == template).collect();
        assert_eq!(sent.len(), 1, "{template}");
        assert_eq!(sent[0].recipient, address);
        assert_eq!(sent[0].link.as_deref(), Some(format!("/applications/{}", apps[holder]).as_str()));
    }
}
