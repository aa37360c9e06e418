//! Organisations, their sites and their host departments: who may create and change them, merge
//! patches with ETags, validation, and paging.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{Resp, TestApp, site_body, spawn};

fn organisation_body(name: &str, ods_code: Option<&str>) -> Value {
    json!({"name": name, "kind": "nhs_trust", "region": "south_east", "ods_code": ods_code})
}

async fn create_organisation(app: &TestApp, admin: &str, body: Value) -> Resp {
    app.post("/v1/organisations").token(admin).json(body).send().await
}

/// The ids on the first page (up to 100) of a list.
async fn ids(app: &TestApp, path: &str) -> Vec<String> {
    let res = app.get(&format!("{path}?limit=100")).send().await;
    res.ok(200)["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()).collect()
}

async fn organisation_ids(app: &TestApp) -> Vec<String> {
    ids(app, "/v1/organisations").await
}

fn department_body(site_id: Option<&str>) -> Value {
    json!({"name": "Children's physiotherapy", "specialty": "allied_health_professions", "site_id": site_id})
}

/// Tokens for every role that is not a platform admin, for `org`.
async fn non_admins(app: &TestApp, org: &str) -> Vec<(&'static str, String)> {
    vec![
        ("applicant", app.token("applicant", "applicant-1", None).await),
        ("advocate", app.token("advocate", "advocate-1", None).await),
        ("coordinator", app.token("coordinator", "coordinator-1", Some(org)).await),
        ("host", app.token("host", "host-1", Some(org)).await),
        ("analyst", app.token("analyst", "analyst-1", None).await),
    ]
}

// Organisations.

#[actix_web::test]
async fn an_admin_creates_an_organisation() {
    let app = spawn().await;
    let admin = app.admin().await;
    let res = create_organisation(&app, &admin, organisation_body("Wessex Coast NHS Foundation Trust", None)).await;
    let body = res.ok(201).clone();
    let id = body["id"].as_str().unwrap();
    assert_eq!(Uuid::parse_str(id).unwrap().get_version_num(), 7);
    assert_eq!(res.header("location"), Some(format!("/v1/organisations/{id}")));
    assert_eq!(res.etag(), "\"v1\"");
    assert_eq!(body["name"], "Wessex Coast NHS Foundation Trust");
    assert_eq!(body["kind"], "nhs_trust");
    assert_eq!(body["region"], "south_east");
    assert_eq!(body["version"], 1);
    assert!(body["created_at"].as_str().unwrap().ends_with('Z'), "{body}");
}

#[actix_web::test]
async fn anyone_reads_and_lists_organisations() {
    let app = spawn().await;
    let admin = app.admin().await;
    let created = create_organisation(&app, &admin, organisation_body("Trust A", Some("RHM"))).await.ok(201).clone();
    let id = created["id"].as_str().unwrap();
    let res = app.get(&format!("/v1/organisations/{id}")).send().await;
    assert_eq!(res.ok(200), &created);
    assert_eq!(res.etag(), "\"v1\"");
    let list = app.get("/v1/organisations").send().await;
    assert_eq!(list.ok(200)["items"], json!([created]));
    assert_eq!(list.body["next_cursor"], Value::Null);
}

#[actix_web::test]
async fn an_unknown_organisation_is_404() {
    let app = spawn().await;
    app.get(&format!("/v1/organisations/{}", Uuid::now_v7())).send().await.problem(404, "not_found");
}

#[actix_web::test]
async fn ods_codes_are_stored_upper_case() {
    let app = spawn().await;
    let admin = app.admin().await;
    let res = create_organisation(&app, &admin, organisation_body("Trust A", Some(" a81001 "))).await;
    let id = res.ok(201)["id"].as_str().unwrap().to_string();
    assert_eq!(res.body["ods_code"], "A81001");
    assert_eq!(app.get(&format!("/v1/organisations/{id}")).send().await.ok(200)["ods_code"], "A81001");
}

#[actix_web::test]
async fn a_duplicate_ods_code_is_409_and_nothing_is_written() {
    let app = spawn().await;
    let admin = app.admin().await;
    let first = create_organisation(&app, &admin, organisation_body("Trust A", Some("RHM"))).await;
    let first = first.ok(201)["id"].as_str().unwrap().to_string();
    let res = create_organisation(&app, &admin, organisation_body("Trust B", Some("rhm"))).await;
    res.problem(409, "ods_code_taken");
    res.has_field_error("/ods_code", "ods_code_taken");
    assert_eq!(organisation_ids(&app).await, vec![first]);
}

#[actix_web::test]
async fn invalid_fields_are_422_with_pointers_and_nothing_is_written() {
    let app = spawn().await;
    let admin = app.admin().await;
    let res = create_organisation(&app, &admin, organisation_body("   ", Some("R"))).await;
    res.problem(422, "validation_failed");
    res.has_field_error("/name", "required");
    res.has_field_error("/ods_code", "invalid_ods_code");
    for ods_code in ["RHMRHMR", "R-H", "", "ŘHM"] {
        let res = create_organisation(&app, &admin, organisation_body("Trust A", Some(ods_code))).await;
        res.problem(422, "validation_failed");
        res.has_field_error("/ods_code", "invalid_ods_code");
    }
    assert_eq!(organisation_ids(&app).await, Vec::<String>::new());
}

#[actix_web::test]
async fn non_admins_cannot_create_organisations() {
    let app = spawn().await;
    let org = app.organisation().await;
    for (role, token) in non_admins(&app, &org).await {
        let res = create_organisation(&app, &token, organisation_body("Trust B", None)).await;
        assert_eq!(res.status, 403, "{role}: {}", res.text);
        res.problem(403, "admin_role_required");
    }
    assert_eq!(organisation_ids(&app).await, vec![org]);
}

#[actix_web::test]
async fn non_admins_cannot_patch_organisations() {
    let app = spawn().await;
    let org = app.organisation().await;
    let path = format!("/v1/organisations/{org}");
    let before = app.get(&path).send().await.ok(200).clone();
    for (role, token) in non_admins(&app, &org).await {
        let res =
            app.patch(&path).token(&token).header("if-match", "\"v1\"").json(json!({"name": "Mine"})).send().await;
        assert_eq!(res.status, 403, "{role}: {}", res.text);
        res.problem(403, "admin_role_required");
    }
    assert_eq!(app.get(&path).send().await.ok(200), &before);
}

#[actix_web::test]
async fn anonymous_callers_cannot_create_or_patch_organisations() {
    let app = spawn().await;
    let org = app.organisation().await;
    let path = format!("/v1/organisations/{org}");
    let before = app.get(&path).send().await.ok(200).clone();
    app.post("/v1/organisations").json(organisation_body("Trust B", None)).send().await.problem(401, "unauthorized");
    let res = app.patch(&path).header("if-match", "\"v1\"").json(json!({"name": "Mine"})).send().await;
    res.problem(401, "unauthorized");
    assert_eq!(app.get(&path).send().await.ok(200), &before);
    assert_eq!(organisation_ids(&app).await, vec![org]);
}

#[actix_web::test]
async fn a_patch_without_if_match_is_428_and_changes_nothing() {
    let app = spawn().await;
    let admin = app.admin().await;
    let org = app.organisation().await;
    let path = format!("/v1/organisations/{org}");
    let before = app.get(&path).send().await.ok(200).clone();
    app.patch(&path).token(&admin).json(json!({"name": "Renamed"})).send().await.problem(428, "precondition_required");
    let res = app.patch(&path).token(&admin).header("if-match", "*").json(json!({"name": "Renamed"})).send().await;
    res.problem(428, "precondition_required");
    assert_eq!(app.get(&path).send().await.ok(200), &before);
}

#[actix_web::test]
async fn a_patch_with_a_stale_etag_is_412_and_changes_nothing() {
    let app = spawn().await;
    let admin = app.admin().await;
    let org = app.organisation().await;
    let path = format!("/v1/organisations/{org}");
    let first = app.patch(&path).token(&admin).header("if-match", "\"v1\"").json(json!({"name": "First"})).send().await;
    first.ok(200);
    for stale in ["\"v1\"", "\"v3\"", "W/\"v2\"", "v2", "\"something\""] {
        let res = app.patch(&path).token(&admin).header("if-match", stale).json(json!({"name": "Second"})).send().await;
        res.problem(412, "version_mismatch");
    }
    let now = app.get(&path).send().await;
    assert_eq!(now.ok(200)["name"], "First");
    assert_eq!(now.etag(), "\"v2\"");
}

#[actix_web::test]
async fn a_patch_with_the_current_etag_merges_the_fields() {
    let app = spawn().await;
    let admin = app.admin().await;
    let created = create_organisation(&app, &admin, organisation_body("Trust A", Some("RHM"))).await.ok(201).clone();
    let path = format!("/v1/organisations/{}", created["id"].as_str().unwrap());
    let res = app
        .patch(&path)
        .token(&admin)
        .header("if-match", "\"v1\"")
        .json(json!({"description": "Acute and community services.", "region": "london"}))
        .send()
        .await;
    assert_eq!(res.ok(200)["description"], "Acute and community services.");
    assert_eq!(res.etag(), "\"v2\"");
    assert_eq!(res.body["version"], 2);
    assert_eq!(res.body["region"], "london");
    assert_eq!(res.body["name"], "Trust A");
    assert_eq!(res.body["ods_code"], "RHM");
    assert_eq!(res.body["created_at"], created["created_at"]);
    assert_eq!(app.get(&path).send().await.ok(200), &res.body);

    let res = app.patch(&path).token(&admin).header("if-match", "\"v2\"").json(json!({"ods_code": null})).send().await;
    assert_eq!(res.ok(200)["ods_code"], Value::Null);
    assert_eq!(res.etag(), "\"v3\"");
    assert_eq!(app.get(&path).send().await.ok(200)["ods_code"], Value::Null);
}

#[actix_web::test]
async fn a_patch_with_an_unknown_field_is_422_and_changes_nothing() {
    let app = spawn().await;
    let admin = app.admin().await;
    let org = app.organisation().await;
    let path = format!("/v1/organisations/{org}");
    let before = app.get(&path).send().await.ok(200).clone();
    let res = app
        .patch(&path)
        .token(&admin)
        .header("if-match", "\"v1\"")
        .json(json!({"name": "Renamed", "colour": "blue"}))
        .send()
        .await;
    res.problem(422, "unknown_field");
    res.has_field_error("/colour", "unknown_field");
    assert_eq!(app.get(&path).send().await.ok(200), &before);
}

/// "Unknown request fields are rejected" holds for a merge patch that removes an unknown field, too.
#[actix_web::test]
async fn a_patch_removing_an_unknown_field_is_422_and_changes_nothing() {
    let app = spawn().await;
    let admin = app.admin().await;
    let org = app.organisation().await;
    let path = format!("/v1/organisations/{org}");
    let before = app.get(&path).send().await.ok(200).clone();
    let res = app.patch(&path).token(&admin).header("if-match", "\"v1\"").json(json!({"colour": null})).send().await;
    res.problem(422, "unknown_field");
    res.has_field_error("/colour", "unknown_field");
    assert_eq!(app.get(&path).send().await.ok(200), &before);
}

#[actix_web::test]
async fn patching_null_into_a_required_field_is_422_and_changes_nothing() {
    let app = spawn().await;
    let admin = app.admin().await;
    let org = app.organisation().await;
    let path = format!("/v1/organisations/{org}");
    let before = app.get(&path).send().await.ok(200).clone();
    for field in ["name", "kind", "region"] {
        let res = app.patch(&path).token(&admin).header("if-match", "\"v1\"").json(json!({field: null})).send().await;
        res.problem(422, "required");
        res.has_field_error(&format!("/{field}"), "required");
    }
    assert_eq!(app.get(&path).send().await.ok(200), &before);
}

#[actix_web::test]
async fn a_patch_with_invalid_values_is_422_and_changes_nothing() {
    let app = spawn().await;
    let admin = app.admin().await;
    let org = app.organisation().await;
    let path = format!("/v1/organisations/{org}");
    let before = app.get(&path).send().await.ok(200).clone();
    let res = app
        .patch(&path)
        .token(&admin)
        .header("if-match", "\"v1\"")
        .json(json!({"name": " ", "ods_code": "R"}))
        .send()
        .await;
    res.problem(422, "validation_failed");
    res.has_field_error("/name", "required");
    res.has_field_error("/ods_code", "invalid_ods_code");
    let res =
        app.patch(&path).token(&admin).header("if-match", "\"v1\"").json(json!({"kind": "hospital"})).send().await;
    res.has_field_error("/kind", "invalid_value");
    let res = app.patch(&path).token(&admin).header("if-match", "\"v1\"").json(json!(["name"])).send().await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(app.get(&path).send().await.ok(200), &before);
}

#[actix_web::test]
async fn a_patch_to_an_ods_code_already_taken_is_409_and_changes_nothing() {
    let app = spawn().await;
    let admin = app.admin().await;
    create_organisation(&app, &admin, organisation_body("Trust A", Some("RHM"))).await.ok(201);
    let b = create_organisation(&app, &admin, organisation_body("Trust B", Some("RBZ"))).await.ok(201).clone();
    let path = format!("/v1/organisations/{}", b["id"].as_str().unwrap());
    let res = app.patch(&path).token(&admin).header("if-match", "\"v1\"").json(json!({"ods_code": "rhm"})).send().await;
    res.problem(409, "ods_code_taken");
    assert_eq!(app.get(&path).send().await.ok(200), &b);
}

#[actix_web::test]
async fn patching_an_unknown_organisation_is_404() {
    let app = spawn().await;
    let admin = app.admin().await;
    let res = app
        .patch(&format!("/v1/organisations/{}", Uuid::now_v7()))
        .token(&admin)
        .header("if-match", "\"v1\"")
        .json(json!({"name": "Renamed"}))
        .send()
        .await;
    res.problem(404, "not_found");
}

// Sites.

#[actix_web::test]
async fn coordinators_create_sites_with_normalised_postcodes() {
    let app = spawn().await;
    let org = app.organisation().await;
    let coordinator = app.coordinator(&org).await;
    let res = app.post(&format!("/v1/organisations/{org}/sites")).token(&coordinator).json(site_body()).send().await;
    let body = res.ok(201).clone();
    let id = body["id"].as_str().unwrap();
    assert_eq!(res.header("location"), Some(format!("/v1/sites/{id}")));
    assert_eq!(res.etag(), "\"v1\"");
    assert_eq!(body["postcode"], "SO16 6YD");
    assert_eq!(body["organisation_id"], json!(org));
    assert_eq!(body["name"], "Southampton General Hospital");
    assert_eq!(body["version"], 1);
}

#[actix_web::test]
async fn a_bad_postcode_is_422_and_nothing_is_written() {
    let app = spawn().await;
    let org = app.organisation().await;
    let coordinator = app.coordinator(&org).await;
    let path = format!("/v1/organisations/{org}/sites");
    for postcode in ["nowhere", "SO16", "12345", ""] {
        let mut body = site_body();
        body["postcode"] = json!(postcode);
        let res = app.post(&path).token(&coordinator).json(body).send().await;
        res.problem(422, "validation_failed");
        res.has_field_error("/postcode", "invalid_postcode");
    }
    assert_eq!(ids(&app, &path).await, Vec::<String>::new());
}

#[actix_web::test]
async fn a_site_with_blank_required_fields_is_422() {
    let app = spawn().await;
    let org = app.organisation().await;
    let coordinator = app.coordinator(&org).await;
    let path = format!("/v1/organisations/{org}/sites");
    let mut body = site_body();
    body["name"] = json!(" ");
    body["town"] = json!("");
    let res = app.post(&path).token(&coordinator).json(body).send().await;
    res.problem(422, "validation_failed");
    res.has_field_error("/name", "required");
    res.has_field_error("/town", "required");
    assert_eq!(ids(&app, &path).await, Vec::<String>::new());
}

#[actix_web::test]
async fn a_coordinator_of_another_organisation_cannot_create_sites_here() {
    let app = spawn().await;
    let org = app.organisation().await;
    let other = app.organisation().await;
    let outsider = app.coordinator(&other).await;
    let path = format!("/v1/organisations/{org}/sites");
    app.post(&path).token(&outsider).json(site_body()).send().await.problem(403, "coordinator_role_required");
    assert_eq!(ids(&app, &path).await, Vec::<String>::new());
}

#[actix_web::test]
async fn hosts_applicants_and_admins_cannot_create_sites() {
    let app = spawn().await;
    let org = app.organisation().await;
    let path = format!("/v1/organisations/{org}/sites");
    let tokens = [
        app.token("host", "host-1", Some(&org)).await,
        app.applicant().await,
        app.admin().await,
        app.token("analyst", "analyst-1", None).await,
    ];
    for token in &tokens {
        app.post(&path).token(token).json(site_body()).send().await.problem(403, "coordinator_role_required");
    }
    app.post(&path).json(site_body()).send().await.problem(401, "unauthorized");
    assert_eq!(ids(&app, &path).await, Vec::<String>::new());
}

#[actix_web::test]
async fn anyone_lists_and_reads_sites() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let second = app.site(&coordinator, &org).await;
    assert_eq!(ids(&app, &format!("/v1/organisations/{org}/sites")).await, vec![site.clone(), second]);
    let res = app.get(&format!("/v1/sites/{site}")).send().await;
    assert_eq!(res.ok(200)["postcode"], "SO16 6YD");
    assert_eq!(res.body["organisation_id"], json!(org));
    assert_eq!(res.etag(), "\"v1\"");
}

#[actix_web::test]
async fn sites_only_list_their_own_organisations() {
    let app = spawn().await;
    let (org, _, site) = app.coordinated_organisation().await;
    let (other, _, other_site) = app.coordinated_organisation().await;
    assert_eq!(ids(&app, &format!("/v1/organisations/{org}/sites")).await, vec![site]);
    assert_eq!(ids(&app, &format!("/v1/organisations/{other}/sites")).await, vec![other_site]);
}

#[actix_web::test]
async fn sites_of_an_unknown_organisation_are_404() {
    let app = spawn().await;
    let admin = app.admin().await;
    let path = format!("/v1/organisations/{}/sites", Uuid::now_v7());
    app.get(&path).send().await.problem(404, "not_found");
    app.post(&path).token(&admin).json(site_body()).send().await.problem(404, "not_found");
    app.get(&format!("/v1/sites/{}", Uuid::now_v7())).send().await.problem(404, "not_found");
}

#[actix_web::test]
async fn a_coordinator_patches_their_site() {
    let app = spawn().await;
    let (_, coordinator, site) = app.coordinated_organisation().await;
    let path = format!("/v1/sites/{site}");
    let res = app
        .patch(&path)
        .token(&coordinator)
        .header("if-match", "\"v1\"")
        .json(json!({"postcode": "so15 5ab", "travel_notes": null}))
        .send()
        .await;
    assert_eq!(res.ok(200)["postcode"], "SO15 5AB");
    assert_eq!(res.body["travel_notes"], Value::Null);
    assert_eq!(res.body["name"], "Southampton General Hospital");
    assert_eq!(res.etag(), "\"v2\"");
    assert_eq!(app.get(&path).send().await.ok(200), &res.body);
}

#[actix_web::test]
async fn patching_another_organisations_site_is_404_and_changes_nothing() {
    let app = spawn().await;
    let (_, _, site) = app.coordinated_organisation().await;
    let other = app.organisation().await;
    let outsider = app.coordinator(&other).await;
    let admin = app.admin().await;
    let path = format!("/v1/sites/{site}");
    let before = app.get(&path).send().await.ok(200).clone();
    for token in [&outsider, &admin] {
        let res = app.patch(&path).token(token).header("if-match", "\"v1\"").json(json!({"name": "Mine"})).send().await;
        res.problem(404, "not_found");
    }
    assert_eq!(app.get(&path).send().await.ok(200), &before);
}

#[actix_web::test]
async fn a_site_patch_needs_the_current_etag() {
    let app = spawn().await;
    let (_, coordinator, site) = app.coordinated_organisation().await;
    let path = format!("/v1/sites/{site}");
    let before = app.get(&path).send().await.ok(200).clone();
    let patch = json!({"name": "Renamed"});
    app.patch(&path).token(&coordinator).json(patch.clone()).send().await.problem(428, "precondition_required");
    let res = app.patch(&path).token(&coordinator).header("if-match", "\"v2\"").json(patch).send().await;
    res.problem(412, "version_mismatch");
    assert_eq!(app.get(&path).send().await.ok(200), &before);
}

#[actix_web::test]
async fn a_site_patch_with_a_bad_postcode_or_unknown_field_is_422_and_changes_nothing() {
    let app = spawn().await;
    let (_, coordinator, site) = app.coordinated_organisation().await;
    let path = format!("/v1/sites/{site}");
    let before = app.get(&path).send().await.ok(200).clone();
    let res = app
        .patch(&path)
        .token(&coordinator)
        .header("if-match", "\"v1\"")
        .json(json!({"postcode": "nowhere"}))
        .send()
        .await;
    res.problem(422, "validation_failed");
    res.has_field_error("/postcode", "invalid_postcode");
    let res = app
        .patch(&path)
        .token(&coordinator)
        .header("if-match", "\"v1\"")
        .json(json!({"organisation_id": Uuid::now_v7()}))
        .send()
        .await;
    res.has_field_error("/organisation_id", "unknown_field");
    let res =
        app.patch(&path).token(&coordinator).header("if-match", "\"v1\"").json(json!({"town": null})).send().await;
    res.has_field_error("/town", "required");
    assert_eq!(app.get(&path).send().await.ok(200), &before);
}

// Departments.

#[actix_web::test]
async fn coordinators_create_departments_at_their_sites() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let res = app
        .post(&format!("/v1/organisations/{org}/departments"))
        .token(&coordinator)
        .json(department_body(Some(&site)))
        .send()
        .await;
    let body = res.ok(201).clone();
    let id = body["id"].as_str().unwrap();
    assert_eq!(res.header("location"), Some(format!("/v1/departments/{id}")));
    assert_eq!(res.etag(), "\"v1\"");
    assert_eq!(body["organisation_id"], json!(org));
    assert_eq!(body["site_id"], json!(site));
    assert_eq!(body["specialty"], "allied_health_professions");
}

#[actix_web::test]
async fn a_department_without_a_site_is_accepted() {
    let app = spawn().await;
    let org = app.organisation().await;
    let coordinator = app.coordinator(&org).await;
    let res = app
        .post(&format!("/v1/organisations/{org}/departments"))
        .token(&coordinator)
        .json(department_body(None))
        .send()
        .await;
    assert_eq!(res.ok(201)["site_id"], Value::Null);
}

#[actix_web::test]
async fn a_department_at_another_organisations_site_is_422_and_nothing_is_written() {
    let app = spawn().await;
    let (org, coordinator, _) = app.coordinated_organisation().await;
    let (_, _, other_site) = app.coordinated_organisation().await;
    let path = format!("/v1/organisations/{org}/departments");
    for site in [other_site, Uuid::now_v7().to_string()] {
        let res = app.post(&path).token(&coordinator).json(department_body(Some(&site))).send().await;
        res.problem(422, "validation_failed");
        res.has_field_error("/site_id", "unknown_site");
    }
    assert_eq!(ids(&app, &path).await, Vec::<String>::new());
}

#[actix_web::test]
async fn a_department_with_invalid_fields_is_422_and_nothing_is_written() {
    let app = spawn().await;
    let org = app.organisation().await;
    let coordinator = app.coordinator(&org).await;
    let path = format!("/v1/organisations/{org}/departments");
    let res = app.post(&path).token(&coordinator).json(json!({"name": "  ", "specialty": "nursing"})).send().await;
    res.problem(422, "validation_failed");
    res.has_field_error("/name", "required");
    let res =
        app.post(&path).token(&coordinator).json(json!({"name": "Ward 7", "specialty": "astrology"})).send().await;
    res.has_field_error("/specialty", "invalid_value");
    assert_eq!(ids(&app, &path).await, Vec::<String>::new());
}

#[actix_web::test]
async fn only_the_organisations_coordinators_create_departments() {
    let app = spawn().await;
    let org = app.organisation().await;
    let other = app.organisation().await;
    let path = format!("/v1/organisations/{org}/departments");
    let tokens = [
        app.coordinator(&other).await,
        app.token("host", "host-1", Some(&org)).await,
        app.applicant().await,
        app.admin().await,
    ];
    for token in &tokens {
        let res = app.post(&path).token(token).json(department_body(None)).send().await;
        res.problem(403, "coordinator_role_required");
    }
    app.post(&path).json(department_body(None)).send().await.problem(401, "unauthorized");
    assert_eq!(ids(&app, &path).await, Vec::<String>::new());
}

#[actix_web::test]
async fn anyone_lists_and_reads_departments() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let path = format!("/v1/organisations/{org}/departments");
    let created = app.post(&path).token(&coordinator).json(department_body(Some(&site))).send().await.ok(201).clone();
    let id = created["id"].as_str().unwrap();
    assert_eq!(ids(&app, &path).await, vec![id.to_string()]);
    let res = app.get(&format!("/v1/departments/{id}")).send().await;
    assert_eq!(res.ok(200), &created);
    assert_eq!(res.etag(), "\"v1\"");
}

#[actix_web::test]
async fn departments_of_an_unknown_organisation_are_404() {
    let app = spawn().await;
    let admin = app.admin().await;
    let path = format!("/v1/organisations/{}/departments", Uuid::now_v7());
    app.get(&path).send().await.problem(404, "not_found");
    app.post(&path).token(&admin).json(department_body(None)).send().await.problem(404, "not_found");
    app.get(&format!("/v1/departments/{}", Uuid::now_v7())).send().await.problem(404, "not_found");
}

#[actix_web::test]
async fn a_coordinator_patches_their_department() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let created = app
        .post(&format!("/v1/organisations/{org}/departments"))
        .token(&coordinator)
        .json(department_body(None))
        .send()
        .await
        .ok(201)
        .clone();
    let path = format!("/v1/departments/{}", created["id"].as_str().unwrap());
    let res = app
        .patch(&path)
        .token(&coordinator)
        .header("if-match", "\"v1\"")
        .json(json!({"site_id": site, "description": "Physiotherapy for children."}))
        .send()
        .await;
    assert_eq!(res.ok(200)["site_id"], json!(site));
    assert_eq!(res.body["description"], "Physiotherapy for children.");
    assert_eq!(res.etag(), "\"v2\"");
    assert_eq!(app.get(&path).send().await.ok(200), &res.body);
}

#[actix_web::test]
async fn patching_another_organisations_department_is_404_and_changes_nothing() {
    let app = spawn().await;
    let (org, coordinator, _) = app.coordinated_organisation().await;
    let created = app
        .post(&format!("/v1/organisations/{org}/departments"))
        .token(&coordinator)
        .json(department_body(None))
        .send()
        .await
        .ok(201)
        .clone();
    let path = format!("/v1/departments/{}", created["id"].as_str().unwrap());
    let other = app.organisation().await;
    let outsider = app.coordinator(&other).await;
    let res = app.patch(&path).token(&outsider).header("if-match", "\"v1\"").json(json!({"name": "Mine"})).send().await;
    res.problem(404, "not_found");
    assert_eq!(app.get(&path).send().await.ok(200), &created);
}

#[actix_web::test]
async fn a_department_cannot_move_to_another_organisations_site() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let (_, _, other_site) = app.coordinated_organisation().await;
    let created = app
        .post(&format!("/v1/organisations/{org}/departments"))
        .token(&coordinator)
        .json(department_body(Some(&site)))
        .send()
        .await
        .ok(201)
        .clone();
    let path = format!("/v1/departments/{}", created["id"].as_str().unwrap());
    let res = app
        .patch(&path)
        .token(&coordinator)
        .header("if-match", "\"v1\"")
        .json(json!({"site_id": other_site}))
        .send()
        .await;
    res.problem(422, "validation_failed");
    res.has_field_error("/site_id", "unknown_site");
    assert_eq!(app.get(&path).send().await.ok(200), &created);
}

#[actix_web::test]
async fn a_department_patch_needs_the_current_etag() {
    let app = spawn().await;
    let (org, coordinator, _) = app.coordinated_organisation().await;
    let created = app
        .post(&format!("/v1/organisations/{org}/departments"))
        .token(&coordinator)
        .json(department_body(None))
        .send()
        .await
        .ok(201)
        .clone();
    let path = format!("/v1/departments/{}", created["id"].as_str().unwrap());
    let patch = json!({"name": "Renamed"});
    app.patch(&path).token(&coordinator).json(patch.clone()).send().await.problem(428, "precondition_required");
    let res = app.patch(&path).token(&coordinator).header("if-match", "\"v0\"").json(patch).send().await;
    res.problem(412, "version_mismatch");
    assert_eq!(app.get(&path).send().await.ok(200), &created);
}

// Paging.

async fn five_organisations(app: &TestApp) -> Vec<String> {
    let admin = app.admin().await;
    let mut created = Vec::new();
    for n in 0..5 {
        let res = create_organisation(app, &admin, organisation_body(&format!("Trust {n}"), None)).await;
        created.push(res.ok(201)["id"].as_str().unwrap().to_string());
    }
    created
}

fn page_ids(res: &Resp) -> Vec<String> {
    res.body["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()).collect()
}

#[actix_web::test]
async fn organisations_page_by_next_cursor_in_creation_order() {
    let app = spawn().await;
    let created = five_organisations(&app).await;
    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    let mut path = "/v1/organisations?limit=2".to_string();
    loop {
        let res = app.get(&path).send().await;
        res.ok(200);
        sizes.push(page_ids(&res).len());
        seen.extend(page_ids(&res));
        match res.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/v1/organisations?limit=2&cursor={cursor}"),
            None => {
                assert_eq!(res.body["next_cursor"], Value::Null);
                assert_eq!(res.header("link"), None);
                break;
            }
        }
        assert!(sizes.len() < 10, "paging does not end");
    }
    assert_eq!(sizes, vec![2, 2, 1]);
    assert_eq!(seen, created);
}

#[actix_web::test]
async fn organisations_page_by_link_header() {
    let app = spawn().await;
    let created = five_organisations(&app).await;
    let mut seen = Vec::new();
    let mut path = "/v1/organisations?limit=2".to_string();
    for _ in 0..10 {
        let res = app.get(&path).send().await;
        res.ok(200);
        seen.extend(page_ids(&res));
        let Some(link) = res.header("link") else {
            assert_eq!(res.body["next_cursor"], Value::Null);
            break;
        };
        let cursor = res.body["next_cursor"].as_str().unwrap();
        assert!(link.ends_with("; rel=\"next\""), "{link}");
        assert!(link.contains(&format!("cursor={cursor}")), "{link}");
        assert!(link.contains("limit=2"), "{link}");
        path = link.trim_start_matches('<').split('>').next().unwrap().to_string();
    }
    assert_eq!(seen, created);
}

#[actix_web::test]
async fn a_full_last_page_has_no_next_cursor() {
    let app = spawn().await;
    let created = five_organisations(&app).await;
    let res = app.get("/v1/organisations?limit=5").send().await;
    assert_eq!(page_ids(&res), created);
    assert_eq!(res.body["next_cursor"], Value::Null);
    assert_eq!(res.header("link"), None);
}
