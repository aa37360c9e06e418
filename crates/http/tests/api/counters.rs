//! Report counters (issue 15, item 4): the reports the service serves come from counters kept in
//! the same transaction as every change, and must equal the same reports counted from scratch over
//! the applications. A property test: generated histories of applying, withdrawing, changing
//! profiles and equality answers, drawing, answering offers and erasing accounts, made through the
//! API, with every report compared both ways after every few steps, and the counters compared
//! with a rebuild from scratch at the end.

use actix_web::http::Method;
use chrono::{Duration, Utc};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use wex_domain::model::reference::{PlacementKind, Region};
use wex_domain::model::reports::ReportFilter;
use wex_domain::model::reports::counting::COUNTING;
use wex_domain::model::reports::measures::SupplyBy;
use wex_domain::model::reports::suppression::{NoiseKey, Rules};
use wex_domain::model::reports::uptake::Dimension;
use wex_domain::ports::ReportStore;
use wex_domain::reports::population_up_to;
use wex_persistence::testing::text_values;
use wex_persistence::{DbStore, FromScratch};

use crate::support::*;

/// A small deterministic generator (splitmix64), so that a failing seed can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn some<T: Clone>(&mut self, items: &[T]) -> Vec<T> {
        items.iter().filter(|_| self.below(2) == 0).cloned().collect()
    }
}

const GROUPS: [&str; 5] = ["career_changers", "unemployed", "veterans", "care_experienced", "prison_leavers"];
const ANSWERS: [(&str, &[&str]); 5] = [
    ("sex", &["female", "male"]),
    ("ethnicity", &["white_irish", "asian_indian", "black_african"]),
    ("long_term_condition", &["yes", "no"]),
    ("condition_reduces_activities", &["yes_a_lot", "not_at_all"]),
    ("religion", &["sikh", "christian"]),
];

fn user_groups(rng: &mut Rng) -> Value {
    json!(rng.some(&GROUPS))
}

fn care(rng: &mut Rng) -> Value {
    [json!(true), json!(false), Value::Null][rng.below(3)].clone()
}

fn answers(rng: &mut Rng) -> Value {
    let mut out = serde_json::Map::new();
    for (question, options) in ANSWERS {
        if rng.below(3) > 0 {
            out.insert(question.into(), json!(rng.pick(options)));
        }
    }
    Value::Object(out)
}

struct Person {
    token: String,
    applications: Vec<String>,
    erased: bool,
}

struct Placement {
    id: String,
    coordinator: String,
    drawn: bool,
}

/// Every report the counters serve, from the counters and from scratch, must be equal; and the
/// population check must decide as the exact number of people would.
fn assert_counted_as_from_scratch(store: &DbStore, organisation: &str, context: &str) {
    let scratch = FromScratch(store);
    let org = organisation.parse().ok();
    let filters = [
        ReportFilter::default(),
        ReportFilter { organisation_id: org, ..ReportFilter::default() },
        ReportFilter {
            kind: Some(PlacementKind::WorkExperience),
            region: Some(Region::SouthEast),
            ..Default::default()
        },
        ReportFilter { to: Some(Utc::now().date_naive()), ..ReportFilter::default() },
    ];
    let sorted = |mut rows: Vec<String>| {
        rows.sort();
        rows
    };
    let mut seen = BTreeSet::new();
    let groupings: Vec<_> =
        Dimension::ALL.iter().map(|d| d.grouping()).filter(|g| seen.insert(format!("{g:?}"))).collect();
    for filter in &filters {
        for grouping in &groupings {
            for by_region in [false, true] {
                let counted = store.funnel_counts(*grouping, filter, by_region).unwrap();
                let counted = sorted(counted.iter().map(|c| format!("{c:?}")).collect());
                let expected = scratch.funnel_counts(*grouping, filter, by_region).unwrap();
                let expected = sorted(expected.iter().map(|c| format!("{c:?}")).collect());
                assert_eq!(counted, expected, "{context}: {grouping:?} {filter:?} by region {by_region}");
            }
        }
        for today in [Utc::now().date_naive(), Utc::now().date_naive() + Duration::days(90)] {
            assert_eq!(
                store.timeliness_counts(filter, &COUNTING, today).unwrap(),
                scratch.timeliness_counts(filter, &COUNTING, today).unwrap(),
                "{context}: timeliness {filter:?} on {today}"
            );
        }
        for by in [SupplyBy::Specialty, SupplyBy::Region, SupplyBy::Kind] {
            assert_eq!(
                store.supply_counts(by, filter, &COUNTING).unwrap(),
                scratch.supply_counts(by, filter, &COUNTING).unwrap(),
                "{context}: supply by {by:?} {filter:?}"
            );
        }
        assert_eq!(
            store.implementation_counts(filter, &COUNTING).unwrap(),
            scratch.implementation_counts(filter, &COUNTING).unwrap(),
            "{context}: implementation {filter:?}"
        );
        assert_eq!(
            store.application_bounds(filter).unwrap(),
            scratch.application_bounds(filter).unwrap(),
            "{context}: bounds {filter:?}"
        );
        let people = scratch.people(filter).unwrap();
        for min in [1, 2, 3, 5, 8, 13] {
            let decided = population_up_to(store, filter, min).unwrap() >= min;
            assert_eq!(decided, people >= min, "{context}: {people} people against {min}, {filter:?}");
        }
    }
}

/// The implementation measures over the whole platform and for today count the same people from
/// the counters as from scratch, and count at least `at_least` registrations: for the tests that
/// make profiles in other ways than an applicant's own (an advocate's, a college's).
pub fn assert_people_counted(store: &DbStore, at_least: u64) {
    let today = Utc::now().date_naive();
    for filter in
        [ReportFilter::default(), ReportFilter { from: Some(today), to: Some(today), ..ReportFilter::default() }]
    {
        let counted = store.implementation_counts(&filter, &COUNTING).unwrap();
        assert_eq!(counted, FromScratch(store).implementation_counts(&filter, &COUNTING).unwrap(), "{filter:?}");
        assert!(counted.registered_applicants >= at_least, "{filter:?}: {counted:?}");
    }
}

/// The counter rows that count something, and the applicants, as text, for comparing with a rebuild.
fn counter_rows(store: &DbStore) -> Vec<String> {
    let columns = "breakdown || ' ' || placement_id || ' ' || k1 || ' ' || k2 || ' ' || CAST(s0 AS TEXT) || ' ' || \
                   CAST(s1 AS TEXT) || ' ' || CAST(s2 AS TEXT) || ' ' || CAST(s3 AS TEXT) || ' ' || CAST(s4 AS TEXT) || ' ' || \
                   CAST(s5 AS TEXT)";
    let mut rows = text_values(store, "report_funnel", columns, "s0 <> 0");
    rows.extend(text_values(store, "report_applicants", "'applicant ' || profile_id", "1 = 1"));
    rows.sort();
    rows
}

/// What a history did that changed something, by kind: the test asserts that the histories
/// between them did every kind, so that none of the writes goes unchecked.
#[derive(Default, Debug)]
struct Done {
    applied: usize,
    withdrawn: usize,
    profiles_changed: usize,
    answers_changed: usize,
    drawn: usize,
    offers_answered: usize,
    erased: usize,
}

async fn history(seed: u64, steps: usize, done: &mut Done) {
    let mut rng = Rng(seed);
    let rules = Rules { min_shown: 1, round_to: 1, min_population: 1, key: NoiseKey([3; 32]) };
    let app = spawn_with(Options { suppression: rules, ..Options::default() }).await;
    let version = app.privacy_version().await;
    let mut placements = Vec::new();
    let mut first_org = String::new();
    for o in 0..2 {
        let (org, coordinator, site) = app.coordinated_organisation().await;
        if o == 0 {
            first_org = org.clone();
        }
        for _ in 0..2 {
            let body = with(placement_body(&site), "/capacity", json!(1 + rng.below(2)));
            let placement = app.published(&coordinator, &org, body).await;
            placements.push(Placement { id: id(&placement), coordinator: coordinator.clone(), drawn: false });
        }
    }
    let mut people = Vec::new();
    for _ in 0..6 {
        let mut body = with(profile_body(17 + rng.below(30) as i64), "/support_worker", Value::Null);
        body["user_groups"] = user_groups(&mut rng);
        body["care_experienced"] = care(&mut rng);
        let (token, _) = app.applicant_with(body).await;
        people.push(Person { token, applications: Vec::new(), erased: false });
    }
    assert_counted_as_from_scratch(&app.store, &first_org, &format!("seed {seed}, at the start"));
    for step in 0..steps {
        let p = rng.below(people.len());
        let context = format!("seed {seed}, step {step}");
        if people[p].erased {
            continue;
        }
        let token = people[p].token.clone();
        match rng.below(10) {
            0..=2 => {
                let placement = rng.pick(&placements);
                let res = app.apply(&token, &placement.id, json!({"privacy_notice_version": version})).await;
                if res.status == 201 {
                    done.applied += 1;
                    people[p].applications.push(id(&res.body));
                } else {
                    assert!(res.status == 409 || res.status == 422, "{context}: applying gave {}", res.status);
                }
            }
            3 => {
                if let Some(a) = people[p].applications.first().cloned() {
                    let path = format!("/v1/applications/{a}/withdraw");
                    let res = app.post(&path).token(&token).json(json!({})).send().await;
                    assert!(res.status == 200 || res.status == 409, "{context}: withdrawing gave {}", res.status);
                    done.withdrawn += usize::from(res.status == 200);
                }
            }
            4 => {
                let current = app.get("/v1/me/profile").token(&token).send().await;
                let mut body = with(profile_body(30), "/support_worker", Value::Null);
                body["user_groups"] = user_groups(&mut rng);
                body["care_experienced"] = care(&mut rng);
                let res = app.call(Method::PUT, "/v1/me/profile").token(&token).header("if-match", &current.etag());
                res.json(body).send().await.ok(200);
                done.profiles_changed += usize::from(!people[p].applications.is_empty());
            }
            5 => {
                if rng.below(4) == 0 {
                    app.delete("/v1/me/equality-monitoring").token(&token).send().await;
                } else {
                    let body = json!({"answers": answers(&mut rng)});
                    let res = app.call(Method::PUT, "/v1/me/equality-monitoring").token(&token).json(body).send().await;
                    assert!(res.status == 200 || res.status == 201, "{context}: answers gave {}", res.status);
                }
                done.answers_changed += usize::from(!people[p].applications.is_empty());
            }
            6 => {
                let i = rng.below(placements.len());
                if !placements[i].drawn {
                    let path = format!("/v1/placements/{}", placements[i].id);
                    let coordinator = &placements[i].coordinator;
                    app.post(&format!("{path}/close")).token(coordinator).send().await.ok(200);
                    app.post(&format!("{path}/draw")).token(coordinator).send().await.ok(200);
                    placements[i].drawn = true;
                    done.drawn += 1;
                }
            }
            7 | 8 => {
                for a in people[p].applications.clone() {
                    let view = app.get(&format!("/v1/applications/{a}")).token(&token).send().await;
                    let offer = &view.ok(200)["offer"];
                    if offer["status"] == "open" {
                        let answer = if rng.below(2) == 0 { "accept" } else { "decline" };
                        let path = format!("/v1/offers/{}/{answer}", id(offer));
                        app.post(&path).token(&token).send().await.ok(200);
                        done.offers_answered += 1;
                        break;
                    }
                }
            }
            _ => {
                if rng.below(3) == 0 {
                    let current = app.get("/v1/me/profile").token(&token).send().await;
                    let res = app.call(Method::DELETE, "/v1/me").token(&token).header("if-match", &current.etag());
                    res.send().await.ok(200);
                    people[p].erased = true;
                    done.erased += usize::from(!people[p].applications.is_empty());
                }
            }
        }
        if step % 4 == 3 {
            assert_counted_as_from_scratch(&app.store, &first_org, &context);
        }
    }
    assert_counted_as_from_scratch(&app.store, &first_org, &format!("seed {seed}, at the end"));
    let kept = counter_rows(&app.store);
    assert!(!kept.is_empty(), "seed {seed}: the history applied to nothing");
    app.store.rebuild_report_counters().unwrap();
    assert_eq!(counter_rows(&app.store), kept, "seed {seed}: the counters differ from a rebuild from scratch");
}

#[actix_web::test]
async fn counters_equal_counting_from_scratch_through_generated_histories() {
    let mut done = Done::default();
    for seed in 1..=4 {
        history(seed, 60, &mut done).await;
    }
    let Done { applied, withdrawn, profiles_changed, answers_changed, drawn, offers_answered, erased } = done;
    assert!(
        [applied, withdrawn, profiles_changed, answers_changed, drawn, offers_answered, erased].iter().all(|n| *n > 0),
        "a kind of change never happened: {done:?}"
    );
}

#[actix_web::test]
async fn a_rebuild_counts_applications_written_around_the_store() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let placement = app.published(&coordinator, &org, placement_body(&site)).await;
    let version = app.privacy_version().await;
    let (token, _) = app.applicant_with(profile_body(30)).await;
    app.apply(&token, &id(&placement), json!({"privacy_notice_version": version})).await.ok(201);
    let counted = app.store.application_bounds(&ReportFilter::default()).unwrap();
    assert_eq!(counted, (1, 1));
    // An operator's hand-made change that no write of the service saw: the counters lag until
    // they are rebuilt, which is what `wex rebuild-report-counters` is for.
    wex_persistence::testing::execute(&app.store, "UPDATE applications SET applicant_age = 44");
    let scratch = FromScratch(&app.store);
    let by_age =
        |s: &dyn ReportStore| s.funnel_counts(Dimension::AgeBand.grouping(), &ReportFilter::default(), false).unwrap();
    assert_ne!(by_age(&*app.store), by_age(&scratch));
    assert!(app.store.rebuild_report_counters().unwrap() > 0);
    assert_eq!(by_age(&*app.store), by_age(&scratch));
}

#[actix_web::test]
async fn counters_stay_true_when_one_applicant_changes_everything_at_once() {
    let rules = Rules { min_shown: 1, round_to: 1, min_population: 1, key: NoiseKey([3; 32]) };
    let app = spawn_with(Options { suppression: rules, ..Options::default() }).await;
    let version = app.privacy_version().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let (token, _) = app.applicant_with(with(profile_body(30), "/support_worker", Value::Null)).await;
    let mut applications = Vec::new();
    for _ in 0..4 {
        let placement = app.published(&coordinator, &org, placement_body(&site)).await;
        let res = app.apply(&token, &id(&placement), json!({"privacy_notice_version": version})).await;
        applications.push(id(res.ok(201)));
    }
    // Their applications end while their answers change, all at the same time: each change moves
    // the counters of the applications the other touches.
    let withdrawals =
        applications.iter().map(|a| {
            let (app, token) = (&app, &token);
            async move {
                app.post(&format!("/v1/applications/{a}/withdraw")).token(token).json(json!({})).send().await.status
            }
        });
    let mut rng = Rng(7);
    let bodies: Vec<Value> = (0..4).map(|_| json!({"answers": answers(&mut rng)})).collect();
    let changes = bodies.iter().map(|body| {
        let (app, token) = (&app, &token);
        async move {
            app.call(Method::PUT, "/v1/me/equality-monitoring").token(token).json(body.clone()).send().await.status
        }
    });
    let (ended, answered) = futures_util::future::join(
        futures_util::future::join_all(withdrawals),
        futures_util::future::join_all(changes),
    )
    .await;
    assert!(ended.iter().all(|s| *s == 200), "{ended:?}");
    assert!(answered.iter().all(|s| *s == 200 || *s == 201), "{answered:?}");
    assert_counted_as_from_scratch(&app.store, &org, "after the concurrent changes");
}
