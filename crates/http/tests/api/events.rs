//! Domain events: every change a journey makes is one event, stored with the change, in order,
//! with ids and codes only; a refused request records nothing.

use serde_json::{Value, json};
use wex_domain::model::event::RecordedEvent;
use wex_domain::ports::EventStore;

use crate::support::{TestApp, id, placement_body, profile_body, spawn, with};

fn events(app: &TestApp) -> Vec<RecordedEvent> {
    app.store.events_after(0, 1000).unwrap()
}

fn kinds(events: &[RecordedEvent]) -> Vec<String> {
    events.iter().map(|e| e.event.kind.clone()).collect()
}

#[actix_web::test]
async fn a_placements_journey_is_recorded_as_events_in_order() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let placement = app.published(&coordinator, &org, with(placement_body(&site), "/capacity", json!(1))).await;
    let placement_id = id(&placement);
    assert_eq!(kinds(&events(&app)), ["placement.draft", "placement.published"]);

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

    let all = events(&app);
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
