//! Readiness for a managed profile (someone without an account): the advocate who manages it
//! completes everything the participant would, and gives the parent's or carer's consent.

use actix_web::http::Method;
use serde_json::json;

use crate::export::managed_profile;
use crate::support::{id, placement_body, spawn, with};

#[actix_web::test]
async fn the_advocate_of_a_managed_under_16_completes_the_checklist_and_gives_consent() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let body = with(placement_body(&site), "/eligibility/min_age", json!(14));
    let placement = app.published(&coordinator, &org, body).await;
    let advocate = app.token("advocate", "readiness-managing-advocate", None).await;
    let res = app.post("/v1/advocacy/applicants").token(&advocate).json(managed_profile()).send().await;
    let managed = id(res.ok(201));
    let version = app.privacy_version().await;
    let apply = json!({"privacy_notice_version": version, "on_behalf_of": managed});
    let application = id(app.apply(&advocate, &id(&placement), apply).await.ok(201));
    let path = format!("/v1/placements/{}", id(&placement));
    app.post(&format!("{path}/close")).token(&coordinator).send().await.ok(200);
    app.post(&format!("{path}/draw")).token(&coordinator).send().await.ok(200);
    let now = app.get(&format!("/v1/applications/{application}")).token(&advocate).send().await.ok(200).clone();
    app.post(&format!("/v1/offers/{}/accept", id(&now["offer"]))).token(&advocate).send().await.ok(200);

    let readiness = format!("/v1/applications/{application}/readiness");
    let c = app.get(&readiness).token(&advocate).send().await.ok(200).clone();
    assert_eq!(c["under_16"], true);
    assert_eq!(c["missing"], json!(["parent_carer_consent", "emergency_contact"]));
    let consent = json!({"name": "Wren senior", "relationship": "father"});
    let res = app.call(Method::PUT, &format!("{readiness}/parent_carer_consent")).token(&advocate).json(consent);
    res.send().await.ok(200);
    let contact = json!({"name": "Wren senior", "relationship": "father", "phone": "07700 900555"});
    let res = app.call(Method::PUT, &format!("{readiness}/emergency_contact")).token(&advocate).json(contact);
    let c = res.send().await.ok(200).clone();
    assert_eq!(c["ready"], true, "{c}");

    let start = format!("{}T10:00:00Z", placement["start_date"].as_str().unwrap());
    app.post("/v1/sandbox/clock").json(json!({"set": start})).send().await.ok(200);
    let res = app.post(&format!("/v1/applications/{application}/attendance")).token(&coordinator);
    assert_eq!(res.json(json!({"attended": true})).send().await.ok(200)["status"], "attended");
}
