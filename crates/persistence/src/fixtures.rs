//! Inputs for tests and benchmarks that go through the use cases (feature `testing`): a placement
//! anyone of 16 or over can apply to, an applicant's profile, an application. Each is the plainest
//! valid input; a caller that needs something else changes that field with struct update syntax,
//! so that what a test varies stands out from what it merely needs.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use wex_domain::model::application::ApplyRequest;
use wex_domain::model::placement::{DailyHours, Eligibility, PlacementDetails, Preparation};
use wex_domain::model::privacy::PRIVACY_NOTICE_VERSION;
use wex_domain::model::profile::ProfileInput;
use wex_domain::model::reference::{Delivery, PlacementKind, SelectionMethod, Specialty};

fn text(s: &str) -> Option<String> {
    Some(s.to_string())
}

/// A week online in nursing with `capacity` places, drawn by lottery: open since a day before
/// `now`, closing 30 days after it, outcomes a week after closing and the week two weeks after that.
pub fn online_lottery(now: DateTime<Utc>, capacity: i32) -> PlacementDetails {
    let closes = now + Duration::days(30);
    let outcome = closes.date_naive() + Duration::days(7);
    let start = outcome + Duration::days(14);
    let hour = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default();
    PlacementDetails {
        kind: PlacementKind::WorkExperience,
        delivery: Delivery::Online,
        specialty: Specialty::Nursing,
        title: "Nursing: a week online".into(),
        description: "Meet nurses online.".into(),
        site_id: None,
        department_id: None,
        start_date: start,
        end_date: start + Duration::days(4),
        daily_hours: DailyHours { start: hour(9), end: hour(15) },
        capacity,
        eligibility: Eligibility { min_age: Some(16), ..Eligibility::default() },
        opens_at: now - Duration::days(1),
        closes_at: closes,
        outcome_by: outcome,
        selection_method: SelectionMethod::Lottery,
        priority_rules: vec![],
        preparation: Preparation {
            what_you_will_do: text("Join calls."),
            what_you_will_not_do: text("No patient contact."),
            dress_code: text("Anything."),
            arrival_instructions: text("A link by email."),
            contact_role: text("Coordinator"),
            breaks_and_food: text("Breaks hourly."),
            travel_expenses: text("None needed."),
            support_available: text("Captions."),
            leads_to_job: Some(false),
            paid: false,
        },
        questions: vec![],
        offer_response_days: 5,
        requirements: Default::default(),
    }
}

/// An applicant of 17 on `today` in Southampton, with only what applying needs, as sent (parse
/// it with [`ProfileInput::parse`]).
pub fn applicant(email: String, today: NaiveDate) -> ProfileInput<String, String> {
    ProfileInput {
        preferred_name: None,
        email,
        phone: None,
        date_of_birth: today - Duration::days(17 * 366),
        postcode: text("SO16 6YD"),
        no_fixed_address: false,
        user_groups: vec![],
        care_experienced: None,
        adjustments: None,
        preferred_language: None,
        support_worker: None,
    }
}

/// An application with no answers, made by the applicant themselves under today's privacy notice.
pub fn application() -> ApplyRequest {
    ApplyRequest {
        privacy_notice_version: PRIVACY_NOTICE_VERSION.to_string(),
        answers: vec![],
        can_travel: None,
        on_behalf_of: None,
    }
}
