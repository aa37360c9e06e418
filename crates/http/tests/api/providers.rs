//! Education providers: the organisation kind and the provider coordinator role (grantable only
//! there), T level placements arranged by agreement (never applied to or drawn), and the students
//! a provider coordinator manages for their college.

use actix_web::http::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{TestApp, id, placement_body, profile_body, spawn, with};

/// A new education provider with one provider coordinator: (organisation id, token).
pub async fn provider(app: &TestApp) -> (String, String) {
    let admin = app.admin().await;
    let res = app
        .post("/v1/organisations")
        .token(&admin)
        .json(json!({"name": format!("College {}", Uuid::new_v4()), "kind": "education_provider", "region": "south_east"}))
        .send()
        .await;
    let org = id(res.ok(201));
    let token = app.token("provider_coordinator", &format!("provider-{}", Uuid::new_v4()), Some(&org)).await;
    (org, token)
}

/// A student of `years_old` with their own consent, on a health T level.
pub fn student_body(years_old: i64) -> Value {
    json!({
        "profile": with(with(profile_body(years_old), "/support_worker", Value::Null), "/preferred_name", json!("Sam Student")),
        "consent": {"given_by": "applicant"},
        "course": "Health (Adult Nursing)"
    })
}

/// A student added by the provider's coordinator, returning the response body.
pub async fn student(app: &TestApp, org: &str, coordinator: &str) -> Value {
    let res =
        app.post(&format!("/v1/organisations/{org}/students")).token(coordinator).json(student_body(17)).send().await;
    res.ok(201).clone()
}

/// A publishable T level placement body with `capacity` places.
pub fn t_level_body(site: &str, capacity: i64) -> Value {
    let body = with(placement_body(site), "/kind", json!("t_level_industry_placement"));
    let body = with(body, "/selection_method", json!("by_agreement"));
    let body = with(body, "/priority_rules", json!([]));
    with(body, "/capacity", json!(capacity))
}

/// Every role other than a provider coordinator of `org`: applicant, advocate, NHS coordinator,
/// host, analyst, and a coordinator of another provider.
pub async fn other_roles(app: &TestApp) -> Vec<(&'static str, String)> {
    let (nhs, coordinator, _) = app.coordinated_organisation().await;
    let host = app.token("host", &format!("host-{}", Uuid::new_v4()), Some(&nhs)).await;
    let (_, other_provider) = provider(app).await;
    vec![
        ("applicant", app.applicant().await),
        ("advocate", app.token("advocate", &format!("advocate-{}", Uuid::new_v4()), None).await),
        ("nhs coordinator", coordinator),
        ("host", host),
        ("analyst", app.token("analyst", &format!("analyst-{}", Uuid::new_v4()), None).await),
        ("another provider's coordinator", other_provider),
    ]
}

async fn audit_actions(app: &TestApp, profile_id: &str) -> Vec<String> {
    let admin = app.admin().await;
    let res = app.get(&format!("/v1/audit-events?data_subject={profile_id}&limit=100")).token(&admin).send().await;
    res.ok(200)["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_string()).collect()
}

#[actix_web::test]
async fn provider_coordinators_are_granted_only_in_education_providers_and_no_one_else_is() {
    let app = spawn().await;
    let admin = app.admin().await;
    let (college, _) = provider(&app).await;
    let trust = app.organisation().await;
    let grant = |org: &str, role: &str| {
        app.post(&format!("/v1/organisations/{org}/members"))
            .token(&admin)
            .json(json!({"subject": format!("person-{}", Uuid::new_v4()), "role": role}))
    };
    for (org, role) in [(&trust, "provider_coordinator"), (&college, "coordinator"), (&college, "host")] {
        let res = grant(org, role).send().await;
        res.problem(422, "validation_failed");
        res.has_field_error("/role", "role_not_for_organisation_kind");
    }
    grant(&college, "provider_coordinator").send().await.ok(201);
    let members = app.get(&format!("/v1/organisations/{college}/members")).token(&admin).send().await;
    let roles: Vec<&str> =
        members.ok(200)["items"].as_array().unwrap().iter().map(|m| m["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["provider_coordinator", "provider_coordinator"], "the refusals granted nothing");
    // Sandbox tokens follow the same rule.
    let res = app
        .post("/v1/sandbox/tokens")
        .json(json!({"role": "provider_coordinator", "subject": "misplaced", "organisation_id": trust}))
        .send()
        .await;
    res.has_field_error("/role", "role_not_for_organisation_kind");
}

#[actix_web::test]
async fn t_levels_are_arranged_by_agreement_and_nothing_else_is() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let create = |body: Value| app.post(&format!("/v1/organisations/{org}/placements")).token(&coordinator).json(body);
    let lottery_t_level = with(t_level_body(&site, 2), "/selection_method", json!("lottery"));
    create(lottery_t_level).send().await.has_field_error("/selection_method", "t_level_by_agreement");
    let agreed_work_experience = with(placement_body(&site), "/selection_method", json!("by_agreement"));
    create(agreed_work_experience).send().await.has_field_error("/selection_method", "by_agreement_only_for_t_levels");
    let listed =
        app.get(&format!("/v1/placements?organisation_id={org}&status=draft")).token(&coordinator).send().await;
    assert_eq!(listed.ok(200)["items"], json!([]), "the refusals stored nothing");
    // Left out, a T level's method is by agreement.
    let mut body = t_level_body(&site, 2);
    body.as_object_mut().unwrap().remove("selection_method");
    let created = create(body).send().await;
    assert_eq!(created.ok(201)["selection_method"], "by_agreement");
}

#[actix_web::test]
async fn no_one_applies_for_or_draws_a_placement_arranged_by_agreement() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let placement = app.published(&coordinator, &org, t_level_body(&site, 2)).await;
    let (applicant, _) = app.applicant_with(with(profile_body(17), "/support_worker", Value::Null)).await;
    let version = app.privacy_version().await;
    let res = app.apply(&applicant, &id(&placement), json!({"privacy_notice_version": version})).await;
    res.problem(409, "arranged_by_provider");
    let mine = app.get("/v1/me/applications").token(&applicant).send().await;
    assert_eq!(mine.ok(200)["items"], json!([]));
    let draw = app.post(&format!("/v1/placements/{}/draw", id(&placement))).token(&coordinator).send().await;
    draw.problem(409, "arranged_by_provider");
}

#[actix_web::test]
async fn a_provider_coordinator_adds_lists_reads_and_updates_students_each_view_audited() {
    let app = spawn().await;
    let (org, coordinator) = provider(&app).await;
    let created = student(&app, &org, &coordinator).await;
    let sid = id(&created);
    assert_eq!(created["course"], "Health (Adult Nursing)");
    assert_eq!(created["organisation_id"], json!(org));
    assert_eq!(created["profile"]["consent"]["given_by"], "applicant");
    // Another coordinator of the same provider sees the student too.
    let colleague = app.token("provider_coordinator", "provider-colleague", Some(&org)).await;
    let list = app.get(&format!("/v1/organisations/{org}/students?limit=1")).token(&colleague).send().await;
    assert_eq!(list.ok(200)["items"][0]["id"], json!(sid));
    student(&app, &org, &coordinator).await;
    // The reports count the students' profiles as registered.
    crate::counters::assert_people_counted(&app.store, 2);
    let first = app.get(&format!("/v1/organisations/{org}/students?limit=1")).token(&colleague).send().await;
    let cursor = first.ok(200)["next_cursor"].as_str().unwrap().to_string();
    let second =
        app.get(&format!("/v1/organisations/{org}/students?limit=1&cursor={cursor}")).token(&colleague).send().await;
    assert_ne!(second.ok(200)["items"][0]["id"], json!(sid), "the second page holds the other student");

    let path = format!("/v1/organisations/{org}/students/{sid}");
    let read = app.get(&path).token(&colleague).send().await;
    let etag = read.etag();
    let body = with(student_body(17), "/course", json!("Health (Mental Health)"));
    let put = |etag: Option<&str>| {
        let call = app.call(Method::PUT, &path).token(&coordinator).json(body.clone());
        match etag {
            Some(e) => call.header("If-Match", e),
            None => call,
        }
    };
    put(None).send().await.problem(428, "precondition_required");
    let updated = put(Some(&etag)).send().await;
    assert_eq!(updated.ok(200)["course"], "Health (Mental Health)");
    put(Some(&etag)).send().await.problem(412, "version_mismatch");
    let current = app.get(&path).token(&coordinator).send().await.etag();
    let bad = with(body.clone(), "/course", json!("x".repeat(101)));
    let res = app.call(Method::PUT, &path).token(&coordinator).header("If-Match", &current).json(bad).send().await;
    res.has_field_error("/course", "invalid_course");
    let unchanged = app.get(&path).token(&coordinator).send().await;
    assert_eq!(unchanged.ok(200)["course"], "Health (Mental Health)", "the refusal wrote nothing");

    let actions = audit_actions(&app, &sid).await;
    for action in ["student_listed", "student_read"] {
        assert!(actions.iter().any(|a| a == action), "{action} missing from {actions:?}");
    }
}

#[actix_web::test]
async fn every_other_role_is_refused_a_providers_students() {
    let app = spawn().await;
    let (org, coordinator) = provider(&app).await;
    let sid = id(&student(&app, &org, &coordinator).await);
    for (role, token) in other_roles(&app).await {
        let list = app.get(&format!("/v1/organisations/{org}/students")).token(&token).send().await;
        assert_eq!(list.status, 403, "{role}: {}", list.text);
        list.problem(403, "provider_coordinator_role_required");
        let add =
            app.post(&format!("/v1/organisations/{org}/students")).token(&token).json(student_body(17)).send().await;
        add.problem(403, "provider_coordinator_role_required");
        let path = format!("/v1/organisations/{org}/students/{sid}");
        app.get(&path).token(&token).send().await.problem(404, "not_found");
        let put = app.call(Method::PUT, &path).token(&token).header("If-Match", "\"1\"").json(student_body(17));
        put.send().await.problem(404, "not_found");
        app.get(&format!("{path}/proposals")).token(&token).send().await.problem(404, "not_found");
        app.get(&format!("{path}/export")).token(&token).send().await.problem(404, "not_found");
    }
    // Another provider's coordinator, through their own provider's path, still finds nothing.
    let (other_org, other) = provider(&app).await;
    let path = format!("/v1/organisations/{other_org}/students/{sid}");
    app.get(&path).token(&other).send().await.problem(404, "not_found");
    let listed = app.get(&format!("/v1/organisations/{other_org}/students")).token(&other).send().await;
    assert_eq!(listed.ok(200)["items"], json!([]));
}

#[actix_web::test]
async fn a_student_with_bad_details_or_missing_consent_is_refused_and_nothing_is_written() {
    let app = spawn().await;
    let (org, coordinator) = provider(&app).await;
    let add = |body: Value| app.post(&format!("/v1/organisations/{org}/students")).token(&coordinator).json(body);
    let res = add(with(student_body(17), "/course", json!("  "))).send().await;
    res.problem(422, "validation_failed");
    res.has_field_error("/course", "invalid_course");
    // Under 16, a parent or carer must consent, by name.
    let res = add(student_body(15)).send().await;
    res.has_field_error("/consent", "parent_or_carer_consent_required");
    let res = add(with(student_body(17), "/profile/email", json!("not an email"))).send().await;
    res.has_field_error("/profile/email", "email");
    let listed = app.get(&format!("/v1/organisations/{org}/students")).token(&coordinator).send().await;
    assert_eq!(listed.ok(200)["items"], json!([]), "nothing was written");
    let parent =
        with(student_body(15), "/consent", json!({"given_by": "parent_or_carer", "giver_name": "Alex (mother)"}));
    add(parent).send().await.ok(201);
}

#[actix_web::test]
async fn the_provider_exports_everything_held_about_its_student() {
    let app = spawn().await;
    let (org, coordinator) = provider(&app).await;
    let sid = id(&student(&app, &org, &coordinator).await);
    let res = app.get(&format!("/v1/organisations/{org}/students/{sid}/export")).token(&coordinator).send().await;
    let export = res.ok(200);
    assert_eq!(export["student"]["course"], "Health (Adult Nursing)");
    assert_eq!(export["student"]["organisation_id"], json!(org));
    assert!(audit_actions(&app, &sid).await.iter().any(|a| a == "subject_access_export"));
}

#[actix_web::test]
async fn the_domain_says_which_provider_a_student_belongs_to_until_the_student_is_erased() {
    use wex_domain::model::auth::{Actor, MembershipRole};
    use wex_domain::providers::{coordinates_provider_of_application, provider_of_profile};

    let app = spawn().await;
    let (org, coordinator) = provider(&app).await;
    let sid = id(&student(&app, &org, &coordinator).await);
    let (nhs, nhs_coordinator, site) = app.coordinated_organisation().await;
    let placement = id(&app.published(&nhs_coordinator, &nhs, t_level_body(&site, 1)).await);
    let path = format!("/v1/organisations/{org}/students/{sid}/proposals");
    let proposal = app.post(&path).token(&coordinator).json(json!({"placement_id": placement})).send().await;
    let application = Uuid::parse_str(&id(proposal.ok(201))).unwrap();
    let (_, applicant) = app.applicant_with(with(profile_body(30), "/support_worker", Value::Null)).await;

    let store = &*app.store;
    let (org_id, student_id) = (Uuid::parse_str(&org).unwrap(), Uuid::parse_str(&sid).unwrap());
    assert_eq!(provider_of_profile(store, student_id).unwrap(), Some(org_id));
    assert_eq!(provider_of_profile(store, Uuid::parse_str(&id(&applicant)).unwrap()).unwrap(), None);
    let mut theirs = Actor::new("someone-of-the-college");
    theirs.memberships.push((org_id, MembershipRole::ProviderCoordinator));
    assert!(coordinates_provider_of_application(store, &theirs, application).unwrap());
    let mut trust = Actor::new("someone-of-the-trust");
    trust.memberships.push((Uuid::parse_str(&nhs).unwrap(), MembershipRole::Coordinator));
    assert!(!coordinates_provider_of_application(store, &trust, application).unwrap());

    // Erasing the student removes their course and the college's hold on the profile.
    let admin = app.admin().await;
    let erase = app.post(&format!("/v1/applicants/{sid}/erasure")).token(&admin);
    erase.json(json!({"reason": "Request by email, identity checked (ticket 17)."})).send().await.ok(200);
    assert_eq!(provider_of_profile(store, student_id).unwrap(), None);
    app.get(&format!("/v1/organisations/{org}/students/{sid}"))
        .token(&coordinator)
        .send()
        .await
        .problem(404, "not_found");
}
