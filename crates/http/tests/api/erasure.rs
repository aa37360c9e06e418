//! Erasure: after `DELETE /v1/me` nothing held identifies the person, in any column of any table
//! or in any response; what reports and draws need stays, and they do not change; places go down
//! the waiting list; integrators hear of it; refusals write nothing.

use actix_web::http::Method;
use serde_json::{Value, json};
use wex_persistence::personal_data::{About, Class, Kind, tables};
use wex_persistence::testing::{rows_containing, schema_columns, text_values};

use crate::export::{ADVOCATE, People, everything, managed_profile, own_profile, rows_of};
use crate::support::*;

/// Values that name the person: their account, names, contact details, date of birth, postcode,
/// adjustments and words, from every personal column the register holds about them, leaving out
/// codes and anything the service's own tables hold too (a site's postcode, say).
fn identifying_values(app: &TestApp, profile: &str, subject: &str) -> Vec<String> {
    let applications = text_values(&app.store, "applications", "id", &format!("profile_id = '{profile}'"));
    let mut values = vec![subject.to_string()];
    for table in tables() {
        for column in table.columns {
            let Class::Personal { kind, about, .. } = column.class else { continue };
            let naming = matches!(
                kind,
                Kind::Identity
                    | Kind::Contact
                    | Kind::DateOfBirth
                    | Kind::Postcode
                    | Kind::Adjustments
                    | Kind::FreeText
                    | Kind::SubjectId
            );
            if !naming || !matches!(about, About::Applicant | About::SupportWorker | About::ConsentGiver) {
                continue;
            }
            let condition = rows_of(table, profile, &applications, Some(subject));
            for value in text_values(&app.store, table.name, column.name, &condition) {
                let mut scalars = Vec::new();
                match serde_json::from_str::<Value>(&value) {
                    Ok(json @ (Value::Array(_) | Value::Object(_))) => collect(&json, &mut scalars),
                    _ => scalars.push(value),
                }
                values.extend(scalars.into_iter().filter(|s| s.chars().count() >= 5));
            }
        }
    }
    values.sort();
    values.dedup();
    let service: Vec<&str> = tables().filter(|t| t.applicant_rows.is_empty()).map(|t| t.name).collect();
    let schema = schema_columns(&app.store);
    values.retain(|v| {
        !schema
            .iter()
            .any(|c| service.contains(&c.table.as_str()) && rows_containing(&app.store, &c.table, &c.column, v) > 0)
    });
    values
}

fn collect(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => map.values().for_each(|v| collect(v, out)),
        Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        Value::String(s) => out.push(s.clone()),
        _ => {}
    }
}

/// Every column of every table (as text) that still holds one of the values.
fn left_behind(app: &TestApp, values: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for column in schema_columns(&app.store) {
        for value in values {
            if rows_containing(&app.store, &column.table, &column.column, value) > 0 {
                found.push(format!("{}.{} holds {value:?}", column.table, column.column));
            }
        }
    }
    found
}

async fn status(app: &TestApp, (token, a): &(String, String)) -> Value {
    app.get(a).token(token).send().await.ok(200).clone()
}

async fn etag(app: &TestApp, token: &str, path: &str) -> String {
    app.get(path).token(token).send().await.header("etag").unwrap()
}

#[actix_web::test]
async fn after_erasure_nothing_that_names_the_person_is_held_or_shown() {
    let app = spawn().await;
    let People { applicant, applicant_profile, advocate, managed_profile, .. } = everything(&app).await;
    let export = app.get("/v1/me/export").token(&applicant).send().await.ok(200).clone();
    let subject = export["profile"]["subject"].as_str().unwrap().to_string();
    let values = identifying_values(&app, &applicant_profile, &subject);
    for expected in ["Zephyrine Quill", "zephyrine.quill@example.org", "07700 900481", "Orla Vantablack"] {
        assert!(values.iter().any(|v| v == expected), "the test should look for {expected:?}: {values:?}");
    }
    assert!(left_behind(&app, &values).len() > values.len(), "every value is held somewhere before");
    let application = export["applications"][0]["id"].as_str().unwrap().to_string();
    let placement = export["applications"][0]["placement_id"].as_str().unwrap().to_string();

    let version = etag(&app, &applicant, "/v1/me/profile").await;
    let res = app.call(Method::DELETE, "/v1/me").token(&applicant).header("if-match", &version).send().await;
    assert_eq!(res.ok(200)["profile_id"], json!(applicant_profile));
    assert_eq!(res.body["erased_by"], "applicant");
    assert_eq!(res.body["applications_ended"], 0, "a completed placement stays completed");

    assert_eq!(left_behind(&app, &values), Vec::<String>::new(), "erasure left personal data behind");

    // Nothing the API shows names them either: to the coordinator, the admin, the advocate, the outbox.
    let admin = app.admin().await;
    let mut shown = vec![
        app.get("/v1/audit-events?limit=100").token(&admin).send().await.ok(200).to_string(),
        app.get("/v1/events?limit=100").token(&admin).send().await.ok(200).to_string(),
        app.get("/v1/sandbox/outbox").send().await.ok(200).to_string(),
        app.get("/v1/advocacy/applicants").token(&advocate).send().await.ok(200).to_string(),
        app.get(&format!("/v1/placements/{placement}/draw")).send().await.ok(200).to_string(),
    ];
    for path in ["applications", "participants"] {
        let res = app.get(&format!("/v1/placements/{placement}/{path}")).token(&admin).send().await;
        shown.push(res.body.to_string());
    }
    for body in &shown {
        for value in &values {
            assert!(!body.contains(value.as_str()), "a response still shows {value:?}: {body}");
        }
    }
    // The advocate's link went with the account; the profile they manage for someone else stays.
    let path = format!("/v1/advocacy/applicants/{applicant_profile}");
    app.get(&path).token(&advocate).send().await.problem(404, "not_found");
    app.get(&format!("/v1/advocacy/applicants/{managed_profile}")).token(&advocate).send().await.ok(200);
    assert_eq!(
        app.get(&format!("/v1/advocacy/applicants/{managed_profile}")).token(&advocate).send().await.body["managed_by"],
        ADVOCATE
    );

    // Signing in again starts empty, and may start again.
    app.get("/v1/me/profile").token(&applicant).send().await.problem(404, "not_found");
    app.get("/v1/me/export").token(&applicant).send().await.problem(404, "not_found");
    assert_eq!(app.get("/v1/me/applications").token(&applicant).send().await.ok(200)["items"], json!([]));
    app.get(&format!("/v1/applications/{application}")).token(&applicant).send().await.problem(404, "not_found");
    app.call(Method::PUT, "/v1/me/profile").token(&applicant).json(own_profile()).send().await.ok(201);

    // The certificate still verifies: the placement and dates, with no initials.
    let certificate = &export["applications"][0]["certificate"];
    let code = certificate["code"].as_str().unwrap();
    let verified = app.get(&format!("/v1/certificates/{code}")).send().await;
    assert_eq!(verified.ok(200)["participant_initials"], "");
    assert_eq!(verified.body["code"], code);

    // The organisation hears that each application's applicant was erased (the work experience
    // application and the T-level place), one event each, and nothing else.
    let feed = app.get("/v1/events?types=applicant.erased").token(&admin).send().await.ok(200).clone();
    let erased: Vec<&Value> = feed["items"].as_array().unwrap().iter().collect();
    assert_eq!(erased.len(), 2, "{feed}");
    assert_eq!(erased[0]["application_id"], json!(application));
    assert_eq!(erased[0]["placement_id"], json!(placement));
    assert_ne!(erased[1]["placement_id"], json!(placement));
}

#[actix_web::test]
async fn an_accepted_place_not_yet_started_goes_to_the_next_person_waiting() {
    let app = spawn().await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let placement = app.published(&coordinator, &org, with(placement_body(&site), "/capacity", json!(1))).await;
    let version = app.privacy_version().await;
    let mut people = Vec::new();
    for _ in 0..3 {
        let (token, _) = app.applicant_with(profile_body(30)).await;
        let a = app.apply(&token, &id(&placement), json!({"privacy_notice_version": version})).await.ok(201).clone();
        people.push((token, format!("/v1/applications/{}", id(&a))));
    }
    let path = format!("/v1/placements/{}", id(&placement));
    app.post(&format!("{path}/close")).token(&coordinator).send().await.ok(200);
    app.post(&format!("{path}/draw")).token(&coordinator).send().await.ok(200);
    let mut holder = None;
    for p in &people {
        let a = status(&app, p).await;
        if a["status"] == "offered" {
            app.post(&format!("/v1/offers/{}/accept", id(&a["offer"]))).token(&p.0).send().await.ok(200);
            holder = Some(p.clone());
        }
    }
    let holder = holder.unwrap();
    let first_waiting = {
        let mut waiting = Vec::new();
        for p in &people {
            let a = status(&app, p).await;
            if a["status"] == "waitlisted" {
                waiting.push((a["waiting_list_number"].as_u64().unwrap(), p.clone()));
            }
        }
        waiting.sort_by_key(|(n, _)| *n);
        waiting[0].1.clone()
    };
    let held = status(&app, &holder).await;

    let version = etag(&app, &holder.0, "/v1/me/profile").await;
    let res = app.call(Method::DELETE, "/v1/me").token(&holder.0).header("if-match", &version).send().await;
    assert_eq!(res.ok(200)["applications_ended"], 1);
    assert_eq!(res.body["places_released"], 1);

    assert_eq!(status(&app, &first_waiting).await["status"], "offered", "the next person waiting is offered the place");
    // The person now holding an open offer is erased too: the offer is declined for them and the
    // last person waiting is offered the place.
    let last = people.iter().find(|p| p.1 != holder.1 && p.1 != first_waiting.1).unwrap();
    let offered = status(&app, &first_waiting).await;
    let v = etag(&app, &first_waiting.0, "/v1/me/profile").await;
    let res = app.call(Method::DELETE, "/v1/me").token(&first_waiting.0).header("if-match", &v).send().await;
    assert_eq!(res.ok(200)["places_released"], 1);
    assert_eq!(status(&app, last).await["status"], "offered");
    let feed = app.get("/v1/events?types=offer.declined").token(&coordinator).send().await.ok(200).clone();
    let declined: Vec<&Value> = feed["items"].as_array().unwrap().iter().collect();
    assert!(declined.iter().any(|e| e["offer_id"] == offered["offer"]["id"]), "{feed}");
    let admin = app.admin().await;
    let list = app.get(&format!("{path}/applications")).token(&coordinator).send().await.ok(200).clone();
    let mine = list["items"].as_array().unwrap().iter().find(|a| a["id"] == held["id"]).unwrap().clone();
    assert_eq!(mine["status"], "withdrawn");
    let feed = app.get("/v1/events?limit=100").token(&coordinator).send().await.ok(200).clone();
    let kinds: Vec<(String, Value)> = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["type"].as_str().unwrap().to_string(), e["application_id"].clone()))
        .collect();
    assert!(kinds.contains(&("application.withdrawn".to_string(), held["id"].clone())), "{kinds:?}");
    assert!(kinds.contains(&("applicant.erased".to_string(), held["id"].clone())), "{kinds:?}");
    let _ = admin;
}

#[actix_web::test]
async fn refused_erasures_change_nothing() {
    let app = spawn().await;
    let (applicant, profile) = app.applicant_with(own_profile()).await;
    let profile_id = id(&profile);
    let other = app.applicant().await;
    let advocate = app.token("advocate", ADVOCATE, None).await;
    let res = app.post("/v1/advocacy/applicants").token(&advocate).json(managed_profile()).send().await;
    let managed = id(res.ok(201));
    let admin = app.admin().await;
    let audit = || async { app.get("/v1/audit-events?limit=100").token(&admin).send().await.ok(200).clone() };
    let before = audit().await;
    let version = etag(&app, &applicant, "/v1/me/profile").await;

    app.call(Method::DELETE, "/v1/me").send().await.problem(401, "unauthorized");
    app.call(Method::DELETE, "/v1/me")
        .token(&other)
        .header("if-match", "\"v1\"")
        .send()
        .await
        .problem(404, "not_found");
    app.call(Method::DELETE, "/v1/me").token(&applicant).send().await.problem(428, "precondition_required");
    app.call(Method::DELETE, "/v1/me")
        .token(&applicant)
        .header("if-match", "\"v99\"")
        .send()
        .await
        .problem(412, "version_mismatch");
    app.call(Method::DELETE, "/v1/me")
        .token(&applicant)
        .header("if-match", "*")
        .send()
        .await
        .problem(428, "precondition_required");

    // Someone else's profile: an advocate with no link, another applicant, staff.
    let theirs = format!("/v1/advocacy/applicants/{profile_id}");
    let (org, coordinator, _) = app.coordinated_organisation().await;
    let _ = org;
    for token in [&advocate, &other, &coordinator, &admin] {
        app.call(Method::DELETE, &theirs)
            .token(token)
            .header("if-match", &version)
            .send()
            .await
            .problem(404, "not_found");
    }
    // An advocate the applicant invited acts for them, but may not delete their account.
    app.post("/v1/me/advocates")
        .token(&applicant)
        .json(json!({"email": "invited.erasure@school.example.org", "relationship": "careers_leader"}))
        .send()
        .await
        .ok(201);
    let invited = app.token("advocate", "invited-erasure-advocate", None).await;
    let sent = app.outbox().await;
    let m = sent.iter().find(|n| n["recipient"] == "invited.erasure@school.example.org").unwrap();
    let link = m["link"].as_str().unwrap().split("/advocate-links/").nth(1).unwrap().to_string();
    let code: String = m["body"]
        .as_str()
        .unwrap()
        .split("code is ")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    app.post(&format!("/v1/advocate-links/{link}/accept"))
        .token(&invited)
        .json(json!({"code": code}))
        .send()
        .await
        .ok(200);
    let version = etag(&app, &applicant, "/v1/me/profile").await;
    app.call(Method::DELETE, &theirs)
        .token(&invited)
        .header("if-match", &version)
        .send()
        .await
        .problem(403, "erasure_not_allowed");
    // The advocate who manages a profile may not delete their own account while they do.
    app.call(Method::PUT, "/v1/me/profile").token(&advocate).json(own_profile()).send().await.ok(201);
    let mine = etag(&app, &advocate, "/v1/me/profile").await;
    app.call(Method::DELETE, "/v1/me")
        .token(&advocate)
        .header("if-match", &mine)
        .send()
        .await
        .problem(409, "manages_profiles");

    // An admin's erasure: only admins, with a reason, of a profile that exists.
    let erase = format!("/v1/applicants/{profile_id}/erasure");
    for token in [&applicant, &advocate, &coordinator] {
        app.post(&erase)
            .token(token)
            .json(json!({"reason": "asked by email"}))
            .send()
            .await
            .problem(403, "admin_role_required");
    }
    let res = app.post(&erase).token(&admin).json(json!({"reason": "   "})).send().await;
    res.problem(422, "validation_failed");
    assert_eq!(res.body["errors"][0]["field"], "/reason");
    let long = "x".repeat(1001);
    app.post(&erase).token(&admin).json(json!({"reason": long})).send().await.problem(422, "validation_failed");
    let res = app.post(&erase).token(&admin).json(json!({})).send().await;
    assert_eq!(res.problem(422, "required")["errors"][0]["field"], "/reason");
    let nobody = uuid::Uuid::now_v7();
    app.post(&format!("/v1/applicants/{nobody}/erasure"))
        .token(&admin)
        .json(json!({"reason": "asked"}))
        .send()
        .await
        .problem(404, "not_found");

    // Nothing was written by any of those: the profile is whole and no erasure was audited.
    app.get("/v1/me/profile").token(&applicant).send().await.ok(200);
    let after = audit().await;
    assert_eq!(after["items"], before["items"], "a refused erasure wrote an audit entry");

    // The managed profile's advocate erases it; then an admin erases the applicant, with a reason.
    let v = etag(&app, &advocate, &format!("/v1/advocacy/applicants/{managed}")).await;
    let res = app
        .call(Method::DELETE, &format!("/v1/advocacy/applicants/{managed}"))
        .token(&advocate)
        .header("if-match", &v)
        .send()
        .await;
    assert_eq!(res.ok(200)["erased_by"], "advocate");
    app.get(&format!("/v1/advocacy/applicants/{managed}")).token(&advocate).send().await.problem(404, "not_found");
    let res = app.post(&erase).token(&admin).json(json!({"reason": "Asked by post (ticket 4411)."})).send().await;
    assert_eq!(res.ok(200)["erased_by"], "admin");
    app.get("/v1/me/profile").token(&applicant).send().await.problem(404, "not_found");
    app.post(&erase).token(&admin).json(json!({"reason": "again"})).send().await.problem(404, "not_found");
    let entries = audit().await;
    let erasures: Vec<&Value> =
        entries["items"].as_array().unwrap().iter().filter(|e| e["action"] == "applicant_erased").collect();
    assert_eq!(erasures.len(), 2);
    assert!(erasures.iter().any(|e| e["reason"].as_str().unwrap().contains("ticket 4411")));
}

/// Every report and figure that could move, as the analyst and the public read them.
async fn figures(app: &TestApp, analyst: &str, drawn: Option<&str>) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let mut paths: Vec<String> =
        ["user_group", "care_experienced", "age_band", "sex", "ethnicity", "disability", "religion"]
            .iter()
            .map(|d| format!("/v1/reports/uptake?dimension={d}&exact=true"))
            .collect();
    paths.extend(
        [
            "/v1/reports/timeliness",
            "/v1/reports/supply-and-demand?by=region",
            "/v1/reports/supply-and-demand?by=specialty",
            "/v1/reports/implementation",
            "/v1/reports/feedback",
        ]
        .map(String::from),
    );
    for path in paths {
        let body = app.get(&path).token(analyst).send().await.ok(200).clone();
        out.push((path, body));
    }
    out.push(("/v1/statistics".into(), app.get("/v1/statistics").send().await.ok(200).clone()));
    if let Some(placement) = drawn {
        let draw = format!("/v1/placements/{placement}/draw");
        out.push((draw.clone(), app.get(&draw).send().await.ok(200).clone()));
    }
    out
}

#[actix_web::test]
async fn reports_statistics_and_draw_records_do_not_change_when_people_are_erased() {
    use wex_domain::model::reports::suppression::{NoiseKey, Rules};
    // Counts shown as they are, and tables about one person allowed, so that any change would show.
    let rules = Rules { min_shown: 1, round_to: 1, min_population: 1, key: NoiseKey([7; 32]) };
    let app = spawn_with(Options { suppression: rules, ..Options::default() }).await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let placement = app.published(&coordinator, &org, with(placement_body(&site), "/capacity", json!(2))).await;
    let version = app.privacy_version().await;
    let groups = [json!(["career_changers"]), json!(["young_people_16_18"]), json!(["veterans"]), json!([])];
    let answers = [
        json!({"sex": "female", "ethnicity": "white_irish", "long_term_condition": "no", "religion": "no_religion"}),
        json!({"sex": "male", "ethnicity": "asian_indian", "long_term_condition": "yes", "condition_reduces_activities": "yes_a_lot", "religion": "hindu"}),
        json!({"sex": "female", "ethnicity": "black_african", "religion": "christian"}),
        json!({"sex": "prefer_not_to_say"}),
    ];
    let mut people = Vec::new();
    for (i, (g, a)) in groups.iter().zip(&answers).enumerate() {
        let mut body = with(profile_body(17 + 9 * i as i64), "/user_groups", g.clone());
        body["care_experienced"] = json!(i % 2 == 0);
        let (token, _) = app.applicant_with(body).await;
        app.call(Method::PUT, "/v1/me/equality-monitoring")
            .token(&token)
            .json(json!({"answers": a}))
            .send()
            .await
            .ok(201);
        let res = app.apply(&token, &id(&placement), json!({"privacy_notice_version": version})).await;
        people.push((token, format!("/v1/applications/{}", id(res.ok(201)))));
    }
    let path = format!("/v1/placements/{}", id(&placement));
    app.post(&format!("{path}/close")).token(&coordinator).send().await.ok(200);
    app.post(&format!("{path}/draw")).token(&coordinator).send().await.ok(200);
    let mut placed = Vec::new();
    for p in &people {
        let a = status(&app, p).await;
        if a["status"] == "offered" {
            app.post(&format!("/v1/offers/{}/accept", id(&a["offer"]))).token(&p.0).send().await.ok(200);
            placed.push(p.clone());
        }
    }
    let start = format!("{}T10:00:00Z", placement["start_date"].as_str().unwrap());
    app.post("/v1/sandbox/clock").json(json!({"set": start})).send().await.ok(200);
    let (first, second) = (&placed[0], &placed[1]);
    app.post(&format!("{}/attendance", first.1))
        .token(&coordinator)
        .json(json!({"attended": true}))
        .send()
        .await
        .ok(200);
    app.post(&format!("{}/complete", first.1)).token(&coordinator).send().await.ok(200);
    let feedback =
        json!({"more_likely_to_consider": "a_lot_more_likely", "agreement": {"realistic_insights": "agree"}});
    app.post(&format!("{}/feedback", first.1)).token(&first.0).json(feedback).send().await.ok(201);
    app.post(&format!("{}/attendance", second.1))
        .token(&coordinator)
        .json(json!({"attended": false}))
        .send()
        .await
        .ok(200);

    let analyst = app.admin().await;
    let before = figures(&app, &analyst, Some(&id(&placement))).await;
    // Everyone changes their answers, then everyone is erased: a participant who completed, one
    // who did not attend, and the two left on the waiting list.
    for (token, _) in &people {
        app.call(Method::PUT, "/v1/me/equality-monitoring")
            .token(token)
            .header("if-match", &etag(&app, token, "/v1/me/equality-monitoring").await)
            .json(json!({"answers": {"sex": "male", "ethnicity": "asian_chinese"}}))
            .send()
            .await
            .ok(200);
    }
    assert_eq!(figures(&app, &analyst, Some(&id(&placement))).await, before, "changed answers moved a figure");
    for (token, _) in &people {
        let v = etag(&app, token, "/v1/me/profile").await;
        app.call(Method::DELETE, "/v1/me").token(token).header("if-match", &v).send().await.ok(200);
    }
    let after = figures(&app, &analyst, Some(&id(&placement))).await;
    for ((path, b), (_, a)) in before.iter().zip(&after) {
        assert_eq!(a, b, "{path} changed when people were erased");
    }
    assert!(before[0].1.to_string().contains("career_changers"), "the figures count the groups: {}", before[0].1);
}

#[actix_web::test]
async fn figures_of_placements_not_yet_drawn_do_not_change_when_people_are_erased() {
    use wex_domain::model::reports::suppression::{NoiseKey, Rules};
    let rules = Rules { min_shown: 1, round_to: 1, min_population: 1, key: NoiseKey([7; 32]) };
    let app = spawn_with(Options { suppression: rules, ..Options::default() }).await;
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let placement = app.published(&coordinator, &org, placement_body(&site)).await;
    let version = app.privacy_version().await;
    let mut people = Vec::new();
    for (i, sex) in ["female", "male", "female"].iter().enumerate() {
        let mut body = with(profile_body(18 + 7 * i as i64), "/user_groups", json!(["veterans"]));
        body["care_experienced"] = json!(i == 1);
        let (token, _) = app.applicant_with(body).await;
        let answers = json!({"answers": {"sex": sex, "ethnicity": "white_roma"}});
        app.call(Method::PUT, "/v1/me/equality-monitoring").token(&token).json(answers).send().await.ok(201);
        app.apply(&token, &id(&placement), json!({"privacy_notice_version": version})).await.ok(201);
        people.push(token);
    }
    let admin = app.admin().await;
    let before = figures(&app, &admin, None).await;
    assert!(before[0].1.to_string().contains("veterans"), "{}", before[0].1);
    for token in &people {
        let v = etag(&app, token, "/v1/me/profile").await;
        app.call(Method::DELETE, "/v1/me").token(token).header("if-match", &v).send().await.ok(200);
    }
    for ((path, b), (_, a)) in before.iter().zip(&figures(&app, &admin, None).await) {
        assert_eq!(a, b, "{path} changed when people were erased before the draw");
    }
}
