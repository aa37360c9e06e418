//! The audit trail: every read of another person's identifying data, every role granted or
//! revoked, written with who acted, in which role and organisation, whose data it was, why, and
//! the request id; searched by admins and data protection officers, and nobody else.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::participation::setup;
use crate::support::{Resp, TestApp, id, placement_body, profile_body, spawn, with};

const DPO: &str = "audit-dpo";

/// The entries every filter in `query` matches, oldest first, read by a data protection officer.
async fn trail(app: &TestApp, query: &str) -> Vec<Value> {
    let dpo = app.token("data_protection_officer", DPO, None).await;
    let res = app.get(&format!("/v1/audit-events?limit=100&{query}")).token(&dpo).send().await;
    res.ok(200)["items"].as_array().unwrap().clone()
}

/// The request id the response names (the one every entry the request wrote carries).
fn request_id(res: &Resp) -> String {
    res.header("x-request-id").unwrap()
}

async fn profile_id(app: &TestApp, token: &str) -> String {
    id(app.get("/v1/me/profile").token(token).send().await.ok(200))
}

#[actix_web::test]
async fn each_reveal_names_the_role_the_organisation_the_person_and_the_request() {
    let app = spawn().await;
    let s = setup(&app).await;
    let person = profile_id(&app, &s.accepted.0).await;
    let coordinator = app.token("coordinator", "audit-coordinator", Some(&s.org)).await;
    let path = format!("/v1/placements/{}/participants", id(&s.placement));
    // A request id the caller sent is the one recorded.
    let sent = Uuid::now_v7().to_string();
    let res = app.get(&path).token(&coordinator).header("x-request-id", &sent).send().await;
    res.ok(200);
    assert_eq!(request_id(&res), sent);

    let host = app.token("host", "audit-host", Some(&s.org)).await;
    let named = app.post(&format!("/v1/placements/{}/hosts", id(&s.placement))).token(&s.coordinator);
    named.json(json!({"subject": "audit-host"})).send().await.ok(201);
    let by_host = app.get(&path).token(&host).send().await;
    by_host.ok(200);

    let entries = trail(&app, &format!("data_subject={person}")).await;
    assert_eq!(entries.len(), 2, "{entries:?}");
    for (entry, (subject, role, request)) in
        entries.iter().zip([("audit-coordinator", "coordinator", sent), ("audit-host", "host", request_id(&by_host))])
    {
        assert_eq!(entry["action"], "identity_revealed");
        assert_eq!(entry["actor_subject"], subject);
        assert_eq!(entry["actor_role"], role);
        assert_eq!(entry["actor_organisation_id"], json!(s.org));
        assert_eq!(entry["data_subject"], json!(person));
        assert_eq!(entry["object_type"], "application");
        assert_eq!(entry["object_id"], s.accepted.1["id"]);
        assert_eq!(entry["reason"], "running_the_placement");
        assert_eq!(entry["request_id"], json!(request));
        assert_eq!(entry["attribution"], Value::Null);
    }
    // The other participant's entry is not this person's; the actor filter finds it alone.
    let by_coordinator = trail(&app, "actor=audit-coordinator").await;
    assert_eq!(by_coordinator.len(), 1);
    assert_eq!(by_coordinator[0]["data_subject"], json!(person));
}

/// 15 years old, with no account: an advocate manages the profile with a parent's consent.
fn managed_profile() -> Value {
    let born = chrono::Utc::now().date_naive() - chrono::Duration::days(15 * 366);
    json!({
        "profile": {"email": "audit.family@example.org", "date_of_birth": born.to_string(), "postcode": "SO15 2AA",
            "user_groups": ["school_pupils_14_16"]},
        "consent": {"given_by": "parent_or_carer", "giver_name": "Pat Audit (mother)"},
        "relationship": "careers_leader"
    })
}

#[actix_web::test]
async fn every_read_an_advocate_makes_of_an_applicants_data_is_written() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let placement =
        app.published(&coordinator, &org, with(placement_body(&site), "/eligibility/min_age", json!(14))).await;
    let version = app.privacy_version().await;
    let (applicant, _) = app.applicant_with(profile_body(30)).await;
    let person = profile_id(&app, &applicant).await;
    let invitation = app.invite_advocate(&applicant, "audit.advocate@example.org").await;
    let advocate = app.token("advocate", "audit-advocate", None).await;
    let accept = app.post(&format!("/v1/advocate-links/{}/accept", invitation.0)).token(&advocate);
    accept.json(json!({"code": invitation.1})).send().await.ok(200);
    let application =
        id(app.apply(&applicant, &id(&placement), json!({"privacy_notice_version": version})).await.ok(201));
    let managed = id(app.post("/v1/advocacy/applicants").token(&advocate).json(managed_profile()).send().await.ok(201));
    let answers = json!({"answers": {"sex": "female"}, "consent": {"given_by": "parent_or_carer", "giver_name": "Pat Audit (mother)"}});
    let equality = format!("/v1/advocacy/applicants/{managed}/equality-monitoring");
    app.call(actix_web::http::Method::PUT, &equality).token(&advocate).json(answers).send().await.ok(201);
    // The applicant reading their own data is not another person's read.
    app.get(&format!("/v1/applications/{application}")).token(&applicant).send().await.ok(200);
    assert_eq!(trail(&app, &format!("data_subject={person}")).await, Vec::<Value>::new());

    let reads = [
        ("/v1/advocacy/applicants".to_string(), "applicant_listed"),
        (format!("/v1/advocacy/applicants/{person}"), "applicant_profile_read"),
        (format!("/v1/advocacy/applicants/{person}/applications"), "applicant_applications_read"),
        (format!("/v1/applications/{application}"), "application_read"),
        (equality.clone(), "equality_answers_read"),
        (format!("/v1/advocacy/applicants/{person}/export"), "subject_access_export"),
    ];
    let mut expected = Vec::new();
    for (path, action) in &reads {
        let res = app.get(path).token(&advocate).send().await;
        res.ok(200);
        expected.push((*action, request_id(&res)));
    }

    let mine = trail(&app, "actor=audit-advocate").await;
    // The list shows both applicants: one entry for each.
    assert_eq!(mine.len(), reads.len() + 1, "{mine:?}");
    let listed: Vec<&Value> = mine.iter().filter(|e| e["action"] == "applicant_listed").collect();
    let mut listed_people: Vec<&str> = listed.iter().map(|e| e["data_subject"].as_str().unwrap()).collect();
    listed_people.sort_unstable();
    let mut both = vec![person.as_str(), managed.as_str()];
    both.sort_unstable();
    assert_eq!(listed_people, both);
    for (action, request) in &expected {
        let entry = mine.iter().find(|e| e["action"] == *action).unwrap_or_else(|| panic!("no {action}"));
        assert_eq!(entry["actor_role"], "advocate", "{action}");
        assert_eq!(entry["actor_organisation_id"], Value::Null, "{action}");
        assert_eq!(entry["request_id"], json!(request), "{action}");
        let whose = if *action == "equality_answers_read" { &managed } else { &person };
        assert_eq!(entry["data_subject"], json!(whose), "{action}");
        let why =
            if *action == "subject_access_export" { "subject_access_request" } else { "acting_for_the_applicant" };
        assert_eq!(entry["reason"], why, "{action}");
    }

    // By person: exactly the reads of this person's data; filters combine.
    let about = trail(&app, &format!("data_subject={person}")).await;
    assert_eq!(about.len(), reads.len() - 1);
    assert!(about.iter().all(|e| e["data_subject"] == json!(person)));
    let one = trail(&app, &format!("data_subject={person}&actor=audit-advocate&action=application_read")).await;
    assert_eq!(one.len(), 1);
    assert_eq!(one[0]["object_id"], json!(application));
    assert_eq!(trail(&app, &format!("data_subject={person}&actor=someone-else")).await, Vec::<Value>::new());

    // The applicant's own export shows these entries, in the same shape.
    let export = app.get("/v1/me/export").token(&applicant).send().await;
    let exported = export.ok(200)["audit_entries"].as_array().unwrap().clone();
    let read = exported.iter().find(|e| e["action"] == "applicant_profile_read").unwrap();
    let listed = about.iter().find(|e| e["action"] == "applicant_profile_read").unwrap();
    assert_eq!(read, listed);
    let own = trail(&app, &format!("data_subject={person}&action=subject_access_export&order=newest_first")).await;
    assert_eq!(own[0]["actor_role"], "applicant");
    assert_eq!(own[0]["request_id"], json!(request_id(&export)));
}

#[actix_web::test]
async fn role_grants_and_revocations_say_who_gave_what_to_whom() {
    let app = spawn().await;
    let org = app.organisation().await;
    let admin = app.token("admin", "audit-admin", None).await;
    let members = format!("/v1/organisations/{org}/members");
    let granted = app.post(&members).token(&admin).json(json!({"subject": "new-host", "role": "host"})).send().await;
    let membership = id(granted.ok(201));
    let revoked = app.delete(&format!("{members}/{membership}")).token(&admin).send().await;
    revoked.ok(204);
    let role = json!({"subject": "new-dpo", "role": "data_protection_officer"});
    let given = app.post("/v1/platform-roles").token(&admin).json(role).send().await;
    let grant = id(given.ok(201));
    let ended = app.delete(&format!("/v1/platform-roles/{grant}")).token(&admin).send().await;
    ended.ok(204);

    let entries = trail(&app, "actor=audit-admin").await;
    let actions: Vec<&str> = entries.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["membership_granted", "membership_revoked", "platform_role_granted", "platform_role_revoked"]);
    for (entry, (object, whom, res)) in entries.iter().zip([
        (&membership, "new-host", &granted),
        (&membership, "new-host", &revoked),
        (&grant, "new-dpo", &given),
        (&grant, "new-dpo", &ended),
    ]) {
        assert_eq!(entry["object_id"], json!(object));
        assert_eq!(entry["about_subject"], whom);
        assert_eq!(entry["actor_role"], "admin");
        assert_eq!(entry["reason"], "role_administration");
        assert_eq!(entry["data_subject"], Value::Null);
        assert_eq!(entry["request_id"], json!(request_id(res)));
    }
    assert!(entries[0]["details"].as_str().unwrap().contains("host"));
    assert!(entries[2]["details"].as_str().unwrap().contains("data_protection_officer"));

    let newest = trail(&app, "actor=audit-admin&order=newest_first").await;
    assert_eq!(newest, entries.iter().rev().cloned().collect::<Vec<_>>());
    // Pages of newest first follow on from each other.
    let dpo = app.token("data_protection_officer", DPO, None).await;
    let first = app.get("/v1/audit-events?actor=audit-admin&order=newest_first&limit=3").token(&dpo).send().await;
    let cursor = first.ok(200)["next_cursor"].as_str().unwrap().to_string();
    let rest = app
        .get(&format!("/v1/audit-events?actor=audit-admin&order=newest_first&limit=3&cursor={cursor}"))
        .token(&dpo)
        .send()
        .await;
    assert_eq!(rest.ok(200)["items"], json!([entries[0]]));
}

#[actix_web::test]
async fn a_data_protection_officer_reads_the_trail_and_nothing_else_an_admin_may_do() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    app.published(&coordinator, &org, placement_body(&site)).await;
    let admin = app.admin().await;
    // Granted as any platform role is.
    let role = json!({"subject": "granted-dpo", "role": "data_protection_officer"});
    let grant = id(app.post("/v1/platform-roles").token(&admin).json(role).send().await.ok(201));
    let dpo = app.token("applicant", "granted-dpo", None).await;
    app.get("/v1/audit-events").token(&dpo).send().await.ok(200);

    let members = format!("/v1/organisations/{org}/members");
    let membership =
        id(app.post(&members).token(&admin).json(json!({"subject": "m-1", "role": "host"})).send().await.ok(201));
    let any_id = Uuid::now_v7();
    let admin_only = [
        (
            "POST",
            "/v1/organisations".to_string(),
            json!({"name": "Trust", "kind": "nhs_trust", "region": "south_east"}),
        ),
        ("PATCH", format!("/v1/organisations/{org}"), json!({"name": "Renamed"})),
        ("POST", members.clone(), json!({"subject": "m-2", "role": "host"})),
        ("GET", members.clone(), json!(null)),
        ("DELETE", format!("{members}/{membership}"), json!(null)),
        ("POST", "/v1/platform-roles".to_string(), json!({"subject": "x", "role": "admin"})),
        ("GET", "/v1/platform-roles".to_string(), json!(null)),
        ("DELETE", format!("/v1/platform-roles/{grant}"), json!(null)),
        ("POST", "/v1/sandbox/test-data".to_string(), json!({})),
        ("DELETE", "/v1/sandbox/test-data".to_string(), json!(null)),
        ("DELETE", format!("/v1/sandbox/test-data/{any_id}"), json!(null)),
        ("GET", "/v1/reports/uptake?dimension=user_group".to_string(), json!(null)),
        ("GET", "/v1/reports/timeliness".to_string(), json!(null)),
        ("GET", "/v1/reports/supply-and-demand?by=specialty".to_string(), json!(null)),
        ("GET", "/v1/reports/implementation".to_string(), json!(null)),
        ("GET", "/v1/reports/feedback".to_string(), json!(null)),
    ];
    for (method, path, body) in admin_only {
        let method = actix_web::http::Method::from_bytes(method.as_bytes()).unwrap();
        let mut call = app.call(method.clone(), &path).token(&dpo);
        if !body.is_null() {
            call = call.json(body);
        }
        let res = call.send().await;
        assert_eq!(res.status, 403, "{method} {path}: {}", res.text);
    }
    // The admin's feed of every event is not the officer's either: theirs is their own applications'.
    assert_ne!(app.get("/v1/events").token(&admin).send().await.ok(200)["items"], json!([]));
    assert_eq!(app.get("/v1/events").token(&dpo).send().await.ok(200)["items"], json!([]));
    // Nothing the officer was refused changed anything.
    let still = app.get(&members).token(&coordinator).send().await;
    assert_eq!(still.ok(200)["items"].as_array().unwrap().len(), 2);
}

#[actix_web::test]
async fn every_other_role_is_refused_the_trail() {
    let app = spawn().await;
    let (org, coordinator, _) = app.coordinated_organisation().await;
    let host = app.token("host", "audit-refused-host", Some(&org)).await;
    let analyst = app.token("analyst", "audit-analyst", None).await;
    let advocate = app.token("advocate", "audit-refused-advocate", None).await;
    let (applicant, _) = app.applicant_with(profile_body(30)).await;
    for token in [&coordinator, &host, &analyst, &advocate, &applicant] {
        app.get("/v1/audit-events").token(token).send().await.problem(403, "audit_reader_role_required");
    }
    app.get("/v1/audit-events").send().await.problem(401, "unauthorized");
}

#[actix_web::test]
async fn bad_filters_are_refused_with_the_parameter_named() {
    let app = spawn().await;
    let dpo = app.token("data_protection_officer", DPO, None).await;
    let long_actor = format!("actor={}", "a".repeat(256));
    for (query, pointer, code) in [
        ("data_subject=not-a-uuid", "/data_subject", "invalid_query_parameter"),
        ("data_subject=", "/data_subject", "invalid_query_parameter"),
        (long_actor.as_str(), "/actor", "invalid_query_parameter"),
        ("action=looked_around", "/action", "invalid_query_parameter"),
        ("order=sideways", "/order", "invalid_query_parameter"),
    ] {
        let res = app.get(&format!("/v1/audit-events?{query}")).token(&dpo).send().await;
        assert_eq!(res.status, 400, "{query}: {}", res.text);
        res.has_field_error(pointer, code);
    }
    // An actor is a search term: one no account has finds nothing, and empty is no filter.
    let all = app.get("/v1/audit-events").token(&dpo).send().await.ok(200).clone();
    assert_eq!(app.get("/v1/audit-events?actor=").token(&dpo).send().await.ok(200)["items"], all["items"]);
    let none = app.get("/v1/audit-events?actor=%20nobody").token(&dpo).send().await;
    assert_eq!(none.ok(200)["items"], serde_json::json!([]));
}
