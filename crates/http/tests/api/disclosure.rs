//! Nobody who knows who took part learns a person's equality answers from the reports: not from
//! one report, not by comparing two (docs/reports.md, "Disclosure control").

use serde_json::{Value, json};

use crate::support::{TestApp, id, placement_body, profile_body, spawn, with};

const ATTACKED: [(&str, &str, &str); 4] = [
    ("religion", "religion", "buddhist"),
    ("ethnicity", "ethnicity", "white_roma"),
    ("sexual_orientation", "sexual_orientation", "bisexual"),
    ("disability", "long_term_condition", "yes"),
];

/// A profile that names no support worker, so that applying invites nobody.
fn plain_profile() -> Value {
    with(profile_body(30), "/support_worker", Value::Null)
}

/// Someone with these equality answers applies to the placement.
async fn applicant(app: &TestApp, placement: &str, answers: Value, version: &str) {
    let (token, _) = app.applicant_with(plain_profile()).await;
    let put = app.call(actix_web::http::Method::PUT, "/v1/me/equality-monitoring").token(&token);
    put.json(json!({"answers": answers})).send().await.ok(201);
    app.apply(&token, placement, json!({"privacy_notice_version": version})).await.ok(201);
}

/// The categories a reader cannot rule out for someone they know applied: every category whose
/// `applied` count is anything but a shown zero (a refused report rules nothing out).
fn candidates(report: &Value) -> Vec<String> {
    let Some(rows) = report["rows"].as_array() else { return vec!["(refused)".into(), "(anything)".into()] };
    rows.iter()
        .filter(|r| r["counts"][0] != json!({"stage": "applied", "count": 0, "suppressed": false}))
        .map(|r| r["category"].as_str().unwrap().to_string())
        .collect()
}

/// A placement of the organisation starting on `start` (a date), with the other dates to match.
fn starting(site: &str, start: chrono::NaiveDate) -> Value {
    let body = placement_body(site);
    let end = start + chrono::Duration::days(4);
    with(with(body, "/start_date", json!(start.to_string())), "/end_date", json!(end.to_string()))
}

fn month_of(date: chrono::NaiveDate) -> (String, String) {
    use chrono::Datelike;
    let first = date.with_day(1).unwrap();
    let next = first.checked_add_months(chrono::Months::new(1)).unwrap();
    (first.to_string(), next.pred_opt().unwrap().to_string())
}

/// The attack: a coordinator sees a placement's one participant by name, and filters the
/// uptake report to the day it started. Before, the report showed `*` for one category and exact
/// zeros for every other.
#[actix_web::test]
async fn one_participant_cannot_be_singled_out_by_filtering_to_their_placement() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let placement = app.published(&coordinator, &org, placement_body(&site)).await;
    let version = app.privacy_version().await;
    let answers = json!({"religion": "buddhist", "ethnicity": "white_roma", "sexual_orientation": "bisexual",
                         "long_term_condition": "yes", "condition_reduces_activities": "yes_a_lot"});
    applicant(&app, &id(&placement), answers, &version).await;
    let day = placement["start_date"].as_str().unwrap();
    let (first, last) = month_of(day.parse().unwrap());
    let analyst = app.token("analyst", "analyst-attack", None).await;
    for (dimension, _, _) in ATTACKED {
        let base = format!("/v1/reports/uptake?dimension={dimension}");
        let tries = [
            (format!("{base}&from={day}&to={day}"), &coordinator),
            (format!("{base}&from={first}&to={last}"), &coordinator),
            (base.clone(), &coordinator),
            (format!("{base}&organisation_id={org}&from={first}&to={last}"), &analyst),
        ];
        for (path, token) in tries {
            let res = app.get(&path).token(token).send().await;
            let found = candidates(&res.body);
            assert!(found.len() > 1, "{path} gives the answer away ({found:?}): {}", res.text);
            assert_eq!(res.status, 422, "{path}: {}", res.text);
        }
        // A single day is not a period a report takes; a whole month of one person is too few.
        let res = app.get(&format!("{base}&from={day}&to={day}")).token(&coordinator).send().await;
        res.problem(422, "validation_failed");
        let codes: Vec<String> = res.field_errors().into_iter().map(|(_, code)| code).collect();
        assert!(codes.iter().any(|c| c.starts_with("not_")), "{codes:?}");
        let res = app.get(&format!("{base}&from={first}&to={last}")).token(&coordinator).send().await;
        res.problem(422, "population_too_small");
    }
}

/// Twenty-odd people in one placement (month A, work experience), and one more person in
/// another (a later month, a T level placement): two reports differing by one period, or by one
/// filter value, differ by exactly that person.
#[actix_web::test]
async fn two_reports_differing_by_one_person_do_not_give_their_answer_away() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let version = app.privacy_version().await;
    let first = app.published(&coordinator, &org, placement_body(&site)).await;
    let start: chrono::NaiveDate = first["start_date"].as_str().unwrap().parse().unwrap();
    for (religion, n) in [("christian", 12), ("no_religion", 10), ("muslim", 9)] {
        for _ in 0..n {
            applicant(&app, &id(&first), json!({"religion": religion}), &version).await;
        }
    }
    let later = start + chrono::Duration::days(45);
    // Of another kind than the first (T level placements take no applications: colleges propose).
    let body = with(starting(&site, later), "/kind", json!("work_related_learning"));
    let second = app.published(&coordinator, &org, body).await;
    applicant(&app, &id(&second), json!({"religion": "christian"}), &version).await;

    let (from, to_first) = month_of(start);
    let (_, to_later) = month_of(later);
    let report = |query: String| {
        let app = &app;
        let coordinator = &coordinator;
        async move {
            let path = format!("/v1/reports/uptake?dimension=religion&{query}");
            app.get(&path).token(coordinator).send().await.ok(200).clone()
        }
    };
    let pairs = [
        // One period longer.
        (format!("from={from}&to={to_first}"), format!("from={from}&to={to_later}")),
        // One filter value fewer.
        ("kind=work_experience".to_string(), String::new()),
    ];
    for (without, with_them) in pairs {
        let (a, b) = (report(without.clone()).await, report(with_them.clone()).await);
        let changed: Vec<&str> = a["rows"]
            .as_array()
            .unwrap()
            .iter()
            .zip(b["rows"].as_array().unwrap())
            .filter(|(x, y)| x["counts"] != y["counts"])
            .map(|(x, _)| x["category"].as_str().unwrap())
            .collect();
        assert_ne!(changed, vec!["christian"], "{without} against {with_them} points at the person: {a} {b}");
        assert_eq!(a["protection"], json!({"min_population": 20}));
        // And asking again gives the same answer: there is nothing to average away.
        assert_eq!(report(without).await, a);
    }
}

/// Everyone in the table gave the same answer: "everyone is Christian" must not be learnable.
#[actix_web::test]
async fn everyone_in_one_category_is_not_shown() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let version = app.privacy_version().await;
    let placement = app.published(&coordinator, &org, placement_body(&site)).await;
    for _ in 0..22 {
        applicant(&app, &id(&placement), json!({"religion": "christian"}), &version).await;
    }
    let res = app.get("/v1/reports/uptake?dimension=religion").token(&coordinator).send().await;
    let body = res.ok(200).clone();
    assert!(candidates(&body).len() > 1, "{body}");
    for row in body["rows"].as_array().unwrap() {
        assert!(row["counts"].as_array().unwrap().iter().all(|c| c["suppressed"] == true), "{row}");
    }
    assert_eq!(body["total"]["counts"][0]["suppressed"], false, "how many applied is no secret: {body}");
    // User groups are not equality answers: those who choose see them, so zeros are shown.
    let res = app.get("/v1/reports/uptake?dimension=user_group").token(&coordinator).send().await;
    assert_eq!(res.ok(200)["protection"], Value::Null);
}

/// Exact counts: admins only, for the whole country over all time only.
#[actix_web::test]
async fn only_admins_get_exact_counts_and_only_for_the_unfiltered_national_table() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let version = app.privacy_version().await;
    let placement = app.published(&coordinator, &org, placement_body(&site)).await;
    for (religion, n) in [("christian", 12), ("no_religion", 11)] {
        for _ in 0..n {
            applicant(&app, &id(&placement), json!({"religion": religion}), &version).await;
        }
    }
    let admin = app.admin().await;
    let analyst = app.token("analyst", "analyst-exact", None).await;
    let path = "/v1/reports/uptake?dimension=religion&exact=true";
    let exact = app.get(path).token(&admin).send().await.ok(200).clone();
    let applied = |body: &Value, category: &str| {
        let row = body["rows"].as_array().unwrap().iter().find(|r| r["category"] == category).unwrap();
        row["counts"][0]["count"].clone()
    };
    assert_eq!(applied(&exact, "christian"), 12, "{exact}");
    assert_eq!(applied(&exact, "no_religion"), 11);
    assert_eq!(exact["total"]["counts"][0]["count"], 23);
    assert_eq!(exact["suppression"]["round_to"], 1);
    assert_eq!(applied(&exact, "muslim"), Value::Null, "zeros stay hidden");
    // Without `exact`, the same table is rounded.
    let rounded = app.get("/v1/reports/uptake?dimension=religion").token(&admin).send().await.ok(200).clone();
    assert_eq!(rounded["suppression"]["round_to"], 5);
    assert!(applied(&rounded, "christian").as_u64().is_none_or(|n| n % 5 == 0), "{rounded}");
    // Nobody else; and not filtered, even for an admin.
    for token in [&analyst, &coordinator] {
        app.get(path).token(token).send().await.problem(403, "admin_role_required");
    }
    for filter in [format!("organisation_id={org}"), "region=south_east".into(), "from=2020-01-01".into()] {
        let res = app.get(&format!("{path}&{filter}")).token(&admin).send().await;
        res.problem(422, "validation_failed");
        res.has_field_error("/exact", "national_only");
    }
    let res = app.get("/v1/reports/uptake?dimension=religion&exact=yes").token(&admin).send().await;
    res.problem(400, "invalid_query_parameter");
    res.has_field_error("/exact", "invalid_query_parameter");
    // `exact=false` is the ordinary report.
    let ordinary = app.get("/v1/reports/uptake?dimension=religion&exact=false").token(&admin).send().await;
    assert_eq!(ordinary.ok(200), &rounded);
}
