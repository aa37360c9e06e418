//! Proposals: a provider coordinator proposes a student for a T level placement arranged by
//! agreement; the placement's coordinators see what they need to decide and accept (the place is
//! taken exactly as an accepted offer takes it) or decline with a reason; the provider follows
//! each proposal and may withdraw one still pending.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::providers::{other_roles, provider, student, t_level_body};
use crate::support::{TestApp, id, placement_body, spawn};

struct Scene {
    org: String,
    provider: String,
    nhs_coordinator: String,
    placement: String,
}

async fn scene(app: &TestApp, capacity: i64) -> Scene {
    let (org, provider) = provider(app).await;
    let (nhs, nhs_coordinator, site) = app.coordinated_organisation().await;
    let placement = id(&app.published(&nhs_coordinator, &nhs, t_level_body(&site, capacity)).await);
    Scene { org, provider, nhs_coordinator, placement }
}

/// A new student of the scene's provider, proposed for its placement: (profile id, application id).
async fn proposed(app: &TestApp, s: &Scene, note: Option<&str>) -> (String, String) {
    let sid = id(&student(app, &s.org, &s.provider).await);
    let res = app
        .post(&format!("/v1/organisations/{}/students/{sid}/proposals", s.org))
        .token(&s.provider)
        .json(json!({"placement_id": s.placement, "note": note}))
        .send()
        .await;
    let body = res.ok(201);
    assert_eq!(body["status"], "submitted");
    (sid, id(body))
}

async fn student_proposals(app: &TestApp, s: &Scene, sid: &str) -> Value {
    let path = format!("/v1/organisations/{}/students/{sid}/proposals", s.org);
    app.get(&path).token(&s.provider).send().await.ok(200)["items"].clone()
}

/// The kinds of the events recorded about an object (or an application's offer), read from the log:
/// the feed holds back events while other transactions run, which on a shared PostgreSQL server may
/// be other tests'.
fn logged_kinds(app: &TestApp, id: &str) -> Vec<String> {
    let logged = wex_domain::ports::EventStore::events_after(&*app.store, 0, 1000).unwrap();
    logged
        .iter()
        .filter(|e| e.event.entity_id.to_string() == id || e.event.data.get("application_id") == Some(&json!(id)))
        .map(|e| e.event.kind.clone())
        .collect()
}

fn decision(s: &Scene, application: &str, what: &str) -> String {
    format!("/v1/placements/{}/proposals/{application}/{what}", s.placement)
}

#[actix_web::test]
async fn the_trust_sees_who_is_proposed_and_accepts_giving_an_accepted_place() {
    let app = spawn().await;
    let s = scene(&app, 2).await;
    let (sid, application) = proposed(&app, &s, Some("Covers the patient-care unit.")).await;

    let listed = app.get(&format!("/v1/placements/{}/proposals", s.placement)).token(&s.nhs_coordinator).send().await;
    let proposal = &listed.ok(200)["items"][0];
    assert_eq!(proposal["id"], json!(application));
    assert_eq!(proposal["student_name"], "Sam Student");
    assert_eq!(proposal["course"], "Health (Adult Nursing)");
    assert_eq!(proposal["provider"]["id"], json!(s.org));
    assert_eq!(proposal["notes"], json!(["Covers the patient-care unit."]));
    let admin = app.admin().await;
    let audit =
        app.get(&format!("/v1/audit-events?data_subject={sid}&action=proposal_shown")).token(&admin).send().await;
    assert_eq!(audit.ok(200)["items"].as_array().unwrap().len(), 1, "the view of the student was audited");

    let accepted = app.post(&decision(&s, &application, "accept")).token(&s.nhs_coordinator).send().await;
    assert_eq!(accepted.ok(200)["status"], "accepted");
    // The ordinary lifecycle follows: an accepted application with its offer accepted, a participant.
    let participants =
        app.get(&format!("/v1/placements/{}/participants", s.placement)).token(&s.nhs_coordinator).send().await;
    assert_eq!(participants.ok(200)["participants"].as_array().unwrap().len(), 1, "{}", participants.text);
    let mine = student_proposals(&app, &s, &sid).await;
    assert_eq!(mine[0]["status"], "accepted");
    assert!(mine[0]["decided_at"].is_string());
    let again = app.post(&decision(&s, &application, "accept")).token(&s.nhs_coordinator).send().await;
    again.problem(409, "proposal_not_pending");
    let kinds = logged_kinds(&app, &application);
    for kind in ["application.submitted", "application.accepted", "offer.accepted"] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} missing from {kinds:?}");
    }
    assert!(logged_kinds(&app, &sid).iter().any(|k| k == "profile.created"));
    // The student hears the answer, once, by email.
    let told = told(&app, "proposal_accepted", &application).await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0]["body"].as_str().unwrap().contains("accepted your college's proposal"), "{told:?}");
}

/// The messages of `template` about `application`.
async fn told(app: &TestApp, template: &str, application: &str) -> Vec<Value> {
    app.outbox().await.into_iter().filter(|m| m["template"] == template && m["application_id"] == application).collect()
}

#[actix_web::test]
async fn a_declined_proposal_tells_the_provider_why_and_a_pending_one_can_be_withdrawn() {
    let app = spawn().await;
    let s = scene(&app, 2).await;
    let (sid, declined) = proposed(&app, &s, None).await;
    let decline = |reason: Value| {
        app.post(&decision(&s, &declined, "decline")).token(&s.nhs_coordinator).json(json!({"reason": reason}))
    };
    let res = decline(json!(" ")).send().await;
    res.has_field_error("/reason", "invalid_reason");
    assert_eq!(student_proposals(&app, &s, &sid).await[0]["status"], "submitted", "the refusal changed nothing");
    assert_eq!(decline(json!("No supervisor that week.")).send().await.ok(200)["status"], "not_selected");
    let mine = student_proposals(&app, &s, &sid).await;
    assert_eq!(mine[0]["status"], "not_selected");
    assert_eq!(mine[0]["decline_reason"], "No supervisor that week.");
    // The student is told, without staff's words: the college has them.
    let told = told(&app, "proposal_declined", &declined).await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(!told[0]["body"].as_str().unwrap().contains("No supervisor"), "{told:?}");

    let (other, pending) = proposed(&app, &s, None).await;
    let withdraw = |application: &str, sid: &str| {
        app.post(&format!("/v1/organisations/{}/students/{sid}/proposals/{application}/withdraw", s.org))
            .token(&s.provider)
    };
    assert_eq!(withdraw(&pending, &other).send().await.ok(200)["status"], "withdrawn");
    withdraw(&pending, &other).send().await.problem(409, "proposal_not_pending");
    withdraw(&declined, &sid).send().await.problem(409, "proposal_not_pending");
    // A proposal of another student is not found through this one.
    withdraw(&declined, &other).send().await.problem(404, "not_found");
    app.post(&decision(&s, &pending, "accept"))
        .token(&s.nhs_coordinator)
        .send()
        .await
        .problem(409, "proposal_not_pending");
}

#[actix_web::test]
async fn a_proposal_needs_a_placement_arranged_by_agreement_and_a_sound_note() {
    let app = spawn().await;
    let s = scene(&app, 2).await;
    let sid = id(&student(&app, &s.org, &s.provider).await);
    let propose = |body: Value| {
        app.post(&format!("/v1/organisations/{}/students/{sid}/proposals", s.org)).token(&s.provider).json(body)
    };
    let (nhs, coordinator, site) = app.coordinated_organisation().await;
    let lottery = id(&app.published(&coordinator, &nhs, placement_body(&site)).await);
    let res = propose(json!({"placement_id": lottery})).send().await;
    res.problem(422, "not_arranged_by_agreement");
    res.has_field_error("/placement_id", "not_arranged_by_agreement");
    propose(json!({"placement_id": Uuid::new_v4()})).send().await.has_field_error("/placement_id", "unknown_placement");
    propose(json!({"placement_id": s.placement, "note": "x".repeat(2001)}))
        .send()
        .await
        .has_field_error("/note", "invalid_note");
    assert_eq!(student_proposals(&app, &s, &sid).await, json!([]), "the refusals wrote nothing");
    propose(json!({"placement_id": s.placement})).send().await.ok(201);
    propose(json!({"placement_id": s.placement})).send().await.problem(409, "already_applied");
}

#[actix_web::test]
async fn every_other_role_is_refused_the_proposals_of_a_placement() {
    let app = spawn().await;
    let s = scene(&app, 2).await;
    let (sid, application) = proposed(&app, &s, None).await;
    let (_, other_coordinator, _) = app.coordinated_organisation().await;
    let mut refused = other_roles(&app).await;
    refused.push(("the provider's coordinator on the trust's routes", s.provider.clone()));
    refused.push(("another trust's coordinator", other_coordinator));
    for (role, token) in &refused {
        let list = app.get(&format!("/v1/placements/{}/proposals", s.placement)).token(token).send().await;
        assert_eq!(list.status, 404, "{role}: {}", list.text);
        app.post(&decision(&s, &application, "accept")).token(token).send().await.problem(404, "not_found");
        let decline = app.post(&decision(&s, &application, "decline")).token(token).json(json!({"reason": "No."}));
        decline.send().await.problem(404, "not_found");
    }
    // The trust's coordinator may not act on the provider's routes.
    let path = format!("/v1/organisations/{}/students/{sid}/proposals", s.org);
    let propose = app.post(&path).token(&s.nhs_coordinator).json(json!({"placement_id": s.placement}));
    propose.send().await.problem(404, "not_found");
    let withdraw = format!("{path}/{application}/withdraw");
    app.post(&withdraw).token(&s.nhs_coordinator).send().await.problem(404, "not_found");
    assert_eq!(student_proposals(&app, &s, &sid).await[0]["status"], "submitted", "nothing changed");
}

#[actix_web::test]
async fn concurrent_acceptances_never_give_more_places_than_there_are() {
    let app = spawn().await;
    let capacity = 2;
    let s = scene(&app, capacity).await;
    let mut applications = Vec::new();
    for _ in 0..6 {
        applications.push(proposed(&app, &s, None).await.1);
    }
    let accepts = applications.iter().map(|application| {
        let (app, path, token) = (&app, decision(&s, application, "accept"), s.nhs_coordinator.clone());
        async move { app.post(&path).token(&token).send().await }
    });
    let results = futures_util::future::join_all(accepts).await;
    let statuses: Vec<u16> = results.iter().map(|r| r.status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), capacity as usize, "{statuses:?}");
    for res in results.iter().filter(|r| r.status != 200) {
        res.problem(409, "no_places_left");
    }
    let participants =
        app.get(&format!("/v1/placements/{}/participants", s.placement)).token(&s.nhs_coordinator).send().await;
    assert_eq!(participants.ok(200)["participants"].as_array().unwrap().len(), capacity as usize);
}
