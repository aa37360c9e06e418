//! T-level placements: the three-way agreement on an accepted place (who records, reads and
//! confirms it; what is refused, with nothing written). Hours are in `t_level_hours`, reviews,
//! completion and the whole journey in `t_level_journey`.

use diesel::prelude::*;
use serde_json::{Value, json};

use crate::support::{TestApp, id, placement_body, profile_body, spawn, with};

/// A student with their own account, enrolled by their college: the student's token, and the
/// college (an education provider) and its provider coordinator's token.
pub struct Student {
    pub token: String,
    pub profile: String,
    pub provider_org: String,
    pub provider: String,
}

/// An accepted place on a T-level placement.
pub struct Place {
    pub org: String,
    pub coordinator: String,
    pub placement: Value,
    pub application: String,
}

impl Place {
    pub fn path(&self, rest: &str) -> String {
        format!("/v1/applications/{}/t-level/{rest}", self.application)
    }

    pub fn start(&self) -> chrono::NaiveDate {
        self.placement["start_date"].as_str().unwrap().parse().unwrap()
    }

    pub fn end(&self) -> chrono::NaiveDate {
        self.placement["end_date"].as_str().unwrap().parse().unwrap()
    }
}

/// A student `years_old` years old with their own account, who links their college's provider
/// coordinator as their advocate; the coordinator then enrols them.
pub async fn student(app: &TestApp, years_old: i64) -> Student {
    let (token, profile) = app.applicant_with(profile_body(years_old)).await;
    let (provider_org, _) = crate::providers::provider(app).await;
    let subject = format!("provider-{}", uuid::Uuid::new_v4());
    let provider = app.token("provider_coordinator", &subject, Some(&provider_org)).await;
    let (link_id, code) = app.invite_advocate(&token, &format!("{subject}@college.example.org")).await;
    let res = app
        .post(&format!("/v1/advocate-links/{link_id}/accept"))
        .token(&provider)
        .json(json!({"code": code}))
        .send()
        .await;
    assert_eq!(res.ok(200)["status"], "active");
    let enrolment = json!({"profile_id": id(&profile), "course": "Healthcare Science"});
    let res =
        app.post(&format!("/v1/organisations/{provider_org}/enrolments")).token(&provider).json(enrolment).send().await;
    assert_eq!(res.ok(201)["id"], profile["id"]);
    Student { token, profile: id(&profile), provider_org, provider }
}

/// A T-level placement of ten weeks, published by a new organisation.
pub async fn t_level_placement(app: &TestApp) -> (String, String, Value) {
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let mut body = crate::providers::t_level_body(&site, 2);
    let start: chrono::NaiveDate = body["start_date"].as_str().unwrap().parse().unwrap();
    body = with(body, "/end_date", json!((start + chrono::Duration::days(69)).to_string()));
    let placement = app.published(&coordinator, &org, body).await;
    (org, coordinator, placement)
}

/// An accepted T-level place: the college proposes its student and the trust accepts.
pub async fn accepted_t_level_place(app: &TestApp, student: &Student) -> Place {
    let (org, coordinator, placement) = t_level_placement(app).await;
    let application = accepted_on(app, student, &coordinator, &placement).await;
    Place { org, coordinator, placement, application }
}

/// The student's college proposes them for a T-level placement: the application's id.
pub async fn proposed(app: &TestApp, student: &Student, placement: &Value) -> String {
    let path = format!("/v1/organisations/{}/students/{}/proposals", student.provider_org, student.profile);
    let res = app.post(&path).token(&student.provider).json(json!({"placement_id": id(placement)})).send().await;
    id(res.ok(201))
}

/// The student holds an accepted place on `placement`: on a T-level placement the college proposes
/// them and the trust accepts; on any other the student applies, it is drawn and they accept.
pub async fn accepted_on(app: &TestApp, student: &Student, coordinator: &str, placement: &Value) -> String {
    let path = format!("/v1/placements/{}", id(placement));
    if placement["kind"] == "t_level_industry_placement" {
        let application = proposed(app, student, placement).await;
        app.post(&format!("{path}/proposals/{application}/accept")).token(coordinator).send().await.ok(200);
        return application;
    }
    let version = app.privacy_version().await;
    let a = app.apply(&student.token, &id(placement), json!({"privacy_notice_version": version})).await;
    let application = id(a.ok(201));
    app.post(&format!("{path}/close")).token(coordinator).send().await.ok(200);
    app.post(&format!("{path}/draw")).token(coordinator).send().await.ok(200);
    let a = app.get(&format!("/v1/applications/{application}")).token(&student.token).send().await.ok(200).clone();
    app.post(&format!("/v1/offers/{}/accept", id(&a["offer"]))).token(&student.token).send().await.ok(200);
    application
}

/// Terms for the whole placement with `supervisor`.
pub fn terms(place: &Place, supervisor: &str) -> Value {
    json!({
        "objectives": "Work in the pathology laboratory: sample reception, quality checks and reporting.",
        "pattern": "day_release",
        "supervisor": supervisor,
        "planned_hours": 315,
        "start_date": place.start().to_string(),
        "end_date": place.end().to_string(),
    })
}

/// A host of the place's organisation: their token.
pub async fn host(app: &TestApp, place: &Place, subject: &str) -> String {
    app.token("host", subject, Some(&place.org)).await
}

/// Records the agreement with `supervisor`: its ETag.
pub async fn record(app: &TestApp, place: &Place, supervisor: &str) -> String {
    let res = app
        .call(actix_web::http::Method::PUT, &place.path("agreement"))
        .token(&place.coordinator)
        .json(terms(place, supervisor))
        .send()
        .await;
    res.ok(201);
    res.etag()
}

/// All three parties confirm the agreement read at `etag`.
pub async fn confirm_all(app: &TestApp, place: &Place, student: &Student, mut etag: String) -> Value {
    let mut last = Value::Null;
    for (token, party) in
        [(&place.coordinator, "employer"), (&student.provider, "provider"), (&student.token, "student")]
    {
        let res = confirm(app, place, token, party, &etag).await;
        last = res.ok(200).clone();
        etag = res.etag();
    }
    assert_eq!(last["confirmed"], true);
    last
}

/// Records the agreement with `supervisor` and has all three parties confirm it.
pub async fn confirmed(app: &TestApp, place: &Place, student: &Student, supervisor: &str) -> Value {
    let etag = record(app, place, supervisor).await;
    confirm_all(app, place, student, etag).await
}

/// Sets the sandbox clock to 10:00 UTC on `day`.
pub async fn clock(app: &TestApp, day: chrono::NaiveDate) {
    app.post("/v1/sandbox/clock").json(json!({"set": format!("{day}T10:00:00Z")})).send().await.ok(200);
}

/// The first Monday on or after `day`.
pub fn monday_from(day: chrono::NaiveDate) -> chrono::NaiveDate {
    use chrono::Datelike;
    day + chrono::Duration::days(i64::from((7 - day.weekday().num_days_from_monday()) % 7))
}

pub async fn log(
    app: &TestApp,
    place: &Place,
    token: &str,
    day: chrono::NaiveDate,
    hours: Value,
) -> crate::support::Resp {
    app.post(&place.path("hours")).token(token).json(json!({"date": day.to_string(), "hours": hours})).send().await
}

pub async fn confirm(app: &TestApp, place: &Place, token: &str, party: &str, etag: &str) -> crate::support::Resp {
    app.post(&place.path("agreement/confirmations"))
        .token(token)
        .header("If-Match", etag)
        .json(json!({"party": party}))
        .send()
        .await
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// How many T-level rows (agreements, hours, reviews) and T-level events the database holds.
pub fn stored(app: &TestApp) -> [i64; 4] {
    let mut conn = app.store.pool().get().unwrap();
    let mut count = |sql: &str| diesel::sql_query(sql).get_result::<Count>(&mut **conn).unwrap().n;
    [
        count("SELECT COUNT(*) AS n FROM t_level_agreements"),
        count("SELECT COUNT(*) AS n FROM t_level_hours"),
        count("SELECT COUNT(*) AS n FROM t_level_reviews"),
        count("SELECT COUNT(*) AS n FROM events WHERE entity LIKE 't_level%'"),
    ]
}

/// Event kinds recorded about T-level places, oldest first.
pub fn t_level_events(app: &TestApp) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Kind {
        #[diesel(sql_type = diesel::sql_types::Text)]
        kind: String,
    }
    let mut conn = app.store.pool().get().unwrap();
    diesel::sql_query("SELECT kind FROM events WHERE entity LIKE 't_level%' ORDER BY seq")
        .load::<Kind>(&mut **conn)
        .unwrap()
        .into_iter()
        .map(|k| k.kind)
        .collect()
}

/// Everyone with no part in the place: another organisation's coordinator, a host of the
/// organisation who is not the supervisor, another applicant, an admin, an analyst.
pub async fn outsiders(app: &TestApp, place: &Place) -> Vec<String> {
    let (_, other_coordinator, _) = app.coordinated_organisation().await;
    vec![
        other_coordinator,
        host(app, place, &format!("host-{}", uuid::Uuid::new_v4())).await,
        app.applicant().await,
        app.admin().await,
        app.token("analyst", &format!("analyst-{}", uuid::Uuid::new_v4()), None).await,
    ]
}

#[actix_web::test]
async fn the_coordinator_records_the_agreement_and_each_party_confirms_it() {
    let app = spawn().await;
    let s = student(&app, 17).await;
    let place = accepted_t_level_place(&app, &s).await;
    let supervisor = host(&app, &place, "supervisor-lab").await;
    let put = |token: &str, body: Value| {
        app.call(actix_web::http::Method::PUT, &place.path("agreement")).token(token).json(body)
    };

    // Other parties may read but not record; anyone else learns nothing.
    for token in [&s.token, &s.provider] {
        put(token, terms(&place, "supervisor-lab")).send().await.problem(403, "coordinator_role_required");
    }
    for token in outsiders(&app, &place).await {
        put(&token, terms(&place, "supervisor-lab")).send().await.problem(404, "not_found");
    }
    // Bad terms: every field pointed at, nothing written.
    let mut bad = terms(&place, "not-a-host");
    bad["start_date"] = json!((place.start() - chrono::Duration::days(1)).to_string());
    bad["end_date"] = json!((place.end() + chrono::Duration::days(1)).to_string());
    bad["planned_hours"] = json!(0);
    bad["objectives"] = json!("  ");
    let res = put(&place.coordinator, bad).send().await;
    for field in ["/start_date", "/end_date", "/planned_hours", "/objectives"] {
        res.has_field_error(
            field,
            if field == "/planned_hours" {
                "out_of_range"
            } else if field == "/objectives" {
                "invalid_length"
            } else {
                "outside_placement"
            },
        );
    }
    put(&place.coordinator, terms(&place, "not-a-host")).send().await.has_field_error("/supervisor", "not_a_host");
    put(&place.coordinator, with(terms(&place, "supervisor-lab"), "/pattern", json!("weekends")))
        .send()
        .await
        .has_field_error("/pattern", "invalid_value");
    assert_eq!(stored(&app), [0, 0, 0, 0], "nothing written");
    app.get(&place.path("agreement")).token(&place.coordinator).send().await.problem(404, "not_found");

    let res = put(&place.coordinator, terms(&place, "supervisor-lab")).send().await;
    let recorded = res.ok(201).clone();
    assert_eq!(res.etag(), "\"v1\"");
    assert_eq!(recorded["confirmed"], false);
    assert_eq!(recorded["you_may_confirm_as"], json!(["employer"]));
    // Naming the supervisor made them a host of the placement.
    let hosts =
        app.get(&format!("/v1/placements/{}/hosts", id(&place.placement))).token(&place.coordinator).send().await;
    assert_eq!(hosts.ok(200)["items"], json!(["supervisor-lab"]));

    for (token, parties) in [
        (&place.coordinator, json!(["employer"])),
        (&supervisor, json!([])),
        (&s.token, json!(["student"])),
        // The college speaks for itself; a student with an account confirms for themselves.
        (&s.provider, json!(["provider"])),
    ] {
        assert_eq!(app.get(&place.path("agreement")).token(token).send().await.ok(200)["you_may_confirm_as"], parties);
    }
    for token in outsiders(&app, &place).await {
        app.get(&place.path("agreement")).token(&token).send().await.problem(404, "not_found");
        confirm(&app, &place, &token, "employer", "\"v1\"").await.problem(404, "not_found");
    }

    // Confirming: for one's own party only, naming the version read.
    confirm(&app, &place, &s.token, "employer", "\"v1\"").await.problem(403, "not_a_party");
    confirm(&app, &place, &supervisor, "employer", "\"v1\"").await.problem(403, "not_a_party");
    confirm(&app, &place, &place.coordinator, "student", "\"v1\"").await.problem(403, "not_a_party");
    app.post(&place.path("agreement/confirmations"))
        .token(&s.token)
        .json(json!({"party": "student"}))
        .send()
        .await
        .problem(428, "precondition_required");
    confirm(&app, &place, &s.token, "student", "\"v9\"").await.problem(412, "version_mismatch");
    confirm(&app, &place, &s.token, "teacher", "\"v1\"").await.has_field_error("/party", "invalid_value");
    let res = confirm(&app, &place, &s.token, "student", "\"v1\"").await;
    assert!(res.ok(200)["confirmations"]["student"].is_string());
    assert_eq!(res.etag(), "\"v2\"");
    // Again: nothing changes.
    assert_eq!(confirm(&app, &place, &s.token, "student", "\"v2\"").await.etag(), "\"v2\"");
    confirm(&app, &place, &s.provider, "provider", "\"v2\"").await.ok(200);
    let res = confirm(&app, &place, &place.coordinator, "employer", "\"v3\"").await;
    assert_eq!(res.ok(200)["confirmed"], true);

    // Changing the terms needs If-Match and clears every confirmation; the same terms change nothing.
    put(&place.coordinator, terms(&place, "supervisor-lab")).send().await.problem(428, "precondition_required");
    let same = put(&place.coordinator, terms(&place, "supervisor-lab")).header("If-Match", "\"v4\"").send().await;
    assert_eq!(same.ok(200)["confirmed"], true);
    put(&place.coordinator, with(terms(&place, "supervisor-lab"), "/planned_hours", json!(200)))
        .header("If-Match", "\"v3\"")
        .send()
        .await
        .problem(412, "version_mismatch");
    let changed = put(&place.coordinator, with(terms(&place, "supervisor-lab"), "/planned_hours", json!(200)))
        .header("If-Match", "\"v4\"")
        .send()
        .await;
    let body = changed.ok(200);
    assert_eq!((body["planned_hours"].clone(), body["confirmed"].clone()), (json!(200), json!(false)));
    assert_eq!(body["confirmations"], json!({"employer": null, "provider": null, "student": null}));
    assert_eq!(changed.etag(), "\"v5\"");

    assert_eq!(
        t_level_events(&app),
        [
            "t_level_agreement.recorded",
            "t_level_agreement.confirmed",
            "t_level_agreement.confirmed",
            "t_level_agreement.confirmed",
            "t_level_agreement.terms_changed"
        ]
    );
}

#[actix_web::test]
async fn only_accepted_places_on_t_level_placements_have_an_agreement() {
    let app = spawn().await;
    let s = student(&app, 30).await;
    // An accepted place on an ordinary work experience placement.
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let ordinary = app.published(&coordinator, &org, placement_body(&site)).await;
    let application = accepted_on(&app, &s, &coordinator, &ordinary).await;
    let place = Place { org, coordinator, placement: ordinary, application };
    app.token("host", "supervisor-ward", Some(&place.org)).await;
    let put = app.call(actix_web::http::Method::PUT, &place.path("agreement")).token(&place.coordinator);
    put.json(terms(&place, "supervisor-ward")).send().await.problem(404, "not_found");

    // A T-level application not (yet) holding a place: proposed, not yet accepted.
    let (org, coordinator, placement) = t_level_placement(&app).await;
    let application = proposed(&app, &s, &placement).await;
    let submitted = Place { org, coordinator, placement, application };
    app.token("host", "supervisor-lab", Some(&submitted.org)).await;
    let put = app.call(actix_web::http::Method::PUT, &submitted.path("agreement")).token(&submitted.coordinator);
    put.json(terms(&submitted, "supervisor-lab")).send().await.problem(404, "not_found");
    app.get(&submitted.path("progress")).token(&s.token).send().await.problem(404, "not_found");
    assert_eq!(stored(&app), [0, 0, 0, 0]);
}
