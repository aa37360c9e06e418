//! The reports: funnel counts, suppression, impact ratios and CSV, on a synthetic dataset and on
//! real flows through the API.

use crate::reports_access::{assert_uptake_csv_matches, row};
use crate::support::*;
use serde_json::{Value, json};
use wex_domain::model::application::Stage;
use wex_domain::model::reference::UserGroup;
use wex_persistence::synthetic::{Spec, generate};

/// Two hundred applications from each user group, one per applicant, every group progressing
/// alike except for any penalty.
fn spec(penalty: Option<(UserGroup, Stage, u32)>) -> Spec {
    Spec {
        applications: 200 * UserGroup::ALL.len(),
        organisations: 7,
        placements_per_organisation: 3,
        applications_per_applicant: 1,
        penalty,
        ..Spec::default()
    }
}

async fn analyst_report(app: &TestApp, query: &str) -> Value {
    let analyst = app.token("analyst", "analyst-reports", None).await;
    app.get(&format!("/v1/reports/uptake?{query}")).token(&analyst).send().await.ok(200).clone()
}

fn flags(report: &Value) -> Vec<(String, String, String)> {
    report["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["category"].as_str().unwrap().into(),
                f["from"].as_str().unwrap().into(),
                f["to"].as_str().unwrap().into(),
            )
        })
        .collect()
}

fn count(row: &Value, stage: &str) -> Value {
    row["counts"].as_array().unwrap().iter().find(|c| c["stage"] == stage).unwrap()["count"].clone()
}

#[actix_web::test]
async fn a_group_disadvantaged_at_one_stage_is_flagged_at_exactly_that_stage() {
    let app = spawn().await;
    generate(&app.store, &spec(Some((UserGroup::Veterans, Stage::Offered, 50)))).unwrap();
    let report = analyst_report(&app, "dimension=user_group").await;
    // Entering the draw to being offered, and the headline span that contains it; nobody else.
    assert_eq!(
        flags(&report),
        vec![
            ("veterans".into(), "entered".into(), "offered".into()),
            ("veterans".into(), "applied".into(), "offered".into()),
        ]
    );
    let veterans = row(&report, "veterans");
    let step =
        veterans["transitions"].as_array().unwrap().iter().find(|t| t["from"] == "entered" && t["to"] == "offered");
    assert!(step.unwrap()["impact_ratio"].as_f64().unwrap() < 0.8);
    // The counts are the generated ones, rounded to 5: 200 applied, 190 entered in every group.
    assert_eq!(count(veterans, "applied"), 200);
    assert_eq!(count(veterans, "entered"), 190);
    assert_eq!(count(row(&report, "unemployed"), "offered"), 75);
    assert_eq!(count(veterans, "offered"), 40);
    assert_eq!(count(&report["total"], "applied"), 1800);
}

#[actix_web::test]
async fn a_fair_dataset_flags_nothing() {
    let app = spawn().await;
    generate(&app.store, &spec(None)).unwrap();
    for dimension in ["user_group", "age_band", "care_experienced"] {
        let report = analyst_report(&app, &format!("dimension={dimension}")).await;
        assert_eq!(flags(&report), vec![], "{dimension}");
    }
}

#[actix_web::test]
async fn csv_and_json_agree() {
    let app = spawn().await;
    generate(&app.store, &spec(Some((UserGroup::PrisonLeavers, Stage::Attended, 60)))).unwrap();
    let analyst = app.token("analyst", "analyst-csv", None).await;
    for (dimension, filter) in [("user_group", ""), ("ethnicity", ""), ("disability", "&from=2027-01-01&to=2027-06-30")]
    {
        let path = format!("/v1/reports/uptake?dimension={dimension}{filter}");
        let json = app.get(&path).token(&analyst).send().await.ok(200).clone();
        let csv = app.get(&path).token(&analyst).header("accept", "text/csv").send().await;
        assert_uptake_csv_matches(&json, &csv, dimension);
    }
}

#[actix_web::test]
async fn csv_is_given_only_when_asked_for_and_never_as_a_formula() {
    let app = spawn().await;
    let generated = generate(&app.store, &spec(None)).unwrap();
    let admin = app.admin().await;
    let org = generated.organisation_ids[0];
    app.patch(&format!("/v1/organisations/{org}"))
        .token(&admin)
        .header("if-match", "\"v1\"")
        .json(json!({"name": "=HYPERLINK(\"http://evil.example\")"}))
        .send()
        .await
        .ok(200);
    let csv = app.get("/v1/reports/timeliness").token(&admin).header("accept", "text/csv").send().await;
    assert_eq!(csv.status, 200);
    let mut reader = csv::Reader::from_reader(csv.text.as_bytes());
    let names: Vec<String> = reader.records().map(|r| r.unwrap()[1].to_string()).collect();
    assert!(names.contains(&"'=HYPERLINK(\"http://evil.example\")".to_string()), "{names:?}");
    assert!(!names.iter().any(|n| n.starts_with('=')));
    // Refusing CSV with q=0 gets JSON.
    let json =
        app.get("/v1/reports/timeliness").token(&admin).header("accept", "text/csv;q=0, application/json").send().await;
    assert_eq!(json.header("content-type").as_deref(), Some("application/json"));
    assert!(json.body["rows"].is_array());
}

#[actix_web::test]
async fn each_application_counts_at_every_stage_it_reached_through_the_api() {
    let exact = wex_domain::model::reports::suppression::Rules::thresholds(1, 1);
    let app = spawn_with(Options { suppression: exact, ..Options::default() }).await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let placement = app.published(&coordinator, &org, with(placement_body(&site), "/capacity", json!(1))).await;
    let version = app.privacy_version().await;
    let mut people = Vec::new();
    for _ in 0..3 {
        let (token, _) = app.applicant_with(profile_body(30)).await;
        let a = app.apply(&token, &id(&placement), json!({"privacy_notice_version": version})).await.ok(201).clone();
        people.push((token, id(&a)));
    }
    let totals = |report: &Value| -> Vec<u64> {
        report["total"]["counts"].as_array().unwrap().iter().map(|c| c["count"].as_u64().unwrap()).collect()
    };
    let report = || async { analyst_report(&app, "dimension=user_group").await };
    assert_eq!(totals(&report().await), vec![3, 0, 0, 0, 0, 0]);
    let path = format!("/v1/placements/{}", id(&placement));
    app.post(&format!("{path}/close")).token(&coordinator).send().await.ok(200);
    app.post(&format!("{path}/draw")).token(&coordinator).send().await.ok(200);
    assert_eq!(totals(&report().await), vec![3, 3, 1, 0, 0, 0]);
    let mut offered = None;
    for (token, a) in &people {
        let detail = app.get(&format!("/v1/applications/{a}")).token(token).send().await.ok(200).clone();
        if detail["status"] == "offered" {
            app.post(&format!("/v1/offers/{}/accept", id(&detail["offer"]))).token(token).send().await.ok(200);
            offered = Some(a.clone());
        } else {
            // Withdrawing from the waiting list leaves the application counted as entered.
            app.post(&format!("/v1/applications/{a}/withdraw")).token(token).send().await.ok(200);
        }
    }
    assert_eq!(totals(&report().await), vec![3, 3, 1, 1, 0, 0]);
    let start = format!("{}T10:00:00Z", placement["start_date"].as_str().unwrap());
    app.post("/v1/sandbox/clock").json(json!({"set": start})).send().await.ok(200);
    let application = format!("/v1/applications/{}", offered.unwrap());
    app.post(&format!("{application}/attendance"))
        .token(&coordinator)
        .json(json!({"attended": true}))
        .send()
        .await
        .ok(200);
    assert_eq!(totals(&report().await), vec![3, 3, 1, 1, 1, 0]);
    app.post(&format!("{application}/complete")).token(&coordinator).send().await.ok(200);
    assert_eq!(totals(&report().await), vec![3, 3, 1, 1, 1, 1]);
}
