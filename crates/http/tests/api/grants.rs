//! Grants: organisation memberships (coordinator, host) and platform roles (admin, analyst).

use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{Resp, TestApp, spawn};

fn members_path(org: &str) -> String {
    format!("/v1/organisations/{org}/members")
}

async fn grant(app: &TestApp, token: &str, org: &str, subject: &str, role: &str) -> Resp {
    app.post(&members_path(org)).token(token).json(json!({"subject": subject, "role": role})).send().await
}

/// (subject, role) of every membership of `org`, as an admin sees them.
async fn members(app: &TestApp, org: &str) -> Vec<(String, String)> {
    let admin = app.token("admin", "members-reader", None).await;
    let res = app.get(&format!("{}?limit=100", members_path(org))).token(&admin).send().await;
    res.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["subject"].as_str().unwrap().to_string(), m["role"].as_str().unwrap().to_string()))
        .collect()
}

fn pair(subject: &str, role: &str) -> (String, String) {
    (subject.to_string(), role.to_string())
}

async fn grant_role(app: &TestApp, token: &str, subject: &str, role: &str) -> Resp {
    app.post("/v1/platform-roles").token(token).json(json!({"subject": subject, "role": role})).send().await
}

/// (subject, role) of every platform role grant.
async fn platform_roles(app: &TestApp) -> Vec<(String, String)> {
    let admin = app.token("admin", "roles-reader", None).await;
    let res = app.get("/v1/platform-roles?limit=100").token(&admin).send().await;
    res.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["subject"].as_str().unwrap().to_string(), g["role"].as_str().unwrap().to_string()))
        .collect()
}

async fn me(app: &TestApp, subject: &str) -> Value {
    let token = app.token("applicant", subject, None).await;
    app.get("/v1/me").token(&token).send().await.ok(200).clone()
}

// Memberships.

#[actix_web::test]
async fn an_admin_grants_coordinator_and_host_memberships() {
    let app = spawn().await;
    let org = app.organisation().await;
    let admin = app.token("admin", "admin-1", None).await;
    for (subject, role) in [("staff-1", "coordinator"), ("staff-2", "host")] {
        let res = grant(&app, &admin, &org, subject, role).await;
        let body = res.ok(201).clone();
        let id = body["id"].as_str().unwrap();
        assert_eq!(res.header("location"), Some(format!("/v1/organisations/{org}/members/{id}")));
        assert_eq!(body["organisation_id"], json!(org));
        assert_eq!(body["subject"], subject);
        assert_eq!(body["role"], role);
        assert_eq!(body["granted_by"], "admin-1");
        assert_eq!(me(&app, subject).await["memberships"], json!([{"organisation_id": org, "role": role}]));
    }
    assert_eq!(members(&app, &org).await, vec![pair("staff-1", "coordinator"), pair("staff-2", "host")]);
}

#[actix_web::test]
async fn a_duplicate_membership_is_409_and_stored_once() {
    let app = spawn().await;
    let org = app.organisation().await;
    let admin = app.admin().await;
    grant(&app, &admin, &org, "staff-1", "coordinator").await.ok(201);
    let res = grant(&app, &admin, &org, "  staff-1 ", "coordinator").await;
    res.problem(409, "already_granted");
    res.has_field_error("/role", "already_granted");
    assert_eq!(members(&app, &org).await, vec![pair("staff-1", "coordinator")]);
}

#[actix_web::test]
async fn one_person_may_hold_both_roles_and_roles_in_several_organisations() {
    let app = spawn().await;
    let org = app.organisation().await;
    let other = app.organisation().await;
    let admin = app.admin().await;
    grant(&app, &admin, &org, "staff-1", "coordinator").await.ok(201);
    grant(&app, &admin, &org, "staff-1", "host").await.ok(201);
    grant(&app, &admin, &other, "staff-1", "coordinator").await.ok(201);
    assert_eq!(members(&app, &org).await, vec![pair("staff-1", "coordinator"), pair("staff-1", "host")]);
    assert_eq!(members(&app, &other).await, vec![pair("staff-1", "coordinator")]);
    assert_eq!(me(&app, "staff-1").await["memberships"].as_array().unwrap().len(), 3);
}

#[actix_web::test]
async fn an_admin_lists_every_member_of_an_organisation() {
    let app = spawn().await;
    let org = app.organisation().await;
    app.token("coordinator", "sandbox-coordinator", Some(&org)).await;
    let admin = app.token("admin", "admin-1", None).await;
    grant(&app, &admin, &org, "staff-1", "host").await.ok(201);
    let res = app.get(&members_path(&org)).token(&admin).send().await;
    let items = res.ok(200)["items"].as_array().unwrap().clone();
    let summary: Vec<(&str, &str, &str)> = items
        .iter()
        .map(|m| (m["subject"].as_str().unwrap(), m["role"].as_str().unwrap(), m["granted_by"].as_str().unwrap()))
        .collect();
    assert_eq!(summary, vec![("sandbox-coordinator", "coordinator", "sandbox"), ("staff-1", "host", "admin-1")]);
    assert!(items.iter().all(|m| m["organisation_id"] == json!(org)));
    assert_eq!(res.body["next_cursor"], Value::Null);
}

#[actix_web::test]
async fn the_organisations_coordinator_may_list_its_members() {
    let app = spawn().await;
    let org = app.organisation().await;
    let coordinator = app.token("coordinator", "coordinator-1", Some(&org)).await;
    let admin = app.admin().await;
    grant(&app, &admin, &org, "staff-1", "host").await.ok(201);
    let res = app.get(&members_path(&org)).token(&coordinator).send().await;
    let subjects: Vec<&str> =
        res.ok(200)["items"].as_array().unwrap().iter().map(|m| m["subject"].as_str().unwrap()).collect();
    assert_eq!(subjects, vec!["coordinator-1", "staff-1"]);
}

#[actix_web::test]
async fn others_may_not_list_members() {
    let app = spawn().await;
    let org = app.organisation().await;
    let other = app.organisation().await;
    let tokens = [
        app.coordinator(&other).await,
        app.token("host", "host-1", Some(&org)).await,
        app.applicant().await,
        app.token("analyst", "analyst-1", None).await,
    ];
    for token in &tokens {
        app.get(&members_path(&org)).token(token).send().await.problem(403, "coordinator_role_required");
    }
    app.get(&members_path(&org)).send().await.problem(401, "unauthorized");
}

#[actix_web::test]
async fn revoking_a_membership_is_204_then_404() {
    let app = spawn().await;
    let org = app.organisation().await;
    let admin = app.admin().await;
    let id = grant(&app, &admin, &org, "staff-1", "coordinator").await.ok(201)["id"].as_str().unwrap().to_string();
    grant(&app, &admin, &org, "staff-2", "host").await.ok(201);
    let path = format!("{}/{id}", members_path(&org));
    let res = app.delete(&path).token(&admin).send().await;
    assert_eq!(res.status, 204, "{}", res.text);
    assert_eq!(res.text, "");
    assert_eq!(members(&app, &org).await, vec![pair("staff-2", "host")]);
    assert_eq!(me(&app, "staff-1").await["memberships"], json!([]));
    app.delete(&path).token(&admin).send().await.problem(404, "not_found");
}

#[actix_web::test]
async fn revoking_through_another_organisations_path_is_404_and_keeps_the_membership() {
    let app = spawn().await;
    let org = app.organisation().await;
    let other = app.organisation().await;
    let admin = app.admin().await;
    let id = grant(&app, &admin, &org, "staff-1", "coordinator").await.ok(201)["id"].as_str().unwrap().to_string();
    for path in [format!("{}/{id}", members_path(&other)), format!("/v1/organisations/{}/members/{id}", Uuid::now_v7())]
    {
        app.delete(&path).token(&admin).send().await.problem(404, "not_found");
    }
    assert_eq!(members(&app, &org).await, vec![pair("staff-1", "coordinator")]);
}

#[actix_web::test]
async fn revoking_an_unknown_membership_is_404() {
    let app = spawn().await;
    let org = app.organisation().await;
    let admin = app.admin().await;
    let res = app.delete(&format!("{}/{}", members_path(&org), Uuid::now_v7())).token(&admin).send().await;
    res.problem(404, "not_found");
}

#[actix_web::test]
async fn non_admins_cannot_grant_memberships() {
    let app = spawn().await;
    let org = app.organisation().await;
    let tokens = [
        app.token("coordinator", "coordinator-1", Some(&org)).await,
        app.token("host", "host-1", Some(&org)).await,
        app.applicant().await,
        app.token("analyst", "analyst-1", None).await,
    ];
    let before = members(&app, &org).await;
    for token in &tokens {
        grant(&app, token, &org, "staff-1", "coordinator").await.problem(403, "admin_role_required");
    }
    let res = app.post(&members_path(&org)).json(json!({"subject": "staff-1", "role": "host"})).send().await;
    res.problem(401, "unauthorized");
    assert_eq!(members(&app, &org).await, before);
    assert_eq!(me(&app, "staff-1").await["memberships"], json!([]));
}

#[actix_web::test]
async fn non_admins_cannot_revoke_memberships() {
    let app = spawn().await;
    let org = app.organisation().await;
    let admin = app.admin().await;
    let id = grant(&app, &admin, &org, "staff-1", "host").await.ok(201)["id"].as_str().unwrap().to_string();
    let path = format!("{}/{id}", members_path(&org));
    let tokens = [
        app.token("coordinator", "coordinator-1", Some(&org)).await,
        app.token("host", "staff-1", Some(&org)).await,
        app.applicant().await,
        app.token("analyst", "analyst-1", None).await,
    ];
    for token in &tokens {
        app.delete(&path).token(token).send().await.problem(403, "admin_role_required");
    }
    app.delete(&path).send().await.problem(401, "unauthorized");
    assert!(members(&app, &org).await.contains(&pair("staff-1", "host")));
}

#[actix_web::test]
async fn memberships_of_an_unknown_organisation_are_404() {
    let app = spawn().await;
    let admin = app.admin().await;
    let org = Uuid::now_v7().to_string();
    grant(&app, &admin, &org, "staff-1", "coordinator").await.problem(404, "not_found");
    app.get(&members_path(&org)).token(&admin).send().await.problem(404, "not_found");
    assert_eq!(me(&app, "staff-1").await["memberships"], json!([]));
}

#[actix_web::test]
async fn a_blank_subject_or_unknown_role_is_422_and_grants_nothing() {
    let app = spawn().await;
    let org = app.organisation().await;
    let admin = app.admin().await;
    for subject in ["", "   ", "\u{200B}"] {
        let res = grant(&app, &admin, &org, subject, "coordinator").await;
        res.problem(422, "validation_failed");
        res.has_field_error("/subject", "invalid_subject");
    }
    // A control character is refused for every body before the endpoint's own rules.
    let res = grant(&app, &admin, &org, "tab\there", "coordinator").await;
    res.problem(422, "validation_failed");
    res.has_field_error("/subject", "control_character");
    let res = grant(&app, &admin, &org, &"x".repeat(256), "coordinator").await;
    res.has_field_error("/subject", "invalid_subject");
    for role in ["admin", "analyst", "owner"] {
        let res = grant(&app, &admin, &org, "staff-1", role).await;
        res.problem(422, "invalid_value");
        res.has_field_error("/role", "invalid_value");
    }
    assert_eq!(members(&app, &org).await, vec![]);
}

// Platform roles.

#[actix_web::test]
async fn an_admin_grants_an_analyst_role() {
    let app = spawn().await;
    let admin = app.token("admin", "admin-1", None).await;
    let res = grant_role(&app, &admin, "analyst-17", "analyst").await;
    let body = res.ok(201).clone();
    let id = body["id"].as_str().unwrap();
    assert_eq!(res.header("location"), Some(format!("/v1/platform-roles/{id}")));
    assert_eq!(body["subject"], "analyst-17");
    assert_eq!(body["role"], "analyst");
    assert_eq!(body["granted_by"], "admin-1");
    assert_eq!(me(&app, "analyst-17").await["platform_roles"], json!(["analyst"]));
}

#[actix_web::test]
async fn an_admin_lists_platform_roles() {
    let app = spawn().await;
    let admin = app.token("admin", "admin-1", None).await;
    grant_role(&app, &admin, "analyst-17", "analyst").await.ok(201);
    grant_role(&app, &admin, "admin-2", "admin").await.ok(201);
    let res = app.get("/v1/platform-roles").token(&admin).send().await;
    let items = res.ok(200)["items"].as_array().unwrap().clone();
    let summary: Vec<(&str, &str, &str)> = items
        .iter()
        .map(|g| (g["subject"].as_str().unwrap(), g["role"].as_str().unwrap(), g["granted_by"].as_str().unwrap()))
        .collect();
    assert_eq!(
        summary,
        vec![("admin-1", "admin", "sandbox"), ("analyst-17", "analyst", "admin-1"), ("admin-2", "admin", "admin-1")]
    );
    assert_eq!(res.body["next_cursor"], Value::Null);
}

#[actix_web::test]
async fn an_admin_revokes_a_platform_role_then_it_is_gone() {
    let app = spawn().await;
    let admin = app.admin().await;
    let id = grant_role(&app, &admin, "analyst-17", "analyst").await.ok(201)["id"].as_str().unwrap().to_string();
    let path = format!("/v1/platform-roles/{id}");
    let res = app.delete(&path).token(&admin).send().await;
    assert_eq!(res.status, 204, "{}", res.text);
    assert!(!platform_roles(&app).await.contains(&pair("analyst-17", "analyst")));
    assert_eq!(me(&app, "analyst-17").await["platform_roles"], json!([]));
    app.delete(&path).token(&admin).send().await.problem(404, "not_found");
}

#[actix_web::test]
async fn a_granted_admin_role_takes_effect_at_once_and_so_does_its_revocation() {
    let app = spawn().await;
    let admin = app.admin().await;
    let newcomer = app.token("applicant", "admin-2", None).await;
    let organisation = json!({"name": "Trust A", "kind": "nhs_trust", "region": "london"});
    let id = grant_role(&app, &admin, "admin-2", "admin").await.ok(201)["id"].as_str().unwrap().to_string();
    app.post("/v1/organisations").token(&newcomer).json(organisation.clone()).send().await.ok(201);
    let res = app.delete(&format!("/v1/platform-roles/{id}")).token(&admin).send().await;
    assert_eq!(res.status, 204, "{}", res.text);
    let res = app.post("/v1/organisations").token(&newcomer).json(organisation).send().await;
    res.problem(403, "admin_role_required");
    assert_eq!(app.get("/v1/organisations").send().await.ok(200)["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn a_duplicate_platform_role_is_409_and_stored_once() {
    let app = spawn().await;
    let admin = app.admin().await;
    grant_role(&app, &admin, "analyst-17", "analyst").await.ok(201);
    let res = grant_role(&app, &admin, "analyst-17", "analyst").await;
    res.problem(409, "already_granted");
    let held = platform_roles(&app).await;
    assert_eq!(held.iter().filter(|g| **g == pair("analyst-17", "analyst")).count(), 1);
    grant_role(&app, &admin, "analyst-17", "admin").await.ok(201);
}

#[actix_web::test]
async fn non_admins_cannot_grant_list_or_revoke_platform_roles() {
    let app = spawn().await;
    let org = app.organisation().await;
    let admin = app.admin().await;
    let id = grant_role(&app, &admin, "analyst-17", "analyst").await.ok(201)["id"].as_str().unwrap().to_string();
    let before = platform_roles(&app).await;
    let tokens = [
        app.token("analyst", "analyst-17", None).await,
        app.token("coordinator", "coordinator-1", Some(&org)).await,
        app.token("host", "host-1", Some(&org)).await,
        app.applicant().await,
        app.token("advocate", "advocate-1", None).await,
    ];
    for token in &tokens {
        grant_role(&app, token, "someone", "admin").await.problem(403, "admin_role_required");
        app.get("/v1/platform-roles").token(token).send().await.problem(403, "admin_role_required");
        app.delete(&format!("/v1/platform-roles/{id}")).token(token).send().await.problem(403, "admin_role_required");
    }
    assert_eq!(platform_roles(&app).await, before);
    assert_eq!(me(&app, "someone").await["platform_roles"], json!([]));
}

#[actix_web::test]
async fn anonymous_callers_cannot_touch_platform_roles() {
    let app = spawn().await;
    let path = format!("/v1/platform-roles/{}", Uuid::now_v7());
    let body = json!({"subject": "someone", "role": "admin"});
    app.post("/v1/platform-roles").json(body).send().await.problem(401, "unauthorized");
    app.get("/v1/platform-roles").send().await.problem(401, "unauthorized");
    app.delete(&path).send().await.problem(401, "unauthorized");
    assert_eq!(me(&app, "someone").await["platform_roles"], json!([]));
}

#[actix_web::test]
async fn a_platform_role_with_a_blank_subject_or_unknown_role_is_422() {
    let app = spawn().await;
    let admin = app.admin().await;
    let before = platform_roles(&app).await;
    let res = grant_role(&app, &admin, "  ", "analyst").await;
    res.problem(422, "validation_failed");
    res.has_field_error("/subject", "invalid_subject");
    for role in ["coordinator", "superuser"] {
        let res = grant_role(&app, &admin, "someone", role).await;
        res.problem(422, "invalid_value");
        res.has_field_error("/role", "invalid_value");
    }
    assert_eq!(platform_roles(&app).await, before);
}

#[actix_web::test]
async fn revoking_an_unknown_platform_role_is_404() {
    let app = spawn().await;
    let admin = app.admin().await;
    app.delete(&format!("/v1/platform-roles/{}", Uuid::now_v7())).token(&admin).send().await.problem(404, "not_found");
}
