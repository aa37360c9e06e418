//! `GET /v1/events`, the change feed: a journey's events in order with the ids they concern and a
//! link; each reader sees only its scope (an organisation's coordinators their organisation's, an
//! applicant their own, admins all); no event names a profile; paging by cursor reads each event
//! once; bad parameters are refused with a pointer.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{TestApp, id, placement_body, profile_body, spawn, with};

/// Every event after `after` the token may read, paging `limit` at a time: (events, the cursor to
/// go on from).
async fn read(app: &TestApp, token: &str, query: &str, limit: u32) -> (Vec<Value>, String) {
    let (mut events, mut cursor) = (Vec::new(), String::new());
    loop {
        let path = format!("/v1/events?limit={limit}&after={cursor}{query}");
        let page = app.get(&path).token(token).send().await.ok(200).clone();
        let items = page["items"].as_array().unwrap().clone();
        let next = page["next_cursor"].as_str().unwrap().to_string();
        if items.is_empty() {
            if !cursor.is_empty() {
                assert_eq!(next, cursor, "an empty page keeps the cursor");
            }
            return (events, cursor);
        }
        events.extend(items);
        cursor = next;
    }
}

/// Reads until the events include `last` (on PostgreSQL the feed holds back events while any
/// older transaction, such as another test's, is still running).
pub async fn read_until(app: &TestApp, token: &str, last: &str) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (events, _) = read(app, token, "", 100).await;
        if events.iter().any(|e| e["type"] == last) {
            return events;
        }
        assert!(Instant::now() < deadline, "no {last} in {events:?}");
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
}

fn types(events: &[Value]) -> Vec<&str> {
    events.iter().map(|e| e["type"].as_str().unwrap()).collect()
}

/// A placement with one place, an applicant offered it who accepts: (organisation, coordinator,
/// placement, applicant token, profile, application).
async fn journey(app: &TestApp) -> (String, String, Value, String, Value, Value) {
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let placement = app.published(&coordinator, &org, with(placement_body(&site), "/capacity", json!(1))).await;
    let version = app.privacy_version().await;
    let (token, profile) = app.applicant_with(profile_body(30)).await;
    let application =
        app.apply(&token, &id(&placement), json!({"privacy_notice_version": version})).await.ok(201).clone();
    let path = format!("/v1/placements/{}", id(&placement));
    app.post(&format!("{path}/close")).token(&coordinator).send().await.ok(200);
    app.post(&format!("{path}/draw")).token(&coordinator).send().await.ok(200);
    let offered = app.get(&format!("/v1/applications/{}", id(&application))).token(&token).send().await.ok(200).clone();
    app.post(&format!("/v1/offers/{}/accept", id(&offered["offer"]))).token(&token).send().await.ok(200);
    (org, coordinator, placement, token, profile, application)
}

#[actix_web::test]
async fn a_coordinator_follows_their_organisation_name_blind() {
    let app = spawn().await;
    let (_, coordinator, placement, _, profile, application) = journey(&app).await;
    let events = read_until(&app, &coordinator, "offer.accepted").await;
    assert_eq!(
        types(&events),
        ["placement.published", "application.submitted", "draw.completed", "offer.made", "offer.accepted"]
    );
    let (p, a) = (id(&placement), id(&application));
    for e in &events {
        assert_eq!(e["placement_id"], p.as_str(), "{e}");
        assert!(e["id"].is_string() && e["sequence"].is_i64() && e["occurred_at"].is_string(), "{e}");
    }
    assert_eq!(events[0]["link"], format!("/v1/placements/{p}"));
    assert_eq!(events[1]["application_id"], a.as_str());
    assert_eq!(events[1]["link"], format!("/v1/placements/{p}/applications"));
    assert_eq!(events[2]["link"], format!("/v1/placements/{p}/draw"));
    assert!(events[3]["offer_id"].is_string());
    assert_eq!(events[4]["link"], format!("/v1/placements/{p}/participants"));
    // Name-blind: nothing in the feed names the profile or the person.
    let text = serde_json::to_string(&events).unwrap();
    assert!(!text.contains(&id(&profile)), "no profile id");
    assert!(!text.contains("jo") && !text.contains("@"), "no name or address: {text}");
}

#[actix_web::test]
async fn each_reader_sees_its_own_scope() {
    let app = spawn().await;
    let (org, _, _, token, _, application) = journey(&app).await;
    let admin = app.admin().await;
    let all = read_until(&app, &admin, "offer.accepted").await;
    assert!(types(&all).contains(&"placement.published"));

    // The applicant: their own application's events, linking to it; not the placement's own.
    let own = read_until(&app, &token, "offer.accepted").await;
    assert_eq!(types(&own), ["application.submitted", "offer.made", "offer.accepted"]);
    assert!(own.iter().all(|e| e["link"] == format!("/v1/applications/{}", id(&application))), "{own:?}");

    // Another organisation's coordinator, and another applicant, see none of it.
    let other_org = app.organisation().await;
    let stranger = app.coordinator(&other_org).await;
    assert!(read(&app, &stranger, "", 100).await.0.is_empty());
    let (someone, _) = app.applicant_with(profile_body(25)).await;
    assert!(read(&app, &someone, "", 100).await.0.is_empty());
    // Someone with no profile and no role has nothing to follow.
    assert!(read(&app, &app.applicant().await, "", 100).await.0.is_empty());
    // A host of the organisation is not its coordinator.
    let host = app.token("host", "host-feed", Some(&org)).await;
    assert!(read(&app, &host, "", 100).await.0.is_empty());
    app.get("/v1/events").send().await.problem(401, "unauthorized");
}

#[actix_web::test]
async fn paging_reads_each_event_once_and_types_filter() {
    let app = spawn().await;
    let (_, coordinator, ..) = journey(&app).await;
    let whole = read_until(&app, &coordinator, "offer.accepted").await;
    let (one_by_one, cursor) = read(&app, &coordinator, "", 1).await;
    assert_eq!(one_by_one, whole, "one at a time reads the same events once each");
    // Caught up: the cursor stays, and later events come after it.
    let page = app.get(&format!("/v1/events?after={cursor}")).token(&coordinator).send().await.ok(200).clone();
    assert_eq!((page["items"].as_array().unwrap().len(), page["next_cursor"].as_str()), (0, Some(cursor.as_str())));

    let (offers, _) = read(&app, &coordinator, "&types=offer.made,offer.accepted", 100).await;
    assert_eq!(types(&offers), ["offer.made", "offer.accepted"]);
}

#[actix_web::test]
async fn bad_parameters_are_refused_with_a_pointer() {
    let app = spawn().await;
    let admin = app.admin().await;
    for (query, field, code) in [
        ("after=not-a-cursor", "/after", "invalid_cursor"),
        ("after=bm90LWEtcG9zaXRpb24", "/after", "invalid_cursor"),
        ("limit=0", "/limit", "invalid_limit"),
        ("limit=101", "/limit", "invalid_limit"),
        ("types=offer.made,offer.lost", "/types", "invalid_event_type"),
    ] {
        let res = app.get(&format!("/v1/events?{query}")).token(&admin).send().await;
        res.problem(400, code);
        res.has_field_error(field, code);
    }
    app.get("/v1/events?since=1").token(&admin).send().await.problem(400, "invalid_query_parameter");
}
