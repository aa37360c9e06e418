//! Advocates: applicants link them by email and revoke them; advocates accept with the code sent
//! to them, manage profiles for people without an account, act for the applicants they are
//! linked to (and no one else), and support workers named on an application add information to it.

use actix_web::http::Method;
use serde_json::{Value, json};
use uuid::Uuid;
use wex_domain::ports::{AdvocacyStore, ApplicationStore, ProfileStore};

use crate::support::{TestApp, id, placement_body, profile_body, spawn, with};

const CODE_ALPHABET: &str = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const WORKER_EMAIL: &str = "sam.okafor@support.example.org";

fn uuid(text: &str) -> Uuid {
    Uuid::parse_str(text).unwrap()
}

/// A profile that names no support worker, so that applying invites nobody.
fn plain_profile(years_old: i64) -> Value {
    with(profile_body(years_old), "/support_worker", Value::Null)
}

/// An open placement for people aged 16 or over: (coordinator, placement).
async fn open_placement(app: &TestApp) -> (String, Value) {
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let placement = app.published(&coordinator, &org, placement_body(&site)).await;
    (coordinator, placement)
}

async fn apply_body(app: &TestApp, on_behalf_of: Option<&str>) -> Value {
    let version = app.privacy_version().await;
    match on_behalf_of {
        Some(profile_id) => json!({"privacy_notice_version": version, "on_behalf_of": profile_id}),
        None => json!({"privacy_notice_version": version}),
    }
}

/// The link id (from the message's link to the invitation's page in the front end) and the code in
/// its text.
#[track_caller]
fn link_and_code(message: &Value) -> (String, String) {
    let body = message["body"].as_str().unwrap_or_else(|| panic!("no body in {message}"));
    let link = message["link"]
        .as_str()
        .and_then(|url| url.split("/advocate-links/").nth(1))
        .unwrap_or_else(|| panic!("no invitation link in {message}"));
    let code: String = body
        .split("code is ")
        .nth(1)
        .unwrap_or_else(|| panic!("no code in {body}"))
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    assert_eq!(code.len(), 10, "{body}");
    assert!(code.chars().all(|c| CODE_ALPHABET.contains(c)), "{code} has look-alike characters");
    assert!(!body.contains(link), "the link's id stays out of the words: {body}");
    uuid(link);
    (link.to_string(), code)
}

/// Another valid-looking code: `code` with its first character changed.
fn wrong(code: &str) -> String {
    let first = if code.starts_with('A') { 'B' } else { 'A' };
    format!("{first}{}", &code[1..])
}

/// The messages with this template sent to `recipient`.
async fn messages(app: &TestApp, template: &str, recipient: &str) -> Vec<Value> {
    app.outbox().await.into_iter().filter(|n| n["template"] == template && n["recipient"] == recipient).collect()
}

/// The caller's links to advocates.
async fn my_links(app: &TestApp, token: &str) -> Value {
    app.get("/v1/me/advocates").token(token).send().await.ok(200)["items"].clone()
}

/// The profiles the caller acts for.
async fn my_applicants(app: &TestApp, token: &str) -> Vec<Value> {
    app.get("/v1/advocacy/applicants").token(token).send().await.ok(200)["items"].as_array().unwrap().clone()
}

async fn invite(app: &TestApp, token: &str, email: &str) -> Value {
    let res = app
        .post("/v1/me/advocates")
        .token(token)
        .json(json!({"email": email, "relationship": "careers_leader"}))
        .send()
        .await;
    let link = res.ok(201).clone();
    assert_eq!(res.header("location"), Some(format!("/v1/me/advocates/{}", id(&link))));
    link
}

async fn accept(app: &TestApp, token: &str, link_id: &str, code: &str) -> crate::support::Resp {
    app.post(&format!("/v1/advocate-links/{link_id}/accept")).token(token).json(json!({"code": code})).send().await
}

/// An applicant (with a profile naming no support worker) who has linked an advocate who accepted:
/// (applicant token, profile, advocate token, link id).
async fn linked(app: &TestApp, advocate_subject: &str) -> (String, Value, String, String) {
    let (applicant, profile) = app.applicant_with(plain_profile(30)).await;
    let email = format!("{advocate_subject}@school.example.org");
    let link = invite(app, &applicant, &email).await;
    let sent = messages(app, "advocate_invitation", &email).await;
    let (link_id, code) = link_and_code(&sent[0]);
    assert_eq!(link_id, id(&link));
    let advocate = app.token("advocate", advocate_subject, None).await;
    assert_eq!(accept(app, &advocate, &link_id, &code).await.ok(200)["status"], "active");
    (applicant, profile, advocate, link_id)
}

/// What the store holds for a profile and its application, to show that nothing changed.
async fn snapshot(app: &TestApp, profile_id: &str, application_id: &str) -> impl PartialEq + std::fmt::Debug {
    let application = uuid(application_id);
    (
        app.store.profile(uuid(profile_id)).unwrap(),
        app.store.application(application).unwrap(),
        app.store.events_of(application).unwrap(),
        app.store.supporting_information_of(application).unwrap(),
        app.outbox().await.len(),
    )
}

/// `token` cannot act for the profile nor touch its application: every advocate endpoint is 404
/// (even with the right If-Match), the profile is not listed, and nothing is written.
async fn shut_out(app: &TestApp, token: &str, profile_id: &str, application_id: &str, placement_id: &str) {
    let before = snapshot(app, profile_id, application_id).await;
    assert!(!my_applicants(app, token).await.iter().any(|p| p["id"] == profile_id), "the profile is listed");
    let path = format!("/v1/advocacy/applicants/{profile_id}");
    app.get(&path).token(token).send().await.problem(404, "not_found");
    let current = format!("\"v{}\"", app.store.profile(uuid(profile_id)).unwrap().version);
    let changed = with(plain_profile(30), "/preferred_name", json!("Changed by a stranger"));
    let put = || app.call(Method::PUT, &path).token(token).json(changed.clone());
    put().send().await.problem(404, "not_found");
    put().header("if-match", &current).send().await.problem(404, "not_found");
    app.get(&format!("{path}/applications")).token(token).send().await.problem(404, "not_found");
    let application = format!("/v1/applications/{application_id}");
    app.get(&application).token(token).send().await.problem(404, "not_found");
    app.post(&format!("{application}/withdraw")).token(token).json(json!({})).send().await.problem(404, "not_found");
    let info = json!({"text": "Jo volunteers at a care home."});
    let res = app.post(&format!("{application}/supporting-information")).token(token).json(info).send().await;
    res.problem(404, "not_found");
    app.apply(token, placement_id, apply_body(app, Some(profile_id)).await).await.problem(404, "not_found");
    assert_eq!(snapshot(app, profile_id, application_id).await, before, "a refused request wrote something");
}

#[actix_web::test]
async fn an_advocate_accepts_an_invitation_with_its_code_once() {
    let app = spawn().await;
    let (applicant, profile) = app.applicant_with(plain_profile(30)).await;
    let link = invite(&app, &applicant, "careers@school.example.org").await;
    assert_eq!(link["status"], "pending");
    assert_eq!(link["profile_id"], profile["id"]);
    assert_eq!(link["advocate_email"], "careers@school.example.org");
    assert_eq!(link["relationship"], "careers_leader");
    assert_eq!(link["accepted_at"], Value::Null);
    assert_eq!(my_links(&app, &applicant).await, json!([link.clone()]));

    let outbox = app.outbox().await;
    assert_eq!(outbox.len(), 1, "{outbox:?}");
    assert_eq!(outbox[0]["template"], "advocate_invitation");
    assert_eq!(outbox[0]["recipient"], "careers@school.example.org");
    let (link_id, code) = link_and_code(&outbox[0]);
    assert_eq!(link_id, id(&link));

    // Until accepted, the advocate acts for nobody.
    let advocate = app.token("advocate", "adv-1", None).await;
    assert_eq!(my_applicants(&app, &advocate).await, Vec::<Value>::new());
    let profile_path = format!("/v1/advocacy/applicants/{}", id(&profile));
    app.get(&profile_path).token(&advocate).send().await.problem(404, "not_found");

    // A wrong code, or the code for another link, is not found, and the link stays pending.
    accept(&app, &advocate, &link_id, &wrong(&code)).await.problem(404, "not_found");
    accept(&app, &advocate, &Uuid::now_v7().to_string(), &code).await.problem(404, "not_found");
    accept(&app, &advocate, &link_id, "").await.problem(404, "not_found");
    assert_eq!(my_links(&app, &applicant).await[0]["status"], "pending");
    app.post(&format!("/v1/advocate-links/{link_id}/accept"))
        .json(json!({"code": code}))
        .send()
        .await
        .problem(401, "unauthorized");

    let res = accept(&app, &advocate, &link_id, &code).await;
    let accepted = res.ok(200);
    assert_eq!(accepted["status"], "active");
    assert_eq!(accepted["id"], link["id"]);
    assert!(accepted["accepted_at"].is_string());
    let links = my_links(&app, &applicant).await;
    assert_eq!(links.as_array().unwrap().len(), 1);
    assert_eq!(links[0]["status"], "active");
    assert_eq!(my_applicants(&app, &advocate).await.iter().map(id).collect::<Vec<_>>(), vec![id(&profile)]);

    // A code works once: the same advocate or anyone else is refused after.
    accept(&app, &advocate, &link_id, &code).await.problem(404, "not_found");
    let other = app.token("advocate", "adv-2", None).await;
    accept(&app, &other, &link_id, &code).await.problem(404, "not_found");
    assert_eq!(my_applicants(&app, &other).await, Vec::<Value>::new());
    assert_eq!(my_links(&app, &applicant).await, links);
    assert_eq!(app.outbox().await.len(), 1);
}

#[actix_web::test]
async fn refused_invitations_write_nothing() {
    let app = spawn().await;
    let ok = json!({"email": "careers@school.example.org", "relationship": "careers_leader"});
    let no_profile = app.applicant().await;
    let res = app.post("/v1/me/advocates").token(&no_profile).json(ok.clone()).send().await;
    res.problem(422, "profile_required");
    res.has_field_error("/profile", "profile_required");
    assert_eq!(my_links(&app, &no_profile).await, json!([]));
    app.post("/v1/me/advocates").json(ok.clone()).send().await.problem(401, "unauthorized");

    let (applicant, _) = app.applicant_with(plain_profile(30)).await;
    let cases = [
        (with(ok.clone(), "/email", json!("careers at school")), "/email", "email"),
        (with(ok.clone(), "/email", json!("")), "/email", "email"),
        (with(ok.clone(), "/relationship", json!("best_friend")), "/relationship", "invalid_value"),
        (json!({"email": "careers@school.example.org"}), "/relationship", "required"),
    ];
    for (body, field, code) in cases {
        let res = app.post("/v1/me/advocates").token(&applicant).json(body).send().await;
        assert_eq!(res.status, 422, "{field}: {}", res.text);
        res.has_field_error(field, code);
    }
    assert_eq!(my_links(&app, &applicant).await, json!([]));
    assert_eq!(app.outbox().await, Vec::<Value>::new(), "a refused invitation was sent");
}

#[actix_web::test]
async fn a_linked_advocate_manages_the_profile_and_applications() {
    let app = spawn().await;
    let (_, placement) = open_placement(&app).await;
    let (applicant, profile, advocate, _) = linked(&app, "adv-1").await;
    let pid = id(&profile);
    let listed = my_applicants(&app, &advocate).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["email"], "jo.bloggs@example.org");
    assert_eq!(listed[0]["id"], profile["id"]);

    let path = format!("/v1/advocacy/applicants/{pid}");
    let read = app.get(&path).token(&advocate).send().await;
    assert_eq!(read.ok(200)["date_of_birth"], profile["date_of_birth"]);
    assert_eq!(read.etag(), "\"v1\"");

    let put = |body: Value| app.call(Method::PUT, &path).token(&advocate).json(body);
    let renamed = with(plain_profile(30), "/preferred_name", json!("Jojo"));
    put(renamed.clone()).send().await.problem(428, "precondition_required");
    let replaced = put(renamed).header("if-match", "\"v1\"").send().await;
    assert_eq!(replaced.ok(200)["preferred_name"], "Jojo");
    assert_eq!(replaced.etag(), "\"v2\"");
    let stale = with(plain_profile(30), "/preferred_name", json!("Stale"));
    put(stale).header("if-match", "\"v1\"").send().await.problem(412, "version_mismatch");
    let bad = with(plain_profile(30), "/postcode", json!("Southampton"));
    put(bad).header("if-match", "\"v2\"").send().await.has_field_error("/postcode", "invalid_postcode");
    let mine = app.get("/v1/me/profile").token(&applicant).send().await;
    assert_eq!(mine.ok(200)["preferred_name"], "Jojo");
    assert_eq!(mine.body["postcode"], "SO16 6YD");
    assert_eq!(mine.etag(), "\"v2\"");

    let res = app.apply(&advocate, &id(&placement), apply_body(&app, Some(&pid)).await).await;
    let a = res.ok(201).clone();
    assert_eq!(a["submitted_by"], "advocate");
    assert_eq!(a["history"][0]["by"], "advocate");
    assert_eq!(a["history"][0]["to"], "submitted");
    let received = messages(&app, "application_received", "jo.bloggs@example.org").await;
    assert_eq!(received.len(), 1, "the applicant is told");
    assert_eq!(received[0]["application_id"], a["id"]);

    let theirs = app.get(&format!("{path}/applications")).token(&advocate).send().await;
    let items = theirs.ok(200)["items"].as_array().unwrap();
    assert_eq!(items.iter().map(id).collect::<Vec<_>>(), vec![id(&a)]);
    assert_eq!(items[0]["submitted_by"], "advocate");
    let dashboard = app.get("/v1/me/applications").token(&applicant).send().await;
    assert_eq!(dashboard.ok(200)["items"][0]["id"], a["id"]);
    assert_eq!(dashboard.body["items"][0]["submitted_by"], "advocate");

    let application = format!("/v1/applications/{}", id(&a));
    assert_eq!(app.get(&application).token(&advocate).send().await.ok(200)["ticket"], a["ticket"]);
    // The advocate has no applications of their own.
    assert_eq!(app.get("/v1/me/applications").token(&advocate).send().await.ok(200)["items"], json!([]));
    let res = app
        .post(&format!("{application}/withdraw"))
        .token(&advocate)
        .json(json!({"reason": "Jo has a college interview that week."}))
        .send()
        .await;
    let w = res.ok(200);
    assert_eq!(w["status"], "withdrawn");
    assert_eq!(w["history"][1]["by"], "advocate");
    assert_eq!(w["history"][1]["from"], "submitted");
    assert_eq!(w["history"][1]["reason"], "Jo has a college interview that week.");
    let seen = app.get(&application).token(&applicant).send().await;
    assert_eq!(seen.ok(200)["status"], "withdrawn");
    assert_eq!(seen.body["submitted_by"], "advocate");
}

#[actix_web::test]
async fn revoking_a_link_shuts_the_advocate_out() {
    let app = spawn().await;
    let (_, placement) = open_placement(&app).await;
    let (_, second) = open_placement(&app).await;
    let (applicant, profile, advocate, link_id) = linked(&app, "adv-1").await;
    let pid = id(&profile);
    let a = app.apply(&advocate, &id(&placement), apply_body(&app, Some(&pid)).await).await.ok(201).clone();

    // Only the applicant can end the link: not another applicant, nor the advocate.
    let (other, _) = app.applicant_with(plain_profile(40)).await;
    let revoke_path = format!("/v1/me/advocates/{link_id}");
    app.delete(&revoke_path).token(&other).send().await.problem(404, "not_found");
    app.delete(&revoke_path).token(&advocate).send().await.problem(404, "not_found");
    app.delete(&format!("/v1/me/advocates/{}", Uuid::now_v7()))
        .token(&applicant)
        .send()
        .await
        .problem(404, "not_found");
    app.delete(&revoke_path).send().await.problem(401, "unauthorized");
    assert_eq!(my_links(&app, &applicant).await[0]["status"], "active");
    assert_eq!(my_applicants(&app, &advocate).await.len(), 1);

    let res = app.delete(&revoke_path).token(&applicant).send().await;
    let revoked = res.ok(200);
    assert_eq!(revoked["status"], "revoked");
    assert!(revoked["revoked_at"].is_string());
    app.delete(&revoke_path).token(&applicant).send().await.problem(409, "already_revoked");
    let links = my_links(&app, &applicant).await;
    assert_eq!(links.as_array().unwrap().len(), 1, "the link is kept for the record");
    assert_eq!(links[0]["status"], "revoked");

    assert_eq!(my_applicants(&app, &advocate).await, Vec::<Value>::new());
    shut_out(&app, &advocate, &pid, &id(&a), &id(&second)).await;
    // The old code cannot bring the link back.
    let sent = messages(&app, "advocate_invitation", "adv-1@school.example.org").await;
    let (_, code) = link_and_code(&sent[0]);
    accept(&app, &advocate, &link_id, &code).await.problem(404, "not_found");
    assert_eq!(my_links(&app, &applicant).await, links);
    let mine = app.get(&format!("/v1/applications/{}", id(&a))).token(&applicant).send().await;
    assert_eq!(mine.ok(200)["status"], "submitted", "the application stays the applicant's");
}

#[actix_web::test]
async fn a_pending_link_can_be_revoked_before_it_is_accepted() {
    let app = spawn().await;
    let (applicant, _) = app.applicant_with(plain_profile(30)).await;
    let link = invite(&app, &applicant, "careers@school.example.org").await;
    let (link_id, code) = link_and_code(&app.outbox().await[0]);
    let revoked = app.delete(&format!("/v1/me/advocates/{link_id}")).token(&applicant).send().await;
    assert_eq!(revoked.ok(200)["status"], "revoked");
    assert_eq!(revoked.body["id"], link["id"]);
    let advocate = app.token("advocate", "adv-1", None).await;
    accept(&app, &advocate, &link_id, &code).await.problem(404, "not_found");
    assert_eq!(my_applicants(&app, &advocate).await, Vec::<Value>::new());
    assert_eq!(my_links(&app, &applicant).await[0]["status"], "revoked");
}

#[actix_web::test]
async fn nobody_unlinked_acts_for_an_applicant() {
    let app = spawn().await;
    let (_, placement) = open_placement(&app).await;
    let (_, second) = open_placement(&app).await;
    // Jo applied herself; her advocate is linked and can see it.
    let (jo, jo_profile, jo_advocate, _) = linked(&app, "adv-jo").await;
    let a = app.apply(&jo, &id(&placement), apply_body(&app, None).await).await.ok(201).clone();
    assert_eq!(app.get(&format!("/v1/applications/{}", id(&a))).token(&jo_advocate).send().await.status, 200);
    // Kim has an advocate of her own.
    let (_, kim_profile, kim_advocate, _) = linked(&app, "adv-kim").await;

    let stranger = app.token("advocate", "adv-stranger", None).await;
    let (other_applicant, _) = app.applicant_with(plain_profile(40)).await;
    for token in [&stranger, &kim_advocate, &other_applicant] {
        shut_out(&app, token, &id(&jo_profile), &id(&a), &id(&second)).await;
    }
    assert_eq!(my_applicants(&app, &stranger).await, Vec::<Value>::new());
    assert_eq!(my_applicants(&app, &other_applicant).await, Vec::<Value>::new());
    let kims = my_applicants(&app, &kim_advocate).await;
    assert_eq!(kims.iter().map(id).collect::<Vec<_>>(), vec![id(&kim_profile)], "an advocate sees only their own");
    // The applicant is not her own advocate either.
    app.get(&format!("/v1/advocacy/applicants/{}", id(&jo_profile))).token(&jo).send().await.problem(404, "not_found");
}

#[actix_web::test]
async fn applying_on_behalf_of_someone_not_linked_is_not_found_and_writes_nothing() {
    let app = spawn().await;
    let (coordinator, placement) = open_placement(&app).await;
    let (applicant, profile) = app.applicant_with(profile_body(30)).await;
    let pid = id(&profile);
    // Invited but not yet accepted: no access either.
    invite(&app, &applicant, "pending@school.example.org").await;
    let pending = app.token("advocate", "adv-pending", None).await;
    let stranger = app.token("advocate", "adv-stranger", None).await;
    let (other_applicant, _) = app.applicant_with(plain_profile(40)).await;
    let links = my_links(&app, &applicant).await;
    let before = app.outbox().await.len();
    for token in [&pending, &stranger, &other_applicant] {
        let res = app.apply(token, &id(&placement), apply_body(&app, Some(&pid)).await).await;
        res.problem(404, "not_found");
    }
    let nobody = Uuid::now_v7().to_string();
    app.apply(&stranger, &id(&placement), apply_body(&app, Some(&nobody)).await).await.problem(404, "not_found");
    assert_eq!(app.get("/v1/me/applications").token(&applicant).send().await.ok(200)["items"], json!([]));
    assert_eq!(app.get("/v1/me/applications").token(&other_applicant).send().await.ok(200)["items"], json!([]));
    let list = app.get(&format!("/v1/placements/{}/applications", id(&placement))).token(&coordinator).send().await;
    assert_eq!(list.ok(200)["items"], json!([]));
    assert_eq!(app.outbox().await.len(), before, "a refused application sent messages");
    assert_eq!(my_links(&app, &applicant).await, links, "a refused application invited the support worker");
}

fn managed(profile: Value, consent: Value) -> Value {
    json!({"profile": profile, "consent": consent, "relationship": "careers_leader"})
}

fn pupil(years_old: i64) -> Value {
    let p = with(plain_profile(years_old), "/email", json!("pupil.parent@example.org"));
    with(p, "/user_groups", json!(["school_pupils_14_16"]))
}

#[actix_web::test]
async fn managed_profiles_record_consent_and_belong_to_their_advocate() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let for_pupils =
        app.published(&coordinator, &org, with(placement_body(&site), "/eligibility/min_age", json!(14))).await;
    let advocate = app.token("advocate", "careers-leader-1", None).await;

    let adult =
        managed(with(plain_profile(19), "/email", json!("leaver@example.org")), json!({"given_by": "applicant"}));
    let res = app.post("/v1/advocacy/applicants").token(&advocate).json(adult).send().await;
    let created = res.ok(201).clone();
    assert_eq!(res.header("location"), Some(format!("/v1/advocacy/applicants/{}", id(&created))));
    assert_eq!(res.etag(), "\"v1\"");
    assert_eq!(created["managed_by"], "careers-leader-1");
    assert_eq!(created["email"], "leaver@example.org");
    let stored = app.store.profile(uuid(&id(&created))).unwrap();
    assert_eq!(stored.subject, None);
    assert_eq!(stored.consent.map(|c| (c.given_by.code().to_string(), c.giver_name)), Some(("applicant".into(), None)));

    let young = managed(pupil(15), json!({"given_by": "parent_or_carer", "giver_name": "Alex Smith (mother)"}));
    let res = app.post("/v1/advocacy/applicants").token(&advocate).json(young).send().await;
    let child = res.ok(201).clone();
    let stored = app.store.profile(uuid(&id(&child))).unwrap().consent.unwrap();
    assert_eq!(stored.given_by.code(), "parent_or_carer");
    assert_eq!(stored.giver_name.as_deref(), Some("Alex Smith (mother)"));

    let mut listed: Vec<String> = my_applicants(&app, &advocate).await.iter().map(id).collect();
    listed.sort();
    let mut expected = vec![id(&created), id(&child)];
    expected.sort();
    assert_eq!(listed, expected);
    let read = app.get(&format!("/v1/advocacy/applicants/{}", id(&child))).token(&advocate).send().await;
    assert_eq!(read.ok(200)["email"], "pupil.parent@example.org");
    // A managed profile is not the advocate's own.
    app.get("/v1/me/profile").token(&advocate).send().await.problem(404, "not_found");

    // Another advocate sees none of them.
    let other = app.token("advocate", "careers-leader-2", None).await;
    assert_eq!(my_applicants(&app, &other).await, Vec::<Value>::new());
    app.get(&format!("/v1/advocacy/applicants/{}", id(&child))).token(&other).send().await.problem(404, "not_found");
    let body = apply_body(&app, Some(&id(&child))).await;
    app.apply(&other, &id(&for_pupils), body).await.problem(404, "not_found");

    // The advocate applies for both; the under-16 is refused by a 16+ placement, writing nothing.
    let (_, adults_only) = open_placement(&app).await;
    let before = app.outbox().await.len();
    let res = app.apply(&advocate, &id(&adults_only), apply_body(&app, Some(&id(&child))).await).await;
    res.problem(422, "age_not_eligible");
    assert_eq!(app.outbox().await.len(), before);
    let path = format!("/v1/advocacy/applicants/{}/applications", id(&child));
    assert_eq!(app.get(&path).token(&advocate).send().await.ok(200)["items"], json!([]));

    for (profile, email) in [(&created, "leaver@example.org"), (&child, "pupil.parent@example.org")] {
        let res = app.apply(&advocate, &id(&for_pupils), apply_body(&app, Some(&id(profile))).await).await;
        let a = res.ok(201).clone();
        assert_eq!(a["submitted_by"], "advocate");
        assert_eq!(a["history"][0]["by"], "advocate");
        let path = format!("/v1/advocacy/applicants/{}/applications", id(profile));
        let items = app.get(&path).token(&advocate).send().await.ok(200)["items"].clone();
        assert_eq!(items.as_array().unwrap().iter().map(id).collect::<Vec<_>>(), vec![id(&a)]);
        let received = messages(&app, "application_received", email).await;
        assert_eq!(received.len(), 1, "{email}");
        assert_eq!(received[0]["application_id"], a["id"]);
    }
    let counts = app.get(&format!("/v1/placements/{}/applications", id(&for_pupils))).token(&coordinator).send().await;
    assert_eq!(counts.ok(200)["counts"], json!({"submitted": 2}));
    // The reports count the managed profiles as registered, and as applicants.
    crate::counters::assert_people_counted(&app.store, 2);
}

#[actix_web::test]
async fn refused_managed_profiles_are_not_created() {
    let app = spawn().await;
    let advocate = app.token("advocate", "careers-leader-1", None).await;
    let parent = json!({"given_by": "parent_or_carer", "giver_name": "Alex Smith (mother)"});
    let create = |body: Value| app.post("/v1/advocacy/applicants").token(&advocate).json(body);

    // Under 16: a parent or carer must agree, by name.
    for consent in [
        json!({"given_by": "applicant"}),
        json!({"given_by": "applicant", "giver_name": "Alex Smith"}),
        json!({"given_by": "parent_or_carer"}),
        json!({"given_by": "parent_or_carer", "giver_name": "   "}),
    ] {
        let res = create(managed(pupil(15), consent.clone())).send().await;
        res.problem(422, "validation_failed");
        res.has_field_error("/consent", "parent_or_carer_consent_required");
        assert_eq!(res.field_errors().len(), 1, "{consent}: {}", res.text);
    }

    let today = chrono::Utc::now().date_naive();
    let cases = [
        (with(pupil(15), "/email", json!("parent at home")), "/profile/email", "email"),
        (with(pupil(15), "/postcode", json!("Southampton")), "/profile/postcode", "invalid_postcode"),
        (with(pupil(15), "/phone", json!("ring me")), "/profile/phone", "invalid_phone"),
        (with(profile_body(15), "/support_worker/email", json!("sam")), "/profile/support_worker/email", "email"),
        (
            with(pupil(15), "/date_of_birth", json!((today - chrono::Duration::days(365 * 12)).to_string())),
            "/profile/date_of_birth",
            "too_young",
        ),
        (with(pupil(15), "/user_groups", json!(["astronauts"])), "/profile/user_groups/0", "invalid_value"),
    ];
    for (profile, field, code) in cases {
        let res = create(managed(profile, parent.clone())).send().await;
        assert_eq!(res.status, 422, "{field}: {}", res.text);
        res.has_field_error(field, code);
        assert!(res.field_errors().iter().all(|(f, _)| f.starts_with("/profile/")), "{field}: {}", res.text);
    }
    // Both at once are reported together.
    let res = create(managed(with(pupil(15), "/email", json!("nope")), json!({"given_by": "applicant"}))).send().await;
    res.has_field_error("/profile/email", "email");
    res.has_field_error("/consent", "parent_or_carer_consent_required");
    let res = create(json!({"profile": pupil(15), "relationship": "careers_leader"})).send().await;
    res.has_field_error("/consent", "required");
    let res = create(managed(pupil(15), json!({"given_by": "grandparent", "giver_name": "Pat"}))).send().await;
    res.has_field_error("/consent/given_by", "invalid_value");
    app.post("/v1/advocacy/applicants").json(managed(pupil(15), parent)).send().await.problem(401, "unauthorized");

    assert_eq!(my_applicants(&app, &advocate).await, Vec::<Value>::new(), "a refused profile was created");
    assert_eq!(app.outbox().await, Vec::<Value>::new());
}

#[actix_web::test]
async fn consent_field_errors_point_into_the_consent() {
    let app = spawn().await;
    let advocate = app.token("advocate", "careers-leader-1", None).await;
    let consent = json!({"given_by": "parent_or_carer", "giver_name": "A".repeat(201)});
    let res = app.post("/v1/advocacy/applicants").token(&advocate).json(managed(pupil(15), consent)).send().await;
    res.problem(422, "validation_failed");
    res.has_field_error("/consent/giver_name", "length");
    assert_eq!(my_applicants(&app, &advocate).await, Vec::<Value>::new());
}

#[actix_web::test]
async fn a_named_support_worker_accepts_and_adds_supporting_information() {
    let app = spawn().await;
    let (coordinator, placement) = open_placement(&app).await;
    // profile_body names Sam Okafor as the support worker.
    let (applicant, profile) = app.applicant_with(profile_body(30)).await;
    let a = app.apply(&applicant, &id(&placement), apply_body(&app, None).await).await.ok(201).clone();
    let named = messages(&app, "support_worker_named", WORKER_EMAIL).await;
    assert_eq!(named.len(), 1);
    assert_eq!(named[0]["application_id"], a["id"]);
    let (link_id, code) = link_and_code(&named[0]);
    let links = my_links(&app, &applicant).await;
    assert_eq!(links.as_array().unwrap().len(), 1);
    assert_eq!(links[0]["id"], json!(link_id));
    assert_eq!(links[0]["advocate_email"], WORKER_EMAIL);
    assert_eq!(links[0]["relationship"], "support_worker");
    assert_eq!(links[0]["status"], "pending");

    let worker = app.token("advocate", "sam-okafor", None).await;
    let application = format!("/v1/applications/{}", id(&a));
    let info_path = format!("{application}/supporting-information");
    let text = "Jo has volunteered at a care home every Saturday for a year.";
    let before = app.store.supporting_information_of(uuid(&id(&a))).unwrap();
    assert!(before.is_empty());
    let res = app.post(&info_path).token(&worker).json(json!({"text": text})).send().await;
    res.problem(404, "not_found");
    app.get(&application).token(&worker).send().await.problem(404, "not_found");

    assert_eq!(accept(&app, &worker, &link_id, &code).await.ok(200)["status"], "active");
    assert_eq!(my_applicants(&app, &worker).await.iter().map(id).collect::<Vec<_>>(), vec![id(&profile)]);
    assert_eq!(app.get(&application).token(&worker).send().await.ok(200)["supporting_information"], json!([]));
    for bad in [json!({"text": ""}), json!({"text": "   "}), json!({"text": "x".repeat(4001)})] {
        let res = app.post(&info_path).token(&worker).json(bad).send().await;
        res.problem(422, "validation_failed");
        res.has_field_error("/text", "length");
    }
    app.post(&info_path).token(&worker).json(json!({})).send().await.has_field_error("/text", "required");
    assert!(app.store.supporting_information_of(uuid(&id(&a))).unwrap().is_empty(), "refused information was stored");

    let res = app.post(&info_path).token(&worker).json(json!({"text": format!("  {text}  ")})).send().await;
    let added = res.ok(201).clone();
    assert_eq!(added["text"], text);
    assert!(added["added_at"].is_string());
    let seen = app.get(&application).token(&applicant).send().await;
    let supporting = seen.ok(200)["supporting_information"].as_array().unwrap();
    assert_eq!(supporting.len(), 1);
    assert_eq!(supporting[0]["id"], added["id"]);
    assert_eq!(supporting[0]["text"], text);
    assert!(supporting[0].get("author_subject").is_none());
    // The applicant is not their own advocate.
    let res = app.post(&info_path).token(&applicant).json(json!({"text": "About me."})).send().await;
    res.problem(404, "not_found");

    // The coordinator still sees the application name-blind, without the support worker or the
    // supporting information, and cannot reach the application itself.
    let list = app.get(&format!("/v1/placements/{}/applications", id(&placement))).token(&coordinator).send().await;
    let items = list.ok(200)["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    let mut keys: Vec<&str> = items[0].as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        vec![
            "answers",
            "id",
            "in_catchment",
            "meets_age_rule",
            "meets_criteria",
            "meets_user_group_rule",
            "status",
            "submitted_at",
            "submitted_by",
            "ticket"
        ]
    );
    for secret in
        [text, WORKER_EMAIL, "Sam Okafor", "jo.bloggs@example.org", "Jo Bloggs", profile["id"].as_str().unwrap()]
    {
        assert!(!list.text.contains(secret), "{secret} exposed to the coordinator");
    }
    app.get(&application).token(&coordinator).send().await.problem(404, "not_found");
    let res = app.post(&info_path).token(&coordinator).json(json!({"text": "A note."})).send().await;
    res.problem(404, "not_found");
    assert_eq!(app.store.supporting_information_of(uuid(&id(&a))).unwrap().len(), 1);

    // A second application: the worker, linked already, is told but not invited again.
    let (_, second) = open_placement(&app).await;
    let b = app.apply(&applicant, &id(&second), apply_body(&app, None).await).await.ok(201).clone();
    let named = messages(&app, "support_worker_named", WORKER_EMAIL).await;
    assert_eq!(named.len(), 2);
    assert_eq!(named[1]["application_id"], b["id"]);
    assert!(!named[1]["body"].as_str().unwrap().contains("/accept"), "{}", named[1]["body"]);
    assert_eq!(my_links(&app, &applicant).await.as_array().unwrap().len(), 1);
    let res = app.post(&format!("/v1/applications/{}/supporting-information", id(&b))).token(&worker);
    res.json(json!({"text": "Also keen on this one."})).send().await.ok(201);
}

#[actix_web::test]
async fn supporting_information_needs_an_application_still_waiting() {
    let app = spawn().await;
    let (_, placement) = open_placement(&app).await;
    let (applicant, _) = app.applicant_with(profile_body(30)).await;
    let a = app.apply(&applicant, &id(&placement), apply_body(&app, None).await).await.ok(201).clone();
    let named = messages(&app, "support_worker_named", WORKER_EMAIL).await;
    let (link_id, code) = link_and_code(&named[0]);
    let worker = app.token("advocate", "sam-late", None).await;
    accept(&app, &worker, &link_id, &code).await.ok(200);
    // Withdrawn with no body at all: the reason is optional.
    let withdrawn = app.post(&format!("/v1/applications/{}/withdraw", id(&a))).token(&applicant).send().await;
    assert_eq!(withdrawn.ok(200)["status"], "withdrawn");
    let path = format!("/v1/applications/{}/supporting-information", id(&a));
    app.post(&path)
        .token(&worker)
        .json(json!({"text": "Too late."}))
        .send()
        .await
        .problem(409, "application_not_active");
    assert!(app.store.supporting_information_of(uuid(&id(&a))).unwrap().is_empty());
}

#[actix_web::test]
async fn an_invited_link_is_read_at_its_location_by_its_applicant_only() {
    let app = spawn().await;
    let (applicant, _) = app.applicant_with(plain_profile(30)).await;
    let res = app
        .post("/v1/me/advocates")
        .token(&applicant)
        .json(json!({"email": "helper@example.org", "relationship": "caseworker"}))
        .send()
        .await;
    let location = res.header("location").unwrap();
    let link = app.get(&location).token(&applicant).send().await;
    assert_eq!(link.ok(200)["id"], res.body["id"]);
    assert_eq!(link.body["status"], "pending");
    let (other, _) = app.applicant_with(plain_profile(30)).await;
    app.get(&location).token(&other).send().await.problem(404, "not_found");
    app.get(&location).token(&app.token("advocate", "nosy", None).await).send().await.problem(404, "not_found");
}
