//! A student with their own account joins their college: they link its provider coordinator as
//! their advocate, and the coordinator enrols them. Only a coordinator so linked can, once.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::providers::{provider, student};
use crate::support::{TestApp, id, profile_body, spawn};

/// A student with their own account who linked a new provider coordinator of `org`: (student's
/// token, profile id, the coordinator's token).
async fn linked(app: &TestApp, org: &str) -> (String, String, String) {
    let (token, profile) = app.applicant_with(profile_body(17)).await;
    let subject = format!("college-{}", Uuid::new_v4());
    let coordinator = app.token("provider_coordinator", &subject, Some(org)).await;
    let (link, code) = app.invite_advocate(&token, &format!("{subject}@college.example.org")).await;
    let res = app.post(&format!("/v1/advocate-links/{link}/accept")).token(&coordinator).json(json!({"code": code}));
    assert_eq!(res.send().await.ok(200)["status"], "active");
    (token, id(&profile), coordinator)
}

fn enrolment(profile: &str) -> Value {
    json!({"profile_id": profile, "course": "Health (Supporting the Adult Nursing Team)"})
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// How many students the colleges hold, and how many enrolment events are recorded.
fn students(app: &TestApp) -> (i64, i64) {
    use diesel::RunQueryDsl;
    let mut conn = app.store.pool().get().unwrap();
    let mut count = |sql: &str| diesel::sql_query(sql).get_result::<Count>(&mut **conn).unwrap().n;
    (
        count("SELECT COUNT(*) AS n FROM provider_students"),
        count("SELECT COUNT(*) AS n FROM events WHERE kind = 'profile.enrolled'"),
    )
}

#[actix_web::test]
async fn a_linked_provider_coordinator_enrols_a_student_who_then_belongs_to_the_college() {
    let app = spawn().await;
    let (org, _) = provider(&app).await;
    let (token, profile, coordinator) = linked(&app, &org).await;
    let path = format!("/v1/organisations/{org}/enrolments");
    let res = app.post(&path).token(&coordinator).json(enrolment(&profile)).send().await;
    let body = res.ok(201);
    assert_eq!((body["id"].clone(), body["organisation_id"].clone()), (json!(profile), json!(org)));
    assert_eq!(body["course"], "Health (Supporting the Adult Nursing Team)");
    assert_eq!(res.header("location").unwrap(), format!("/v1/organisations/{org}/students/{profile}"));

    // Any provider coordinator of the college now reaches the student; the profile stays the
    // student's own account.
    let (_, colleague) = provider(&app).await;
    app.get(&format!("/v1/organisations/{org}/students/{profile}"))
        .token(&colleague)
        .send()
        .await
        .problem(404, "not_found");
    let listed = app.get(&format!("/v1/organisations/{org}/students")).token(&coordinator).send().await;
    assert!(listed.ok(200)["items"].as_array().unwrap().iter().any(|s| s["id"] == json!(profile)));
    app.get("/v1/me/profile").token(&token).send().await.ok(200);

    // Once only, at this college or another.
    let again = app.post(&path).token(&coordinator).json(enrolment(&profile)).send().await;
    again.problem(409, "already_a_student");
    assert_eq!(students(&app), (1, 1));
}

#[actix_web::test]
async fn only_a_coordinator_the_student_linked_may_enrol_them_and_bad_courses_write_nothing() {
    let app = spawn().await;
    let (org, other_coordinator) = provider(&app).await;
    let (_, profile, coordinator) = linked(&app, &org).await;
    let path = format!("/v1/organisations/{org}/enrolments");

    // A coordinator of the college whom the student did not link: as if there were no student.
    app.post(&path).token(&other_coordinator).json(enrolment(&profile)).send().await.problem(404, "not_found");
    // A profile the college manages has no account to link: added with createStudent instead.
    let managed = id(&student(&app, &org, &coordinator).await);
    app.post(&path).token(&coordinator).json(enrolment(&managed)).send().await.problem(404, "not_found");
    // No such profile.
    let nobody = Uuid::now_v7().to_string();
    app.post(&path).token(&coordinator).json(enrolment(&nobody)).send().await.problem(404, "not_found");
    // Every other role is refused the college's list.
    let (nhs, nhs_coordinator, _) = app.coordinated_organisation().await;
    let host = app.token("host", "enrol-host", Some(&nhs)).await;
    for token in [app.applicant().await, nhs_coordinator, host, app.admin().await] {
        app.post(&path)
            .token(&token)
            .json(enrolment(&profile))
            .send()
            .await
            .problem(403, "provider_coordinator_role_required");
    }
    // The student's coordinator at another college cannot enrol them there.
    let (elsewhere, _) = provider(&app).await;
    let res = app.post(&format!("/v1/organisations/{elsewhere}/enrolments")).token(&coordinator);
    res.json(enrolment(&profile)).send().await.problem(403, "provider_coordinator_role_required");
    // Bad input: pointed at, nothing written.
    let before = students(&app);
    let res = app.post(&path).token(&coordinator).json(json!({"profile_id": profile, "course": "  "})).send().await;
    res.has_field_error("/course", "invalid_course");
    let res =
        app.post(&path).token(&coordinator).json(json!({"profile_id": "not-a-uuid", "course": "Health"})).send().await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(students(&app), before);
    app.post(&path).token(&coordinator).json(enrolment(&profile)).send().await.ok(201);
}

#[actix_web::test]
async fn the_college_erases_a_student_it_manages_and_no_one_else() {
    let app = spawn().await;
    let (org, coordinator) = provider(&app).await;
    let managed = student(&app, &org, &coordinator).await;
    let path = format!("/v1/organisations/{org}/students/{}", id(&managed));
    let etag = app.get(&path).token(&coordinator).send().await.etag();

    // Anyone else learns nothing, not even that a confirmation is needed.
    let (_, other_college) = provider(&app).await;
    let (nhs, nhs_coordinator, _) = app.coordinated_organisation().await;
    let host = app.token("host", "erase-host", Some(&nhs)).await;
    for token in [other_college, nhs_coordinator, host, app.applicant().await, app.admin().await] {
        let res = app.delete(&path).token(&token).header("If-Match", &etag).send().await;
        res.problem(404, "not_found");
    }
    app.delete(&path).token(&coordinator).send().await.problem(428, "precondition_required");
    app.delete(&path).token(&coordinator).header("If-Match", "\"v99\"").send().await.problem(412, "version_mismatch");
    assert_eq!(app.get(&path).token(&coordinator).send().await.ok(200)["id"], managed["id"], "nothing erased yet");

    let res = app.delete(&path).token(&coordinator).header("If-Match", &etag).send().await;
    assert_eq!(res.ok(200)["erased_by"], "provider");
    app.get(&path).token(&coordinator).send().await.problem(404, "not_found");
    assert_eq!(students(&app).0, 0, "the college holds the student no longer");

    // A student with their own account deletes it themselves.
    let (_, own, linked_coordinator) = linked(&app, &org).await;
    let enrolled = app.post(&format!("/v1/organisations/{org}/enrolments")).token(&linked_coordinator);
    enrolled.json(enrolment(&own)).send().await.ok(201);
    let path = format!("/v1/organisations/{org}/students/{own}");
    let etag = app.get(&path).token(&linked_coordinator).send().await.etag();
    let res = app.delete(&path).token(&linked_coordinator).header("If-Match", &etag).send().await;
    res.problem(403, "erasure_not_allowed");
    app.get(&path).token(&linked_coordinator).send().await.ok(200);
}
