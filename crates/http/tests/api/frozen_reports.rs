//! Reports frozen at the draw (issue 13, item 3): once a placement is drawn, its applications are
//! counted by what their applicants said at the draw, so changing or deleting answers later leaves
//! every report on it byte for byte as it was; a placement not drawn yet follows the current answers.

use actix_web::http::Method;
use serde_json::{Value, json};
use wex_domain::model::reports::ReportFilter;
use wex_domain::model::reports::suppression::{NoiseKey, Rules};
use wex_domain::model::reports::uptake::{Dimension, GroupValue, Grouping};
use wex_domain::ports::{ReportSnapshotStore, ReportStore};
use wex_persistence::testing::text_values;

use crate::reports_access::row;
use crate::support::*;

/// Counts shown as they are (the equality tables keep their noise), and tables about one person
/// allowed, so that one person's change would show.
fn rules() -> Rules {
    Rules { min_shown: 1, round_to: 1, min_population: 1, key: NoiseKey([7; 32]) }
}

struct Person {
    token: String,
    profile_id: String,
}

/// Someone with this profile and these equality answers (none if `null`).
async fn person(app: &TestApp, user_groups: Value, care: Value, answers: Value) -> Person {
    let body = with(with(profile_body(30), "/user_groups", user_groups), "/support_worker", Value::Null);
    let mut body = body;
    body["care_experienced"] = care;
    let (token, profile) = app.applicant_with(body).await;
    if !answers.is_null() {
        app.call(Method::PUT, "/v1/me/equality-monitoring")
            .token(&token)
            .json(json!({"answers": answers}))
            .send()
            .await
            .ok(201);
    }
    Person { token, profile_id: id(&profile) }
}

/// Replaces the person's user groups and care-experienced answer.
async fn change_profile(app: &TestApp, p: &Person, user_groups: Value, care: Value) {
    let current = app.get("/v1/me/profile").token(&p.token).send().await;
    let etag = current.etag();
    let mut body = with(profile_body(30), "/support_worker", Value::Null);
    body["user_groups"] = user_groups;
    body["care_experienced"] = care;
    app.call(Method::PUT, "/v1/me/profile").token(&p.token).header("if-match", &etag).json(body).send().await.ok(200);
}

async fn put_answers(app: &TestApp, p: &Person, answers: Value) {
    let res = app.call(Method::PUT, "/v1/me/equality-monitoring").token(&p.token).json(json!({"answers": answers}));
    let res = res.send().await;
    assert!(res.status == 200 || res.status == 201, "{}: {}", res.status, res.text);
}

/// Every report that groups by a characteristic, as the bytes the API sends: the uptake report
/// by every dimension for the organisation (an analyst's, with the equality tables' noise), and
/// with `national` the admin's exact national tables and the public statistics.
async fn reports(app: &TestApp, org: &str, national: bool) -> Vec<(String, String)> {
    let analyst = app.token("analyst", "frozen-analyst", None).await;
    let admin = app.admin().await;
    let mut out = Vec::new();
    for d in Dimension::ALL {
        let path = format!("/v1/reports/uptake?dimension={}&organisation_id={org}", d.code());
        let res = app.get(&path).token(&analyst).send().await;
        res.ok(200);
        out.push((path, res.text));
        if national {
            let path = format!("/v1/reports/uptake?dimension={}&exact=true", d.code());
            let res = app.get(&path).token(&admin).send().await;
            res.ok(200);
            out.push((path, res.text));
        }
    }
    if national {
        let res = app.get("/v1/statistics").send().await;
        res.ok(200);
        out.push(("/v1/statistics".into(), res.text));
    }
    out
}

fn assert_same(before: &[(String, String)], after: &[(String, String)]) {
    assert_eq!(before.len(), after.len());
    for ((path, was), (_, now)) in before.iter().zip(after) {
        assert_eq!(was, now, "{path} changed after the draw");
    }
}

/// How many applications gave each answer to "sex" (`None`: not answered), straight from the
/// store's grouped counts: the API hides small counts in equality tables, even exact ones.
fn by_sex(app: &TestApp) -> Vec<(Option<String>, u64)> {
    let counts = app.store.funnel_counts(Grouping::Answers(&["sex"]), &ReportFilter::default(), false).unwrap();
    let mut out: Vec<(Option<String>, u64)> = counts
        .into_iter()
        .map(|c| match c.value {
            GroupValue::Answers(v) => (v[0].clone(), c.reached[0]),
            other => panic!("{other:?}"),
        })
        .collect();
    out.sort();
    out
}

fn sexes(counts: &[(Option<&str>, u64)]) -> Vec<(Option<String>, u64)> {
    let mut out: Vec<(Option<String>, u64)> = counts.iter().map(|(k, n)| (k.map(str::to_string), *n)).collect();
    out.sort();
    out
}

/// The number of applications in a category of the uptake report by a dimension that is not an
/// equality table (exact under these rules), nationally or for one organisation.
async fn in_category(app: &TestApp, dimension: &str, org: Option<&str>, category: &str) -> u64 {
    let analyst = app.token("analyst", "frozen-analyst", None).await;
    let filter = org.map(|o| format!("&organisation_id={o}")).unwrap_or_default();
    let res = app.get(&format!("/v1/reports/uptake?dimension={dimension}{filter}")).token(&analyst).send().await;
    row(res.ok(200), category)["counts"][0]["count"].as_u64().unwrap()
}

async fn in_group(app: &TestApp, org: &str, group: &str) -> u64 {
    in_category(app, "user_group", Some(org), group).await
}

/// Every row of the two frozen tables, as text, for comparing.
fn frozen_rows(app: &TestApp) -> Vec<String> {
    let mut rows = text_values(
        &app.store,
        "report_characteristics",
        "application_id || ' ' || user_groups || ' ' || COALESCE(CAST(care_experienced AS TEXT), '-') || ' ' || CAST(frozen_at AS TEXT)",
        "1 = 1",
    );
    rows.extend(text_values(
        &app.store,
        "report_answers",
        "application_id || ' ' || question || '=' || answer",
        "1 = 1",
    ));
    rows.sort();
    rows
}

fn count_frozen(app: &TestApp, profile: &str) -> usize {
    let apps = format!("application_id IN (SELECT id FROM applications WHERE profile_id = '{profile}')");
    text_values(&app.store, "report_characteristics", "application_id", &apps).len()
}

#[actix_web::test]
async fn reports_on_a_drawn_placement_keep_the_answers_held_at_the_draw() {
    let app = spawn_with(Options { suppression: rules(), ..Options::default() }).await;
    let version = app.privacy_version().await;
    let (drawn_org, coordinator, site) = app.coordinated_organisation().await;
    let drawn = app.published(&coordinator, &drawn_org, with(placement_body(&site), "/capacity", json!(1))).await;
    let a = person(
        &app,
        json!(["career_changers"]),
        json!(true),
        json!({"sex": "female", "ethnicity": "white_irish", "religion": "sikh"}),
    )
    .await;
    let b =
        person(&app, json!(["unemployed"]), json!(false), json!({"sex": "male", "ethnicity": "asian_indian"})).await;
    let c = person(&app, json!(["veterans"]), Value::Null, Value::Null).await;
    for p in [&a, &b, &c] {
        app.apply(&p.token, &id(&drawn), json!({"privacy_notice_version": version})).await.ok(201);
    }
    let path = format!("/v1/placements/{}", id(&drawn));
    app.post(&format!("{path}/close")).token(&coordinator).send().await.ok(200);
    app.post(&format!("{path}/draw")).token(&coordinator).send().await.ok(200);
    let at_draw = reports(&app, &drawn_org, true).await;
    assert_eq!(by_sex(&app), sexes(&[(Some("female"), 1), (Some("male"), 1), (None, 1)]));
    assert_eq!(in_category(&app, "care_experienced", None, "yes").await, 1);

    // Everyone changes everything reports count: user groups, care experience, and their
    // equality answers changed (a), deleted (b) and given for the first time after the draw (c).
    change_profile(&app, &a, json!(["prison_leavers"]), json!(false)).await;
    change_profile(&app, &b, json!(["veterans", "care_experienced"]), json!(true)).await;
    change_profile(&app, &c, json!([]), json!(false)).await;
    put_answers(&app, &a, json!({"sex": "male", "ethnicity": "black_african"})).await;
    app.delete("/v1/me/equality-monitoring").token(&b.token).send().await.ok(204);
    put_answers(&app, &c, json!({"sex": "female", "religion": "christian"})).await;
    assert_same(&at_draw, &reports(&app, &drawn_org, true).await);

    // Freezing again changes nothing, whichever way it is asked for.
    let frozen = frozen_rows(&app);
    assert_eq!(frozen.iter().filter(|r| r.contains('=')).count(), 5, "a's three answers, b's two: {frozen:?}");
    let later = chrono::Utc::now() + chrono::Duration::days(1);
    let drawn_id = id(&drawn).parse().unwrap();
    assert_eq!(app.store.freeze_characteristics_of_placement(drawn_id, later).unwrap(), 0);
    assert_eq!(app.store.freeze_characteristics_of_profile(a.profile_id.parse().unwrap(), later).unwrap(), 0);
    assert_eq!(frozen_rows(&app), frozen);

    // A placement not drawn yet counts the answers as they are now, and follows them as they change.
    let (open_org, other_coordinator, other_site) = app.coordinated_organisation().await;
    let open = app.published(&other_coordinator, &open_org, placement_body(&other_site)).await;
    for p in [&a, &b, &c] {
        app.apply(&p.token, &id(&open), json!({"privacy_notice_version": version})).await.ok(201);
    }
    let drawn_only = reports(&app, &drawn_org, false).await;
    assert_eq!(in_group(&app, &open_org, "prison_leavers").await, 1);
    // Frozen: a female, b male, c not answered; current: a male, b none, c female.
    assert_eq!(by_sex(&app), sexes(&[(Some("female"), 2), (Some("male"), 2), (None, 2)]));
    assert_eq!(in_category(&app, "care_experienced", None, "yes").await, 2, "a frozen, b now");
    change_profile(&app, &a, json!(["unemployed"]), json!(false)).await;
    put_answers(&app, &c, json!({"sex": "male"})).await;
    assert_eq!(in_group(&app, &open_org, "prison_leavers").await, 0);
    assert_eq!(in_group(&app, &open_org, "unemployed").await, 1);
    assert_eq!(by_sex(&app), sexes(&[(Some("female"), 1), (Some("male"), 3), (None, 2)]));
    assert_same(&drawn_only, &reports(&app, &drawn_org, false).await);

    // Freezing one person (as erasure does first) freezes only their application still open,
    // once; the others still follow their answers.
    assert_eq!(count_frozen(&app, &a.profile_id), 1);
    assert_eq!(app.store.freeze_characteristics_of_profile(a.profile_id.parse().unwrap(), later).unwrap(), 1);
    assert_eq!(app.store.freeze_characteristics_of_profile(a.profile_id.parse().unwrap(), later).unwrap(), 0);
    assert_eq!(count_frozen(&app, &a.profile_id), 2);
    assert_eq!(count_frozen(&app, &b.profile_id), 1);
    assert_eq!(count_frozen(&app, &c.profile_id), 1);
    change_profile(&app, &a, json!(["veterans"]), json!(false)).await;
    change_profile(&app, &b, json!(["unemployed"]), json!(false)).await;
    assert_eq!(in_group(&app, &open_org, "unemployed").await, 2, "a frozen as unemployed, b now unemployed");
    assert_eq!(in_group(&app, &open_org, "veterans").await, 0, "a's change after freezing does not count");
}
