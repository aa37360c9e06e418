//! Who may read which report, the refusals, and the equality answers advocates give with consent.

use actix_web::http::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{Options, Resp, TestApp, id, placement_body, profile_body, spawn, spawn_with, with};
use wex_domain::model::reports::suppression::Rules;

/// Every report, with the one parameter it requires.
const REPORTS: [&str; 6] = [
    "/v1/reports/uptake?dimension=user_group",
    "/v1/reports/timeliness",
    "/v1/reports/supply-and-demand?by=specialty",
    "/v1/reports/implementation",
    "/v1/reports/feedback",
    "/v1/reports/t-level?by=region",
];

const DIMENSIONS: [&str; 13] = [
    "user_group",
    "care_experienced",
    "age_band",
    "ethnicity",
    "ethnicity_group",
    "sex",
    "gender_identity",
    "sexual_orientation",
    "disability",
    "religion",
    "socio_economic",
    "school_type",
    "free_school_meals",
];

const REGIONS: [&str; 7] =
    ["east_of_england", "london", "midlands", "north_east_and_yorkshire", "north_west", "south_east", "south_west"];

const MY_ANSWERS: &str = "/v1/me/equality-monitoring";

/// `path` with more query parameters.
fn query(path: &str, extra: &str) -> String {
    match (extra.is_empty(), path.contains('?')) {
        (true, _) => path.to_string(),
        (false, true) => format!("{path}&{extra}"),
        (false, false) => format!("{path}?{extra}"),
    }
}

async fn report(app: &TestApp, path: &str, token: &str) -> Resp {
    app.get(path).token(token).send().await
}

async fn report_csv(app: &TestApp, path: &str, token: &str) -> Resp {
    app.get(path).token(token).header("accept", "text/csv").send().await
}

/// A profile that names no support worker, so that applying invites nobody.
fn plain_profile(years_old: i64) -> Value {
    with(profile_body(years_old), "/support_worker", Value::Null)
}

// ---- Reading reports ----------------------------------------------------------------------------

/// Every published count in a report: the objects with a `count` (stage counts, figures, answers),
/// as (count, suppressed).
fn figures(v: &Value) -> Vec<(Option<u64>, bool)> {
    let mut out = Vec::new();
    walk(v, &mut |map| {
        if let Some(count) = map.get("count") {
            assert!(count.is_null() || count.is_u64(), "a count that is not a count: {count}");
            out.push((count.as_u64(), map["suppressed"].as_bool().expect("a count without `suppressed`")));
        }
    });
    out
}

/// Every rate or share in a report, as (value, suppressed).
fn rates(v: &Value) -> Vec<(Option<f64>, bool)> {
    let mut out = Vec::new();
    walk(v, &mut |map| {
        if let (Some(value), Some(suppressed)) = (map.get("value"), map.get("suppressed")) {
            out.push((value.as_f64(), suppressed.as_bool().unwrap()));
        }
    });
    out
}

fn walk(v: &Value, visit: &mut dyn FnMut(&serde_json::Map<String, Value>)) {
    match v {
        Value::Object(map) => {
            visit(map);
            map.values().for_each(|x| walk(x, visit));
        }
        Value::Array(items) => items.iter().for_each(|x| walk(x, visit)),
        _ => {}
    }
}

/// The rule of the design, checked everywhere in a report: no count from 1 to 7 is ever shown,
/// shown counts are multiples of 5, a suppressed count has no value, and so has a suppressed rate.
#[track_caller]
fn assert_suppressed_properly(body: &Value) {
    for (count, suppressed) in figures(body) {
        match count {
            None => assert!(suppressed, "a count with neither value nor suppression in {body}"),
            Some(n) => {
                assert!(!suppressed, "a suppressed count with a value in {body}");
                assert!(n == 0 || n >= 8, "the small count {n} is shown in {body}");
                assert_eq!(n % 5, 0, "the count {n} is not rounded to 5 in {body}");
            }
        }
    }
    for (value, suppressed) in rates(body) {
        assert!(!(suppressed && value.is_some()), "a suppressed rate with a value in {body}");
    }
}

/// For a report on a handful of people: every count is suppressed or zero, and no rate is shown
/// but 0 (of places, which are public): any other would come from a count under 8.
#[track_caller]
fn assert_nothing_small_shown(body: &Value) {
    assert_suppressed_properly(body);
    for (count, _) in figures(body) {
        assert!(count.is_none_or(|n| n == 0), "a count is shown in {body}");
    }
    for (value, _) in rates(body) {
        assert!(value.is_none_or(|v| v == 0.0), "a rate from a handful of people is shown in {body}");
    }
}

/// How many figures and rates of a JSON report are suppressed, leaving out the subtrees under
/// `skip` (parts the CSV does not carry).
fn suppressed_in(v: &Value, skip: &str) -> usize {
    match v {
        Value::Object(map) => {
            let own = usize::from(map.get("suppressed") == Some(&json!(true)));
            own + map.iter().filter(|(k, _)| k.as_str() != skip).map(|(_, x)| suppressed_in(x, skip)).sum::<usize>()
        }
        Value::Array(items) => items.iter().map(|x| suppressed_in(x, skip)).sum(),
        _ => 0,
    }
}

/// A CSV body as rows of fields; ragged rows are kept, for `csv_of` to refuse.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect()
}

/// A CSV answer: its type, its file name, and its rows.
#[track_caller]
fn csv_of(res: &Resp, file: &str) -> Vec<Vec<String>> {
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.header("content-type").as_deref(), Some("text/csv; charset=utf-8"), "{}", res.text);
    assert_eq!(res.header("content-disposition"), Some(format!("attachment; filename=\"{file}.csv\"")));
    let rows = parse_csv(&res.text);
    assert!(rows.len() > 1, "{}", res.text);
    let width = rows[0].len();
    assert!(rows.iter().all(|r| r.len() == width), "ragged CSV: {}", res.text);
    rows
}

fn stars(rows: &[Vec<String>]) -> usize {
    rows.iter().flatten().filter(|c| *c == "*").count()
}

/// How the CSV writes a figure: the count, `*` when suppressed.
fn figure_cell(f: &Value) -> String {
    match (f["count"].as_u64(), f["suppressed"] == json!(true)) {
        (Some(n), _) => n.to_string(),
        (None, true) => "*".into(),
        (None, false) => String::new(),
    }
}

/// Whether a CSV cell says what a JSON rate says (numbers compared as numbers).
fn same_rate(cell: &str, r: &Value) -> bool {
    match r["value"].as_f64() {
        Some(v) => cell.parse::<f64>().ok() == Some(v),
        None => cell == if r["suppressed"] == json!(true) { "*" } else { "" },
    }
}

/// The uptake report's CSV carries exactly the figures of its JSON, row by row.
#[track_caller]
pub(crate) fn assert_uptake_csv_matches(json_body: &Value, csv: &Resp, dimension: &str) {
    let rows = csv_of(csv, &format!("uptake-{dimension}"));
    let total = &json_body["total"];
    let stages: Vec<&str> = total["counts"].as_array().unwrap().iter().map(|c| c["stage"].as_str().unwrap()).collect();
    assert_eq!(stages, vec!["applied", "entered", "offered", "accepted", "attended", "completed"]);
    assert_eq!(
        rows[0][..8],
        ["category", "label", "applied", "entered", "offered", "accepted", "attended", "completed"]
    );
    let json_rows: Vec<&Value> = json_body["rows"].as_array().unwrap().iter().chain([total]).collect();
    assert_eq!(rows.len(), 1 + json_rows.len(), "one line for each row and the total");
    for (line, row) in rows[1..].iter().zip(&json_rows) {
        assert_eq!(line[0], row["category"].as_str().unwrap());
        assert_eq!(line[1], row["label"].as_str().unwrap());
        for (i, c) in row["counts"].as_array().unwrap().iter().enumerate() {
            assert_eq!(line[2 + i], figure_cell(c), "{} {}: {}", line[0], c["stage"], csv.text);
        }
        let transitions = row["transitions"].as_array().unwrap();
        assert_eq!(line.len(), 8 + 3 * transitions.len());
        for (j, t) in transitions.iter().enumerate() {
            let at = 8 + 3 * j;
            assert_eq!(rows[0][at], format!("rate_{}_to_{}", t["from"].as_str().unwrap(), t["to"].as_str().unwrap()));
            assert!(same_rate(&line[at], &t["rate"]), "{} rate {}: {} vs {}", line[0], j, line[at], t["rate"]);
            match t["impact_ratio"].as_f64() {
                Some(v) => assert_eq!(line[at + 1].parse::<f64>().ok(), Some(v)),
                None => assert_eq!(line[at + 1], ""),
            }
            assert_eq!(line[at + 2], t["flagged"].to_string());
        }
    }
    assert_eq!(stars(&rows), suppressed_in(json_body, ""), "every suppressed figure is a * and nothing else is");
}

/// The row of an uptake report for a category.
#[track_caller]
pub(crate) fn row<'a>(body: &'a Value, category: &str) -> &'a Value {
    body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["category"] == category)
        .unwrap_or_else(|| panic!("no row {category} in {body}"))
}

/// A row's counts at each stage, as the JSON gives them.
fn counts(row: &Value) -> Vec<Value> {
    row["counts"].as_array().unwrap().iter().map(|c| json!([c["count"], c["suppressed"]])).collect()
}

/// A suppressed count, as `counts` gives it.
fn hidden() -> Value {
    json!([null, true])
}

/// A zero, as `counts` gives it.
fn zero() -> Value {
    json!([0, false])
}

// ---- A flow through the API ---------------------------------------------------------------------

struct Flow {
    org: String,
    coordinator: String,
    /// (token, application) of everyone who applied, in the order their profiles were given.
    applied: Vec<(String, Value)>,
}

/// An organisation with one placement of one place; the applicants (signed in, with a profile
/// each) apply; the placement is closed and drawn; the one offered accepts, attends with a named
/// host, completes and gives feedback; the host gives feedback too.
async fn flow(app: &TestApp, applicants: Vec<(String, Value)>) -> Flow {
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let placement = app.published(&coordinator, &org, with(placement_body(&site), "/capacity", json!(1))).await;
    let version = app.privacy_version().await;
    let p = format!("/v1/placements/{}", id(&placement));
    let mut applied = Vec::new();
    for (token, _) in applicants {
        let a = app.apply(&token, &id(&placement), json!({"privacy_notice_version": version})).await;
        applied.push((token, a.ok(201).clone()));
    }
    app.post(&format!("{p}/close")).token(&coordinator).send().await.ok(200);
    app.post(&format!("{p}/draw")).token(&coordinator).send().await.ok(200);
    let mut participant = None;
    for (i, (token, a)) in applied.iter().enumerate() {
        let now = app.get(&format!("/v1/applications/{}", id(a))).token(token).send().await.ok(200).clone();
        if now["offer"].is_object() {
            participant = Some(i);
            app.post(&format!("/v1/offers/{}/accept", id(&now["offer"]))).token(token).send().await.ok(200);
        }
    }
    let participant = participant.expect("one place was offered");
    let host_subject = format!("host-{}", Uuid::new_v4());
    let host = app.token("host", &host_subject, Some(&org)).await;
    app.post(&format!("{p}/hosts")).token(&coordinator).json(json!({"subject": host_subject})).send().await.ok(201);
    let start = format!("{}T10:00:00Z", placement["start_date"].as_str().unwrap());
    app.post("/v1/sandbox/clock").json(json!({"set": start})).send().await.ok(200);
    let (token, a) = &applied[participant];
    let application = format!("/v1/applications/{}", id(a));
    let attended = app.post(&format!("{application}/attendance")).token(&host).json(json!({"attended": true})).send();
    assert_eq!(attended.await.ok(200)["status"], "attended");
    app.post(&format!("{application}/complete")).token(&coordinator).send().await.ok(200);
    let feedback = json!({
        "more_likely_to_consider": "a_lot_more_likely",
        "agreement": {"better_able_to_decide": "agree", "realistic_insights": "strongly_agree"},
        "comments": "Brilliant week.",
        "completed_pre_module": true
    });
    app.post(&format!("{application}/feedback")).token(token).json(feedback).send().await.ok(201);
    app.post(&format!("{p}/host-feedback"))
        .token(&host)
        .json(json!({"would_host_again": true, "felt_recognised": "partly"}))
        .send()
        .await
        .ok(204);
    Flow { org, coordinator, applied }
}

// ---- 1. Who may read reports --------------------------------------------------------------------

#[actix_web::test]
async fn every_report_is_for_its_organisations_coordinators_analysts_and_admins_only() {
    let app = spawn().await;
    let (org, coordinator, _) = app.coordinated_organisation().await;
    let other = app.organisation().await;
    let admin = app.admin().await;
    let analyst = app.token("analyst", "analyst-1", None).await;
    // One person coordinating two organisations: the second token carries both grants.
    app.token("coordinator", "coordinator-of-two", Some(&org)).await;
    let of_two = app.token("coordinator", "coordinator-of-two", Some(&other)).await;
    let (applicant, _) = app.applicant_with(plain_profile(30)).await;
    let host = app.token("host", "host-1", Some(&org)).await;
    let advocate = app.token("advocate", "advocate-1", None).await;
    let own = format!("organisation_id={org}");
    let others = format!("organisation_id={other}");

    for path in REPORTS {
        for token in [&admin, &analyst] {
            assert_eq!(report(&app, path, token).await.ok(200)["filter"]["organisation_id"], Value::Null, "{path}");
            let named = report(&app, &query(path, &others), token).await;
            assert_eq!(named.ok(200)["filter"]["organisation_id"], json!(other), "{path}");
        }
        // A coordinator of one organisation: it is implied, or may be named, and nothing else.
        let implied = report(&app, path, &coordinator).await;
        assert_eq!(implied.ok(200)["filter"]["organisation_id"], json!(org), "{path}");
        let named = report(&app, &query(path, &own), &coordinator).await;
        assert_eq!(named.ok(200), &implied.body, "{path}: naming the only organisation changes nothing");
        report(&app, &query(path, &others), &coordinator).await.problem(403, "coordinator_role_required");
        report_csv(&app, &query(path, &others), &coordinator).await.problem(403, "coordinator_role_required");
        // A coordinator of two must say which.
        let res = report(&app, path, &of_two).await;
        res.problem(422, "validation_failed");
        res.has_field_error("/organisation_id", "organisation_required");
        for o in [&org, &other] {
            let res = report(&app, &query(path, &format!("organisation_id={o}")), &of_two).await;
            assert_eq!(res.ok(200)["filter"]["organisation_id"], json!(o), "{path}");
        }
        // Nobody else, even naming an organisation they belong to.
        for token in [&applicant, &host, &advocate] {
            report(&app, path, token).await.problem(403, "report_role_required");
        }
        report(&app, &query(path, &own), &host).await.problem(403, "report_role_required");
        report_csv(&app, path, &advocate).await.problem(403, "report_role_required");
        app.get(path).send().await.problem(401, "unauthorized");
        app.get(path).token("not-a-token").send().await.problem(401, "unauthorized");
    }
}

// ---- 2. Query validation ------------------------------------------------------------------------

#[actix_web::test]
async fn bad_query_parameters_are_refused_with_the_parameter_named_and_change_nothing() {
    let app = spawn().await;
    let (_, coordinator, _) = app.coordinated_organisation().await;
    let admin = app.admin().await;
    let mut before = Vec::new();
    for path in REPORTS {
        before.push(report(&app, path, &admin).await.ok(200).clone());
    }

    let bad_filters = [
        ("from=2027-13-01", "/from"),
        ("from=01/02/2027", "/from"),
        ("from=", "/from"),
        ("to=next-tuesday", "/to"),
        ("organisation_id=not-a-uuid", "/organisation_id"),
        ("region=atlantis", "/region"),
        ("region=London", "/region"),
        ("specialty=astrology", "/specialty"),
        ("kind=holiday", "/kind"),
        ("colour=blue", "/colour"),
        ("region=london&region=london", "/region"),
    ];
    for path in REPORTS {
        for (q, field) in bad_filters {
            let res = report(&app, &query(path, q), &admin).await;
            res.problem(400, "invalid_query_parameter");
            res.has_field_error(field, "invalid_query_parameter");
        }
        // The same refusal for a coordinator, and in problem+json even when CSV is asked for.
        let res = report(&app, &query(path, "region=atlantis"), &coordinator).await;
        res.has_field_error("/region", "invalid_query_parameter");
        report_csv(&app, &query(path, "kind=holiday"), &admin).await.problem(400, "invalid_query_parameter");
        // Without a token nothing is looked at.
        app.get(&query(path, "region=atlantis")).send().await.problem(401, "unauthorized");
        // A period that ends before it starts; a one-month period is fine, but not part of one.
        let res = report(&app, &query(path, "from=2027-06-01&to=2027-05-31"), &admin).await;
        res.problem(422, "validation_failed");
        res.has_field_error("/to", "before_from");
        report(&app, &query(path, "from=2027-06-01&to=2027-05-31"), &coordinator)
            .await
            .has_field_error("/to", "before_from");
        report(&app, &query(path, "from=2027-06-01&to=2027-06-30"), &admin).await.ok(200);
        report(&app, &query(path, "from=2024-02-01&to=2024-02-29"), &admin).await.ok(200);
        let res = report(&app, &query(path, "from=2027-06-02&to=2027-06-29"), &admin).await;
        res.problem(422, "validation_failed");
        res.has_field_error("/from", "not_start_of_month");
        res.has_field_error("/to", "not_end_of_month");
        report(&app, &query(path, "to=2024-02-28"), &coordinator).await.has_field_error("/to", "not_end_of_month");
        // Good filters are read and given back.
        let good = "from=2027-01-01&to=2027-12-31&region=london&specialty=nursing&kind=work_experience";
        let res = report(&app, &query(path, good), &admin).await;
        assert_eq!(
            res.ok(200)["filter"],
            json!({"from": "2027-01-01", "to": "2027-12-31", "organisation_id": null, "region": "london",
                   "specialty": "nursing", "kind": "work_experience"}),
            "{path}"
        );
    }

    // The required parameters of uptake and supply and demand.
    let uptake = "/v1/reports/uptake";
    let supply = "/v1/reports/supply-and-demand";
    let cases = [
        (uptake.to_string(), "/dimension"),
        (format!("{uptake}?region=london"), "/dimension"),
        (format!("{uptake}?dimension="), "/dimension"),
        (format!("{uptake}?dimension=shoe_size"), "/dimension"),
        (format!("{uptake}?dimension=User_Group"), "/dimension"),
        (format!("{uptake}?dimension=sex&dimension=sex"), "/dimension"),
        (format!("{uptake}?dimension=sex&by=region"), "/by"),
        (supply.to_string(), "/by"),
        (format!("{supply}?by=colour"), "/by"),
        (format!("{supply}?by=region&by=kind"), "/by"),
        (format!("{supply}?by=region&dimension=sex"), "/dimension"),
        ("/v1/reports/timeliness?dimension=sex".to_string(), "/dimension"),
        ("/v1/reports/implementation?by=region".to_string(), "/by"),
        ("/v1/reports/feedback?organisation=x".to_string(), "/organisation"),
    ];
    for (path, field) in cases {
        let res = report(&app, &path, &admin).await;
        res.problem(400, "invalid_query_parameter");
        res.has_field_error(field, "invalid_query_parameter");
    }
    // Every dimension and every grouping is accepted; equality answers of nobody are too few.
    for dimension in DIMENSIONS {
        let res = report(&app, &format!("{uptake}?dimension={dimension}"), &admin).await;
        match dimension {
            "user_group" | "care_experienced" => assert_eq!(res.ok(200)["dimension"], dimension),
            _ => {
                res.problem(422, "population_too_small");
            }
        }
    }
    for by in ["specialty", "region", "kind"] {
        assert_eq!(report(&app, &format!("{supply}?by={by}"), &admin).await.ok(200)["by"], by);
    }

    // Reports are read-only: after every refusal they read as before.
    for (path, earlier) in REPORTS.iter().zip(&before) {
        assert_eq!(report(&app, path, &admin).await.ok(200), earlier, "{path}");
    }
}

// ---- 3. Suppression on a real flow --------------------------------------------------------------

#[actix_web::test]
async fn reports_on_a_real_flow_suppress_every_small_count_in_json_and_csv() {
    let app = spawn().await;
    let mut people = Vec::new();
    for groups in [json!(["career_changers"]), json!(["career_changers"]), json!(["veterans"])] {
        people.push(app.applicant_with(with(plain_profile(30), "/user_groups", groups)).await);
    }
    // A second organisation with a single applicant (before the flow moves the clock on).
    let (lone_org, lone_coordinator, site) = app.coordinated_organisation().await;
    let lone = app.published(&lone_coordinator, &lone_org, placement_body(&site)).await;
    let (lone_token, _) = app.applicant_with(plain_profile(30)).await;
    let version = app.privacy_version().await;
    app.apply(&lone_token, &id(&lone), json!({"privacy_notice_version": version})).await.ok(201);
    let f = flow(&app, people).await;
    let admin = app.admin().await;

    // Uptake by user group for the flow's organisation: everything that happened is hidden, not 1.
    let path = format!("/v1/reports/uptake?dimension=user_group&organisation_id={}", f.org);
    for token in [&f.coordinator, &admin] {
        let res = report(&app, &path, token).await;
        let body = res.ok(200).clone();
        assert_nothing_small_shown(&body);
        let all_hidden = vec![hidden(); 6];
        assert_eq!(counts(&body["total"]), all_hidden, "3 applied, 1 got as far as completing");
        assert_eq!(counts(row(&body, "career_changers"))[..2], [hidden(), hidden()]);
        assert_eq!(counts(row(&body, "veterans"))[0], hidden(), "one veteran applied");
        assert_eq!(counts(row(&body, "unemployed")), vec![zero(); 6], "nobody is 0, which is shown");
        assert_eq!(body["flags"], json!([]));
        assert_uptake_csv_matches(&body, &report_csv(&app, &path, token).await, "user_group");
    }
    // The lone applicant's organisation: one person in the whole report.
    let lone_path = format!("/v1/reports/uptake?dimension=user_group&organisation_id={lone_org}");
    let res = report(&app, &lone_path, &lone_coordinator).await;
    let body = res.ok(200).clone();
    assert_nothing_small_shown(&body);
    assert_eq!(counts(&body["total"])[0], hidden(), "{body}");
    assert_eq!(counts(&body["total"])[1..], vec![zero(); 5], "not drawn yet: {body}");
    assert_eq!(counts(row(&body, "career_changers"))[0], hidden());
    assert_uptake_csv_matches(&body, &report_csv(&app, &lone_path, &admin).await, "user_group");
    // Other dimensions of the same people hide them too; equality answers of so few are refused.
    for dimension in ["care_experienced"] {
        let path = format!("/v1/reports/uptake?dimension={dimension}&organisation_id={}", f.org);
        let body = report(&app, &path, &admin).await.ok(200).clone();
        assert_nothing_small_shown(&body);
        assert_eq!(counts(&body["total"])[0], hidden(), "{dimension}");
        assert_uptake_csv_matches(&body, &report_csv(&app, &path, &admin).await, dimension);
    }
    for dimension in ["ethnicity", "sex", "age_band"] {
        let path = format!("/v1/reports/uptake?dimension={dimension}&organisation_id={}", f.org);
        report(&app, &path, &admin).await.problem(422, "population_too_small");
        report_csv(&app, &path, &admin).await.problem(422, "population_too_small");
    }

    // The other reports, for the coordinator (organisation implied) and the admin (named).
    let named = format!("organisation_id={}", f.org);
    for token in [&f.coordinator, &admin] {
        let org_filter = if *token == f.coordinator { "" } else { named.as_str() };

        let path = query("/v1/reports/timeliness", org_filter);
        let t = report(&app, &path, token).await.ok(200).clone();
        assert_nothing_small_shown(&t);
        let rows = t["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 1, "one organisation, one month: {t}");
        assert_eq!(rows[0]["organisation_id"], json!(f.org));
        assert_eq!(rows[0]["due"], json!({"count": null, "suppressed": true}));
        assert_eq!(t["total"]["due"], json!({"count": null, "suppressed": true}));
        let csv = csv_of(&report_csv(&app, &path, token).await, "timeliness");
        assert_eq!(csv.len(), 3, "a header, a row and the total");
        assert_eq!(stars(&csv), suppressed_in(&t, ""));

        let path = query("/v1/reports/supply-and-demand?by=specialty", org_filter);
        let s = report(&app, &path, token).await.ok(200).clone();
        assert_nothing_small_shown(&s);
        let rows = s["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 1, "{s}");
        assert_eq!(rows[0]["category"], "allied_health_professions");
        assert_eq!((rows[0]["placements"].clone(), rows[0]["places"].clone()), (json!(1), json!(1)), "public");
        assert_eq!(rows[0]["applications"], json!({"count": null, "suppressed": true}));
        assert_eq!(rows[0]["filled"], json!({"count": null, "suppressed": true}));
        assert_eq!(rows[0]["fill_rate"], json!({"value": null, "suppressed": true}), "1 of 1 place would say 1");
        let csv = csv_of(&report_csv(&app, &path, token).await, "supply-and-demand-specialty");
        assert_eq!(stars(&csv), suppressed_in(&s, ""));

        let path = query("/v1/reports/implementation", org_filter);
        let i = report(&app, &path, token).await.ok(200).clone();
        assert_nothing_small_shown(&i);
        for measure in ["applicants", "hosts_who_hosted", "pre_module_answered", "pre_module_completed"] {
            assert_eq!(i[measure], json!({"count": null, "suppressed": true}), "{measure}: {i}");
        }
        assert_eq!(i["pre_module_share"], json!({"value": null, "suppressed": true}));
        assert_eq!(i["published_placements"], 1);
        let csv = csv_of(&report_csv(&app, &path, token).await, "implementation");
        assert_eq!(stars(&csv), suppressed_in(&i, ""));
        assert!(csv.iter().any(|l| l == &["applicants".to_string(), "*".to_string()]), "{csv:?}");

        let path = query("/v1/reports/feedback", org_filter);
        let fb = report(&app, &path, token).await.ok(200).clone();
        assert_nothing_small_shown(&fb);
        let question = |who: &str, q: &str| {
            fb[who].as_array().unwrap().iter().find(|x| x["question"] == q).unwrap_or_else(|| panic!("{q}")).clone()
        };
        let likely = question("participants", "more_likely_to_consider");
        assert_eq!(likely["answered"], json!({"count": null, "suppressed": true}));
        let answer = |q: &Value, a: &str| q["answers"].as_array().unwrap().iter().find(|x| x["answer"] == a).cloned();
        assert_eq!(answer(&likely, "a_lot_more_likely").unwrap()["suppressed"], true);
        assert_eq!(answer(&question("participants", "completed_pre_module"), "yes").unwrap()["suppressed"], true);
        assert_eq!(answer(&question("hosts", "would_host_again"), "yes").unwrap()["suppressed"], true);
        assert_eq!(answer(&question("hosts", "felt_recognised"), "partly").unwrap()["suppressed"], true);
        assert_eq!(answer(&question("hosts", "felt_recognised"), "yes").unwrap()["count"], 0);
        assert!(!fb.to_string().contains("Brilliant week"), "free text is never reported");
        let csv = csv_of(&report_csv(&app, &path, token).await, "feedback");
        assert_eq!(stars(&csv), suppressed_in(&fb, "answered"), "the CSV carries every answer, not the totals");
        assert!(!csv.iter().flatten().any(|c| c.contains("Brilliant week")));
    }

    // Platform-wide the numbers are still small, so still hidden.
    for path in REPORTS {
        assert_nothing_small_shown(report(&app, path, &admin).await.ok(200));
    }
}

/// The application on its own database, with these suppression rules instead of the defaults.
/// A published placement of `capacity` places, and `n` people who applied to it.
async fn applied_to(app: &TestApp, org: &str, coordinator: &str, site: &str, capacity: u32, n: usize) -> String {
    let placement = app.published(coordinator, org, with(placement_body(site), "/capacity", json!(capacity))).await;
    let version = app.privacy_version().await;
    for _ in 0..n {
        let (token, _) = app.applicant_with(plain_profile(30)).await;
        app.apply(&token, &id(&placement), json!({"privacy_notice_version": version})).await.ok(201);
    }
    id(&placement)
}

async fn close_and_draw(app: &TestApp, coordinator: &str, placement: &str) {
    app.post(&format!("/v1/placements/{placement}/close")).token(coordinator).send().await.ok(200);
    app.post(&format!("/v1/placements/{placement}/draw")).token(coordinator).send().await.ok(200);
}

// The total line of the timeliness report publishes the overall total beside the column totals:
// where one column total is hidden, the overall total must go too, or subtraction recovers it.
// Rounding switched off (WEX_SUPPRESSION_ROUND_TO=1, which the configuration allows) makes the
// subtraction exact; small thresholds keep the test short (the same holds for 8 and counts of 8).
#[actix_web::test]
async fn a_suppressed_timeliness_total_cannot_be_recovered_from_the_others() {
    let app = spawn_with(Options { suppression: Rules::thresholds(3, 1), ..Options::default() }).await;
    let (a, a_coordinator, a_site) = app.coordinated_organisation().await;
    let (b, b_coordinator, b_site) = app.coordinated_organisation().await;
    // Organisation A: 3 outcomes on time. Organisation B: 3 on time, and 1 late.
    let on_time = applied_to(&app, &a, &a_coordinator, &a_site, 3, 3).await;
    close_and_draw(&app, &a_coordinator, &on_time).await;
    let on_time = applied_to(&app, &b, &b_coordinator, &b_site, 3, 3).await;
    close_and_draw(&app, &b_coordinator, &on_time).await;
    let late = applied_to(&app, &b, &b_coordinator, &b_site, 1, 1).await;
    let placement = app.get(&format!("/v1/placements/{late}")).send().await.ok(200).clone();
    let after = format!(
        "{}T12:00:00Z",
        placement["outcome_by"].as_str().unwrap().parse::<chrono::NaiveDate>().unwrap() + chrono::Duration::days(2)
    );
    app.post("/v1/sandbox/clock").json(json!({"set": after})).send().await.ok(200);
    // Past its closing time the placement is closed already: it is drawn late.
    app.post(&format!("/v1/placements/{late}/draw")).token(&b_coordinator).send().await.ok(200);

    let admin = app.admin().await;
    let t = report(&app, "/v1/reports/timeliness", &admin).await.ok(200).clone();
    assert_eq!(t["rows"].as_array().unwrap().len(), 2, "{t}");
    let b_row = t["rows"].as_array().unwrap().iter().find(|r| r["organisation_id"] == json!(b)).unwrap();
    assert_eq!(b_row["late"]["suppressed"], true, "B's one late outcome is hidden in its row: {t}");
    let total = &t["total"];
    let known: Vec<Option<u64>> =
        ["due", "on_time", "late", "overdue"].iter().map(|k| total[*k]["count"].as_u64()).collect();
    let hidden = known.iter().filter(|v| v.is_none()).count();
    assert_ne!(hidden, 1, "one hidden figure in the total line is recoverable from the others: {total}");
}

#[actix_web::test]
async fn a_suppressed_region_in_the_public_statistics_cannot_be_recovered_from_england() {
    let app = spawn_with(Options { suppression: Rules::thresholds(3, 1), ..Options::default() }).await;
    // Three applications in the South East, one in London.
    let (south_east, coordinator, site) = app.coordinated_organisation().await;
    applied_to(&app, &south_east, &coordinator, &site, 4, 3).await;
    let admin = app.admin().await;
    let res = app
        .post("/v1/organisations")
        .token(&admin)
        .json(json!({"name": "London Trust", "kind": "nhs_trust", "region": "london"}))
        .send()
        .await;
    let london = id(res.ok(201));
    let london_coordinator = app.coordinator(&london).await;
    let london_site = app.site(&london_coordinator, &london).await;
    applied_to(&app, &london, &london_coordinator, &london_site, 4, 1).await;

    let stats = app.get("/v1/statistics").send().await.ok(200).clone();
    let regions = stats["regions"].as_array().unwrap();
    let area = |region: &str| regions.iter().find(|r| r["region"] == region).unwrap();
    assert_eq!(counts(&area("london")["all_applications"])[0], hidden(), "{stats}");
    // Per stage, and for the places: England less the regions shown must not give one hidden away.
    let figures_of = |a: &Value| -> Vec<Value> {
        let mut out: Vec<Value> = a["all_applications"]["counts"].as_array().unwrap().clone();
        out.extend([a["places"]["applications"].clone(), a["places"]["filled"].clone()]);
        out
    };
    let national = figures_of(&stats["national"]);
    for (i, england) in national.iter().enumerate() {
        let hidden_regions = regions.iter().filter(|r| figures_of(r)[i]["suppressed"] == true).count();
        assert!(
            !(england["suppressed"] == false && hidden_regions == 1),
            "figure {i}: one hidden region is England less the others: {stats}"
        );
    }
}

// ---- 4. Reports never name the person behind an answer ------------------------------------------

#[actix_web::test]
async fn no_report_names_the_person_behind_an_equality_answer() {
    let app = spawn().await;
    let subject = format!("applicant-distinctive-{}", Uuid::new_v4());
    let token = app.token("applicant", &subject, None).await;
    let email = "zebedee.quintessa@example.org";
    let mut body = with(plain_profile(30), "/email", json!(email));
    body = with(body, "/preferred_name", json!("Zebedee Quintessa"));
    let res = app.call(Method::PUT, "/v1/me/profile").token(&token).json(body).send().await;
    let profile = res.ok(201).clone();
    let answers = json!({"ethnicity": "white_roma", "religion": "buddhist", "sex": "female"});
    let put = app.call(Method::PUT, MY_ANSWERS).token(&token).json(json!({"answers": answers.clone()}));
    put.send().await.ok(201);
    let other = app.applicant_with(plain_profile(40)).await;
    let f = flow(&app, vec![(token.clone(), profile.clone()), other]).await;
    let application = id(&f.applied[0].1);

    let identifiers = [id(&profile), subject.clone(), email.to_string(), "Zebedee".to_string(), application];
    let admin = app.admin().await;
    let analyst = app.token("analyst", "analyst-separation", None).await;
    let mut paths: Vec<String> = REPORTS.iter().map(|p| p.to_string()).collect();
    for dimension in ["ethnicity", "ethnicity_group", "religion", "sex", "age_band"] {
        paths.push(format!("/v1/reports/uptake?dimension={dimension}"));
    }
    for token in [&f.coordinator, &analyst, &admin] {
        for path in &paths {
            let path =
                if *token == f.coordinator { path.clone() } else { query(path, &format!("organisation_id={}", f.org)) };
            // Equality tables about two people are refused; the rest answer, naming nobody.
            let refused = !["user_group", "timeliness", "supply", "implementation", "feedback", "t-level"]
                .iter()
                .any(|p| path.contains(p));
            for res in [report(&app, &path, token).await, report_csv(&app, &path, token).await] {
                assert_eq!(res.status, if refused { 422 } else { 200 }, "{path}: {}", res.text);
                for secret in &identifiers {
                    assert!(!res.text.contains(secret.as_str()), "{path} names the person ({secret}): {}", res.text);
                }
            }
        }
        // The categories they chose are not shown at all: a table of two people's answers is refused.
        let uptake = |dimension: &str| format!("/v1/reports/uptake?dimension={dimension}&organisation_id={}", f.org);
        for dimension in ["ethnicity", "religion", "ethnicity_group"] {
            let res = report(&app, &uptake(dimension), token).await;
            res.problem(422, "population_too_small");
            assert!(!res.text.contains("white_roma") && !res.text.contains("buddhist"), "{}", res.text);
            report_csv(&app, &uptake(dimension), token).await.problem(422, "population_too_small");
        }
    }
    let stats = app.get("/v1/statistics").send().await;
    assert_eq!(stats.status, 200);
    for secret in identifiers.iter().map(String::as_str).chain(["white_roma", "buddhist"]) {
        assert!(!stats.text.contains(secret), "the statistics show {secret}: {}", stats.text);
    }
    // The answers are still the applicant's own, unchanged.
    assert_eq!(app.get(MY_ANSWERS).token(&token).send().await.ok(200)["answers"], answers);
}

// ---- 5. Advocates answering the equality form ----------------------------------------------------

/// Invites an advocate by email for the applicant, and accepts with the code sent:
/// (advocate token, link id).
async fn link_advocate(app: &TestApp, applicant: &str, advocate_subject: &str) -> (String, String) {
    let email = format!("{advocate_subject}@school.example.org");
    let (link_id, code) = app.invite_advocate(applicant, &email).await;
    let advocate = app.token("advocate", advocate_subject, None).await;
    let accepted = app
        .post(&format!("/v1/advocate-links/{link_id}/accept"))
        .token(&advocate)
        .json(json!({"code": code}))
        .send()
        .await;
    assert_eq!(accepted.ok(200)["status"], "active");
    (advocate, link_id)
}

fn advocate_path(profile: &Value) -> String {
    format!("/v1/advocacy/applicants/{}/equality-monitoring", id(profile))
}

/// The applicant's own view of their answers.
async fn mine(app: &TestApp, token: &str) -> Resp {
    app.get(MY_ANSWERS).token(token).send().await
}

#[actix_web::test]
async fn a_linked_advocate_answers_for_the_applicant_with_consent() {
    let app = spawn().await;
    let (applicant, profile) = app.applicant_with(plain_profile(30)).await;
    let (advocate, _) = link_advocate(&app, &applicant, "adv-eq").await;
    let path = advocate_path(&profile);
    let put = |token: &str, body: Value| app.call(Method::PUT, &path).token(token).json(body);
    let consent = json!({"given_by": "applicant"});
    let answers = json!({"sex": "male", "free_school_meals": "yes"});

    // Nothing given yet.
    app.get(&path).token(&advocate).send().await.problem(404, "not_found");
    app.delete(&path).token(&advocate).send().await.problem(404, "not_found");

    // Consent must be recorded; answers are checked as the applicant's own are.
    let res = put(&advocate, json!({"answers": answers.clone()})).send().await;
    res.problem(422, "validation_failed");
    res.has_field_error("/consent", "consent_required");
    let res = put(&advocate, json!({"answers": answers.clone(), "consent": null})).send().await;
    res.has_field_error("/consent", "consent_required");
    let res = put(&advocate, json!({"answers": {"religion": "jedi"}, "consent": consent.clone()})).send().await;
    res.problem(422, "validation_failed");
    res.has_field_error("/answers/religion", "unknown_answer");
    let res = put(&advocate, json!({"answers": {}, "consent": {"given_by": "grandparent"}})).send().await;
    assert_eq!(res.status, 422, "{}", res.text);
    res.has_field_error("/consent/given_by", "invalid_value");
    mine(&app, &applicant).await.problem(404, "not_found");
    app.get(&path).token(&advocate).send().await.problem(404, "not_found");

    // Given with consent.
    let res = put(&advocate, json!({"answers": answers.clone(), "consent": consent.clone()})).send().await;
    assert_eq!(res.ok(201)["answers"], answers);
    assert_eq!(res.etag(), "\"v1\"");
    let recorded = json!({"advocate_subject": "adv-eq", "consent": {"given_by": "applicant", "giver_name": null}});
    assert_eq!(res.body["recorded_by_advocate"], recorded);
    let read = app.get(&path).token(&advocate).send().await;
    assert_eq!(read.ok(200)["answers"], answers);
    assert_eq!(read.etag(), "\"v1\"");
    // The applicant sees them, and who gave them with what consent.
    let theirs = mine(&app, &applicant).await;
    assert_eq!(theirs.ok(200)["answers"], answers);
    assert_eq!(theirs.body["recorded_by_advocate"], recorded);
    assert_eq!(theirs.etag(), "\"v1\"");

    // Replaced with the current version; a stale version is refused and changes nothing.
    let changed = json!({"sex": "prefer_not_to_say"});
    let res = put(&advocate, json!({"answers": changed.clone(), "consent": consent.clone()}))
        .header("if-match", "\"v1\"")
        .send()
        .await;
    assert_eq!(res.ok(200)["answers"], changed);
    assert_eq!(res.etag(), "\"v2\"");
    put(&advocate, json!({"answers": answers.clone(), "consent": consent.clone()}))
        .header("if-match", "\"v1\"")
        .send()
        .await
        .problem(412, "version_mismatch");
    assert_eq!(mine(&app, &applicant).await.ok(200)["answers"], changed);

    // Nobody else reaches them through the advocate endpoints: not an unlinked advocate (even
    // with consent), not the applicant, not a coordinator or admin; without a token, 401.
    let stranger = app.token("advocate", "adv-stranger", None).await;
    let (_, coordinator, _) = app.coordinated_organisation().await;
    let admin = app.admin().await;
    for token in [&stranger, &applicant, &coordinator, &admin] {
        app.get(&path).token(token).send().await.problem(404, "not_found");
        put(token, json!({"answers": answers.clone(), "consent": consent.clone()}))
            .send()
            .await
            .problem(404, "not_found");
        put(token, json!({"answers": answers.clone()})).send().await.problem(404, "not_found");
        app.delete(&path).token(token).send().await.problem(404, "not_found");
    }
    app.get(&path).send().await.problem(401, "unauthorized");
    let nobody = format!("/v1/advocacy/applicants/{}/equality-monitoring", Uuid::now_v7());
    app.get(&nobody).token(&advocate).send().await.problem(404, "not_found");
    app.get("/v1/advocacy/applicants/not-a-uuid/equality-monitoring")
        .token(&advocate)
        .send()
        .await
        .problem(400, "invalid_id");
    let theirs = mine(&app, &applicant).await;
    assert_eq!(theirs.ok(200)["answers"], changed, "refusals changed nothing");
    assert_eq!(theirs.etag(), "\"v2\"");

    // The advocate deletes what they gave.
    app.delete(&path).token(&advocate).send().await.ok(204);
    mine(&app, &applicant).await.problem(404, "not_found");
    app.get(&path).token(&advocate).send().await.problem(404, "not_found");
    app.delete(&path).token(&advocate).send().await.problem(404, "not_found");
}

#[actix_web::test]
async fn an_advocate_never_reads_replaces_or_deletes_answers_the_applicant_gave() {
    let app = spawn().await;
    let (applicant, profile) = app.applicant_with(plain_profile(30)).await;
    let (advocate, _) = link_advocate(&app, &applicant, "adv-own").await;
    let path = advocate_path(&profile);
    let own = json!({"ethnicity": "white_roma", "religion": "buddhist"});
    let given = app.call(Method::PUT, MY_ANSWERS).token(&applicant).json(json!({"answers": own.clone()})).send().await;
    assert_eq!(given.ok(201)["recorded_by_advocate"], Value::Null);

    let consent = json!({"given_by": "applicant"});
    let put =
        || app.call(Method::PUT, &path).token(&advocate).json(json!({"answers": {"sex": "male"}, "consent": consent}));
    let res = app.get(&path).token(&advocate).send().await;
    res.problem(404, "not_found");
    assert!(!res.text.contains("white_roma"));
    put().send().await.problem(404, "not_found");
    put().header("if-match", "\"v1\"").send().await.problem(404, "not_found");
    app.delete(&path).token(&advocate).send().await.problem(404, "not_found");
    let theirs = mine(&app, &applicant).await;
    assert_eq!(theirs.ok(200)["answers"], own);
    assert_eq!(theirs.body["recorded_by_advocate"], Value::Null);
    assert_eq!(theirs.etag(), "\"v1\"");

    // Answers the advocate gave become the applicant's own once the applicant replaces them.
    app.delete(MY_ANSWERS).token(&applicant).send().await.ok(204);
    put().send().await.ok(201);
    assert_eq!(mine(&app, &applicant).await.ok(200)["recorded_by_advocate"]["advocate_subject"], "adv-own");
    let replaced = app
        .call(Method::PUT, MY_ANSWERS)
        .token(&applicant)
        .json(json!({"answers": own.clone()}))
        .header("if-match", "\"v1\"")
        .send()
        .await;
    assert_eq!(replaced.ok(200)["recorded_by_advocate"], Value::Null);
    app.get(&path).token(&advocate).send().await.problem(404, "not_found");
    put().send().await.problem(404, "not_found");
    app.delete(&path).token(&advocate).send().await.problem(404, "not_found");
    assert_eq!(mine(&app, &applicant).await.ok(200)["answers"], own);
}

#[actix_web::test]
async fn a_revoked_advocate_no_longer_reaches_the_answers_they_gave() {
    let app = spawn().await;
    let (applicant, profile) = app.applicant_with(plain_profile(30)).await;
    let (advocate, link_id) = link_advocate(&app, &applicant, "adv-revoked").await;
    let path = advocate_path(&profile);
    let body = json!({"answers": {"sex": "female"}, "consent": {"given_by": "applicant"}});
    app.call(Method::PUT, &path).token(&advocate).json(body.clone()).send().await.ok(201);
    app.get(&path).token(&advocate).send().await.ok(200);

    app.delete(&format!("/v1/me/advocates/{link_id}")).token(&applicant).send().await.ok(200);
    app.get(&path).token(&advocate).send().await.problem(404, "not_found");
    app.call(Method::PUT, &path).token(&advocate).json(body).send().await.problem(404, "not_found");
    app.delete(&path).token(&advocate).send().await.problem(404, "not_found");
    let theirs = mine(&app, &applicant).await;
    assert_eq!(theirs.ok(200)["answers"], json!({"sex": "female"}), "the answers stay the applicant's");
    assert_eq!(theirs.body["recorded_by_advocate"]["advocate_subject"], "adv-revoked");
    assert_eq!(theirs.etag(), "\"v1\"");
}

#[actix_web::test]
async fn for_an_applicant_under_16_a_named_parent_or_carer_must_consent() {
    let app = spawn().await;
    let advocate = app.token("advocate", "careers-leader-eq", None).await;
    let parent = json!({"given_by": "parent_or_carer", "giver_name": "Alex Smith (mother)"});
    let pupil = with(plain_profile(15), "/user_groups", json!(["school_pupils_14_16"]));
    let res = app
        .post("/v1/advocacy/applicants")
        .token(&advocate)
        .json(json!({"profile": pupil, "consent": parent.clone(), "relationship": "careers_leader"}))
        .send()
        .await;
    let child = res.ok(201).clone();
    let path = advocate_path(&child);
    let put = |body: Value| app.call(Method::PUT, &path).token(&advocate).json(body);
    let answers = json!({"sex": "female", "school_type_11_16": "state_non_selective"});

    put(json!({"answers": answers.clone()})).send().await.has_field_error("/consent", "consent_required");
    for consent in [
        json!({"given_by": "applicant"}),
        json!({"given_by": "applicant", "giver_name": "Alex Smith"}),
        json!({"given_by": "parent_or_carer"}),
        json!({"given_by": "parent_or_carer", "giver_name": "   "}),
    ] {
        let res = put(json!({"answers": answers.clone(), "consent": consent.clone()})).send().await;
        res.problem(422, "validation_failed");
        res.has_field_error("/consent", "parent_or_carer_consent_required");
        assert_eq!(res.field_errors().len(), 1, "{consent}: {}", res.text);
    }
    // The 16+ questions are not asked of them, whoever answers.
    let res =
        put(json!({"answers": {"sexual_orientation": "prefer_not_to_say"}, "consent": parent.clone()})).send().await;
    res.has_field_error("/answers/sexual_orientation", "asked_of_16_plus_only");
    app.get(&path).token(&advocate).send().await.problem(404, "not_found");

    let res = put(json!({"answers": answers.clone(), "consent": parent.clone()})).send().await;
    assert_eq!(res.ok(201)["answers"], answers);
    assert_eq!(res.body["recorded_by_advocate"], json!({"advocate_subject": "careers-leader-eq", "consent": parent}));
    let read = app.get(&path).token(&advocate).send().await;
    assert_eq!(read.ok(200)["recorded_by_advocate"]["consent"]["giver_name"], "Alex Smith (mother)");
    // Another advocate does not act for the child.
    let other = app.token("advocate", "careers-leader-other", None).await;
    app.get(&path).token(&other).send().await.problem(404, "not_found");
}

#[actix_web::test]
async fn an_advocate_reaches_only_the_answers_they_gave_not_another_advocates() {
    let app = spawn().await;
    let (applicant, profile) = app.applicant_with(plain_profile(30)).await;
    let (first, _) = link_advocate(&app, &applicant, "adv-first").await;
    let (second, _) = link_advocate(&app, &applicant, "adv-second").await;
    let path = advocate_path(&profile);
    let body = |sex: &str| json!({"answers": {"sex": sex}, "consent": {"given_by": "applicant"}});
    app.call(Method::PUT, &path).token(&first).json(body("female")).send().await.ok(201);

    // Both act for the applicant, but the answers are the first advocate's to read back.
    app.get(&path).token(&second).send().await.problem(404, "not_found");
    app.call(Method::PUT, &path).token(&second).json(body("male")).send().await.problem(404, "not_found");
    app.delete(&path).token(&second).send().await.problem(404, "not_found");
    let theirs = mine(&app, &applicant).await;
    assert_eq!(theirs.ok(200)["answers"], json!({"sex": "female"}));
    assert_eq!(theirs.body["recorded_by_advocate"]["advocate_subject"], "adv-first");
    assert_eq!(theirs.etag(), "\"v1\"");
    assert_eq!(app.get(&path).token(&first).send().await.ok(200)["answers"], json!({"sex": "female"}));
}

// ---- 6. Public statistics -----------------------------------------------------------------------

#[actix_web::test]
async fn public_statistics_need_no_sign_in_and_hide_small_numbers() {
    let app = spawn().await;
    let empty = app.get("/v1/statistics").send().await;
    let body = empty.ok(200).clone();
    assert_eq!(empty.header("cache-control").as_deref(), Some("public, max-age=300"));
    assert_eq!(body["national"]["region"], Value::Null);
    assert_eq!(body["national"]["label"], "England");
    let regions: Vec<&str> =
        body["regions"].as_array().unwrap().iter().map(|r| r["region"].as_str().unwrap()).collect();
    assert_eq!(regions.len(), 7);
    let mut sorted = regions.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, REGIONS);
    assert_eq!(body["suppression"], json!({"min_shown": 8, "round_to": 5}));
    assert!(figures(&body).iter().all(|f| *f == (Some(0), false)), "nothing yet: {body}");

    // A tiny dataset in the South East: two people apply.
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let placement = app.published(&coordinator, &org, placement_body(&site)).await;
    let version = app.privacy_version().await;
    for groups in [json!(["career_changers"]), json!(["veterans"])] {
        let (token, _) = app.applicant_with(with(plain_profile(30), "/user_groups", groups)).await;
        app.apply(&token, &id(&placement), json!({"privacy_notice_version": version})).await.ok(201);
    }
    let (applicant, _) = app.applicant_with(plain_profile(30)).await;
    for res in [app.get("/v1/statistics").send().await, app.get("/v1/statistics").token(&applicant).send().await] {
        let body = res.ok(200).clone();
        assert!(res.header("cache-control").is_some());
        assert_nothing_small_shown(&body);
        let area =
            |region: &str| body["regions"].as_array().unwrap().iter().find(|r| r["region"] == region).unwrap().clone();
        for stats in [body["national"].clone(), area("south_east")] {
            assert_eq!(counts(&stats["all_applications"])[0], hidden(), "{stats}");
            assert_eq!(counts(row(&json!({"rows": stats["uptake_by_user_group"]}), "veterans"))[0], hidden());
            assert_eq!(stats["places"]["applications"], json!({"count": null, "suppressed": true}));
            assert_eq!(stats["places"]["placements"], 1, "placements are public");
        }
        let london = area("london");
        assert!(figures(&london).iter().all(|f| *f == (Some(0), false)), "nothing in London: {london}");
        assert_eq!(london["places"]["placements"], 0);
    }
}
