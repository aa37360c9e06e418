//! The T-level report: placements offered and filled, students placed and hours completed, by
//! region or specialty, exact with no suppression and hidden with the default rules.

use chrono::Duration;
use serde_json::json;
use wex_domain::model::reports::suppression::Rules;

use crate::support::{Options, spawn_with};
use crate::t_level::{accepted_t_level_place, clock, confirmed, host, log, monday_from, student};

#[actix_web::test]
async fn the_report_counts_places_students_and_hours_and_hides_them_for_few_students() {
    for (rules, exact) in [(Rules::thresholds(1, 1), true), (Rules::default(), false)] {
        let app = spawn_with(Options { suppression: rules, ..Options::default() }).await;
        let s = student(&app, 17).await;
        let first = accepted_t_level_place(&app, &s).await;
        let second = accepted_t_level_place(&app, &s).await;
        let supervisor = host(&app, &first, "supervisor-lab").await;
        confirmed(&app, &first, &s, "supervisor-lab").await;
        clock(&app, first.end()).await;
        let monday = monday_from(first.start());
        log(&app, &first, &supervisor, monday, json!(7.5)).await.ok(201);
        log(&app, &first, &supervisor, monday + Duration::days(1), json!(6)).await.ok(201);

        let admin = app.admin().await;
        let res = app.get("/v1/reports/t-level?by=region").token(&admin).send().await;
        let body = res.ok(200);
        assert_eq!(body["filter"]["kind"], json!(null));
        let row = &body["rows"][0];
        assert_eq!(
            (row["category"].clone(), row["placements"].clone(), row["places"].clone()),
            (json!("south_east"), json!(2), json!(4))
        );
        let total = &body["total"];
        if exact {
            assert_eq!(row["filled"]["count"], 2);
            // One student at two employers is one student placed.
            assert_eq!(row["students"]["count"], 1);
            assert_eq!(row["hours_completed"]["count"], 14, "13.5 hours, rounded to whole hours");
            assert_eq!(total["students"]["count"], 1);
            assert_eq!(total["hours_completed"]["count"], 14);
        } else {
            for figure in [&row["filled"], &row["students"], &row["hours_completed"], &total["hours_completed"]] {
                assert_eq!(figure, &json!({"count": null, "suppressed": true}));
            }
        }
        // By specialty, and the coordinator of one organisation sees their own.
        let res = app.get("/v1/reports/t-level?by=specialty").token(&first.coordinator).send().await;
        let body = res.ok(200);
        assert_eq!(body["rows"][0]["category"], "allied_health_professions");
        assert_eq!(body["total"]["placements"], 1);
        let csv = app
            .get("/v1/reports/t-level?by=region")
            .token(&second.coordinator)
            .header("accept", "text/csv")
            .send()
            .await;
        assert!(
            csv.text.starts_with("category,label,placements,places,filled,students,hours_completed"),
            "{}",
            csv.text
        );
        // Asked for another kind of placement, there is no T-level placement to count.
        let other = app.get("/v1/reports/t-level?by=region&kind=work_experience").token(&admin).send().await;
        assert_eq!(other.ok(200)["rows"], json!([]));
        app.get("/v1/reports/t-level?by=kind")
            .token(&admin)
            .send()
            .await
            .has_field_error("/by", "invalid_query_parameter");
        app.get("/v1/reports/t-level").token(&admin).send().await.has_field_error("/by", "invalid_query_parameter");
    }
}
