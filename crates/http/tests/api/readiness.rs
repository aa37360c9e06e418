//! Readiness (issue 14): placement requirements, each accepted place's checklist, who may complete
//! and override its items, attendance refused for someone not ready, and the reminders a week
//! before the start, sent once.

use std::sync::Arc;

use actix_web::http::Method;
use chrono::{Duration, NaiveDate};
use serde_json::{Value, json};
use wex_domain::ports::{EventStore, Store};

use crate::support::{TestApp, id, placement_body, profile_body, spawn, with};

const TEAM: &str = "work.experience@readiness.example.nhs.uk";
const PARENT: &str = "readiness-parent";

struct Setup {
    org: String,
    coordinator: String,
    placement: Value,
    /// The 15-year-old's token and accepted application, and their parent's (advocate's) token.
    young: (String, String),
    parent: String,
    /// The 30-year-old's token and accepted application.
    adult: (String, String),
    /// Someone who has only applied (to another placement): token and application.
    waiting: (String, String),
}

fn requirements() -> Value {
    json!({
        "kinds": ["participant_agreement", "induction", "dbs_clearance"],
        "induction_url": "https://learning.example.nhs.uk/induction",
        "custom": [{"text": "Bring photo ID.", "why_we_ask": "Security checks everyone on the ward."}]
    })
}

/// A published placement for 14 and over with two places and requirements, drawn: a 15-year-old
/// (whose parent is their advocate) and a 30-year-old accepted. A 40-year-old has only applied,
/// to another placement.
async fn setup(app: &TestApp) -> Setup {
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let body = with(placement_body(&site), "/eligibility/min_age", json!(14));
    let mut body = with(body, "/capacity", json!(2));
    body["requirements"] = requirements();
    let placement = app.published(&coordinator, &org, body).await;
    let version = app.privacy_version().await;
    let mut people = Vec::new();
    for age in [15, 30] {
        let (token, _) = app.applicant_with(profile_body(age)).await;
        let a = app.apply(&token, &id(&placement), json!({"privacy_notice_version": version})).await;
        let a = id(a.ok(201));
        people.push((token, a));
    }
    let (link, code) = app.invite_advocate(&people[0].0, "parent@example.org").await;
    let parent = app.token("advocate", PARENT, None).await;
    let res = app.post(&format!("/v1/advocate-links/{link}/accept")).token(&parent).json(json!({"code": code}));
    res.send().await.ok(200);
    let path = format!("/v1/placements/{}", id(&placement));
    app.post(&format!("{path}/close")).token(&coordinator).send().await.ok(200);
    app.post(&format!("{path}/draw")).token(&coordinator).send().await.ok(200);
    for (token, a) in &people {
        let now = app.get(&format!("/v1/applications/{a}")).token(token).send().await.ok(200).clone();
        app.post(&format!("/v1/offers/{}/accept", id(&now["offer"]))).token(token).send().await.ok(200);
    }
    let other = app.published(&coordinator, &org, placement_body(&site)).await;
    let (token, _) = app.applicant_with(profile_body(40)).await;
    let a = app.apply(&token, &id(&other), json!({"privacy_notice_version": version})).await;
    let waiting = (token, id(a.ok(201)));
    let mut people = people.into_iter();
    let young = people.next().unwrap();
    let adult = people.next().unwrap();
    Setup { org, coordinator, placement, young, parent, adult, waiting }
}

fn checklist_path(application: &str) -> String {
    format!("/v1/applications/{application}/readiness")
}

fn item_path(application: &str, item: &str) -> String {
    format!("/v1/applications/{application}/readiness/{item}")
}

async fn complete(app: &TestApp, token: &str, application: &str, item: &str, body: Value) -> crate::support::Resp {
    app.call(Method::PUT, &item_path(application, item)).token(token).json(body).send().await
}

fn state_of(checklist: &Value, item: &str) -> String {
    let items = checklist["items"].as_array().unwrap();
    let found = items.iter().find(|i| i["item"] == item).unwrap_or_else(|| panic!("no {item} in {checklist}"));
    found["state"].as_str().unwrap().to_string()
}

fn start_of(s: &Setup) -> NaiveDate {
    s.placement["start_date"].as_str().unwrap().parse().unwrap()
}

async fn set_clock(app: &TestApp, date: NaiveDate) {
    let at = format!("{date}T10:00:00Z");
    app.post("/v1/sandbox/clock").json(json!({"set": at})).send().await.ok(200);
}

async fn attend(app: &TestApp, token: &str, application: &str) -> crate::support::Resp {
    let path = format!("/v1/applications/{application}/attendance");
    app.post(&path).token(token).json(json!({"attended": true})).send().await
}

/// The readiness test the issue names: an under-16's place without a parent's or carer's consent
/// cannot start (attendance is refused, and no override can let it), and after consent it can.
#[actix_web::test]
async fn an_under_16_cannot_start_without_parental_consent_and_can_after_it() {
    let app = spawn().await;
    let s = setup(&app).await;
    let (young, a) = &s.young;
    let c = app.get(&checklist_path(a)).token(young).send().await.ok(200).clone();
    let codes: Vec<&str> = c["items"].as_array().unwrap().iter().map(|i| i["item"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        vec![
            "participant_agreement",
            "parent_carer_consent",
            "emergency_contact",
            "induction",
            "dbs_clearance",
            "custom_1"
        ],
        "consent and an emergency contact are always asked of under-16s"
    );
    assert_eq!((c["under_16"].clone(), c["ready"].clone()), (json!(true), json!(false)));
    let induction = c["items"].as_array().unwrap().iter().find(|i| i["item"] == "induction").unwrap();
    assert_eq!(induction["url"], "https://learning.example.nhs.uk/induction");

    for item in ["participant_agreement", "induction", "custom_1"] {
        complete(&app, young, a, item, json!({})).await.ok(200);
    }
    let contact = json!({"name": "Ada Okafor", "relationship": "aunt", "phone": "07700 900777"});
    complete(&app, young, a, "emergency_contact", contact).await.ok(200);
    let c = complete(&app, &s.coordinator, a, "dbs_clearance", json!({"cleared": true})).await.ok(200).clone();
    assert_eq!(c["missing"], json!(["parent_carer_consent"]));

    // The participant cannot give their own parent's consent, and no coordinator can waive it or
    // the emergency contact.
    complete(&app, young, a, "parent_carer_consent", json!({"name": "Me", "relationship": "self"}))
        .await
        .problem(403, "readiness_item_not_yours");
    for item in ["parent_carer_consent", "emergency_contact"] {
        let res = app.post(&format!("{}/override", item_path(a, item))).token(&s.coordinator);
        res.json(json!({"reason": "They promised."})).send().await.problem(409, "override_not_allowed");
    }

    set_clock(&app, start_of(&s)).await;
    let refused = attend(&app, &s.coordinator, a).await;
    let problem = refused.problem(409, "not_ready");
    assert!(problem["detail"].as_str().unwrap().contains("parent_carer_consent"), "{problem}");
    let status = app.get(&format!("/v1/applications/{a}")).token(young).send().await.ok(200)["status"].clone();
    assert_eq!(status, "accepted", "nothing was recorded");

    let consent = json!({"name": "Grace Okafor", "relationship": "mother"});
    let c = complete(&app, &s.parent, a, "parent_carer_consent", consent).await.ok(200).clone();
    assert_eq!(c["ready"], true);
    let consent = c["items"].as_array().unwrap().iter().find(|i| i["item"] == "parent_carer_consent").unwrap();
    assert_eq!((consent["done_by"].clone(), consent["done_by_role"].clone()), (json!(PARENT), json!("advocate")));
    assert_eq!(consent["details"]["name"], "Grace Okafor");
    assert_eq!(attend(&app, &s.coordinator, a).await.ok(200)["status"], "attended");

    // Once started, the checklist is read-only.
    complete(&app, young, a, "custom_1", json!({})).await.problem(409, "not_a_participant");

    // Every change is an event on the application, naming only the item.
    let events = app.store.events_after(0, 1000).unwrap();
    let items: Vec<&str> = events
        .iter()
        .filter(|e| e.event.kind == "application.readiness_completed" && e.event.entity_id.to_string() == *a)
        .map(|e| e.event.data["item"].as_str().unwrap())
        .collect();
    assert_eq!(items.len(), 6, "{items:?}");
    assert!(items.contains(&"parent_carer_consent"));
}

#[actix_web::test]
async fn an_adult_does_not_need_consent_and_a_coordinator_may_override_with_a_reason() {
    let app = spawn().await;
    let s = setup(&app).await;
    let (adult, a) = &s.adult;
    let c = app.get(&checklist_path(a)).token(adult).send().await.ok(200).clone();
    assert_eq!(c["under_16"], false);
    assert_eq!(c["missing"], json!(["participant_agreement", "induction", "dbs_clearance", "custom_1"]));

    // A clearance recorded as not passed keeps them not ready.
    let c = complete(&app, &s.coordinator, a, "dbs_clearance", json!({"cleared": false})).await.ok(200).clone();
    assert_eq!(state_of(&c, "dbs_clearance"), "not_cleared");
    assert!(c["missing"].as_array().unwrap().contains(&json!("dbs_clearance")));

    for item in ["participant_agreement", "induction", "dbs_clearance", "custom_1"] {
        let res = app.post(&format!("{}/override", item_path(a, item))).token(&s.coordinator);
        let c = res.json(json!({"reason": "Checked in person on the first morning."})).send().await.ok(200).clone();
        assert_eq!(state_of(&c, item), "overridden");
    }
    let c = app.get(&checklist_path(a)).token(&s.coordinator).send().await.ok(200).clone();
    assert_eq!(c["ready"], true);
    let item = &c["items"][0];
    assert_eq!(item["override_reason"], "Checked in person on the first morning.");
    assert_eq!(item["done_by_role"], "coordinator");

    let list = app.get(&format!("/v1/placements/{}/readiness", id(&s.placement))).token(&s.coordinator).send().await;
    let list = list.ok(200);
    assert_eq!(list["ready"], 1);
    let places = list["places"].as_array().unwrap();
    assert_eq!(places.len(), 2);
    let young = places.iter().find(|p| p["application_id"] == s.young.1.as_str()).unwrap();
    assert_eq!(young["ready"], false);
    assert!(young["missing"].as_array().unwrap().contains(&json!("parent_carer_consent")));
    assert!(!list.to_string().contains("jo.bloggs"), "the list names no one");

    set_clock(&app, start_of(&s)).await;
    assert_eq!(attend(&app, &s.coordinator, a).await.ok(200)["status"], "attended");
}

#[actix_web::test]
async fn only_the_participant_their_advocates_and_the_coordinators_see_a_checklist() {
    let app = spawn().await;
    let s = setup(&app).await;
    let (young, a) = &s.young;
    let path = checklist_path(a);
    app.get(&path).token(young).send().await.ok(200);
    app.get(&path).token(&s.parent).send().await.ok(200);
    app.get(&path).token(&s.coordinator).send().await.ok(200);

    let (other_org, other_coordinator, _) = app.coordinated_organisation().await;
    let others = [
        ("another participant", s.adult.0.clone()),
        ("an applicant", app.applicant().await),
        ("another organisation's coordinator", other_coordinator.clone()),
        ("a host of the organisation", app.token("host", "readiness-host", Some(&s.org)).await),
        ("a host elsewhere", app.token("host", "readiness-host-2", Some(&other_org)).await),
        ("an advocate of no one", app.token("advocate", "readiness-stranger", None).await),
        ("an admin", app.admin().await),
    ];
    for (who, token) in &others {
        let res = app.get(&path).token(token).send().await;
        assert_eq!(res.status, 404, "{who}");
        let res = complete(&app, token, a, "participant_agreement", json!({})).await;
        assert_eq!(res.status, 404, "{who} completing");
        let res = app.post(&format!("{}/override", item_path(a, "induction"))).token(token);
        assert_eq!(res.json(json!({"reason": "Because."})).send().await.status, 404, "{who} overriding");
        let list = app.get(&format!("/v1/placements/{}/readiness", id(&s.placement))).token(token).send().await;
        assert_eq!(list.status, 404, "{who} listing");
    }
    assert_eq!(app.get(&path).send().await.status, 401);
    for token in [young, &s.parent] {
        let list = app.get(&format!("/v1/placements/{}/readiness", id(&s.placement))).token(token).send().await;
        list.problem(404, "not_found");
    }

    // Each completes only their own items.
    complete(&app, young, a, "dbs_clearance", json!({"cleared": true})).await.problem(403, "readiness_item_not_yours");
    complete(&app, &s.parent, a, "dbs_clearance", json!({"cleared": true}))
        .await
        .problem(403, "readiness_item_not_yours");
    complete(&app, &s.coordinator, a, "participant_agreement", json!({}))
        .await
        .problem(403, "readiness_item_not_yours");
    complete(&app, &s.coordinator, a, "parent_carer_consent", json!({"name": "Grace", "relationship": "mother"}))
        .await
        .problem(403, "readiness_item_not_yours");
    let res = app.post(&format!("{}/override", item_path(a, "induction"))).token(young);
    res.json(json!({"reason": "I know it already."})).send().await.problem(403, "coordinator_role_required");
    // The parent may do the participant's items for them.
    complete(&app, &s.parent, a, "participant_agreement", json!({})).await.ok(200);

    // Items the checklist does not have, and an application without a place.
    complete(&app, young, a, "occupational_health", json!({"cleared": true})).await.problem(404, "not_found");
    complete(&app, young, a, "custom_2", json!({})).await.problem(404, "not_found");
    complete(&app, young, a, "nonsense", json!({})).await.problem(404, "not_found");
    let (token, waiting) = &s.waiting;
    app.get(&checklist_path(waiting)).token(token).send().await.problem(409, "not_a_participant");
    let unknown = format!("/v1/applications/{}/readiness", uuid::Uuid::now_v7());
    app.get(&unknown).token(&s.coordinator).send().await.problem(404, "not_found");
}

#[actix_web::test]
async fn bad_details_are_refused_with_pointers_and_nothing_is_written() {
    let app = spawn().await;
    let s = setup(&app).await;
    let (young, a) = &s.young;
    let cases = [
        ("emergency_contact", json!({"name": "Ada", "relationship": "aunt"}), "/phone", "required"),
        ("emergency_contact", json!({"name": "Ada", "relationship": "aunt", "phone": "12"}), "/phone", "phone"),
        ("emergency_contact", json!({"name": " ", "relationship": "aunt", "phone": "07700 900777"}), "/name", "length"),
        ("participant_agreement", json!({"name": "Ada"}), "/name", "not_asked"),
        ("induction", json!({"cleared": true}), "/cleared", "not_asked"),
    ];
    for (item, body, field, code) in cases {
        let res = complete(&app, young, a, item, body).await;
        res.problem(422, "validation_failed");
        res.has_field_error(field, code);
    }
    let res = complete(&app, &s.parent, a, "parent_carer_consent", json!({"name": "Grace"})).await;
    res.problem(422, "validation_failed");
    res.has_field_error("/relationship", "required");
    let res = complete(&app, &s.coordinator, a, "dbs_clearance", json!({})).await;
    res.problem(422, "validation_failed");
    res.has_field_error("/cleared", "required");
    let res = complete(&app, young, a, "induction", json!({"surprise": 1})).await;
    assert!(res.status == 400 || res.status == 422, "{}", res.text);
    let res = app.post(&format!("{}/override", item_path(a, "induction"))).token(&s.coordinator);
    let res = res.json(json!({"reason": "  "})).send().await;
    res.problem(422, "validation_failed");
    res.has_field_error("/reason", "required");

    let c = app.get(&checklist_path(a)).token(young).send().await.ok(200).clone();
    assert!(c["items"].as_array().unwrap().iter().all(|i| i["state"] == "to_do"), "{c}");
    let events = app.store.events_after(0, 1000).unwrap();
    assert!(!events.iter().any(|e| e.event.kind.starts_with("application.readiness")), "no event either");
}

async fn shown(app: &TestApp, admin: &str) -> usize {
    let path = "/v1/audit-events?action=readiness_details_shown&limit=100";
    app.get(path).token(admin).send().await.ok(200)["items"].as_array().unwrap().len()
}

#[actix_web::test]
async fn every_view_of_contact_or_consent_details_is_audited() {
    let app = spawn().await;
    let s = setup(&app).await;
    let (young, a) = &s.young;
    let admin = app.admin().await;
    // Nothing recorded yet: nothing to audit.
    app.get(&checklist_path(a)).token(&s.coordinator).send().await.ok(200);
    assert_eq!(shown(&app, &admin).await, 0);
    let contact = json!({"name": "Ada Okafor", "relationship": "aunt", "phone": "07700 900777"});
    complete(&app, young, a, "emergency_contact", contact).await.ok(200);
    assert_eq!(shown(&app, &admin).await, 1, "the response shows the details back");
    for token in [young, &s.parent, &s.coordinator] {
        let c = app.get(&checklist_path(a)).token(token).send().await.ok(200).clone();
        let contact = c["items"].as_array().unwrap().iter().find(|i| i["item"] == "emergency_contact").unwrap();
        assert_eq!(contact["details"]["phone"], "07700 900777");
    }
    assert_eq!(shown(&app, &admin).await, 4);
    let res = app.get("/v1/audit-events?action=readiness_details_shown&limit=100").token(&admin).send().await;
    let roles: Vec<&str> =
        res.ok(200)["items"].as_array().unwrap().iter().filter_map(|e| e["actor_role"].as_str()).collect();
    assert!(roles.contains(&"coordinator") && roles.contains(&"advocate"), "{roles:?}");
}

#[actix_web::test]
async fn requirements_are_checked_shown_before_applying_and_frozen_once_open() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let create = format!("/v1/organisations/{org}/placements");
    let mut body = placement_body(&site);
    body["requirements"] = json!({"kinds": ["induction", "induction"], "custom": [{"text": "", "why_we_ask": "x"}]});
    let res = app.post(&create).token(&coordinator).json(body.clone()).send().await;
    res.problem(422, "validation_failed");
    res.has_field_error("/requirements/kinds/1", "duplicate_requirement");
    res.has_field_error("/requirements/induction_url", "required");
    res.has_field_error("/requirements/custom/0/text", "length");
    body["requirements"] = json!({"kinds": ["dbs_check"]});
    let res = app.post(&create).token(&coordinator).json(body.clone()).send().await;
    assert!(res.status == 400 || res.status == 422, "{}", res.text);
    body["requirements"] = json!({"kinds": ["induction"], "induction_url": "http://insecure.example"});
    app.post(&create)
        .token(&coordinator)
        .json(body)
        .send()
        .await
        .has_field_error("/requirements/induction_url", "invalid_url");
    let listed = app.get(&format!("/v1/organisations/{org}/placements?limit=10")).token(&coordinator).send().await;
    assert!(listed.status == 404 || listed.body["items"].as_array().is_none_or(Vec::is_empty), "nothing written");

    // Without requirements, a placement asks nothing but what the law asks of under-16s.
    let plain = app.published(&coordinator, &org, placement_body(&site)).await;
    assert_eq!(plain["requirements"], json!({"kinds": [], "induction_url": null, "custom": []}));
    let explained: Vec<(&str, &str)> = plain["requirements_explained"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["item"].as_str().unwrap(), r["applies_to"].as_str().unwrap()))
        .collect();
    assert_eq!(explained, vec![("parent_carer_consent", "under_16"), ("emergency_contact", "under_16")]);

    // Applicants see the requirements, with why each is asked, before they apply.
    let mut body = placement_body(&site);
    body["requirements"] = requirements();
    let placement = app.published(&coordinator, &org, body).await;
    let public = app.get(&format!("/v1/placements/{}", id(&placement))).send().await;
    let explained = public.ok(200)["requirements_explained"].as_array().unwrap().clone();
    let dbs = explained.iter().find(|r| r["item"] == "dbs_clearance").unwrap();
    assert_eq!((dbs["completed_by"].as_str(), dbs["applies_to"].as_str()), (Some("organisation"), Some("everyone")));
    assert!(dbs["why_we_ask"].as_str().unwrap().contains("never the certificate"));
    let own = explained.iter().find(|r| r["item"] == "custom_1").unwrap();
    assert_eq!(own["why_we_ask"], "Security checks everyone on the ward.");

    // Open for applications: the requirements are frozen.
    let path = format!("/v1/placements/{}", id(&placement));
    let etag = app.get(&path).token(&coordinator).send().await.etag();
    let res = app
        .patch(&path)
        .token(&coordinator)
        .header("if-match", &etag)
        .json(json!({"requirements": {"kinds": ["participant_agreement"]}}))
        .send()
        .await;
    res.problem(409, "frozen_once_open");
    res.has_field_error("/requirements", "frozen_once_open");

    // The vocabulary is reference data.
    let kinds = app.get("/v1/reference-data/requirement-kinds").send().await;
    let codes: Vec<&str> =
        kinds.ok(200)["items"].as_array().unwrap().iter().map(|k| k["code"].as_str().unwrap()).collect();
    assert_eq!(codes.len(), 8);
    assert!(codes.contains(&"parent_carer_consent") && codes.contains(&"adjustments_agreed"));
}

#[actix_web::test]
async fn a_draft_may_change_its_requirements() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let draft = app.draft(&coordinator, &org, placement_body(&site)).await;
    let path = format!("/v1/placements/{}", id(&draft));
    let etag = app.get(&path).token(&coordinator).send().await.etag();
    let res = app
        .patch(&path)
        .token(&coordinator)
        .header("if-match", &etag)
        .json(json!({"requirements": {"kinds": ["occupational_health", "adjustments_agreed"]}}))
        .send()
        .await;
    assert_eq!(res.ok(200)["requirements"]["kinds"], json!(["occupational_health", "adjustments_agreed"]));
}

async fn to(app: &TestApp, template: &str) -> Vec<Value> {
    app.outbox().await.into_iter().filter(|m| m["template"] == template).collect()
}

/// A week before the start, the team hears once how many are not ready, and each participant not
/// ready once what is missing, however often the scheduler runs.
#[actix_web::test]
async fn readiness_reminders_are_sent_once_however_often_the_scheduler_runs() {
    let app = spawn().await;
    let s = setup(&app).await;
    let team = format!("/v1/organisations/{}/team-contact", s.org);
    app.call(Method::PUT, &team).token(&s.coordinator).json(json!({"email": TEAM})).send().await.ok(200);
    // The adult is made ready; the 15-year-old is not.
    let (_, adult) = &s.adult;
    for item in ["participant_agreement", "induction", "dbs_clearance", "custom_1"] {
        let res = app.post(&format!("{}/override", item_path(adult, item))).token(&s.coordinator);
        res.json(json!({"reason": "Done on paper."})).send().await.ok(200);
    }
    let store: Arc<dyn Store> = app.store.clone();
    let at = |date: NaiveDate| date.and_hms_opt(9, 0, 0).unwrap().and_utc();
    let start = start_of(&s);
    wex_http::jobs::run_due(Arc::clone(&store), at(start - Duration::days(8))).await;
    assert!(to(&app, "not_ready").await.is_empty(), "too early");
    for days in [7, 7, 5] {
        wex_http::jobs::run_due(Arc::clone(&store), at(start - Duration::days(days))).await;
    }
    let team_told = to(&app, "participants_not_ready").await;
    assert_eq!(team_told.len(), 1, "{team_told:?}");
    assert_eq!(team_told[0]["recipient"], TEAM);
    let body = team_told[0]["body"].as_str().unwrap();
    assert!(
        body.contains("1 of the 2") && body.contains(&s.young.1) && body.contains("parent_carer_consent"),
        "{body}"
    );
    assert!(!body.contains("jo.bloggs") && !body.contains("Jo Bloggs"), "it names no one");
    let told = to(&app, "not_ready").await;
    let recipients: Vec<&str> = told.iter().map(|m| m["recipient"].as_str().unwrap()).collect();
    let expected = ["jo.bloggs@example.org", "sam.okafor@support.example.org", "parent@example.org"];
    assert_eq!(recipients.len(), 3, "the 15-year-old, their support worker and parent, once each: {recipients:?}");
    assert!(expected.iter().all(|r| recipients.contains(r)), "{recipients:?}");
    assert!(told.iter().all(|m| m["application_id"] == s.young.1.as_str()), "the ready adult is not reminded");
    assert!(told[0]["body"].as_str().unwrap().contains("Parent or carer consent"), "{}", told[0]);
}
