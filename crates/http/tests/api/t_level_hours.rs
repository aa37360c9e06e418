//! T-level hours: logged by the supervisor only, within the agreement's dates once confirmed, and
//! within the working-time limits counting every employer; progress across up to two employers.

use chrono::Duration;
use serde_json::json;

use crate::support::{id, spawn};
use crate::t_level::{
    Place, accepted_on, accepted_t_level_place, clock, confirm_all, confirmed, host, log, monday_from, outsiders,
    record, stored, student, t_level_events, t_level_placement, terms,
};

#[actix_web::test]
async fn the_supervisor_logs_a_young_workers_hours_within_the_dates_and_the_limits() {
    let app = spawn().await;
    let s = student(&app, 17).await;
    let place = accepted_t_level_place(&app, &s).await;
    let supervisor = host(&app, &place, "supervisor-lab").await;
    let monday = monday_from(place.start());
    clock(&app, monday + Duration::days(1)).await;

    // No agreement: the host is no supervisor yet, so has no part in the place.
    log(&app, &place, &supervisor, monday, json!(7)).await.problem(404, "not_found");
    let etag = record(&app, &place, "supervisor-lab").await;
    log(&app, &place, &supervisor, monday, json!(7)).await.problem(409, "agreement_not_confirmed");
    confirm_all(&app, &place, &s, etag).await;
    let before = stored(&app);

    // Other parties are told only the supervisor logs; anyone else learns nothing.
    for token in [&place.coordinator, &s.token, &s.provider] {
        log(&app, &place, token, monday, json!(7)).await.problem(403, "supervisor_only");
    }
    for token in outsiders(&app, &place).await {
        log(&app, &place, &token, monday, json!(7)).await.problem(404, "not_found");
        app.get(&place.path("hours")).token(&token).send().await.problem(404, "not_found");
        app.get(&place.path("progress")).token(&token).send().await.problem(404, "not_found");
    }
    // Outside the agreement's dates, in the future, or not in quarter hours.
    let res = log(&app, &place, &supervisor, place.start() - Duration::days(1), json!(7)).await;
    res.has_field_error("/date", "outside_agreement");
    assert_eq!(res.status, 422);
    log(&app, &place, &supervisor, place.end() + Duration::days(1), json!(7))
        .await
        .has_field_error("/date", "outside_agreement");
    log(&app, &place, &supervisor, monday + Duration::days(2), json!(7))
        .await
        .has_field_error("/date", "outside_agreement");
    for bad in [json!(7.3), json!(0), json!(-1), json!(24.25)] {
        log(&app, &place, &supervisor, monday, bad).await.has_field_error("/hours", "invalid_value");
    }
    log(&app, &place, &supervisor, monday, json!("7")).await.has_field_error("/hours", "invalid_value");
    // Under 18: 8 hours a day.
    let res = log(&app, &place, &supervisor, monday, json!(8.25)).await;
    res.has_field_error("/hours", "working_time_day_limit");
    assert!(res.body["detail"].as_str().unwrap().contains("8.25 hours"), "{}", res.text);
    assert_eq!(stored(&app), before, "nothing written");

    // ... and 40 hours from Monday to Sunday.
    clock(&app, place.end() + Duration::days(1)).await;
    for day in 0..5 {
        let res = log(&app, &place, &supervisor, monday + Duration::days(day), json!(8)).await;
        assert_eq!(res.ok(201)["hours"], json!(8.0));
        assert_eq!(res.body["logged_by"], "supervisor-lab");
    }
    let saturday = monday + Duration::days(5);
    let res = log(&app, &place, &supervisor, saturday, json!(0.25)).await;
    res.has_field_error("/hours", "working_time_week_limit");
    assert_eq!(res.status, 422);
    // A correction replaces the day's entry, and the week has room again.
    let friday = monday + Duration::days(4);
    let corrected = log(&app, &place, &supervisor, friday, json!(7.75)).await;
    assert_eq!((corrected.ok(200)["hours"].clone(), corrected.body["version"].clone()), (json!(7.75), json!(2)));
    log(&app, &place, &supervisor, saturday, json!(0.25)).await.ok(201);
    log(&app, &place, &supervisor, saturday + Duration::days(1), json!(0.25))
        .await
        .problem(422, "working_time_week_limit");
    // The next week starts on Monday.
    log(&app, &place, &supervisor, monday + Duration::days(7), json!(8)).await.ok(201);

    let hours = app.get(&place.path("hours")).token(&s.token).send().await;
    let items = hours.ok(200)["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 7);
    assert_eq!(items[4]["date"], friday.to_string());
    for token in [&place.coordinator, &supervisor, &s.provider, &s.token] {
        let p = app.get(&place.path("progress")).token(token).send().await;
        let body = p.ok(200);
        assert_eq!((body["total_hours"].clone(), body["target_hours"].clone()), (json!(48.0), json!(315)));
        assert_eq!(body["remaining_hours"], json!(267.0));
        assert_eq!(body["places"][0]["application_id"], place.application.as_str());
    }
    let events = t_level_events(&app);
    assert_eq!(events.iter().filter(|k| *k == "t_level_hours.logged").count(), 7);
    assert_eq!(events.iter().filter(|k| *k == "t_level_hours.corrected").count(), 1);
}

#[actix_web::test]
async fn an_adult_may_log_12_hours_a_day_and_no_weekly_limit_applies() {
    let app = spawn().await;
    let s = student(&app, 30).await;
    let place = accepted_t_level_place(&app, &s).await;
    let supervisor = host(&app, &place, "supervisor-ward").await;
    confirmed(&app, &place, &s, "supervisor-ward").await;
    clock(&app, place.end()).await;
    let monday = monday_from(place.start());
    log(&app, &place, &supervisor, monday, json!(12.25)).await.problem(422, "working_time_day_limit");
    for day in 0..7 {
        log(&app, &place, &supervisor, monday + Duration::days(day), json!(12)).await.ok(201);
    }
    let p = app.get(&place.path("progress")).token(&s.token).send().await;
    assert_eq!(p.ok(200)["total_hours"], json!(84.0));
}

#[actix_web::test]
async fn hours_at_two_employers_count_together_and_a_third_employer_is_refused() {
    let app = spawn().await;
    let s = student(&app, 17).await;
    let first = accepted_t_level_place(&app, &s).await;
    let second = accepted_t_level_place(&app, &s).await;
    // A third place, taken while applications are open (before the clock moves on).
    let (org, coordinator, placement) = t_level_placement(&app).await;
    let application = accepted_on(&app, &s, &coordinator, &placement).await;
    let third = Place { org, coordinator, placement, application };
    let lab = host(&app, &first, "supervisor-lab").await;
    let ward = host(&app, &second, "supervisor-ward").await;
    confirmed(&app, &first, &s, "supervisor-lab").await;
    confirmed(&app, &second, &s, "supervisor-ward").await;
    clock(&app, first.end()).await;
    let monday = monday_from(first.start());

    // The day's limit counts both employers.
    log(&app, &first, &lab, monday, json!(5)).await.ok(201);
    log(&app, &second, &ward, monday, json!(3.25)).await.problem(422, "working_time_day_limit");
    log(&app, &second, &ward, monday, json!(3)).await.ok(201);
    // Each supervisor logs for their own place only.
    log(&app, &second, &lab, monday + Duration::days(1), json!(1)).await.problem(404, "not_found");

    let p = app.get(&second.path("progress")).token(&s.provider).send().await;
    let body = p.ok(200);
    assert_eq!(body["total_hours"], json!(8.0));
    let places = body["places"].as_array().unwrap();
    assert_eq!(places.len(), 2);
    assert_eq!(places[0]["logged_hours"], json!(5.0));
    assert_eq!(places[1]["logged_hours"], json!(3.0));

    // A third employer's agreement is refused, and nothing is written.
    host(&app, &third, "supervisor-third").await;
    let before = stored(&app);
    app.call(actix_web::http::Method::PUT, &third.path("agreement"))
        .token(&third.coordinator)
        .json(terms(&third, "supervisor-third"))
        .send()
        .await
        .problem(409, "t_level_employer_limit");
    assert_eq!(stored(&app), before);
    let hosts =
        app.get(&format!("/v1/placements/{}/hosts", id(&third.placement))).token(&third.coordinator).send().await;
    assert_eq!(hosts.ok(200)["items"], json!([]), "the supervisor was not named either");
}

#[actix_web::test]
async fn concurrent_agreements_and_logs_for_one_student_keep_within_the_limits() {
    let app = spawn().await;
    let s = student(&app, 17).await;
    let places = [
        accepted_t_level_place(&app, &s).await,
        accepted_t_level_place(&app, &s).await,
        accepted_t_level_place(&app, &s).await,
    ];
    let mut supervisors = Vec::new();
    for (i, place) in places.iter().enumerate() {
        supervisors.push(host(&app, place, &format!("supervisor-{i}")).await);
    }
    confirmed(&app, &places[0], &s, "supervisor-0").await;

    // Two employers record the student's second agreement at once: one wins, one is refused.
    let recordings = places[1..].iter().enumerate().map(|(i, place)| {
        let app = &app;
        async move {
            app.call(actix_web::http::Method::PUT, &place.path("agreement"))
                .token(&place.coordinator)
                .json(terms(place, &format!("supervisor-{}", i + 1)))
                .send()
                .await
        }
    });
    let results = futures_util::future::join_all(recordings).await;
    let won: Vec<_> = results.iter().enumerate().filter(|(_, r)| r.status == 201).map(|(i, _)| i + 1).collect();
    assert_eq!(won.len(), 1, "{:?}", results.iter().map(|r| &r.text).collect::<Vec<_>>());
    for res in results.iter().filter(|r| r.status != 201) {
        res.problem(409, "t_level_employer_limit");
    }
    let second = &places[won[0]];
    let etag = app.get(&second.path("agreement")).token(&second.coordinator).send().await.etag();
    confirm_all(&app, second, &s, etag).await;

    // Both supervisors log five hours on the same day at once: eight is the day's limit.
    clock(&app, places[0].end()).await;
    let monday = monday_from(places[0].start());
    let app = &app;
    let logs = [(&places[0], &supervisors[0]), (second, &supervisors[won[0]])]
        .map(|(place, supervisor)| async move { log(app, place, supervisor, monday, json!(5)).await });
    let results = futures_util::future::join_all(logs).await;
    let statuses: Vec<u16> = results.iter().map(|r| r.status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    for res in results.iter().filter(|r| r.status != 201) {
        res.problem(422, "working_time_day_limit");
    }
}

#[actix_web::test]
async fn hours_are_attendance_so_they_wait_until_the_student_is_ready() {
    let app = spawn().await;
    let s = student(&app, 17).await;
    // A T-level placement that asks for the participant agreement before anyone starts.
    let (org, coordinator, site) = app.coordinated_organisation().await;
    let mut body = crate::providers::t_level_body(&site, 1);
    body["requirements"] = json!({"kinds": ["participant_agreement"]});
    let placement = app.published(&coordinator, &org, body).await;
    let application = accepted_on(&app, &s, &coordinator, &placement).await;
    let place = Place { org, coordinator, placement, application };
    let supervisor = host(&app, &place, "supervisor-ready").await;
    confirmed(&app, &place, &s, "supervisor-ready").await;
    clock(&app, place.start()).await;

    let before = stored(&app);
    let res = log(&app, &place, &supervisor, place.start(), json!(7)).await;
    assert!(res.problem(409, "not_ready")["detail"].as_str().unwrap().contains("participant_agreement"));
    assert_eq!(stored(&app), before, "nothing written");

    let item = format!("/v1/applications/{}/readiness/participant_agreement", place.application);
    app.call(actix_web::http::Method::PUT, &item).token(&s.token).json(json!({})).send().await.ok(200);
    log(&app, &place, &supervisor, place.start(), json!(7)).await.ok(201);
}
