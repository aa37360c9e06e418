//! What an organisation API client's token lets it do: only the operations its scopes open, only
//! for its own organisation, with every write (and every view of identities) saying who in the
//! client's system made it, recorded with the change.

use serde_json::json;
use wex_domain::model::api_client::Attribution;
use wex_domain::ports::EventStore;

use crate::clients::{access_token, register};
use crate::feed::read_until;
use crate::participation::setup;
use crate::support::{id, placement_body, spawn};

const WHO: (&str, &str) = ("wex-attribution", "staff:E12345");

#[actix_web::test]
async fn a_client_acts_for_its_organisation_only_within_its_scopes() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let client = register(&app, &coordinator, &org, &["placements:read", "placements:write"]).await;
    let token = access_token(&app, &client, None).await;

    let created = app
        .post(&format!("/v1/organisations/{org}/placements"))
        .token(&token)
        .header(WHO.0, WHO.1)
        .json(placement_body(&site))
        .send()
        .await;
    let placement = id(created.ok(201));
    app.get(&format!("/v1/placements/{placement}")).token(&token).send().await.ok(200);
    app.post(&format!("/v1/placements/{placement}/publish")).token(&token).header(WHO.0, WHO.1).send().await.ok(200);

    // Outside its scopes, and work that stays with people, whatever the scopes.
    for (method, path) in [
        ("GET", format!("/v1/placements/{placement}/applications")),
        ("GET", format!("/v1/placements/{placement}/participants")),
        ("POST", format!("/v1/placements/{placement}/draw")),
        ("POST", format!("/v1/organisations/{org}/webhooks")),
        ("GET", format!("/v1/organisations/{org}/members")),
        ("PUT", format!("/v1/organisations/{org}/team-contact")),
        ("GET", "/v1/me/applications".to_string()),
        ("GET", "/v1/audit-events".to_string()),
    ] {
        let method = actix_web::http::Method::from_bytes(method.as_bytes()).unwrap();
        let res = app.call(method.clone(), &path).token(&token).header(WHO.0, WHO.1).json(json!({})).send().await;
        assert_eq!(res.status, 403, "{method} {path}: {}", res.text);
        res.problem(403, "insufficient_scope");
    }

    // Another organisation's placement is not found, as for its coordinator.
    let (other_org, other_coordinator, other_site) = app.coordinated_organisation().await;
    let theirs = id(&app.draft(&other_coordinator, &other_org, placement_body(&other_site)).await);
    let res = app
        .patch(&format!("/v1/placements/{theirs}"))
        .token(&token)
        .header(WHO.0, WHO.1)
        .json(json!({"title": "Taken over"}))
        .send()
        .await;
    res.problem(404, "not_found");
    let res = app.post(&format!("/v1/organisations/{other_org}/placements")).token(&token);
    res.header(WHO.0, WHO.1).json(placement_body(&other_site)).send().await.problem(403, "coordinator_role_required");

    // Each change names the client and the person it acted for.
    let events = app.store.events_after(0, 10_000).unwrap();
    let mine: Vec<_> = events.iter().filter(|e| e.event.entity_id.to_string() == placement).collect();
    assert_eq!(mine.len(), 2, "created and published");
    let by = Attribution { client_id: client.id.parse().unwrap(), on_behalf_of: WHO.1.to_string() };
    assert!(mine.iter().all(|e| e.attribution.as_ref() == Some(&by)));
    let people = events.iter().filter(|e| e.event.entity_id.to_string() == theirs);
    assert!(people.clone().count() > 0 && people.clone().all(|e| e.attribution.is_none()));
}

#[actix_web::test]
async fn a_write_without_attribution_is_refused_and_writes_nothing() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let client = register(&app, &coordinator, &org, &["placements:write"]).await;
    let token = access_token(&app, &client, None).await;
    let before = app.store.events_after(0, 10_000).unwrap().len();
    let path = format!("/v1/organisations/{org}/placements");
    for attribution in [None, Some(""), Some("  ")] {
        let call = app.post(&path).token(&token).json(placement_body(&site));
        let call = match attribution {
            Some(value) => call.header("wex-attribution", value),
            None => call,
        };
        let res = call.send().await;
        res.problem(400, "attribution_required");
        res.has_field_error("/headers/wex-attribution", "attribution_required");
    }
    let long = "x".repeat(201);
    let res = app.post(&path).token(&token).header("wex-attribution", &long).json(placement_body(&site)).send().await;
    res.problem(400, "attribution_required");
    assert_eq!(app.store.events_after(0, 10_000).unwrap().len(), before);
    let drafts =
        app.get(&format!("/v1/placements?status=draft&organisation_id={org}")).token(&coordinator).send().await;
    assert_eq!(drafts.ok(200)["items"], json!([]));
}

#[actix_web::test]
async fn participants_and_attendance_through_a_client_are_audited_with_who_asked() {
    let app = spawn().await;
    let s = setup(&app).await;
    let client = register(&app, &s.coordinator, &s.org, &["participants:read", "attendance:write"]).await;
    let token = access_token(&app, &client, None).await;
    let path = format!("/v1/placements/{}/participants", id(&s.placement));

    app.get(&path).token(&token).send().await.problem(400, "attribution_required");
    let res = app.get(&path).token(&token).header(WHO.0, WHO.1).send().await;
    assert_eq!(res.ok(200)["participants"].as_array().unwrap().len(), 1);
    let admin = app.admin().await;
    let audit = app.get("/v1/audit-events?limit=100").token(&admin).send().await;
    let reveals: Vec<_> = audit.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "identity_revealed")
        .cloned()
        .collect();
    assert_eq!(reveals.len(), 1);
    assert_eq!(reveals[0]["actor_subject"], format!("client:{}", client.id));
    assert_eq!(reveals[0]["attribution"], json!({"client_id": client.id, "on_behalf_of": WHO.1}));
    assert_eq!(reveals[0]["actor_role"], "api_client");
    assert_eq!(reveals[0]["actor_organisation_id"], json!(s.org));
    assert_eq!(reveals[0]["request_id"], json!(res.header("x-request-id").unwrap()));

    let start = format!("{}T10:00:00Z", s.placement["start_date"].as_str().unwrap());
    app.post("/v1/sandbox/clock").json(json!({"set": start})).send().await.ok(200);
    let application = format!("/v1/applications/{}", id(&s.accepted.1));
    let res = app.post(&format!("{application}/attendance")).token(&token).header(WHO.0, WHO.1);
    res.json(json!({"attended": true})).send().await.ok(200);
    let attended = app.store.events_after(0, 10_000).unwrap();
    let last = attended.iter().rev().find(|e| e.event.kind.starts_with("application.")).unwrap();
    assert_eq!(last.attribution.as_ref().map(|a| a.on_behalf_of.as_str()), Some(WHO.1));
}

#[actix_web::test]
async fn a_clients_feed_is_its_organisations_events() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let (other_org, other_coordinator, other_site) = app.coordinated_organisation().await;
    // Theirs first: once the feed shows mine (on PostgreSQL it holds back events while an older
    // transaction runs), it would show theirs too, were they in scope.
    let theirs = id(&app.published(&other_coordinator, &other_org, placement_body(&other_site)).await);
    let mine = id(&app.published(&coordinator, &org, placement_body(&site)).await);
    let client = register(&app, &coordinator, &org, &["applications:read"]).await;
    let token = access_token(&app, &client, None).await;
    let items = read_until(&app, &token, "placement.published").await;
    assert!(items.iter().any(|e| e["type"] == "placement.published" && e["placement_id"] == json!(mine)));
    assert!(items.iter().all(|e| e["placement_id"] != json!(theirs)));
}
