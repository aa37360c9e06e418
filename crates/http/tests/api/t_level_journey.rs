//! T-level reviews, completion with the hours on the certificate, and the whole journey: an
//! agreement confirmed by all three parties, hours logged to 315, both reviews with the student's
//! reflections, completion, and the certificate verified by its code.

use chrono::{Datelike, Duration, Weekday};
use serde_json::{Value, json};

use crate::support::{TestApp, spawn};
use crate::t_level::{
    Place, accepted_t_level_place, clock, confirm_all, host, log, outsiders, record, stored, student, t_level_events,
};

async fn review(app: &TestApp, place: &Place, token: &str, body: Value) -> crate::support::Resp {
    app.post(&place.path("reviews")).token(token).json(body).send().await
}

async fn reflect(app: &TestApp, place: &Place, token: &str, stage: &str, text: &str) -> crate::support::Resp {
    app.call(actix_web::http::Method::PUT, &place.path(&format!("reviews/{stage}/reflection")))
        .token(token)
        .json(json!({"reflection": text}))
        .send()
        .await
}

fn mid_point() -> Value {
    json!({"stage": "mid_point", "on_track": true, "comments": "Careful with samples; next, lead a quality check."})
}

#[actix_web::test]
async fn a_t_level_journey_to_315_hours_reviews_and_a_certificate_stating_them() {
    let app = spawn().await;
    let s = student(&app, 17).await;
    let place = accepted_t_level_place(&app, &s).await;
    let supervisor = host(&app, &place, "supervisor-lab").await;

    // Reviews wait for all three confirmations.
    let etag = record(&app, &place, "supervisor-lab").await;
    review(&app, &place, &supervisor, mid_point()).await.problem(409, "agreement_not_confirmed");
    confirm_all(&app, &place, &s, etag).await;
    clock(&app, place.end() + Duration::days(1)).await;

    // The mid-point review: the supervisor's alone, once.
    for token in [&place.coordinator, &s.token, &s.provider] {
        review(&app, &place, token, mid_point()).await.problem(403, "supervisor_only");
    }
    for token in outsiders(&app, &place).await {
        review(&app, &place, &token, mid_point()).await.problem(404, "not_found");
        reflect(&app, &place, &token, "mid_point", "Mine").await.problem(404, "not_found");
        app.get(&place.path("reviews")).token(&token).send().await.problem(404, "not_found");
    }
    let before = stored(&app);
    review(&app, &place, &supervisor, json!({"stage": "mid_point", "on_track": true, "comments": " "}))
        .await
        .has_field_error("/comments", "invalid_length");
    review(&app, &place, &supervisor, json!({"stage": "halfway", "on_track": true, "comments": "Fine"}))
        .await
        .has_field_error("/stage", "invalid_value");
    review(&app, &place, &supervisor, json!({"stage": "end", "comments": "Fine"}))
        .await
        .has_field_error("/on_track", "required");
    reflect(&app, &place, &s.token, "mid_point", "Too early").await.problem(404, "not_found");
    assert_eq!(stored(&app), before, "nothing written");
    let recorded = review(&app, &place, &supervisor, mid_point()).await;
    assert_eq!(recorded.ok(201)["reviewed_by"], "supervisor-lab");
    review(&app, &place, &supervisor, mid_point()).await.problem(409, "review_already_recorded");

    // The student's reflection: theirs (or their advocate's), once.
    reflect(&app, &place, &place.coordinator, "mid_point", "Not mine").await.problem(403, "not_a_student");
    reflect(&app, &place, &supervisor, "mid_point", "Not mine").await.problem(403, "not_a_student");
    reflect(&app, &place, &s.token, "mid_point", "").await.has_field_error("/reflection", "invalid_length");
    reflect(&app, &place, &s.token, "second", "No such review").await.problem(404, "not_found");
    let reflected = reflect(&app, &place, &s.token, "mid_point", "I learned why labelling matters.").await;
    assert_eq!(reflected.ok(200)["reflection"], "I learned why labelling matters.");
    reflect(&app, &place, &s.token, "mid_point", "Again").await.problem(409, "reflection_already_added");

    // Hours to 315: eight hours each weekday (a young worker's limit), three on the last day.
    let mut day = place.start();
    let mut logged = 0;
    while logged < 315 {
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            let hours = (315 - logged).min(8);
            log(&app, &place, &supervisor, day, json!(hours)).await.ok(201);
            logged += hours;
        }
        day += Duration::days(1);
    }
    let progress = app.get(&place.path("progress")).token(&s.provider).send().await;
    let body = progress.ok(200);
    assert_eq!((body["total_hours"].clone(), body["reached"].clone()), (json!(315.0), json!(true)));
    assert_eq!(body["remaining_hours"], json!(0.0));

    // Completion needs attendance and the end review.
    let application = format!("/v1/applications/{}", place.application);
    app.post(&format!("{application}/attendance"))
        .token(&supervisor)
        .json(json!({"attended": true}))
        .send()
        .await
        .ok(200);
    app.post(&format!("{application}/complete")).token(&supervisor).send().await.problem(409, "end_review_required");
    review(
        &app,
        &place,
        &supervisor,
        json!({"stage": "end", "on_track": true, "comments": "Ready for work in a lab."}),
    )
    .await
    .ok(201);
    reflect(&app, &place, &s.token, "end", "I want to train as a biomedical scientist.").await.ok(200);
    let reviews = app.get(&place.path("reviews")).token(&place.coordinator).send().await;
    let stages: Vec<_> = reviews.ok(200)["items"].as_array().unwrap().iter().map(|r| r["stage"].clone()).collect();
    assert_eq!(stages, [json!("mid_point"), json!("end")]);

    let completed = app.post(&format!("{application}/complete")).token(&supervisor).send().await;
    let code = completed.ok(200)["certificate_code"].as_str().unwrap().to_string();
    let certificate = app.get(&format!("/v1/certificates/{code}")).send().await;
    let body = certificate.ok(200);
    assert_eq!(body["t_level_hours"], json!(315.0));
    assert_eq!(body["participant_initials"], "JB");

    // Once completed, the agreement, hours and reviews are final.
    log(&app, &place, &supervisor, place.end(), json!(1)).await.problem(409, "place_completed");
    let agreement = app.get(&place.path("agreement")).token(&place.coordinator).send().await;
    let etag = agreement.etag();
    app.call(actix_web::http::Method::PUT, &place.path("agreement"))
        .token(&place.coordinator)
        .header("If-Match", &etag)
        .json(crate::t_level::terms(&place, "supervisor-lab"))
        .send()
        .await
        .problem(409, "place_completed");
    // The student still sees it all through their own application.
    app.get(&place.path("hours")).token(&s.token).send().await.ok(200);

    let events = t_level_events(&app);
    for kind in ["t_level_review.recorded", "t_level_review.reflection_added"] {
        assert_eq!(events.iter().filter(|k| *k == kind).count(), 2, "{kind}");
    }
}
