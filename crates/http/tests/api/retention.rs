//! Retention (issue 13, item 4): what has expired is purged, what has not is kept, in batches, and
//! a second run finds nothing to do. Runs call the use case straight on the app's store at a time
//! the test chooses; rows are put at known times with SQL where no endpoint can age them.

use chrono::{DateTime, Duration, NaiveDate, SubsecRound, Utc};
use serde_json::{Value, json};
use wex_domain::data_protection::retention::{self, Counts, Policy, Run};
use wex_persistence::testing::{execute, text_values};

use crate::export::everything;
use crate::support::{TestApp, id, spawn};

fn apply(app: &TestApp, policy: &Policy, now: DateTime<Utc>, batch: u32) -> Run {
    retention::apply(app.store.as_ref(), policy, now, batch).unwrap()
}

/// Every value of a column, as text.
fn all(app: &TestApp, table: &str, column: &str) -> Vec<String> {
    text_values(&app.store, table, column, "1 = 1")
}

fn contains(values: &[String], marker: &str) -> bool {
    values.iter().any(|v| v.contains(marker))
}

fn retention_events(app: &TestApp) -> usize {
    text_values(&app.store, "events", "id", "kind LIKE 'retention.%' OR kind = 'profile.warned_of_erasure'").len()
}

fn at(date: NaiveDate, h: u32, m: u32, s: u32) -> DateTime<Utc> {
    date.and_hms_opt(h, m, s).unwrap().and_utc()
}

/// What reports and the public draw record say about the placement.
async fn published(app: &TestApp, placement: &str) -> Vec<String> {
    let analyst = app.token("analyst", "retention-analyst", None).await;
    let admin = app.admin().await;
    let mut out = Vec::new();
    for dimension in ["user_group", "care_experienced"] {
        let path = format!("/v1/reports/uptake?dimension={dimension}");
        out.push(app.get(&path).token(&analyst).send().await.ok(200).to_string());
    }
    out.push(app.get("/v1/reports/timeliness").token(&admin).send().await.ok(200).to_string());
    out.push(app.get(&format!("/v1/placements/{placement}/draw")).send().await.ok(200).to_string());
    out
}

#[actix_web::test]
async fn application_free_text_is_kept_for_a_year_after_the_end_then_purged_and_reports_do_not_change() {
    let app = spawn().await;
    let p = everything(&app).await;
    let placement = id(&p.placement);
    let ended: NaiveDate = p.placement["end_date"].as_str().unwrap().parse().unwrap();
    let policy = Policy::default();
    let before = published(&app, &placement).await;
    let markers = [
        ("applications", "answers", "answer marker 5521"),
        ("supporting_information", "text", "supporting marker 8812"),
        ("application_events", "reason", "reason marker 3390"),
        ("participant_feedback", "comments", "feedback marker 4410"),
        ("readiness_items", "relationship", "relationship marker 6620"),
        ("readiness_items", "person_name", "Ottoline Brackwater"),
        ("readiness_items", "phone", "07700 900662"),
        ("readiness_items", "override_reason", "override marker 2207"),
        ("t_level_agreements", "objectives", "objectives marker 6620"),
        ("t_level_reviews", "comments", "review marker"),
        ("t_level_reviews", "reflection", "reflection marker"),
    ];

    // The last moment of the period: nothing about the applications is touched.
    let inside = at(ended + Duration::days(retention::APPLICATION_DAYS), 23, 59, 59);
    let run = apply(&app, &policy, inside, 2);
    assert_eq!(run.counts, Counts::default(), "{run}");
    for (table, column, marker) in markers {
        assert!(contains(&all(&app, table, column), marker), "{table}.{column} was purged too early");
    }

    // Just past it: every free text is gone, counted, and what reports read stays.
    let past = at(ended + Duration::days(retention::APPLICATION_DAYS + 1), 0, 0, 1);
    let events = retention_events(&app);
    let run = apply(&app, &policy, past, 2);
    for (table, column, marker) in markers {
        assert!(!contains(&all(&app, table, column), marker), "{table}.{column} still holds {marker}");
    }
    let c = run.counts;
    assert_eq!(c.application_answers, 1, "the applicant's answers (the managed profile's application had none): {run}");
    assert_eq!(c.supporting_information, 1, "{run}");
    assert!(c.history_reasons >= 1, "{run}");
    assert_eq!(c.feedback_comments, 1, "{run}");
    assert_eq!(c.readiness_details, 2, "the emergency contact and the override: {run}");
    assert_eq!((c.t_level_reviews, c.t_level_objectives), (2, 1), "both reviews and the agreement: {run}");
    assert_eq!(all(&app, "supporting_information", "text"), vec![wex_domain::ports::REMOVED.to_string()]);
    assert_eq!(retention_events(&app) - events, usize::try_from(run.batches).unwrap(), "one event per batch");
    assert_eq!(published(&app, &placement).await, before, "reports and the draw record changed");
    // The export still works, and shows the placeholders.
    let export = app.get("/v1/me/export").token(&p.applicant).send().await;
    assert_eq!(export.ok(200)["applications"][0]["status"], "completed");
    for (_, _, marker) in markers {
        assert!(!export.text.contains(marker), "the export still shows {marker}");
    }
    let line = run.to_string();
    for personal in [&placement, &p.applicant_profile, &p.managed_profile, &run.id.to_string(), "zephyrine"] {
        assert!(!line.to_lowercase().contains(&personal.to_lowercase()), "the log line holds {personal}: {line}");
    }

    // A second run finds nothing to do and writes nothing.
    let events = retention_events(&app);
    let again = apply(&app, &policy, past, 2);
    assert_eq!((again.counts, again.batches), (Counts::default(), 0), "{again}");
    assert_eq!(retention_events(&app), events);
}

/// Five messages to advocates, settled at `settled` (as a delivery worker would leave them).
async fn five_settled_messages(app: &TestApp, settled: &str) {
    let applicant = app.applicant().await;
    app.call(actix_web::http::Method::PUT, "/v1/me/profile")
        .token(&applicant)
        .json(crate::support::profile_body(30))
        .send()
        .await
        .ok(201);
    for i in 0..5 {
        let email = format!("retention.advocate.{i}@example.org");
        let body = json!({"email": email, "relationship": "careers_leader"});
        app.post("/v1/me/advocates").token(&applicant).json(body).send().await.ok(201);
    }
    let changed = execute(
        &app.store,
        &format!(
            "UPDATE notifications SET status = 'failed', settled_at = '{settled}', failure = 'mailbox full' \
             WHERE template = 'advocate_invitation'"
        ),
    );
    assert_eq!(changed, 5);
}

#[actix_web::test]
async fn settled_messages_are_kept_ninety_days_then_purged_in_batches_of_two() {
    let app = spawn().await;
    five_settled_messages(&app, "2026-01-10 12:00:00").await;
    let settled = at(NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(), 12, 0, 0);
    let policy = Policy::default();

    let inside = settled + Duration::days(retention::MESSAGE_DAYS) - Duration::seconds(1);
    assert_eq!(apply(&app, &policy, inside, 2).counts, Counts::default());
    assert_eq!(all(&app, "notifications", "recipient").iter().filter(|r| r.contains("retention.advocate")).count(), 5);

    let past = settled + Duration::days(retention::MESSAGE_DAYS) + Duration::seconds(1);
    let events = retention_events(&app);
    let run = apply(&app, &policy, past, 2);
    assert_eq!(run.counts, Counts { messages: 5, ..Counts::default() }, "{run}");
    assert_eq!(run.batches, 3, "2 + 2 + 1");
    assert_eq!(retention_events(&app) - events, 3);
    let removed = wex_domain::ports::REMOVED.to_string();
    let condition = "template = 'advocate_invitation'";
    for column in ["recipient", "subject", "body"] {
        assert_eq!(text_values(&app.store, "notifications", column, condition), vec![removed.clone(); 5], "{column}");
    }
    assert!(text_values(&app.store, "notifications", "failure", condition).is_empty());
    // What reports and delivery read stays: the template, the status, the times.
    assert_eq!(text_values(&app.store, "notifications", "status", condition), vec!["failed".to_string(); 5]);

    let again = apply(&app, &policy, past, 2);
    assert_eq!((again.counts, again.batches), (Counts::default(), 0));
    assert_eq!(retention_events(&app) - events, 3, "a second run wrote nothing");
}

#[actix_web::test]
async fn audit_entries_are_deleted_after_six_years() {
    let app = spawn().await;
    let p = everything(&app).await;
    let entries = all(&app, "audit_log", "id").len();
    assert!(entries >= 2, "the reveals of the participants are audited");
    execute(&app.store, "UPDATE audit_log SET at = '2026-01-10 12:00:00'");
    let written = at(NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(), 12, 0, 0);
    // Messages kept for ever here, so that the audit entries are the only thing counted below.
    let policy = Policy { messages: Duration::days(36_500), ..Policy::default() };
    let inside = written + Duration::days(retention::AUDIT_DAYS) - Duration::seconds(1);
    assert_eq!(apply(&app, &policy, inside, 2).counts.audit_entries, 0);
    let run = apply(&app, &policy, written + Duration::days(retention::AUDIT_DAYS) + Duration::seconds(1), 2);
    assert_eq!(run.counts.audit_entries, u64::try_from(entries).unwrap(), "{run}");
    assert!(all(&app, "audit_log", "id").is_empty());
    let export = app.get("/v1/me/export").token(&p.applicant).send().await;
    let listed = export.ok(200)["audit_entries"].as_array().unwrap().clone();
    assert!(listed.iter().all(|e| e["action"] == "subject_access_export"), "{listed:?}");
}

fn profile_time(app: &TestApp, profile: &str, column: &str) -> Option<String> {
    text_values(&app.store, "applicant_profiles", column, &format!("id = '{profile}'")).into_iter().next()
}

fn sql_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

#[actix_web::test]
async fn inactive_accounts_are_warned_then_due_for_erasure_unless_they_sign_in_again() {
    let app = spawn().await;
    let policy = Policy::default();
    let (stays, stays_profile) = app.applicant_with(crate::support::profile_body(30)).await;
    let (_, leaves_profile) = app.applicant_with(crate::support::profile_body(15)).await;
    let (stays_profile, leaves_profile) = (id(&stays_profile), id(&leaves_profile));
    // Both last used 800 days ago (the warning then falls in the past of the service clock).
    let last = (wex_domain::now() - Duration::days(800)).trunc_subsecs(0);
    execute(&app.store, &format!("UPDATE applicant_profiles SET last_active_at = '{}'", sql_time(last)));

    let inactive_days = Duration::days(retention::INACTIVE_DAYS);
    assert_eq!(apply(&app, &policy, last + inactive_days - Duration::seconds(1), 2).counts, Counts::default());
    let warned_at = last + inactive_days + Duration::seconds(1);
    let run = apply(&app, &policy, warned_at, 2);
    assert_eq!(run.counts, Counts { accounts_warned: 2, ..Counts::default() }, "{run}");
    let warnings: Vec<Value> = app.outbox().await.into_iter().filter(|m| m["template"] == "account_inactive").collect();
    assert_eq!(warnings.len(), 2);
    assert!(warnings.iter().all(|m| m["body"].as_str().unwrap().contains("sign in")), "{warnings:?}");
    assert_eq!(apply(&app, &policy, warned_at, 2).counts, Counts::default(), "each account is warned once");

    // One signs in again; the other does not.
    app.get("/v1/me/profile").token(&stays).send().await.ok(200);
    let recorded = profile_time(&app, &stays_profile, "last_active_at");
    assert_ne!(recorded, Some(sql_time(last)), "using the API records activity");
    app.get("/v1/me/profile").token(&stays).send().await.ok(200);
    assert_eq!(profile_time(&app, &stays_profile, "last_active_at"), recorded, "at most once a day");

    let notice = Duration::days(retention::NOTICE_DAYS);
    let early = apply(&app, &policy, warned_at + notice - Duration::seconds(1), 2);
    assert_eq!(early.counts, Counts::default(), "{early}");
    let run = apply(&app, &policy, warned_at + notice, 2);
    // Only the account not used since its warning is due, and it is erased as DELETE /v1/me would.
    assert_eq!(run.counts, Counts { accounts_due: 1, accounts_erased: 1, ..Counts::default() }, "{run}");
    assert!(profile_time(&app, &leaves_profile, "erased_at").is_some());
    assert!(profile_time(&app, &stays_profile, "erased_at").is_none());
    app.get("/v1/me/profile").token(&stays).send().await.ok(200);
    let due =
        wex_domain::ports::RetentionStore::accounts_due_for_erasure(app.store.as_ref(), warned_at + notice, None, 10)
            .unwrap();
    assert_eq!(due, Vec::<uuid::Uuid>::new(), "an erased account is never due again");
    let again = apply(&app, &policy, warned_at + notice, 2);
    assert_eq!(again.counts, Counts::default(), "{again}");
    let admin = app.admin().await;
    let audit = app.get(&format!("/v1/audit-events?data_subject={leaves_profile}")).token(&admin).send().await;
    let roles: Vec<Value> =
        audit.ok(200)["items"].as_array().unwrap().iter().map(|e| e["actor_role"].clone()).collect();
    assert!(roles.contains(&json!("platform")), "{roles:?}");
}
