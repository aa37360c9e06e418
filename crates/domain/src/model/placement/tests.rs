use super::*;
use crate::error::FieldError;
use crate::model::reference::{PriorityRule, SelectionMethod};
use chrono::{NaiveTime, TimeZone};

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 9, 0, 0).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub(crate) fn details() -> PlacementDetails {
    PlacementDetails {
        kind: PlacementKind::WorkExperience,
        delivery: Delivery::InPerson,
        specialty: Specialty::Nursing,
        title: "A week with the ward team".into(),
        description: "See nursing up close.".into(),
        site_id: Some(Uuid::now_v7()),
        department_id: None,
        start_date: date(2027, 7, 5),
        end_date: date(2027, 7, 9),
        daily_hours: DailyHours {
            start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(15, 0, 0).unwrap(),
        },
        capacity: 4,
        eligibility: Eligibility::default(),
        opens_at: at(2027, 3, 1),
        closes_at: at(2027, 4, 1),
        outcome_by: date(2027, 4, 15),
        selection_method: SelectionMethod::Lottery,
        priority_rules: vec![],
        preparation: Preparation {
            what_you_will_do: Some("Watch".into()),
            what_you_will_not_do: Some("Treat".into()),
            dress_code: Some("Smart".into()),
            arrival_instructions: Some("Reception".into()),
            contact_role: Some("Coordinator".into()),
            breaks_and_food: Some("Lunch".into()),
            travel_expenses: Some("Bus".into()),
            support_available: Some("Ask".into()),
            leads_to_job: Some(false),
            paid: false,
        },
        questions: vec![],
        offer_response_days: 5,
        requirements: Default::default(),
    }
}

fn fields(result: Result<PlacementDetails, Vec<FieldError>>) -> Vec<(String, String)> {
    match result {
        Err(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
        other => panic!("expected invalid, got {other:?}"),
    }
}

fn pair(field: &str, code: &str) -> (String, String) {
    (field.to_string(), code.to_string())
}

#[test]
fn a_complete_placement_passes() {
    let d = details();
    assert_eq!(d.clone().checked(), Ok(d.clone()));
    assert!(d.publishing_errors(at(2027, 1, 1)).is_empty());
}

#[test]
fn dates_must_run_in_order() {
    let mut d = details();
    d.closes_at = d.opens_at;
    assert_eq!(fields(d.checked()), vec![pair("/closes_at", "must_be_after_opens_at")]);

    let mut d = details();
    d.outcome_by = date(2027, 4, 1);
    assert_eq!(fields(d.checked()), vec![pair("/outcome_by", "must_be_after_closes_at")]);

    let mut d = details();
    d.outcome_by = date(2027, 7, 6);
    assert_eq!(fields(d.checked()), vec![pair("/outcome_by", "must_not_be_after_start_date")]);

    let mut d = details();
    d.end_date = date(2027, 7, 4);
    assert_eq!(fields(d.checked()), vec![pair("/end_date", "must_not_be_before_start_date")]);

    let mut d = details();
    d.daily_hours.end = d.daily_hours.start;
    assert_eq!(fields(d.checked()), vec![pair("/daily_hours/end", "must_be_after_start")]);
}

#[test]
fn outcome_may_be_due_on_the_start_date() {
    let mut d = details();
    d.outcome_by = d.start_date;
    assert!(d.checked().is_ok());
}

#[test]
fn capacity_and_ages_are_bounded() {
    let mut d = details();
    d.capacity = 0;
    assert_eq!(fields(d.checked()), vec![pair("/capacity", "capacity_too_small")]);

    let mut d = details();
    d.eligibility.min_age = Some(13);
    d.eligibility.max_age = Some(12);
    assert_eq!(
        fields(d.checked()),
        vec![
            pair("/eligibility/min_age", "age_out_of_range"),
            pair("/eligibility/max_age", "age_out_of_range"),
            pair("/eligibility/max_age", "must_not_be_below_min_age"),
        ]
    );
}

#[test]
fn catchment_is_normalised_and_checked() {
    let mut d = details();
    d.eligibility.catchment = Some(vec!["so16".into(), "SO14".into(), "so16".into()]);
    let checked = d.checked().unwrap();
    assert_eq!(checked.eligibility.catchment, Some(vec!["SO14".to_string(), "SO16".to_string()]));

    let mut d = details();
    d.eligibility.catchment = Some(vec!["SO14".into(), "Hampshire".into()]);
    assert_eq!(fields(d.checked()), vec![pair("/eligibility/catchment/1", "invalid_postcode_district")]);

    let mut d = details();
    d.eligibility.user_groups = Some(vec![]);
    assert_eq!(fields(d.checked()), vec![pair("/eligibility/user_groups", "must_not_be_empty")]);
}

#[test]
fn priority_rules_must_be_able_to_match() {
    let mut d = details();
    d.eligibility.user_groups = Some(vec![UserGroup::Veterans]);
    d.priority_rules = vec![
        PriorityRule::InCatchment,
        PriorityRule::UserGroup(UserGroup::PrisonLeavers),
        PriorityRule::CareExperienced,
        PriorityRule::CareExperienced,
    ];
    assert_eq!(
        fields(d.checked()),
        vec![
            pair("/priority_rules/0", "needs_catchment"),
            pair("/priority_rules/1", "group_not_eligible"),
            pair("/priority_rules/3", "duplicate_rule"),
        ]
    );
}

#[test]
fn priority_rules_read_and_write_as_codes() {
    for rule in PriorityRule::all() {
        assert_eq!(PriorityRule::parse(&rule.to_string()), Some(rule));
    }
    assert_eq!(PriorityRule::parse("user_group:astronauts"), None);
    assert_eq!(PriorityRule::UserGroup(UserGroup::PrisonLeavers).to_string(), "user_group:prison_leavers");
}

#[test]
fn work_experience_is_never_paid() {
    let mut d = details();
    d.preparation.paid = true;
    assert_eq!(fields(d.checked()), vec![pair("/preparation/paid", "paid_not_allowed")]);
}

#[test]
fn publishing_needs_preparation_a_site_and_a_future_close() {
    let mut d = details();
    d.preparation = Preparation { dress_code: Some("  ".into()), ..Preparation::default() };
    d.site_id = None;
    let errors: Vec<String> = d.publishing_errors(at(2027, 5, 1)).into_iter().map(|e| e.field).collect();
    assert_eq!(
        errors,
        vec![
            "/preparation/what_you_will_do",
            "/preparation/what_you_will_not_do",
            "/preparation/dress_code",
            "/preparation/arrival_instructions",
            "/preparation/contact_role",
            "/preparation/breaks_and_food",
            "/preparation/travel_expenses",
            "/preparation/support_available",
            "/preparation/leads_to_job",
            "/site_id",
            "/closes_at",
        ]
    );
    let mut online = details();
    online.delivery = Delivery::Online;
    online.site_id = None;
    assert!(online.publishing_errors(at(2027, 1, 1)).is_empty());
}

#[test]
fn eligibility_rules_and_dates_freeze_once_open() {
    let old = details();
    let mut new = details();
    new.eligibility.min_age = Some(16);
    new.priority_rules = vec![PriorityRule::CareExperienced];
    new.title = "New title".into();
    let frozen: Vec<String> = old.frozen_changes(&new).into_iter().map(|e| e.field).collect();
    assert_eq!(frozen, vec!["/eligibility", "/priority_rules"]);
}

#[test]
fn a_published_placement_closes_at_its_closing_time() {
    let placement = Placement {
        id: Uuid::now_v7(),
        organisation_id: Uuid::now_v7(),
        details: details(),
        status: PlacementStatus::Published,
        draw_commitment: None,
        cancellation_reason: None,
        version: 2,
        created_at: at(2027, 1, 1),
        updated_at: at(2027, 1, 1),
        published_at: Some(at(2027, 1, 1)),
    };
    assert_eq!(placement.status_at(at(2027, 3, 31)), PlacementStatus::Published);
    assert!(placement.is_open_at(at(2027, 3, 31)));
    assert!(!placement.is_open_at(at(2027, 2, 1)));
    assert_eq!(placement.status_at(placement.details.closes_at), PlacementStatus::Closed);
}
