//! Domain events: every change a journey makes is one event, stored with the change, in order,
//! with ids and codes only; a refused request records nothing.

use actix_web::http::Method;
use serde_json::{Value, json};
use wex_domain::model::event::{Entity, EventActor, RecordedEvent};
use wex_domain::ports::EventStore;

use crate::support::{TestApp, id, placement_body, profile_body, spawn, with};

fn events(app: &TestApp) -> Vec<RecordedEvent> {
    app.store.events_after(0, 1000).unwrap()
}

fn kinds(events: &[RecordedEvent]) -> Vec<String> {
    events.iter().map(|e| e.event.kind.clone()).collect()
}

/// The events of applications, offers and placements: a journey's status changes, without the
/// organisations, grants, profiles and links set up for it.
fn journey(events: Vec<RecordedEvent>) -> Vec<RecordedEvent> {
    let journey = [Entity::Application, Entity::Offer, Entity::Placement];
    events.into_iter().filter(|e| journey.contains(&e.event.entity)).collect()
}

/// The events recorded since `before` (the events there were then).
fn since(app: &TestApp, before: &[RecordedEvent]) -> Vec<RecordedEvent> {
    app.store.events_after(before.last().map_or(0, |e| e.seq), 1000).unwrap()
}

/// The one event of `kind` about `entity_id`, which must be at `version` by `actor`.
fn the_one<'a>(
    events: &'a [RecordedEvent],
    kind: &str,
    entity_id: &str,
    version: i64,
    actor: EventActor,
) -> &'a RecordedEvent {
    let found: Vec<&RecordedEvent> =
        events.iter().filter(|e| e.event.kind == kind && e.event.entity_id.to_string() == entity_id).collect();
    assert_eq!(found.len(), 1, "{kind} of {entity_id} in {:?}", kinds(events));
    let e = found[0];
    assert_eq!((e.event.entity_version, e.event.actor), (version, actor), "{kind}");
    assert_eq!(kind.split('.').next(), Some(e.event.entity.code()), "{kind}");
    e
}

/// Asserts that no event's data holds any of `personal` (names, emails, subjects, answers, text).
fn no_personal_data(events: &[RecordedEvent], personal: &[&str]) {
    for e in events {
        let data = Value::Object(e.event.data.clone()).to_string().to_lowercase();
        for p in personal {
            assert!(!data.contains(&p.to_lowercase()), "{} carries {p}: {data}", e.event.kind);
        }
    }
}

#[actix_web::test]
async fn a_placements_journey_is_recorded_as_events_in_order() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let placement = app.published(&coordinator, &org, with(placement_body(&site), "/capacity", json!(1))).await;
    let placement_id = id(&placement);
    assert_eq!(kinds(&journey(events(&app))), ["placement.draft", "placement.published"]);

    let version = app.privacy_version().await;
    let mut applicants = Vec::new();
    for _ in 0..2 {
        let (token, profile) = app.applicant_with(profile_body(17)).await;
        let res = app.apply(&token, &placement_id, json!({"privacy_notice_version": version})).await;
        applicants.push((token, id(res.ok(201)), profile["email"].as_str().unwrap().to_string()));
    }
    let path = format!("/v1/placements/{placement_id}");
    app.post(&format!("{path}/close")).token(&coordinator).send().await.ok(200);
    app.post(&format!("{path}/draw")).token(&coordinator).send().await.ok(200);

    let mut offered = None;
    for (token, application, _) in &applicants {
        let a = app.get(&format!("/v1/applications/{application}")).token(token).send().await;
        if a.ok(200)["status"] == "offered" {
            offered = Some((token.clone(), a.body["offer"]["id"].as_str().unwrap().to_string()));
        }
    }
    let (token, offer) = offered.expect("one place was offered");
    app.post(&format!("/v1/offers/{offer}/accept")).token(&token).send().await.ok(200);

    let all = journey(events(&app));
    assert_eq!(
        kinds(&all),
        [
            "placement.draft",
            "placement.published",
            "application.submitted",
            "application.submitted",
            "placement.closed",
            "placement.allocated",
            "application.offered",
            "offer.open",
            "application.waitlisted",
            "offer.accepted",
            "application.accepted",
        ]
    );
    // The sequence only grows, and each event names the version its change left.
    assert!(all.windows(2).all(|w| w[0].seq < w[1].seq));
    let placement_events: Vec<i64> =
        all.iter().filter(|e| e.event.entity_id.to_string() == placement_id).map(|e| e.event.entity_version).collect();
    assert_eq!(placement_events, [1, 2, 3, 4]);
    let latest = app.get(&path).send().await;
    assert_eq!(latest.ok(200)["version"], json!(4));
    // Ids and codes only: no email, name or typed text of any applicant.
    for e in &all {
        let data = Value::Object(e.event.data.clone()).to_string();
        assert!(applicants.iter().all(|(_, _, email)| !data.contains(email.as_str())), "{data}");
    }
}

#[actix_web::test]
async fn a_refused_change_records_no_event() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let placement = app.published(&coordinator, &org, placement_body(&site)).await;
    let (token, _) = app.applicant_with(profile_body(17)).await;
    let version = app.privacy_version().await;
    let application = id(app.apply(&token, &id(&placement), json!({"privacy_notice_version": version})).await.ok(201));
    let withdraw = format!("/v1/applications/{application}/withdraw");
    app.post(&withdraw).token(&token).json(json!({})).send().await.ok(200);
    let before = events(&app);
    assert_eq!(kinds(&before).last().map(String::as_str), Some("application.withdrawn"));

    app.post(&withdraw).token(&token).json(json!({})).send().await.problem(409, "not_withdrawable");
    app.post(&format!("/v1/placements/{}/publish", id(&placement)))
        .token(&coordinator)
        .send()
        .await
        .problem(409, "not_a_draft");
    assert_eq!(events(&app), before);
}

#[actix_web::test]
async fn organisations_sites_departments_and_grants_are_recorded_without_subjects() {
    let app = spawn().await;
    let admin = app.token("admin", "admin-events", None).await;
    let res = app
        .post("/v1/organisations")
        .token(&admin)
        .json(json!({"name": "Wessex Trust", "kind": "nhs_trust", "region": "south_east", "ods_code": "RHM"}))
        .send()
        .await;
    let org = id(res.ok(201));
    let path = format!("/v1/organisations/{org}");
    app.patch(&path).token(&admin).header("if-match", "\"v1\"").json(json!({"name": "Renamed"})).send().await.ok(200);
    let coordinator = app.token("coordinator", "coordinator-events", Some(&org)).await;
    let site = app.site(&coordinator, &org).await;
    let site_path = format!("/v1/sites/{site}");
    app.patch(&site_path)
        .token(&coordinator)
        .header("if-match", "\"v1\"")
        .json(json!({"name": "Main"}))
        .send()
        .await
        .ok(200);
    let res = app
        .post(&format!("/v1/organisations/{org}/departments"))
        .token(&coordinator)
        .json(json!({"name": "Physiotherapy", "specialty": "allied_health_professions", "site_id": site}))
        .send()
        .await;
    let department = id(res.ok(201));
    app.patch(&format!("/v1/departments/{department}"))
        .token(&coordinator)
        .header("if-match", "\"v1\"")
        .json(json!({"name": "Physio"}))
        .send()
        .await
        .ok(200);
    let members = format!("/v1/organisations/{org}/members");
    let res = app.post(&members).token(&admin).json(json!({"subject": "host-events", "role": "host"})).send().await;
    let membership = id(res.ok(201));
    app.delete(&format!("{members}/{membership}")).token(&admin).send().await.ok(204);
    let res = app
        .post("/v1/platform-roles")
        .token(&admin)
        .json(json!({"subject": "analyst-events", "role": "analyst"}))
        .send()
        .await;
    let grant = id(res.ok(201));
    app.delete(&format!("/v1/platform-roles/{grant}")).token(&admin).send().await.ok(204);

    let all = events(&app);
    let created = the_one(&all, "organisation.created", &org, 1, EventActor::Admin);
    assert!(created.event.data.is_empty(), "no ODS code, no name");
    the_one(&all, "organisation.updated", &org, 2, EventActor::Admin);
    for (kind, entity, version) in [
        ("site.created", &site, 1),
        ("site.updated", &site, 2),
        ("department.created", &department, 1),
        ("department.updated", &department, 2),
    ] {
        let e = the_one(&all, kind, entity, version, EventActor::Coordinator);
        assert_eq!(e.event.data["organisation_id"], json!(org));
    }
    // Granted by an admin, and revoked; the sandbox's own grant for the coordinator's token is the
    // platform's.
    let granted: Vec<&RecordedEvent> = all.iter().filter(|e| e.event.kind == "membership.granted").collect();
    assert_eq!(granted.len(), 2);
    assert_eq!(granted[0].event.actor, EventActor::Platform);
    assert_eq!((granted[0].event.data["role"].as_str(), granted[0].event.entity_version), (Some("coordinator"), 1));
    let by_admin = granted[1];
    assert_eq!((by_admin.event.entity_id.to_string(), by_admin.event.actor), (membership.clone(), EventActor::Admin));
    assert_eq!(by_admin.event.data["role"], "host");
    let revoked = the_one(&all, "membership.revoked", &membership, 2, EventActor::Admin);
    assert_eq!(revoked.event.data["organisation_id"], json!(org));
    // The admin's own token: the sandbox granted the role, as the platform.
    let sandbox = all.iter().find(|e| e.event.kind == "platform_role.granted").unwrap();
    assert_eq!((sandbox.event.actor, sandbox.event.data["role"].as_str()), (EventActor::Platform, Some("admin")));
    let role = the_one(&all, "platform_role.granted", &grant, 1, EventActor::Admin);
    assert_eq!(role.event.data["role"], "analyst");
    the_one(&all, "platform_role.revoked", &grant, 2, EventActor::Admin);
    no_personal_data(
        &all,
        &[
            "Wessex",
            "Renamed",
            "RHM",
            "Physio",
            "Southampton",
            "host-events",
            "analyst-events",
            "coordinator-events",
            "admin-events",
        ],
    );

    // Refused changes record nothing: a taken ODS code, a role held already, a stale version.
    let before = events(&app);
    let taken = json!({"name": "Other", "kind": "nhs_trust", "region": "london", "ods_code": "RHM"});
    app.post("/v1/organisations").token(&admin).json(taken).send().await.problem(409, "ods_code_taken");
    let again = json!({"subject": "coordinator-events", "role": "coordinator"});
    app.post(&members).token(&admin).json(again).send().await.problem(409, "already_granted");
    app.patch(&path)
        .token(&admin)
        .header("if-match", "\"v1\"")
        .json(json!({"name": "Stale"}))
        .send()
        .await
        .problem(412, "version_mismatch");
    assert_eq!(events(&app), before);
}

#[actix_web::test]
async fn profiles_links_and_equality_answers_are_recorded_without_what_they_say() {
    let app = spawn().await;
    let (token, profile) = app.applicant_with(with(profile_body(17), "/support_worker", Value::Null)).await;
    let profile_id = id(&profile);
    let me = "/v1/me/profile";
    let changed = with(with(profile_body(17), "/support_worker", Value::Null), "/preferred_name", json!("Jodie B"));
    app.call(Method::PUT, me).token(&token).header("if-match", "\"v1\"").json(changed).send().await.ok(200);
    let (link, code) = app.invite_advocate(&token, "leader@school.example.org").await;
    let advocate = app.token("advocate", "leader-events", None).await;
    let accept = format!("/v1/advocate-links/{link}/accept");
    app.post(&accept).token(&advocate).json(json!({"code": code})).send().await.ok(200);
    let equality = "/v1/me/equality-monitoring";
    let put = |body: Value| app.call(Method::PUT, equality).token(&token).json(body);
    put(json!({"answers": {"sex": "female"}})).send().await.ok(201);
    put(json!({"answers": {"sex": "prefer_not_to_say"}})).header("if-match", "\"v1\"").send().await.ok(200);
    app.delete(equality).token(&token).send().await.ok(204);
    app.delete(&format!("/v1/me/advocates/{link}")).token(&token).send().await.ok(200);
    let managed = json!({
        "profile": with(profile_body(19), "/support_worker", Value::Null),
        "consent": {"given_by": "applicant"},
        "relationship": "careers_leader"
    });
    let res = app.post("/v1/advocacy/applicants").token(&advocate).json(managed).send().await;
    let managed_id = id(res.ok(201));

    let all = events(&app);
    let applicant = the_one(&all, "profile.updated", &profile_id, 2, EventActor::Applicant);
    assert!(applicant.event.data.is_empty());
    let created: Vec<&RecordedEvent> = all.iter().filter(|e| e.event.kind == "profile.created").collect();
    assert_eq!(created.len(), 2);
    assert_eq!(
        (created[0].event.entity_id.to_string(), created[0].event.actor),
        (profile_id.clone(), EventActor::Applicant)
    );
    assert_eq!(
        (created[1].event.entity_id.to_string(), created[1].event.actor),
        (managed_id.clone(), EventActor::Advocate)
    );
    let invited = the_one(&all, "advocate_link.invited", &link, 1, EventActor::Applicant);
    assert_eq!(invited.event.data["profile_id"], json!(profile_id));
    the_one(&all, "advocate_link.accepted", &link, 2, EventActor::Advocate);
    the_one(&all, "advocate_link.revoked", &link, 3, EventActor::Applicant);
    let linked = all.iter().find(|e| e.event.kind == "advocate_link.linked").unwrap();
    assert_eq!(
        (linked.event.data["profile_id"].as_str(), linked.event.actor),
        (Some(managed_id.as_str()), EventActor::Advocate)
    );
    let given = the_one(&all, "equality_answers.given", &profile_id, 1, EventActor::Applicant);
    assert!(given.event.data.is_empty(), "not even which questions were answered");
    the_one(&all, "equality_answers.changed", &profile_id, 2, EventActor::Applicant);
    the_one(&all, "equality_answers.deleted", &profile_id, 3, EventActor::Applicant);
    no_personal_data(
        &all,
        &[
            "Jo Bloggs",
            "Jodie",
            "jo.bloggs",
            "leader@school",
            "leader-events",
            "07700",
            "SO16",
            "female",
            "prefer_not_to_say",
            "careers_leader",
            &code,
        ],
    );

    // Refused: a second revoke, a stale profile, deleting answers that are gone.
    let before = events(&app);
    app.delete(&format!("/v1/me/advocates/{link}")).token(&token).send().await.problem(409, "already_revoked");
    app.call(Method::PUT, me)
        .token(&token)
        .header("if-match", "\"v1\"")
        .json(with(profile_body(17), "/support_worker", Value::Null))
        .send()
        .await
        .problem(412, "version_mismatch");
    app.delete(equality).token(&token).send().await.problem(404, "not_found");
    assert_eq!(events(&app), before);
    assert!(since(&app, &before).is_empty());
}
