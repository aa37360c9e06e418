//! Offers after the draw: places for the first `capacity` positions, the waiting list in draw
//! order, accepting, declining, expiry, and never more places given than exist.

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use std::sync::Arc;
use wex_domain::ports::{OfferStore, Store};

use crate::support::{TestApp, id, placement_body, profile_body, spawn, with};

/// A drawn placement with `capacity` places and `n` applicants: (coordinator, placement, applicant
/// tokens with their application ids).
async fn drawn(app: &TestApp, capacity: i64, n: usize) -> (String, Value, Vec<(String, String)>) {
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let placement = app.published(&coordinator, &org, with(placement_body(&site), "/capacity", json!(capacity))).await;
    let version = app.privacy_version().await;
    let mut applicants = Vec::new();
    for _ in 0..n {
        let (token, _) = app.applicant_with(profile_body(30)).await;
        let a = app.apply(&token, &id(&placement), json!({"privacy_notice_version": version})).await;
        applicants.push((token, id(a.ok(201))));
    }
    let path = format!("/v1/placements/{}", id(&placement));
    app.post(&format!("{path}/close")).token(&coordinator).send().await.ok(200);
    app.post(&format!("{path}/draw")).token(&coordinator).send().await.ok(200);
    (coordinator, placement, applicants)
}

async fn application(app: &TestApp, token: &str, application_id: &str) -> Value {
    app.get(&format!("/v1/applications/{application_id}")).token(token).send().await.ok(200).clone()
}

/// Every applicant's application, in draw position order.
async fn by_position(app: &TestApp, applicants: &[(String, String)]) -> Vec<(String, Value)> {
    let mut all = Vec::new();
    for (token, a) in applicants {
        all.push((token.clone(), application(app, token, a).await));
    }
    all.sort_by_key(|(_, a)| {
        a["outcome_explained"]
            .as_str()
            .and_then(|t| t.split("position in the draw was ").nth(1))
            .and_then(|t| t.split('.').next())
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(0)
    });
    all
}

#[actix_web::test]
async fn the_draw_offers_places_and_numbers_the_waiting_list() {
    let app = spawn().await;
    let (_, placement, applicants) = drawn(&app, 2, 5).await;
    let all = by_position(&app, &applicants).await;
    let statuses: Vec<&str> = all.iter().map(|(_, a)| a["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, vec!["offered", "offered", "waitlisted", "waitlisted", "waitlisted"]);
    let numbers: Vec<Value> = all.iter().map(|(_, a)| a["waiting_list_number"].clone()).collect();
    assert_eq!(numbers, vec![Value::Null, Value::Null, json!(1), json!(2), json!(3)]);
    for (_, a) in &all {
        assert_eq!(a["outcome_on_time"], true);
        let explained = a["outcome_explained"].as_str().unwrap();
        assert!(explained.contains("5 entries for 2 place(s)"), "{explained}");
        assert!(explained.contains("tier"), "{explained}");
    }
    let offer = &all[0].1["offer"];
    assert_eq!(offer["status"], "open");
    let respond_by = chrono::DateTime::parse_from_rfc3339(offer["respond_by"].as_str().unwrap()).unwrap();
    assert!(respond_by.to_utc() <= Utc::now() + Duration::days(5) + Duration::minutes(1));
    let outbox = app.outbox().await;
    let count = |t: &str| outbox.iter().filter(|n| n["template"] == t).count();
    assert_eq!((count("offer_made"), count("waitlisted")), (4, 6), "each to the applicant and their support worker");
    let res = app.get(&format!("/v1/placements/{}/applications", id(&placement))).token(&applicants[0].0).send().await;
    res.problem(404, "not_found");
}

#[actix_web::test]
async fn accepting_confirms_and_declining_passes_the_place_on() {
    let app = spawn().await;
    let (_, _, applicants) = drawn(&app, 1, 3).await;
    let all = by_position(&app, &applicants).await;
    let (first_token, first) = &all[0];
    let (second_token, second) = &all[1];
    let offer = id(&first["offer"]);
    // Nobody else can answer it.
    for token in [second_token, &app.applicant().await] {
        app.post(&format!("/v1/offers/{offer}/accept")).token(token).send().await.problem(404, "not_found");
    }
    let declined = app.post(&format!("/v1/offers/{offer}/decline")).token(first_token).send().await;
    assert_eq!(declined.ok(200)["status"], "declined");
    app.post(&format!("/v1/offers/{offer}/accept")).token(first_token).send().await.problem(409, "offer_not_open");
    let promoted = application(&app, second_token, &id(second)).await;
    assert_eq!(promoted["status"], "offered", "the next person waiting is offered the place");
    assert_eq!(application(&app, &all[2].0, &id(&all[2].1)).await["waiting_list_number"], 1);
    let accepted = app.post(&format!("/v1/offers/{}/accept", id(&promoted["offer"]))).token(second_token).send().await;
    assert_eq!(accepted.ok(200)["status"], "accepted");
    assert!(accepted.body["what_you_need_to_do"].as_str().unwrap().contains("wear"));
    let confirmed = app.outbox().await.into_iter().filter(|n| n["template"] == "place_confirmed").collect::<Vec<_>>();
    assert!(!confirmed.is_empty());
    assert!(confirmed[0]["body"].as_str().unwrap().contains("Smart casual"), "the preparation information is sent");
    let history = accepted.body["history"].as_array().unwrap();
    let steps: Vec<&str> = history.iter().map(|h| h["to"].as_str().unwrap()).collect();
    assert_eq!(steps, vec!["submitted", "waitlisted", "offered", "accepted"]);
    assert_eq!(history[1]["by"], "platform");
}

#[actix_web::test]
async fn unanswered_offers_expire_and_pass_on() {
    let app = spawn().await;
    let (_, _, applicants) = drawn(&app, 1, 2).await;
    let all = by_position(&app, &applicants).await;
    let store: Arc<dyn Store> = app.store.clone();
    wex_http::jobs::run_due(Arc::clone(&store), Utc::now() + Duration::days(1)).await;
    assert_eq!(application(&app, &all[0].0, &id(&all[0].1)).await["status"], "offered", "not yet expired");
    wex_http::jobs::run_due(store, Utc::now() + Duration::days(6)).await;
    let first = application(&app, &all[0].0, &id(&all[0].1)).await;
    assert_eq!(first["status"], "expired");
    assert_eq!(first["offer"]["status"], "expired");
    assert_eq!(application(&app, &all[1].0, &id(&all[1].1)).await["status"], "offered");
    assert!(app.outbox().await.iter().any(|n| n["template"] == "offer_expired"));
}

#[actix_web::test]
async fn no_placement_is_ever_over_filled() {
    let app = spawn().await;
    let (_, placement, applicants) = drawn(&app, 3, 12).await;
    let pid = uuid::Uuid::parse_str(&id(&placement)).unwrap();
    let all = by_position(&app, &applicants).await;
    // Everyone answers at once: the three offered decline, while workers expire and fill places.
    let store: Arc<dyn Store> = app.store.clone();
    let declines = all[..3].iter().map(|(token, a)| {
        let offer = id(&a["offer"]);
        let token = token.clone();
        let app = &app;
        async move { app.post(&format!("/v1/offers/{offer}/decline")).token(&token).send().await.status }
    });
    let workers = (0..3).map(|_| wex_http::jobs::run_due(Arc::clone(&store), Utc::now()));
    let (statuses, _) =
        futures_util::future::join(futures_util::future::join_all(declines), futures_util::future::join_all(workers))
            .await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(app.store.places_taken(pid).unwrap(), 3, "exactly the three places are offered again");
    // Then the new holders accept and others decline, all at once.
    let all = by_position(&app, &applicants).await;
    let offered: Vec<(String, String)> =
        all.iter().filter(|(_, a)| a["status"] == "offered").map(|(t, a)| (t.clone(), id(&a["offer"]))).collect();
    assert_eq!(offered.len(), 3);
    let answers = offered.iter().enumerate().map(|(i, (token, offer))| {
        let verb = if i == 0 { "accept" } else { "decline" };
        let path = format!("/v1/offers/{offer}/{verb}");
        let token = token.clone();
        let app = &app;
        async move { app.post(&path).token(&token).send().await.status }
    });
    let statuses = futures_util::future::join_all(answers).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(app.store.places_taken(pid).unwrap(), 3);
    let all = by_position(&app, &applicants).await;
    let holding = all.iter().filter(|(_, a)| a["status"] == "offered" || a["status"] == "accepted").count();
    assert_eq!(holding, 3, "never more than the capacity");
}

#[actix_web::test]
async fn cancelling_ends_every_application_and_offer_with_the_reason() {
    let app = spawn().await;
    let (coordinator, placement, applicants) = drawn(&app, 1, 3).await;
    let pid = uuid::Uuid::parse_str(&id(&placement)).unwrap();
    let all = by_position(&app, &applicants).await;
    let (holder, offered) = &all[0];
    app.post(&format!("/v1/offers/{}/accept", id(&offered["offer"]))).token(holder).send().await.ok(200);
    let before = app.outbox().await.len();
    let path = format!("/v1/placements/{}/cancel", id(&placement));
    let res = app.post(&path).token(&coordinator).json(json!({"reason": "The ward has had to close."})).send().await;
    assert_eq!(res.ok(200)["status"], "cancelled");
    for (token, a) in &all {
        let now = application(&app, token, &id(a)).await;
        assert_eq!(now["status"], "cancelled");
        assert!(now["what_happens_next"].as_str().unwrap().contains("The ward has had to close."));
        assert_eq!(now["history"].as_array().unwrap().last().unwrap()["reason"], "The ward has had to close.");
    }
    assert_eq!(app.store.places_taken(pid).unwrap(), 0, "the accepted place ended too");
    let told = app.outbox().await[before..].iter().filter(|n| n["template"] == "placement_cancelled").count();
    assert_eq!(told, 6, "three applicants and their support workers");
    let offer = id(&offered["offer"]);
    app.post(&format!("/v1/offers/{offer}/decline")).token(holder).send().await.problem(409, "offer_not_open");
    app.post(&path)
        .token(&coordinator)
        .json(json!({"reason": "Again"}))
        .send()
        .await
        .problem(409, "placement_not_cancellable");
}

#[actix_web::test]
async fn the_waiting_list_closes_when_the_placement_starts() {
    let app = spawn().await;
    let (_, placement, applicants) = drawn(&app, 1, 3).await;
    let first = by_position(&app, &applicants).await.remove(0);
    app.post(&format!("/v1/offers/{}/accept", id(&first.1["offer"]))).token(&first.0).send().await.ok(200);
    let start = chrono::NaiveDate::parse_from_str(placement["start_date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let store: Arc<dyn Store> = app.store.clone();
    wex_http::jobs::run_due(store, start.and_hms_opt(8, 0, 0).unwrap().and_utc()).await;
    let all = by_position(&app, &applicants).await;
    let statuses: Vec<&str> = all.iter().map(|(_, a)| a["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, vec!["accepted", "not_selected", "not_selected"]);
    let told = app.outbox().await.iter().filter(|n| n["template"] == "unsuccessful").count();
    assert_eq!(told, 4, "two applicants and their support workers");
}

#[actix_web::test]
async fn a_placement_sets_how_long_offers_stay_open() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let body = with(with(placement_body(&site), "/capacity", json!(1)), "/offer_response_days", json!(2));
    let placement = app.published(&coordinator, &org, body).await;
    let (token, _) = app.applicant_with(profile_body(30)).await;
    let a = app.apply(&token, &id(&placement), json!({"privacy_notice_version": app.privacy_version().await})).await;
    let path = format!("/v1/placements/{}", id(&placement));
    app.post(&format!("{path}/close")).token(&coordinator).send().await.ok(200);
    app.post(&format!("{path}/draw")).token(&coordinator).send().await.ok(200);
    let read = application(&app, &token, &id(a.ok(201))).await;
    let respond_by =
        chrono::DateTime::parse_from_rfc3339(read["offer"]["respond_by"].as_str().unwrap()).unwrap().to_utc();
    let days = (respond_by - Utc::now()).num_hours();
    assert!((47..=48).contains(&days), "two days to answer, got {days} hours");
}
