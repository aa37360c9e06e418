//! Searching placements: every filter, the time-dependent statuses, and keyset pagination that
//! neither repeats nor skips rows while others are inserted.

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use wex_domain::ports::PlacementStore;

use crate::support::{TestApp, placement_body, placement_window, spawn, with};

async fn ids(app: &TestApp, query: &str) -> BTreeSet<String> {
    let res = app.get(&format!("/v1/placements?{query}")).send().await;
    res.ok(200)["items"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_string()).collect()
}

fn set(items: &[&Value]) -> BTreeSet<String> {
    items.iter().map(|p| p["id"].as_str().unwrap().to_string()).collect()
}

async fn organisation_in(app: &TestApp, region: &str) -> (String, String, String) {
    let admin = app.admin().await;
    let org = app
        .post("/v1/organisations")
        .token(&admin)
        .json(json!({"name": format!("{region} trust"), "kind": "nhs_trust", "region": region}))
        .send()
        .await;
    let org = org.ok(201)["id"].as_str().unwrap().to_string();
    let coordinator = app.coordinator(&org).await;
    let site = app.site(&coordinator, &org).await;
    (org, coordinator, site)
}

#[actix_web::test]
async fn every_filter_narrows_the_search() {
    let app = spawn().await;
    let (london, lc, ls) = organisation_in(&app, "london").await;
    let (north, nc, ns) = organisation_in(&app, "north_west").await;

    let mut pupils = with(placement_body(&ls), "/specialty", json!("nursing"));
    pupils = with(
        pupils,
        "/eligibility",
        json!({"min_age": 14, "max_age": 16, "user_groups": ["school_pupils_14_16"], "catchment": null}),
    );
    let p1 = app.published(&lc, &london, pupils).await;

    let mut tlevel = with(placement_body(&ls), "/specialty", json!("medicine"));
    tlevel = with(tlevel, "/kind", json!("t_level_industry_placement"));
    tlevel = with(tlevel, "/selection_method", json!("by_agreement"));
    tlevel = with(tlevel, "/delivery", json!("hybrid"));
    tlevel = with(tlevel, "/eligibility/catchment", json!(["M1", "m2"]));
    tlevel = with(tlevel, "/priority_rules", json!(["in_catchment"]));
    let p2 = app.published(&lc, &london, tlevel).await;

    let mut online = with(placement_window(&ns, -1, 60), "/specialty", json!("pharmacy"));
    online = with(online, "/kind", json!("work_related_learning"));
    online = with(online, "/delivery", json!("online"));
    online = with(online, "/site_id", Value::Null);
    online = with(online, "/title", json!("Pharmacy 100% for career changers"));
    online = with(
        online,
        "/eligibility",
        json!({"min_age": null, "max_age": null, "user_groups": ["veterans", "career_changers"], "catchment": null}),
    );
    online = with(online, "/priority_rules", json!(["user_group:veterans"]));
    let p3 = app.published(&nc, &north, online).await;

    let future = with(placement_window(&ns, 3, 40), "/specialty", json!("nursing"));
    let p4 = app.published(&nc, &north, future).await;

    assert_eq!(ids(&app, "").await, set(&[&p1, &p2, &p3, &p4]));
    assert_eq!(ids(&app, "specialty=nursing").await, set(&[&p1, &p4]));
    assert_eq!(ids(&app, "kind=t_level_industry_placement").await, set(&[&p2]));
    assert_eq!(ids(&app, "delivery=online").await, set(&[&p3]));
    assert_eq!(ids(&app, "region=london").await, set(&[&p1, &p2]));
    assert_eq!(ids(&app, "region=midlands").await, set(&[]));
    assert_eq!(ids(&app, &format!("organisation_id={north}")).await, set(&[&p3, &p4]));
    assert_eq!(ids(&app, "user_group=veterans").await, set(&[&p2, &p3, &p4]));
    assert_eq!(ids(&app, "user_group=school_pupils_14_16").await, set(&[&p1, &p2, &p4]));
    assert_eq!(ids(&app, "age=15").await, set(&[&p1, &p3]));
    assert_eq!(ids(&app, "age=40").await, set(&[&p2, &p3, &p4]));
    assert_eq!(ids(&app, "open_now=true").await, set(&[&p1, &p2, &p3]));
    assert_eq!(ids(&app, "postcode_district=m2").await, set(&[&p1, &p2, &p3, &p4]));
    assert_eq!(ids(&app, "postcode_district=SO16").await, set(&[&p1, &p3, &p4]));
    assert_eq!(ids(&app, "q=PHARMACY").await, set(&[&p3]));
    assert_eq!(ids(&app, "q=100%25").await, set(&[&p3]), "a literal percent sign");
    assert_eq!(ids(&app, "q=%25%25").await, set(&[]), "LIKE wildcards are escaped");
    assert_eq!(ids(&app, "q=_").await, set(&[]), "LIKE wildcards are escaped");
    let start = p3["start_date"].as_str().unwrap();
    assert_eq!(ids(&app, &format!("start_from={start}")).await, set(&[&p3]));
    assert_eq!(ids(&app, &format!("start_to={}", p1["start_date"].as_str().unwrap())).await, set(&[&p1, &p2]));
    assert_eq!(ids(&app, "specialty=nursing&region=north_west&open_now=false").await, set(&[&p4]));
    assert_eq!(ids(&app, "status=closed").await, set(&[]));
}

#[actix_web::test]
async fn a_placement_past_its_closing_time_is_closed() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let open = app.published(&coordinator, &org, placement_body(&site)).await;
    let closing = app.published(&coordinator, &org, placement_body(&site)).await;
    let id = uuid::Uuid::parse_str(closing["id"].as_str().unwrap()).unwrap();
    // Time passes: move the window into the past directly in storage.
    let mut stored = app.store.placement(id).unwrap();
    stored.details.opens_at = Utc::now() - Duration::days(10);
    stored.details.closes_at = Utc::now() - Duration::hours(1);
    let version = stored.version;
    stored.version += 1;
    app.store.update_placement(&stored, version).unwrap();

    assert_eq!(ids(&app, "").await, set(&[&open]));
    assert_eq!(ids(&app, "status=closed").await, set(&[&closing]));
    assert_eq!(ids(&app, "status=published&open_now=true").await, set(&[&open]));
    let read = app.get(&format!("/v1/placements/{id}")).send().await;
    assert_eq!(read.ok(200)["status"], "closed");
    assert_eq!(read.body["open_for_applications"], false);
    let patch = app
        .patch(&format!("/v1/placements/{id}"))
        .token(&coordinator)
        .header("if-match", "\"v3\"")
        .json(json!({"title": "x"}))
        .send()
        .await;
    patch.problem(409, "placement_not_editable");
}

/// Follows `next_cursor` from `first`, checking the Link header on every page.
async fn walk(app: &TestApp, first: &str, mut between_pages: impl AsyncFnMut(usize)) -> Vec<String> {
    let mut seen = Vec::new();
    let mut path = first.to_string();
    for page in 0.. {
        let res = app.get(&path).send().await;
        let body = res.ok(200).clone();
        seen.extend(body["items"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_string()));
        match body["next_cursor"].as_str() {
            None => {
                assert_eq!(res.header("link"), None);
                break;
            }
            Some(cursor) => {
                let link = res.header("link").unwrap();
                assert!(link.ends_with("; rel=\"next\""), "{link}");
                assert!(link.contains(&format!("cursor={cursor}")), "{link}");
                let target = link.trim_start_matches('<').split('>').next().unwrap().to_string();
                assert!(target.starts_with("/v1/placements?") && target.contains("limit=3"), "{target}");
                path = target;
            }
        }
        between_pages(page).await;
    }
    seen
}

#[actix_web::test]
async fn pages_neither_repeat_nor_skip_while_rows_are_inserted() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let mut originals = Vec::new();
    for days in [12, 10, 14, 10, 16, 11, 10] {
        let p = app.published(&coordinator, &org, placement_window(&site, -1, days)).await;
        originals.push(p);
    }
    let seen = walk(&app, "/v1/placements?limit=3", async |page| {
        // New placements closing before, among and after the rows already paged.
        for days in [5, 13, 30] {
            let body = with(placement_window(&site, -1, days), "/title", json!(format!("inserted after page {page}")));
            app.published(&coordinator, &org, body).await;
        }
    })
    .await;
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "a row appeared twice: {seen:?}");
    for p in &originals {
        assert!(seen.contains(&p["id"].as_str().unwrap().to_string()), "a row present from the start was skipped");
    }
    // In closing order, ties broken by id.
    let all = app.get("/v1/placements?limit=100").send().await;
    let order: Vec<String> =
        all.ok(200)["items"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_string()).collect();
    let positions: Vec<usize> = seen.iter().map(|id| order.iter().position(|o| o == id).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "pages are not in closing order");
}

#[actix_web::test]
async fn limit_defaults_to_twenty_and_caps_at_one_hundred() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    for _ in 0..21 {
        app.published(&coordinator, &org, placement_body(&site)).await;
    }
    let first = app.get("/v1/placements").send().await;
    assert_eq!(first.ok(200)["items"].as_array().unwrap().len(), 20);
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let rest = app.get(&format!("/v1/placements?cursor={cursor}")).send().await;
    assert_eq!(rest.ok(200)["items"].as_array().unwrap().len(), 1);
    assert_eq!(rest.body["next_cursor"], Value::Null);
    assert_eq!(app.get("/v1/placements?limit=100").send().await.ok(200)["items"].as_array().unwrap().len(), 21);
}
