//! How many statements a request sends to the database: reading by id is one or two queries, a
//! list page a fixed number whatever its length, and no request spends a round trip on a health
//! query. Counted from the pool's own log of every statement its connections send.

use serde_json::json;
use wex_persistence::QueryLog;

use crate::support::{TestApp, id, placement_body, spawn_logged, with};

/// The statements a request sent, apart from transaction control (BEGIN, COMMIT, SAVEPOINT ...),
/// which a read of one statement does not need and this count is not about.
fn queries(log: &QueryLog) -> Vec<String> {
    log.take()
        .into_iter()
        .filter(|q| {
            let q = q.trim_start().to_ascii_uppercase();
            !["BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"].iter().any(|w| q.starts_with(w))
        })
        .collect()
}

fn no_health_query(queries: &[String]) {
    assert!(!queries.iter().any(|q| q.trim().eq_ignore_ascii_case("SELECT 1")), "{queries:#?}");
}

async fn placements(app: &TestApp, n: usize) -> (String, String, Vec<String>) {
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let department = app
        .post(&format!("/v1/organisations/{org}/departments"))
        .token(&coordinator)
        .json(json!({"name": "Physiotherapy", "specialty": "allied_health_professions", "site_id": site}))
        .send()
        .await;
    let department = id(department.ok(201));
    let mut ids = Vec::new();
    for _ in 0..n {
        let body = with(placement_body(&site), "/department_id", json!(department));
        ids.push(id(&app.published(&coordinator, &org, body).await));
    }
    (org, coordinator, ids)
}

#[actix_web::test]
async fn reading_a_placement_by_id_is_one_query_and_two_with_a_token() {
    let (app, log) = spawn_logged().await;
    let (_, coordinator, ids) = placements(&app, 1).await;
    let path = format!("/v1/placements/{}", ids[0]);

    queries(&log);
    let res = app.get(&path).send().await;
    assert!(res.ok(200)["site"]["id"].is_string() && res.body["department"]["id"].is_string());
    let anonymous = queries(&log);
    no_health_query(&anonymous);
    assert_eq!(anonymous.len(), 1, "{anonymous:#?}");

    // A signed-in caller's grants are read once, then the placement with what it names.
    app.get(&path).token(&coordinator).send().await.ok(200);
    let signed_in = queries(&log);
    no_health_query(&signed_in);
    assert_eq!(signed_in.len(), 2, "{signed_in:#?}");
}

#[actix_web::test]
async fn a_search_page_costs_the_same_queries_whatever_its_length() {
    let (app, log) = spawn_logged().await;
    let (org, _, _) = placements(&app, 6).await;

    let mut counts = Vec::new();
    for limit in [1, 3, 6] {
        queries(&log);
        let res = app.get(&format!("/v1/placements?organisation_id={org}&limit={limit}")).send().await;
        assert_eq!(res.ok(200)["items"].as_array().unwrap().len(), limit);
        let sent = queries(&log);
        no_health_query(&sent);
        counts.push(sent.len());
    }
    assert!(counts.iter().all(|&c| c == counts[0]), "{counts:?}");
    assert!(counts[0] <= 2, "{counts:?}");
}

#[actix_web::test]
async fn an_applicants_dashboard_costs_the_same_queries_whatever_its_length() {
    let (app, log) = spawn_logged().await;
    let (_, _, ids) = placements(&app, 5).await;
    let (applicant, _) = app.applicant_with(crate::support::profile_body(17)).await;
    let version = app.privacy_version().await;
    for placement in &ids {
        app.apply(&applicant, placement, json!({"privacy_notice_version": version})).await.ok(201);
    }

    let mut counts = Vec::new();
    for limit in [1, 2, 5] {
        queries(&log);
        let res = app.get(&format!("/v1/me/applications?limit={limit}")).token(&applicant).send().await;
        assert_eq!(res.ok(200)["items"].as_array().unwrap().len(), limit);
        let sent = queries(&log);
        no_health_query(&sent);
        counts.push(sent.len());
    }
    assert!(counts.iter().all(|&c| c == counts[0]), "{counts:?}");
}
