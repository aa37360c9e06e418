//! Advocates acting for an applicant (a careers leader, a personal adviser) get a copy of every
//! message about the applicant's applications, in the adult words, while their link is active:
//! not while it waits for them to accept, and not after the applicant revokes it.

use serde_json::{Value, json};

use crate::support::{TestApp, id, placement_body, profile_body, spawn, with};

const LEADER: &str = "leader@school.example.org";

async fn to_leader(app: &TestApp, template: &str) -> Vec<Value> {
    app.outbox().await.into_iter().filter(|m| m["recipient"] == LEADER && m["template"] == template).collect()
}

#[actix_web::test]
async fn an_active_advocate_is_copied_in_and_a_pending_or_revoked_one_is_not() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let version = app.privacy_version().await;
    let (applicant, _) = app.applicant_with(with(profile_body(15), "/support_worker", Value::Null)).await;
    let young_placement = || with(placement_body(&site), "/eligibility/min_age", json!(14));
    let young = app.published(&coordinator, &org, young_placement()).await;
    let (link_id, code) = app.invite_advocate(&applicant, LEADER).await;

    // Pending: the invitation only.
    let body = json!({"privacy_notice_version": version});
    let pending = app.apply(&applicant, &id(&young), body.clone()).await.ok(201).clone();
    assert!(to_leader(&app, "application_received").await.is_empty(), "not before they accept");

    let advocate = app.token("advocate", "leader-1", None).await;
    let accept = app.post(&format!("/v1/advocate-links/{link_id}/accept")).token(&advocate);
    accept.json(json!({"code": code})).send().await.ok(200);
    let active = app.published(&coordinator, &org, young_placement()).await;
    app.apply(&applicant, &id(&active), body.clone()).await.ok(201);
    let received = to_leader(&app, "application_received").await;
    assert_eq!(received.len(), 1, "{received:?}");

    // Active: a copy of each message, in the adult words, linking to the application.
    let withdraw =
        |a: &Value| app.post(&format!("/v1/applications/{}/withdraw", id(a))).token(&applicant).json(json!({}));
    withdraw(&pending).send().await.ok(200);
    let copies = to_leader(&app, "application_withdrawn").await;
    assert_eq!(copies.len(), 1, "{copies:?}");
    let own = app
        .outbox()
        .await
        .into_iter()
        .find(|m| m["template"] == "application_withdrawn" && m["recipient"] != LEADER)
        .unwrap();
    assert_ne!(copies[0]["body"], own["body"], "the applicant is 15: their own words differ from the adult ones");
    assert!(copies[0]["link"].as_str().unwrap().ends_with(&format!("/applications/{}", id(&pending))));

    // Revoked: no more copies.
    app.delete(&format!("/v1/me/advocates/{link_id}")).token(&applicant).send().await.ok(200);
    let again = app.published(&coordinator, &org, young_placement()).await;
    let later = app.apply(&applicant, &id(&again), body.clone()).await.ok(201).clone();
    withdraw(&later).send().await.ok(200);
    assert_eq!(to_leader(&app, "application_withdrawn").await.len(), 1, "no copy after the link is revoked");
    assert_eq!(to_leader(&app, "application_received").await.len(), 1);
}
