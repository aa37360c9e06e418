//! After acceptance: hosts, participants revealed (and audited), attendance, certificates,
//! feedback, and the audit log.

use serde_json::{Value, json};

use crate::support::{TestApp, id, placement_body, profile_body, spawn, with};

pub struct Setup {
    pub org: String,
    pub coordinator: String,
    pub placement: Value,
    /// (token, application) of the participant who accepted, and of one still only offered.
    pub accepted: (String, Value),
    pub offered: (String, Value),
}

/// A published placement of two places, drawn, with one place accepted and one only offered.
pub async fn setup(app: &TestApp) -> Setup {
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let placement = app.published(&coordinator, &org, with(placement_body(&site), "/capacity", json!(2))).await;
    let version = app.privacy_version().await;
    let mut people = Vec::new();
    for _ in 0..2 {
        let (token, _) = app.applicant_with(profile_body(30)).await;
        let a = app.apply(&token, &id(&placement), json!({"privacy_notice_version": version})).await.ok(201).clone();
        people.push((token, a));
    }
    let path = format!("/v1/placements/{}", id(&placement));
    app.post(&format!("{path}/close")).token(&coordinator).send().await.ok(200);
    app.post(&format!("{path}/draw")).token(&coordinator).send().await.ok(200);
    let mut apps = Vec::new();
    for (token, a) in people {
        let now = app.get(&format!("/v1/applications/{}", id(&a))).token(&token).send().await.ok(200).clone();
        apps.push((token, now));
    }
    let (token, a) = &apps[0];
    let accepted =
        app.post(&format!("/v1/offers/{}/accept", id(&a["offer"]))).token(token).send().await.ok(200).clone();
    Setup { org, coordinator, placement, accepted: (token.clone(), accepted), offered: apps[1].clone() }
}

/// A host of the organisation, named for the placement: their token.
async fn named_host(app: &TestApp, s: &Setup, subject: &str) -> String {
    let host = app.token("host", subject, Some(&s.org)).await;
    let res = app
        .post(&format!("/v1/placements/{}/hosts", id(&s.placement)))
        .token(&s.coordinator)
        .json(json!({"subject": subject}))
        .send()
        .await;
    assert!(res.ok(201)["items"].as_array().unwrap().iter().any(|h| h == subject));
    host
}

async fn audit_count(app: &TestApp) -> usize {
    let admin = app.admin().await;
    let res = app.get("/v1/audit-events?limit=100").token(&admin).send().await;
    res.ok(200)["items"].as_array().unwrap().iter().filter(|e| e["action"] == "identity_revealed").count()
}

#[actix_web::test]
async fn identity_is_revealed_only_for_accepted_places_and_each_reveal_is_audited() {
    let app = spawn().await;
    let s = setup(&app).await;
    let path = format!("/v1/placements/{}/participants", id(&s.placement));
    let before = audit_count(&app).await;
    let res = app.get(&path).token(&s.coordinator).send().await;
    let body = res.ok(200);
    let people = body["participants"].as_array().unwrap();
    assert_eq!(people.len(), 1, "only the accepted place");
    assert_eq!(people[0]["application_id"], s.accepted.1["id"]);
    assert_eq!(people[0]["email"], "jo.bloggs@example.org");
    assert_eq!(people[0]["support_worker"]["name"], "Sam Okafor");
    assert!(!res.text.contains(s.offered.1["id"].as_str().unwrap()), "the offered applicant stays name-blind");
    assert!(body["host_guidance"].as_array().unwrap().iter().any(|g| g["user_group"] == "career_changers"));
    assert_eq!(audit_count(&app).await, before + 1, "the reveal is audited");

    let host = named_host(&app, &s, "host-ward").await;
    assert_eq!(app.get(&path).token(&host).send().await.ok(200)["participants"].as_array().unwrap().len(), 1);
    assert_eq!(audit_count(&app).await, before + 2);

    let unnamed = app.token("host", "host-elsewhere", Some(&s.org)).await;
    let (_, other_coordinator, _) = app.coordinated_organisation().await;
    for token in [&unnamed, &other_coordinator, &s.accepted.0, &app.admin().await] {
        app.get(&path).token(token).send().await.problem(404, "not_found");
    }
    assert_eq!(audit_count(&app).await, before + 2, "refusals reveal nothing");
    app.get("/v1/audit-events").token(&s.coordinator).send().await.problem(403, "audit_reader_role_required");
}

#[actix_web::test]
async fn hosts_must_hold_the_host_role_and_are_named_by_coordinators() {
    let app = spawn().await;
    let s = setup(&app).await;
    let path = format!("/v1/placements/{}/hosts", id(&s.placement));
    let res = app.post(&path).token(&s.coordinator).json(json!({"subject": "not-a-host"})).send().await;
    res.has_field_error("/subject", "not_a_host");
    let _ = named_host(&app, &s, "host-a").await;
    app.post(&path).token(&s.coordinator).json(json!({"subject": "host-a"})).send().await.problem(409, "already_named");
    let (_, other_coordinator, _) = app.coordinated_organisation().await;
    app.post(&path).token(&other_coordinator).json(json!({"subject": "host-a"})).send().await.problem(404, "not_found");
    app.get(&path).token(&other_coordinator).send().await.problem(404, "not_found");
    assert_eq!(app.get(&path).token(&s.coordinator).send().await.ok(200)["items"], json!(["host-a"]));
    app.delete(&format!("{path}/host-a")).token(&s.coordinator).send().await.ok(204);
    app.delete(&format!("{path}/host-a")).token(&s.coordinator).send().await.problem(404, "not_found");
}

#[actix_web::test]
async fn attendance_completion_certificates_and_feedback() {
    let app = spawn().await;
    let s = setup(&app).await;
    let host = named_host(&app, &s, "host-b").await;
    let (token, accepted) = &s.accepted;
    let application = format!("/v1/applications/{}", id(accepted));
    let attend = json!({"attended": true});
    app.post(&format!("{application}/attendance"))
        .token(&host)
        .json(attend.clone())
        .send()
        .await
        .problem(409, "not_started");
    // The placement starts: move the sandbox clock to its start date.
    let start = format!("{}T10:00:00Z", s.placement["start_date"].as_str().unwrap());
    app.post("/v1/sandbox/clock").json(json!({"set": start})).send().await.ok(200);
    let offered = format!("/v1/applications/{}", id(&s.offered.1));
    app.post(&format!("{offered}/attendance"))
        .token(&host)
        .json(attend.clone())
        .send()
        .await
        .problem(409, "not_a_participant");
    app.post(&format!("{application}/complete")).token(&host).send().await.problem(409, "not_attended");
    for outsider in [token, &app.token("host", "host-c", Some(&s.org)).await] {
        app.post(&format!("{application}/attendance"))
            .token(outsider)
            .json(attend.clone())
            .send()
            .await
            .problem(404, "not_found");
    }
    let res = app.post(&format!("{application}/attendance")).token(&host).json(attend).send().await;
    assert_eq!(res.ok(200)["status"], "attended");
    app.post(&format!("{application}/feedback"))
        .token(token)
        .json(json!({"more_likely_to_consider": "more_likely"}))
        .send()
        .await
        .problem(409, "not_completed");
    let done = app.post(&format!("{application}/complete")).token(&s.coordinator).send().await;
    assert_eq!(done.ok(200)["status"], "completed");
    let code = done.body["certificate_code"].as_str().unwrap().to_string();

    let cert = app.get(&format!("/v1/certificates/{}", code.to_lowercase())).send().await;
    assert_eq!(cert.ok(200)["participant_initials"], "JB");
    assert_eq!(cert.body["placement_title"], s.placement["title"]);
    assert!(!cert.text.contains("jo.bloggs"), "no contact details on a certificate");
    app.get("/v1/certificates/NOTACODE").send().await.problem(404, "not_found");
    assert!(
        app.outbox()
            .await
            .iter()
            .any(|n| n["template"] == "feedback_request" && n["body"].as_str().unwrap().contains(&code))
    );

    let answers = json!({
        "more_likely_to_consider": "a_lot_more_likely",
        "agreement": {"better_able_to_decide": "agree", "realistic_insights": "strongly_agree"},
        "comments": "Brilliant week."
    });
    let bad = json!({"more_likely_to_consider": "maybe"});
    app.post(&format!("{application}/feedback"))
        .token(token)
        .json(bad)
        .send()
        .await
        .has_field_error("/more_likely_to_consider", "invalid_value");
    let bad = json!({"more_likely_to_consider": "more_likely", "agreement": {"i_loved_it": "agree"}});
    app.post(&format!("{application}/feedback")).token(token).json(bad).send().await.problem(422, "invalid_value");
    let thanks = app.post(&format!("{application}/feedback")).token(token).json(answers.clone()).send().await;
    assert_eq!(thanks.ok(201)["status"], "completed");
    app.post(&format!("{application}/feedback"))
        .token(token)
        .json(answers)
        .send()
        .await
        .problem(409, "feedback_already_given");
    app.post(&format!("{application}/feedback"))
        .token(&s.offered.0)
        .json(json!({"more_likely_to_consider": "the_same"}))
        .send()
        .await
        .problem(404, "not_found");

    let host_path = format!("/v1/placements/{}/host-feedback", id(&s.placement));
    let host_answers = json!({"would_host_again": true, "felt_recognised": "partly"});
    app.post(&host_path).token(&s.coordinator).json(host_answers.clone()).send().await.problem(404, "not_found");
    app.post(&host_path).token(&host).json(host_answers.clone()).send().await.ok(204);
    app.post(&host_path).token(&host).json(host_answers).send().await.problem(409, "feedback_already_given");
}

#[actix_web::test]
async fn host_guidance_covers_every_user_group() {
    let app = spawn().await;
    let res = app.get("/v1/reference-data/host-guidance").send().await;
    let items = res.ok(200)["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 9);
    assert!(items.iter().all(|i| i["description"].as_str().unwrap().len() > 40));
}

#[actix_web::test]
async fn a_host_whose_role_is_revoked_sees_nothing_more() {
    let app = spawn().await;
    let s = setup(&app).await;
    let host = named_host(&app, &s, "host-leaving").await;
    let path = format!("/v1/placements/{}/participants", id(&s.placement));
    app.get(&path).token(&host).send().await.ok(200);
    let admin = app.admin().await;
    let members = app.get(&format!("/v1/organisations/{}/members", s.org)).token(&admin).send().await;
    let membership =
        members.ok(200)["items"].as_array().unwrap().iter().find(|m| m["subject"] == "host-leaving").unwrap().clone();
    app.delete(&format!("/v1/organisations/{}/members/{}", s.org, id(&membership))).token(&admin).send().await.ok(204);
    app.get(&path).token(&host).send().await.problem(404, "not_found");
    let host_path = format!("/v1/placements/{}/host-feedback", id(&s.placement));
    app.post(&host_path)
        .token(&host)
        .json(json!({"would_host_again": true, "felt_recognised": "yes"}))
        .send()
        .await
        .problem(404, "not_found");
}

#[actix_web::test]
async fn attendance_can_be_corrected_until_completion_and_host_feedback_waits_for_the_start() {
    let app = spawn().await;
    let s = setup(&app).await;
    let host = named_host(&app, &s, "host-d").await;
    let host_path = format!("/v1/placements/{}/host-feedback", id(&s.placement));
    let answers = json!({"would_host_again": true, "felt_recognised": "yes"});
    app.post(&host_path).token(&host).json(answers.clone()).send().await.problem(409, "not_started");
    let start = format!("{}T10:00:00Z", s.placement["start_date"].as_str().unwrap());
    app.post("/v1/sandbox/clock").json(json!({"set": start})).send().await.ok(200);
    let application = format!("/v1/applications/{}", id(&s.accepted.1));
    let mark = |attended: bool| {
        app.post(&format!("{application}/attendance")).token(&host).json(json!({"attended": attended}))
    };
    assert_eq!(mark(false).send().await.ok(200)["status"], "did_not_attend");
    assert_eq!(mark(true).send().await.ok(200)["status"], "attended", "a mistake can be corrected");
    app.post(&format!("{application}/complete")).token(&host).send().await.ok(200);
    mark(false).send().await.problem(409, "not_a_participant");
    app.post(&host_path).token(&host).json(answers).send().await.ok(204);
}
