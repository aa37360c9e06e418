//! Bulk import of draft placements: JSON and CSV, all or nothing with every row's errors, only the
//! organisation's coordinators, idempotent, and a body limit of its own.

use diesel::prelude::*;
use serde_json::{Value, json};

use crate::support::{Options, Resp, TestApp, placement_body, spawn, spawn_with, with};

fn path(org: &str) -> String {
    format!("/v1/organisations/{org}/placement-imports")
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// How many placements, and how many placement events, the database holds.
fn stored(app: &TestApp) -> (i64, i64) {
    let mut conn = app.store.pool().get().unwrap();
    let mut count = |sql: &str| diesel::sql_query(sql).get_result::<Count>(&mut **conn).unwrap().n;
    (
        count("SELECT COUNT(*) AS n FROM placements"),
        count("SELECT COUNT(*) AS n FROM events WHERE entity = 'placement'"),
    )
}

/// `n` distinct rows for the organisation's site, titled `Row 0`, `Row 1`, ...
fn rows(site: &str, n: usize) -> Vec<Value> {
    (0..n).map(|i| with(placement_body(site), "/title", json!(format!("Row {i}")))).collect()
}

/// The columns the CSV tests write, and their JSON pointers in a `createPlacement` body.
const COLUMNS: &[&str] = &[
    "kind",
    "delivery",
    "specialty",
    "title",
    "description",
    "site_id",
    "start_date",
    "end_date",
    "daily_hours.start",
    "daily_hours.end",
    "capacity",
    "eligibility.min_age",
    "eligibility.catchment",
    "opens_at",
    "closes_at",
    "outcome_by",
    "priority_rules",
    "preparation.dress_code",
    "preparation.leads_to_job",
];

/// The CSV file of `bodies`, written by a standard CSV writer (so quoting is whatever it chooses).
fn csv_of(bodies: &[Value]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS).unwrap();
    for body in bodies {
        let cells: Vec<String> = COLUMNS
            .iter()
            .map(|column| match body.pointer(&format!("/{}", column.replace('.', "/"))) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.clone(),
                Some(Value::Array(items)) => items.iter().map(|i| i.as_str().unwrap()).collect::<Vec<_>>().join(";"),
                Some(other) => other.to_string(),
            })
            .collect();
        writer.write_record(&cells).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

async fn import_json(app: &TestApp, org: &str, token: &str, body: Value) -> Resp {
    app.post(&path(org)).token(token).json(body).send().await
}

async fn import_csv(app: &TestApp, org: &str, token: &str, text: &str) -> Resp {
    app.post(&path(org)).token(token).raw(text.as_bytes(), "text/csv; charset=utf-8").send().await
}

/// The ids of a 201 answer, checked to be drafts of the organisation titled as `titles`, in order.
async fn created_in_order(app: &TestApp, token: &str, res: &Resp, titles: &[String]) -> Vec<Value> {
    let ids = res.ok(201)["placement_ids"].as_array().unwrap().clone();
    assert_eq!(ids.len(), titles.len());
    assert_eq!(res.header("location"), None, "an import names its drafts in the body, not in Location");
    let mut placements = Vec::new();
    for (id, title) in ids.iter().zip(titles) {
        let p = app.get(&format!("/v1/placements/{}", id.as_str().unwrap())).token(token).send().await;
        let p = p.ok(200).clone();
        assert_eq!(p["title"], json!(title));
        assert_eq!(p["status"], json!("draft"));
        placements.push(p);
    }
    placements
}

#[actix_web::test]
async fn a_json_array_creates_every_row_as_a_draft_in_order_with_its_event() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let online = with(with(placement_body(&site), "/site_id", Value::Null), "/delivery", json!("online"));
    let mut body = rows(&site, 3);
    body.insert(1, with(online, "/title", json!("Online taster")));
    let before = stored(&app);
    let res = import_json(&app, &org, &coordinator, json!(body)).await;
    let titles: Vec<String> = body.iter().map(|b| b["title"].as_str().unwrap().to_string()).collect();
    let created = created_in_order(&app, &coordinator, &res, &titles).await;
    assert_eq!(created[1]["delivery"], json!("online"));
    assert_eq!(stored(&app), (before.0 + 4, before.1 + 4), "each draft with its created event");
    let drafts =
        app.get(&format!("/v1/placements?status=draft&organisation_id={org}")).token(&coordinator).send().await;
    assert_eq!(drafts.ok(200)["items"].as_array().unwrap().len(), 4);
}

#[actix_web::test]
async fn a_csv_file_creates_the_same_drafts_with_lists_and_quoted_text() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let mut first = with(placement_body(&site), "/title", json!("Ward week, with \"quotes\""));
    first = with(first, "/description", json!("Line one, with a comma.\nLine two."));
    first = with(first, "/eligibility/catchment", json!(["so14", "SO15"]));
    first = with(first, "/priority_rules", json!(["care_experienced", "in_catchment"]));
    let second = with(placement_body(&site), "/title", json!("Theatre week"));
    let res = import_csv(&app, &org, &coordinator, &csv_of(&[first.clone(), second])).await;
    let titles = ["Ward week, with \"quotes\"".to_string(), "Theatre week".to_string()];
    let created = created_in_order(&app, &coordinator, &res, &titles).await;
    let p = &created[0];
    assert_eq!(p["description"], first["description"]);
    assert_eq!(p["eligibility"]["catchment"], json!(["SO14", "SO15"]));
    assert_eq!(p["eligibility"]["min_age"], json!(16));
    assert_eq!(p["eligibility"]["user_groups"], Value::Null, "an empty list cell is everyone");
    assert_eq!(p["priority_rules"], json!(["care_experienced", "in_catchment"]));
    assert_eq!(p["daily_hours"], first["daily_hours"]);
    assert_eq!(p["capacity"], json!(4));
    assert_eq!(p["preparation"]["leads_to_job"], json!(false));
    assert_eq!(p["preparation"]["what_you_will_do"], Value::Null, "a column left out is a field left out");
    assert_eq!(p["offer_response_days"], json!(5), "defaults apply as in JSON");
    assert_eq!(stored(&app).0, 2);
}

#[actix_web::test]
async fn one_bad_row_refuses_the_whole_file_with_its_pointer() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let mut body = rows(&site, 5);
    body[3] = with(body[3].clone(), "/title", json!("   "));
    let before = stored(&app);
    let res = import_json(&app, &org, &coordinator, json!(body)).await;
    res.problem(422, "validation_failed");
    assert_eq!(res.field_errors(), vec![("/3/title".to_string(), "required".to_string())]);
    assert_eq!(stored(&app), before, "nothing written");

    body[3] = with(body[3].clone(), "/title", json!("Fixed"));
    body[2] = with(body[2].clone(), "/capacity", json!(0));
    let res = import_csv(&app, &org, &coordinator, &csv_of(&body)).await;
    res.problem(422, "validation_failed");
    assert_eq!(res.field_errors(), vec![("/2/capacity".to_string(), "capacity_too_small".to_string())]);
    assert_eq!(stored(&app), before, "nothing written");
}

#[actix_web::test]
async fn every_bad_row_is_reported_at_once() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let (_, _, other_site) = app.coordinated_organisation().await;
    let mut body = rows(&site, 6);
    let opens = body[0]["opens_at"].clone();
    body[0] = with(body[0].clone(), "/kind", json!("apprenticeship_fair"));
    body[2] = with(body[2].clone(), "/closes_at", opens);
    body[2] = with(body[2].clone(), "/eligibility/min_age", json!(12));
    body[4] = with(body[4].clone(), "/site_id", json!(other_site));
    body[5] = json!("not a placement");
    let before = stored(&app);
    let res = import_json(&app, &org, &coordinator, json!(body)).await;
    res.problem(422, "validation_failed");
    for (field, code) in [
        ("/0/kind", "invalid_value"),
        ("/2/closes_at", "must_be_after_opens_at"),
        ("/2/eligibility/min_age", "age_out_of_range"),
        ("/4/site_id", "unknown_site"),
        ("/5", "invalid_value"),
    ] {
        res.has_field_error(field, code);
    }
    assert_eq!(res.field_errors().len(), 5, "{:?}", res.field_errors());
    assert_eq!(stored(&app), before, "nothing written");

    // In CSV: a cell that is not a number, a row with a field too many, and a rule, all at once.
    let good = rows(&site, 4);
    let text = csv_of(&good);
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[1] = lines[1].replacen(",4,", ",four,", 1);
    lines[2].push_str(",surplus");
    lines[4] = lines[4].replacen(",16,", ",12,", 1);
    let res = import_csv(&app, &org, &coordinator, &lines.join("\n")).await;
    res.problem(422, "validation_failed");
    assert_eq!(
        res.field_errors(),
        vec![
            ("/0/capacity".to_string(), "invalid_value".to_string()),
            ("/1".to_string(), "invalid_csv_row".to_string()),
            ("/3/eligibility/min_age".to_string(), "age_out_of_range".to_string()),
        ]
    );
    assert_eq!(stored(&app), before, "nothing written");
}

#[actix_web::test]
async fn csv_header_problems_point_at_the_header() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let text = csv_of(&rows(&site, 2)).replacen("title,", "colour,", 1).replacen("kind,", "kind,kind,", 1);
    let res = import_csv(&app, &org, &coordinator, &text).await;
    res.problem(422, "validation_failed");
    res.has_field_error("/header/1", "duplicate_column");
    res.has_field_error("/header/4", "unknown_column");
    res.has_field_error("/header", "missing_column");
    let res = import_csv(&app, &org, &coordinator, "").await;
    res.has_field_error("/header", "missing_header");
    assert_eq!(stored(&app).0, 0, "nothing written");
}

#[actix_web::test]
async fn an_empty_import_and_other_media_types_are_refused() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    import_json(&app, &org, &coordinator, json!([])).await.problem(422, "validation_failed");
    import_json(&app, &org, &coordinator, json!([])).await.has_field_error("", "no_rows");
    let res = import_json(&app, &org, &coordinator, json!({"placements": rows(&site, 1)})).await;
    res.problem(422, "invalid_value");
    let header_only = csv_of(&[]);
    import_csv(&app, &org, &coordinator, &header_only).await.has_field_error("", "no_rows");
    let text = csv_of(&rows(&site, 1));
    let res = app.post(&path(&org)).token(&coordinator).raw(text.as_bytes(), "text/plain").send().await;
    res.problem(415, "unsupported_media_type");
    assert_eq!(stored(&app).0, 0, "nothing written");
}

#[actix_web::test]
async fn only_the_organisations_coordinators_may_import() {
    let app = spawn().await;
    let (org, _, site) = app.coordinated_organisation().await;
    let (_, other_coordinator, _) = app.coordinated_organisation().await;
    let body = json!(rows(&site, 2));
    app.post(&path(&org)).json(body.clone()).send().await.problem(401, "unauthorized");
    let host = app.token("host", "host-import", Some(&org)).await;
    let advocate = app.token("advocate", "advocate-import", None).await;
    for token in [other_coordinator, host, advocate, app.applicant().await, app.admin().await] {
        import_json(&app, &org, &token, body.clone()).await.problem(403, "coordinator_role_required");
        import_csv(&app, &org, &token, &csv_of(&rows(&site, 1))).await.problem(403, "coordinator_role_required");
    }
    let missing = uuid::Uuid::now_v7().to_string();
    import_json(&app, &missing, &app.admin().await, body).await.problem(404, "not_found");
    assert_eq!(stored(&app).0, 0, "nothing written");
}

#[actix_web::test]
async fn a_retried_upload_creates_nothing_twice() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let text = csv_of(&rows(&site, 3));
    let send = |text: String| {
        let (app, org, coordinator) = (&app, &org, &coordinator);
        async move {
            app.post(&path(org))
                .token(coordinator)
                .header("idempotency-key", "season-2027")
                .raw(text.as_bytes(), "text/csv")
                .send()
                .await
        }
    };
    let first = send(text.clone()).await;
    let ids = first.ok(201)["placement_ids"].clone();
    let again = send(text.clone()).await;
    assert_eq!(again.ok(201)["placement_ids"], ids);
    assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
    assert_eq!(stored(&app), (3, 3), "the retry created nothing");
    let other = send(csv_of(&rows(&site, 1))).await;
    other.problem(422, "idempotency_key_reused");
    assert_eq!(stored(&app).0, 3);

    // A refused upload frees its key: the corrected file goes through under it.
    let key = "season-2028";
    let bad = json!([with(placement_body(&site), "/capacity", json!(0))]);
    let res = app.post(&path(&org)).token(&coordinator).header("idempotency-key", key).json(bad).send().await;
    res.problem(422, "validation_failed");
    let good = json!(rows(&site, 1));
    let res = app.post(&path(&org)).token(&coordinator).header("idempotency-key", key).json(good).send().await;
    res.ok(201);
    assert_eq!(stored(&app).0, 4);
}

#[actix_web::test]
async fn a_thousand_rows_go_in_one_request() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let body = json!(rows(&site, 1000));
    let size = serde_json::to_vec(&body).unwrap().len();
    assert!(size > 64 * 1024, "the body ({size} bytes) is past the default limit of every other route");
    let res = import_json(&app, &org, &coordinator, body).await;
    let ids = res.ok(201)["placement_ids"].as_array().unwrap().clone();
    assert_eq!(ids.len(), 1000);
    assert_eq!(stored(&app), (1000, 1000));
    let last = app.get(&format!("/v1/placements/{}", ids[999].as_str().unwrap())).token(&coordinator).send().await;
    assert_eq!(last.ok(200)["title"], json!("Row 999"));
}

#[actix_web::test]
async fn a_body_over_the_import_limit_is_refused_and_nothing_written() {
    let app = spawn_with(Options { import_body_limit: 8 * 1024, ..Options::default() }).await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let body = json!(rows(&site, 20));
    assert!(serde_json::to_vec(&body).unwrap().len() > 8 * 1024);
    let res = import_json(&app, &org, &coordinator, body).await;
    let problem = res.problem(413, "payload_too_large");
    assert!(problem["detail"].as_str().unwrap().contains("8192 bytes"), "{problem}");
    let res = import_csv(&app, &org, &coordinator, &csv_of(&rows(&site, 40))).await;
    res.problem(413, "payload_too_large");
    assert_eq!(stored(&app).0, 0, "nothing written");
    // Within the limit, the same route takes it.
    import_json(&app, &org, &coordinator, json!(rows(&site, 2))).await.ok(201);
}
