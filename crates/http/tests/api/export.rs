//! The subject access export: everything held about a person, driven by the register of
//! personal data. A person and a profile managed for someone else are given a value in every
//! personal column the register says the export shows, through the real API; each value stored
//! must then come back in that person's export, under the path the register names. A column
//! added to the register without export coverage fails here.

use serde_json::{Value, json};
use wex_persistence::personal_data::{Export, Link, Table, tables};
use wex_persistence::testing::{SchemaColumn, schema_columns, text_values};

use crate::clients::{access_token, register};
use crate::support::{TestApp, id, placement_body, spawn, with};

pub(crate) const ADVOCATE: &str = "export-advocate-subject";
const ADVOCATE_EMAIL: &str = "quillon.advocate@school.example.org";
const WORKER_EMAIL: &str = "orla.vantablack@support.example.org";
const GIVER: &str = "Ottoline Marchbanks (mother)";

/// The applicant's own profile: a distinctive value in every field.
pub(crate) fn own_profile() -> Value {
    let born = chrono::Utc::now().date_naive() - chrono::Duration::days(30 * 366);
    json!({
        "preferred_name": "Zephyrine Quill",
        "email": "zephyrine.quill@example.org",
        "phone": "07700 900481",
        "date_of_birth": born.to_string(),
        "postcode": "SO16 6YD",
        "user_groups": ["career_changers"],
        "care_experienced": true,
        "adjustments": "A quiet room for breaks (adjustment marker 7731).",
        "preferred_language": "cy",
        "support_worker": {"name": "Orla Vantablack", "email": WORKER_EMAIL, "organisation": "Marrowgate Leaving Care Team"}
    })
}

/// The profile an advocate manages for a 15-year-old with no fixed address.
pub(crate) fn managed_profile() -> Value {
    let born = chrono::Utc::now().date_naive() - chrono::Duration::days(15 * 366);
    json!({
        "profile": {
            "preferred_name": "Bartholomew Wren",
            "email": "wren.family@example.org",
            "date_of_birth": born.to_string(),
            "no_fixed_address": true,
            "user_groups": ["school_pupils_14_16"]
        },
        "consent": {"given_by": "parent_or_carer", "giver_name": GIVER},
        "relationship": "careers_leader"
    })
}

/// The code and link id of the message that invites `recipient` to act as an advocate.
async fn invitation(app: &TestApp, template: &str, recipient: &str) -> (String, String) {
    let sent = app.outbox().await;
    let m = sent.iter().find(|n| n["template"] == template && n["recipient"] == recipient).unwrap();
    let link = m["link"].as_str().unwrap().split("/advocate-links/").nth(1).unwrap().to_string();
    let body = m["body"].as_str().unwrap();
    let code = body.split("code is ").nth(1).unwrap().chars().take_while(char::is_ascii_alphanumeric).collect();
    (link, code)
}

async fn accept_link(app: &TestApp, token: &str, (link, code): (String, String)) {
    let res =
        app.post(&format!("/v1/advocate-links/{link}/accept")).token(token).json(json!({"code": code})).send().await;
    assert_eq!(res.ok(200)["status"], "active");
}

pub(crate) struct People {
    pub(crate) applicant: String,
    pub(crate) applicant_profile: String,
    pub(crate) advocate: String,
    pub(crate) managed_profile: String,
    /// A student of an education provider, and the provider and its coordinator.
    pub(crate) student_profile: String,
    pub(crate) provider: String,
    pub(crate) provider_coordinator: String,
    /// The placement both applied to, as created.
    pub(crate) placement: Value,
}

/// Everything an applicant can have, made through the API: a profile, an advocate, a support
/// worker's supporting information, an application with answers that is drawn, accepted,
/// attended and completed (a certificate), feedback, equality answers, messages, staff looking at
/// their details (one through an organisation's system); and a managed profile whose advocate
/// gave equality answers with a parent's consent and withdrew its application with a reason.
pub(crate) async fn everything(app: &TestApp) -> People {
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let body = with(placement_body(&site), "/eligibility/min_age", json!(14));
    let mut body = with(body, "/eligibility/catchment", json!(["SO16"]));
    body["requirements"] = json!({"kinds": ["participant_agreement", "emergency_contact"]});
    let question = json!([{"text": "Why this placement?", "why_we_ask": "To plan the week.", "required": false}]);
    let placement = app.published(&coordinator, &org, with(body, "/questions", question)).await;
    let path = format!("/v1/placements/{}", id(&placement));
    let version = app.privacy_version().await;

    let (applicant, profile) = app.applicant_with(own_profile()).await;
    app.post("/v1/me/advocates")
        .token(&applicant)
        .json(json!({"email": ADVOCATE_EMAIL, "relationship": "careers_leader"}))
        .send()
        .await
        .ok(201);
    let advocate = app.token("advocate", ADVOCATE, None).await;
    accept_link(app, &advocate, invitation(app, "advocate_invitation", ADVOCATE_EMAIL).await).await;
    let answers = json!([{"question": 0, "answer": "I want to be a physiotherapist (answer marker 5521)."}]);
    let res =
        app.apply(&applicant, &id(&placement), json!({"privacy_notice_version": version, "answers": answers})).await;
    let application = format!("/v1/applications/{}", id(res.ok(201)));
    // The applicant is also a T-level student: their college proposes them for a T-level placement
    // and the trust accepts, so that the export shows the agreement, hours and reviews too.
    let t_level = app.published(&coordinator, &org, crate::providers::t_level_body(&site, 1)).await;
    let (t_application, college) = t_level_place(app, &applicant, &id(&profile), &coordinator, &t_level).await;
    let worker = app.token("advocate", "export-support-worker", None).await;
    accept_link(app, &worker, invitation(app, "support_worker_named", WORKER_EMAIL).await).await;
    let info = json!({"text": "Zephyrine volunteers weekly (supporting marker 8812)."});
    app.post(&format!("{application}/supporting-information")).token(&worker).json(info).send().await.ok(201);
    let equality = json!({"answers": {"sex": "female", "ethnicity": "white_irish"}});
    app.call(actix_web::http::Method::PUT, "/v1/me/equality-monitoring")
        .token(&applicant)
        .json(equality)
        .send()
        .await
        .ok(201);

    let res = app.post("/v1/advocacy/applicants").token(&advocate).json(managed_profile()).send().await;
    let managed = id(res.ok(201));
    let for_them = json!({"privacy_notice_version": version, "on_behalf_of": managed, "can_travel": true});
    let theirs = format!("/v1/applications/{}", id(app.apply(&advocate, &id(&placement), for_them).await.ok(201)));
    let reason = json!({"reason": "They found a placement nearer home (reason marker 3390)."});
    app.post(&format!("{theirs}/withdraw")).token(&advocate).json(reason).send().await.ok(200);
    let equality = json!({"answers": {"ethnicity": "white_gypsy_or_irish_traveller"},
        "consent": {"given_by": "parent_or_carer", "giver_name": GIVER}});
    app.call(actix_web::http::Method::PUT, &format!("/v1/advocacy/applicants/{managed}/equality-monitoring"))
        .token(&advocate)
        .json(equality)
        .send()
        .await
        .ok(201);

    app.post(&format!("{path}/close")).token(&coordinator).send().await.ok(200);
    app.post(&format!("{path}/draw")).token(&coordinator).send().await.ok(200);
    let offer = app.get(&application).token(&applicant).send().await.ok(200)["offer"].clone();
    app.post(&format!("/v1/offers/{}/accept", id(&offer))).token(&applicant).send().await.ok(200);
    app.get(&format!("{path}/participants")).token(&coordinator).send().await.ok(200);
    let client = register(app, &coordinator, &org, &["participants:read"]).await;
    let client_token = access_token(app, &client, None).await;
    let res = app.get(&format!("{path}/participants")).token(&client_token);
    res.header("wex-attribution", "staff:E-QUILL-8841").send().await.ok(200);

    let contact = json!({"name": "Ottoline Brackwater", "relationship": "sister (relationship marker 6620)",
        "phone": "07700 900662"});
    app.call(actix_web::http::Method::PUT, &format!("{application}/readiness/emergency_contact"))
        .token(&applicant)
        .json(contact)
        .send()
        .await
        .ok(200);
    let waived = json!({"reason": "Agreement signed on paper at interview (override marker 2207)."});
    let res = app.post(&format!("{application}/readiness/participant_agreement/override")).token(&coordinator);
    res.json(waived).send().await.ok(200);
    let host = app.token("host", "export-host", Some(&org)).await;
    app.post(&format!("{path}/hosts")).token(&coordinator).json(json!({"subject": "export-host"})).send().await.ok(201);
    let start = format!("{}T10:00:00Z", placement["start_date"].as_str().unwrap());
    app.post("/v1/sandbox/clock").json(json!({"set": start})).send().await.ok(200);
    t_level_record(app, &t_application, &coordinator, &college, &applicant, &host, &t_level).await;
    // Completed, so that its certificate states the hours.
    app.post(&format!("{t_application}/attendance")).token(&host).json(json!({"attended": true})).send().await.ok(200);
    app.post(&format!("{t_application}/complete")).token(&coordinator).send().await.ok(200);
    app.post(&format!("{application}/attendance")).token(&host).json(json!({"attended": true})).send().await.ok(200);
    app.post(&format!("{application}/complete")).token(&coordinator).send().await.ok(200);
    let feedback = json!({"more_likely_to_consider": "a_lot_more_likely", "agreement": {"realistic_insights": "agree"},
        "comments": "The best week of the year (feedback marker 4410).", "completed_pre_module": true});
    app.post(&format!("{application}/feedback")).token(&applicant).json(feedback).send().await.ok(201);

    let (provider, provider_coordinator) = crate::providers::provider(app).await;
    let student = id(&crate::providers::student(app, &provider, &provider_coordinator).await);

    People {
        applicant,
        applicant_profile: id(&profile),
        advocate,
        managed_profile: managed,
        student_profile: student,
        provider,
        provider_coordinator,
        placement,
    }
}

/// The applicant links a college's provider coordinator as their advocate, who enrols them and
/// proposes them for `placement`; the trust accepts. The application's path and the college's token.
async fn t_level_place(
    app: &TestApp,
    applicant: &str,
    profile: &str,
    coordinator: &str,
    placement: &Value,
) -> (String, String) {
    let (college, _) = crate::providers::provider(app).await;
    let subject = "export-college-coordinator";
    let token = app.token("provider_coordinator", subject, Some(&college)).await;
    let link = app.invite_advocate(applicant, &format!("{subject}@college.example.org")).await;
    accept_link(app, &token, link).await;
    let enrolment = json!({"profile_id": profile, "course": "Health (course marker 7731)"});
    let res = app.post(&format!("/v1/organisations/{college}/enrolments")).token(&token).json(enrolment);
    res.send().await.ok(201);
    let path = format!("/v1/organisations/{college}/students/{profile}/proposals");
    let res = app.post(&path).token(&token).json(json!({"placement_id": id(placement)})).send().await;
    let application = id(res.ok(201));
    let decision = format!("/v1/placements/{}/proposals/{application}/accept", id(placement));
    app.post(&decision).token(coordinator).send().await.ok(200);
    (format!("/v1/applications/{application}"), token)
}

/// The T-level agreement confirmed by the trust, the college and the student, a day's hours signed
/// off by the host as supervisor, and both reviews with the student's reflections.
async fn t_level_record(
    app: &TestApp,
    application: &str,
    coordinator: &str,
    college: &str,
    applicant: &str,
    host: &str,
    placement: &Value,
) {
    let start = placement["start_date"].clone();
    let terms = json!({"objectives": "Shadow the physiotherapy team (objectives marker 6620).", "pattern": "block",
        "supervisor": "export-host", "planned_hours": 30, "start_date": start, "end_date": placement["end_date"]});
    let path = format!("{application}/t-level");
    let res = app.call(actix_web::http::Method::PUT, &format!("{path}/agreement")).token(coordinator).json(terms);
    let mut etag = res.send().await.etag();
    for (token, party) in [(coordinator, "employer"), (college, "provider"), (applicant, "student")] {
        let res = app.post(&format!("{path}/agreement/confirmations")).token(token).header("If-Match", &etag);
        let res = res.json(json!({"party": party})).send().await;
        res.ok(200);
        etag = res.etag();
    }
    let hours = json!({"date": start, "hours": 6.75});
    app.post(&format!("{path}/hours")).token(host).json(hours).send().await.ok(201);
    for stage in ["mid_point", "end"] {
        let review =
            json!({"stage": stage, "on_track": true, "comments": format!("Keen and careful (review marker {stage}).")});
        app.post(&format!("{path}/reviews")).token(host).json(review).send().await.ok(201);
        let reflection = json!({"reflection": format!("I liked the gym sessions (reflection marker {stage}).")});
        let res =
            app.call(actix_web::http::Method::PUT, &format!("{path}/reviews/{stage}/reflection")).token(applicant);
        res.json(reflection).send().await.ok(200);
    }
}

fn quoted(ids: &[String]) -> String {
    if ids.is_empty() {
        return "NULL".to_string();
    }
    ids.iter().map(|i| format!("'{i}'")).collect::<Vec<_>>().join(", ")
}

/// The SQL condition that picks a table's rows about one person.
pub(crate) fn rows_of(table: &Table, profile: &str, applications: &[String], subject: Option<&str>) -> String {
    let subjects: Vec<String> = subject.into_iter().map(str::to_string).collect();
    let mut with_profile = applications.to_vec();
    with_profile.push(profile.to_string());
    let conditions: Vec<String> = table
        .applicant_rows
        .iter()
        .map(|link| match link {
            Link::Profile(c) => format!("{c} IN ('{profile}')"),
            Link::Application(c) => format!("{c} IN ({})", quoted(applications)),
            Link::Subject(c) => format!("{c} IN ({})", quoted(&subjects)),
            Link::ProfileOrApplication(c) => format!("{c} IN ({})", quoted(&with_profile)),
            Link::Notification(c) => panic!("{}.{c}: notifications' own rows are not exported yet", table.name),
        })
        .collect();
    conditions.join(" OR ")
}

/// Every scalar under a member whose path of keys (array positions aside) ends with `path`.
fn values_at(doc: &Value, path: &[&str], keys: &mut Vec<String>, out: &mut Vec<String>) {
    let here = keys.len() >= path.len() && keys[keys.len() - path.len()..].iter().zip(path).all(|(k, p)| k == p);
    if here {
        scalars(doc, out);
        return;
    }
    match doc {
        Value::Object(map) => {
            for (k, v) in map {
                keys.push(k.clone());
                values_at(v, path, keys, out);
                keys.pop();
            }
        }
        Value::Array(items) => items.iter().for_each(|v| values_at(v, path, keys, out)),
        _ => {}
    }
}

fn scalars(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => map.values().for_each(|v| scalars(v, out)),
        Value::Array(items) => items.iter().for_each(|v| scalars(v, out)),
        Value::String(s) => out.push(s.clone()),
        Value::Bool(b) => out.push(b.to_string()),
        Value::Number(n) => out.push(n.to_string()),
        Value::Null => {}
    }
}

/// A stored value as the scalars the export shows for it: booleans as `true`/`false` (SQLite
/// stores 1/0), and JSON kept in a text column as the scalars it holds.
fn stored_scalars(value: &str, column: &SchemaColumn) -> Vec<String> {
    if column.data_type.starts_with("bool") {
        return vec![(value == "1" || value == "true" || value == "t").to_string()];
    }
    if (value.starts_with('[') || value.starts_with('{'))
        && let Ok(json) = serde_json::from_str::<Value>(value)
    {
        let mut out = Vec::new();
        scalars(&json, &mut out);
        return out;
    }
    vec![value.to_string()]
}

#[actix_web::test]
async fn the_export_holds_every_value_of_every_personal_column_the_register_exports() {
    let app = spawn().await;
    let p = everything(&app).await;
    // Once first, so that the second holds the first's audit entry.
    app.get("/v1/me/export").token(&p.applicant).send().await.ok(200);
    let own = app.get("/v1/me/export").token(&p.applicant).send().await;
    own.ok(200);
    assert_eq!(own.header("cache-control").as_deref(), Some("no-store"));
    let path = format!("/v1/advocacy/applicants/{}/export", p.managed_profile);
    app.get(&path).token(&p.advocate).send().await.ok(200);
    let managed = app.get(&path).token(&p.advocate).send().await;
    managed.ok(200);
    assert_eq!(managed.header("cache-control").as_deref(), Some("no-store"));

    let path = format!("/v1/organisations/{}/students/{}/export", p.provider, p.student_profile);
    app.get(&path).token(&p.provider_coordinator).send().await.ok(200);
    let student = app.get(&path).token(&p.provider_coordinator).send().await;
    student.ok(200);
    assert_eq!(student.header("cache-control").as_deref(), Some("no-store"));

    let schema = schema_columns(&app.store);
    let subject = own.body["profile"]["subject"].as_str().map(str::to_string);
    let people = [
        (&own.body, &p.applicant_profile, subject),
        (&managed.body, &p.managed_profile, None),
        (&student.body, &p.student_profile, None),
    ];
    let mut problems = Vec::new();
    for table in tables() {
        for column in table.columns {
            let wex_persistence::personal_data::Class::Personal { export: Export::As(at), .. } = column.class else {
                continue;
            };
            let real = schema.iter().find(|c| c.table == table.name && c.column == column.name).unwrap();
            let segments: Vec<&str> = at.split('/').collect();
            let mut stored_any = false;
            for (doc, profile, subject) in &people {
                let applications = text_values(&app.store, "applications", "id", &format!("profile_id = '{profile}'"));
                let condition = rows_of(table, profile, &applications, subject.as_deref());
                let mut shown = Vec::new();
                values_at(doc, &segments, &mut Vec::new(), &mut shown);
                for value in text_values(&app.store, table.name, column.name, &condition) {
                    stored_any = true;
                    for scalar in stored_scalars(&value, real) {
                        if !shown.contains(&scalar) {
                            problems.push(format!(
                                "{}.{}: {scalar:?} is not in the export at {at}",
                                table.name, column.name
                            ));
                        }
                    }
                }
            }
            if !stored_any {
                problems
                    .push(format!("{}.{}: the test gave it no value; extend everything()", table.name, column.name));
            }
        }
    }
    assert!(problems.is_empty(), "the export misses personal data:\n{}", problems.join("\n"));

    // What the export says besides: the earlier export and the staff's looks, with who looked.
    let actions: Vec<&str> =
        own.body["audit_entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "identity_revealed").count(), 2, "{actions:?}");
    assert!(actions.contains(&"subject_access_export"), "{actions:?}");
    assert_eq!(own.body["applications"][0]["status"], "completed");
    assert_eq!(
        own.body["advocate_links"].as_array().unwrap().len(),
        3,
        "the advocate, the support worker and the college"
    );
    assert_eq!(managed.body["links_as_advocate"], json!([]));
    let recipients: Vec<&str> =
        own.body["messages"].as_array().unwrap().iter().map(|m| m["recipient"].as_str().unwrap()).collect();
    assert!(recipients.contains(&"zephyrine.quill@example.org"), "{recipients:?}");
    assert!(recipients.contains(&WORKER_EMAIL), "the copies about the application: {recipients:?}");
}

#[actix_web::test]
async fn an_advocate_sees_only_the_equality_answers_they_gave() {
    let app = spawn().await;
    let p = everything(&app).await;
    let path = format!("/v1/advocacy/applicants/{}/export", p.applicant_profile);
    let theirs = app.get(&path).token(&p.advocate).send().await;
    assert_eq!(theirs.ok(200)["profile"]["id"], json!(p.applicant_profile));
    assert_eq!(theirs.body["equality"], Value::Null, "the applicant's own answers are theirs alone");
    let managed = format!("/v1/advocacy/applicants/{}/export", p.managed_profile);
    let given = app.get(&managed).token(&p.advocate).send().await;
    assert_eq!(given.ok(200)["equality"]["answers"], json!({"ethnicity": "white_gypsy_or_irish_traveller"}));
    assert_eq!(given.body["equality"]["recorded_by_advocate"]["advocate_subject"], ADVOCATE);
}

async fn audit_entries(app: &TestApp) -> Vec<Value> {
    let admin = app.admin().await;
    app.get("/v1/audit-events?limit=100").token(&admin).send().await.ok(200)["items"].as_array().unwrap().clone()
}

#[actix_web::test]
async fn refused_exports_show_nothing_and_write_nothing() {
    let app = spawn().await;
    let (applicant, profile) = app.applicant_with(own_profile()).await;
    let advocate = app.token("advocate", ADVOCATE, None).await;
    let other = app.applicant().await;
    let (org, coordinator, _) = app.coordinated_organisation().await;
    let host = app.token("host", "export-host", Some(&org)).await;
    let res = app.post("/v1/advocacy/applicants").token(&advocate).json(managed_profile()).send().await;
    let managed = id(res.ok(201));
    let before = audit_entries(&app).await;

    app.get("/v1/me/export").send().await.problem(401, "unauthorized");
    app.get("/v1/me/export").token("not-a-token").send().await.problem(401, "unauthorized");
    // Signed in without a profile: nothing is held, so nothing to export.
    app.get("/v1/me/export").token(&other).send().await.problem(404, "not_found");
    let theirs = format!("/v1/advocacy/applicants/{}/export", id(&profile));
    app.get(&theirs).send().await.problem(401, "unauthorized");
    // No link to the applicant: the advocate, another applicant, staff and the applicant themselves
    // (who use /v1/me/export) are all told it does not exist.
    let admin = app.admin().await;
    for token in [&advocate, &other, &coordinator, &host, &admin, &applicant] {
        app.get(&theirs).token(token).send().await.problem(404, "not_found");
    }
    // Another advocate's managed profile, and a profile that does not exist.
    let stranger = app.token("advocate", "another-advocate", None).await;
    app.get(&format!("/v1/advocacy/applicants/{managed}/export"))
        .token(&stranger)
        .send()
        .await
        .problem(404, "not_found");
    let nobody = uuid::Uuid::now_v7();
    app.get(&format!("/v1/advocacy/applicants/{nobody}/export"))
        .token(&advocate)
        .send()
        .await
        .problem(404, "not_found");
    app.get("/v1/advocacy/applicants/not-a-uuid/export").token(&advocate).send().await.problem(400, "invalid_id");

    assert_eq!(audit_entries(&app).await, before, "a refused export wrote an audit entry");
    let res = app.get(&format!("/v1/advocacy/applicants/{managed}/export")).token(&advocate).send().await;
    assert_eq!(res.ok(200)["profile"]["managed_by"], ADVOCATE);
    let after = audit_entries(&app).await;
    assert_eq!(after.len(), before.len() + 1);
    let entry = after.iter().find(|e| e["action"] == "subject_access_export").unwrap();
    assert_eq!(entry["actor_subject"], ADVOCATE);
    assert_eq!(entry["object_id"], json!(managed));
    assert!(!entry.to_string().contains("Bartholomew"), "the audit entry holds no personal data");
}
