//! What a coordinator writes about a placement, and every rule it must satisfy: to be saved
//! ([`PlacementDetails::checked`]), to be published ([`PlacementDetails::publishing_errors`]) and
//! once applications have opened ([`PlacementDetails::frozen_changes`]).

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use uuid::Uuid;
use validator::Validate;

use crate::error::FieldError;
use crate::model::postcode::PostcodeDistrict;
use crate::model::readiness::Requirements;
use crate::model::reference::{Delivery, PlacementKind, PriorityRule, SelectionMethod, Specialty, UserGroup};
use crate::model::validation::{field_errors, not_blank, visible_if_any};

/// The youngest age at start any placement may admit.
pub const MIN_AGE: u8 = 14;
pub const MAX_AGE: u8 = 100;
pub const MAX_CAPACITY: i32 = 1000;
pub const MAX_CATCHMENT_DISTRICTS: usize = 300;

/// The hours of a typical day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// Who may apply. Absent limits mean no limit: there is no default age cap.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Eligibility {
    /// Youngest age on the start date (14 at the lowest).
    pub min_age: Option<u8>,
    /// Oldest age on the start date; `null` for no upper limit.
    pub max_age: Option<u8>,
    /// The user groups who may apply; `null` means everyone.
    pub user_groups: Option<Vec<UserGroup>>,
    /// Postcode districts applicants must live in (`["SO14", "SO15"]`); `null` means anywhere.
    /// Applicants with no fixed address are never refused for catchment.
    pub catchment: Option<Vec<String>>,
}

/// What applicants need to know to prepare. All of it is required before publishing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct Preparation {
    #[serde(default)]
    #[validate(length(max = 4000), custom(function = "visible_if_any"))]
    pub what_you_will_do: Option<String>,
    #[serde(default)]
    #[validate(length(max = 4000), custom(function = "visible_if_any"))]
    pub what_you_will_not_do: Option<String>,
    #[serde(default)]
    #[validate(length(max = 2000), custom(function = "visible_if_any"))]
    pub dress_code: Option<String>,
    #[serde(default)]
    #[validate(length(max = 2000), custom(function = "visible_if_any"))]
    pub arrival_instructions: Option<String>,
    /// The role (not the name) of who meets and looks after participants.
    #[serde(default)]
    #[validate(length(max = 200), custom(function = "visible_if_any"))]
    pub contact_role: Option<String>,
    #[serde(default)]
    #[validate(length(max = 2000), custom(function = "visible_if_any"))]
    pub breaks_and_food: Option<String>,
    #[serde(default)]
    #[validate(length(max = 2000), custom(function = "visible_if_any"))]
    pub travel_expenses: Option<String>,
    #[serde(default)]
    #[validate(length(max = 2000), custom(function = "visible_if_any"))]
    pub support_available: Option<String>,
    /// Whether the placement can lead to a job, honestly. Most work experience does not.
    #[serde(default)]
    pub leads_to_job: Option<bool>,
    /// Always false: work experience is unpaid, and applying is always free.
    #[serde(default)]
    pub paid: bool,
}

/// The most questions of its own a placement may ask.
pub const MAX_QUESTIONS: usize = 5;

/// A question of the placement's own, with the reason it is asked. Answers are free text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct Question {
    #[validate(length(min = 1, max = 500), custom(function = "not_blank"))]
    pub text: String,
    #[validate(length(min = 1, max = 500), custom(function = "not_blank"))]
    pub why_we_ask: String,
    #[serde(default)]
    pub required: bool,
    /// The longest answer accepted, in characters (1 to 2000).
    #[serde(default = "default_max_length")]
    #[validate(range(min = 1, max = 2000))]
    pub max_length: u16,
}

fn default_max_length() -> u16 {
    1000
}

/// Everything a coordinator writes about a placement. Used to create, and to replace through a
/// merge patch.
#[derive(Debug, Clone, PartialEq, Validate)]
pub struct PlacementDetails {
    pub kind: PlacementKind,
    pub delivery: Delivery,
    pub specialty: Specialty,
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    pub title: String,
    #[validate(length(min = 1, max = 8000), custom(function = "not_blank"))]
    pub description: String,
    /// One of the organisation's sites; required before publishing unless the placement is online.
    pub site_id: Option<Uuid>,
    /// One of the organisation's host departments.
    pub department_id: Option<Uuid>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub daily_hours: DailyHours,
    /// How many places there are (at least 1).
    pub capacity: i32,
    pub eligibility: Eligibility,
    /// When applications open (RFC 3339, UTC).
    pub opens_at: DateTime<Utc>,
    /// When applications close; the draw follows.
    pub closes_at: DateTime<Utc>,
    /// The date by which every applicant will hear their outcome: after closing, no later than the start.
    pub outcome_by: NaiveDate,
    pub selection_method: SelectionMethod,
    /// Ordered rules: entries matching an earlier rule are drawn first. Fixed once applications open.
    pub priority_rules: Vec<PriorityRule>,
    #[validate(nested)]
    pub preparation: Preparation,
    /// Up to five questions of the placement's own. Fixed once applications open.
    #[validate(nested)]
    pub questions: Vec<Question>,
    /// Days an applicant has to answer an offer of a place (1 to 30; never past the day before
    /// the start). Fixed once applications open.
    #[validate(range(min = 1, max = 30))]
    pub offer_response_days: u8,
    /// What someone must do or have before they may start. Fixed once applications open.
    pub requirements: Requirements,
}

fn truncate_to_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::SubsecRound;
    t.trunc_subsecs(6)
}

impl PlacementDetails {
    /// Normalises the input (catchment districts upper case, timestamps to microseconds) and lists
    /// every rule it breaks, each with its field (a use case reports them as `Invalid`).
    pub fn checked(mut self) -> Result<Self, Vec<FieldError>> {
        let mut errors = field_errors(self.validate());
        self.opens_at = truncate_to_micros(self.opens_at);
        self.closes_at = truncate_to_micros(self.closes_at);
        let mut err = |field: &str, code: &str, message: &str| errors.push(FieldError::new(field, code, message));

        if self.capacity < 1 {
            err("/capacity", "capacity_too_small", "There must be at least 1 place.");
        } else if self.capacity > MAX_CAPACITY {
            err("/capacity", "capacity_too_large", "A placement can have at most 1000 places.");
        }
        if self.end_date < self.start_date {
            err("/end_date", "must_not_be_before_start_date", "The end date must be on or after the start date.");
        }
        if self.daily_hours.end <= self.daily_hours.start {
            err("/daily_hours/end", "must_be_after_start", "The day must end after it starts.");
        }
        if self.closes_at <= self.opens_at {
            err("/closes_at", "must_be_after_opens_at", "Applications must close after they open.");
        }
        if self.closes_at.date_naive() >= self.outcome_by {
            err("/outcome_by", "must_be_after_closes_at", "The outcome date must be after the day applications close.");
        }
        if self.outcome_by > self.start_date {
            err(
                "/outcome_by",
                "must_not_be_after_start_date",
                "Applicants must hear their outcome no later than the start date.",
            );
        }
        let e = &mut self.eligibility;
        for (field, age) in [("/eligibility/min_age", e.min_age), ("/eligibility/max_age", e.max_age)] {
            if let Some(age) = age
                && !(MIN_AGE..=MAX_AGE).contains(&age)
            {
                err(field, "age_out_of_range", "Ages must be from 14 to 100.");
            }
        }
        if let (Some(min), Some(max)) = (e.min_age, e.max_age)
            && max < min
        {
            err(
                "/eligibility/max_age",
                "must_not_be_below_min_age",
                "The oldest age must not be below the youngest age.",
            );
        }
        if let Some(groups) = &mut e.user_groups {
            if groups.is_empty() {
                err(
                    "/eligibility/user_groups",
                    "must_not_be_empty",
                    "List at least one user group, or use null to let everyone apply.",
                );
            }
            groups.sort();
            groups.dedup();
        }
        if let Some(districts) = &mut e.catchment {
            if districts.is_empty() {
                err(
                    "/eligibility/catchment",
                    "must_not_be_empty",
                    "List at least one postcode district, or use null for no catchment area.",
                );
            }
            if districts.len() > MAX_CATCHMENT_DISTRICTS {
                err(
                    "/eligibility/catchment",
                    "too_many_districts",
                    "A catchment can have at most 300 postcode districts.",
                );
            }
            let mut normalised = BTreeSet::new();
            for (i, d) in districts.iter().enumerate() {
                match PostcodeDistrict::parse(d) {
                    Some(d) => {
                        normalised.insert(d.to_string());
                    }
                    None => err(
                        &format!("/eligibility/catchment/{i}"),
                        "invalid_postcode_district",
                        "This is not a postcode district. A district is the first part of a postcode, such as SO16.",
                    ),
                }
            }
            *districts = normalised.into_iter().collect();
        }
        let mut seen = BTreeSet::new();
        for (i, rule) in self.priority_rules.iter().enumerate() {
            let field = format!("/priority_rules/{i}");
            if !seen.insert(*rule) {
                err(&field, "duplicate_rule", "Each priority rule may appear only once.");
            }
            match rule {
                PriorityRule::InCatchment if self.eligibility.catchment.is_none() => {
                    err(&field, "needs_catchment", "The in_catchment rule needs a catchment area in the eligibility.")
                }
                PriorityRule::UserGroup(g)
                    if self.eligibility.user_groups.as_ref().is_some_and(|gs| !gs.contains(g)) =>
                {
                    err(
                        &field,
                        "group_not_eligible",
                        "This user group cannot apply to this placement, so the rule could never apply.",
                    )
                }
                _ => {}
            }
        }
        if self.questions.len() > MAX_QUESTIONS {
            err("/questions", "too_many_questions", "A placement may ask at most 5 questions of its own.");
        }
        for e in self.requirements.errors() {
            err(&e.field, &e.code, &e.message);
        }
        // T levels are matched by the college to a course requirement, so they are arranged by
        // agreement; everyone else keeps the lottery's equal chance.
        let t_level = self.kind == PlacementKind::TLevelIndustryPlacement;
        if t_level && self.selection_method != SelectionMethod::ByAgreement {
            err(
                "/selection_method",
                "t_level_by_agreement",
                "T level industry placements are arranged by agreement with the student's college: use by_agreement.",
            );
        } else if !t_level && self.selection_method == SelectionMethod::ByAgreement {
            err(
                "/selection_method",
                "by_agreement_only_for_t_levels",
                "Only T level industry placements are arranged by agreement; other placements use lottery or name_blind_review.",
            );
        }
        if self.preparation.paid {
            err("/preparation/paid", "paid_not_allowed", "Work experience is unpaid: paid must be false.");
        }
        if errors.is_empty() { Ok(self) } else { Err(errors) }
    }

    /// The further rules a placement must meet to be advertised.
    pub fn publishing_errors(&self, now: DateTime<Utc>) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let p = &self.preparation;
        let texts = [
            ("what_you_will_do", &p.what_you_will_do),
            ("what_you_will_not_do", &p.what_you_will_not_do),
            ("dress_code", &p.dress_code),
            ("arrival_instructions", &p.arrival_instructions),
            ("contact_role", &p.contact_role),
            ("breaks_and_food", &p.breaks_and_food),
            ("travel_expenses", &p.travel_expenses),
            ("support_available", &p.support_available),
        ];
        for (name, value) in texts {
            if value.as_deref().is_none_or(|v| !crate::model::validation::has_visible(v)) {
                errors.push(FieldError::new(
                    format!("/preparation/{name}"),
                    "required_to_publish",
                    "Applicants need this to prepare: fill it in before publishing.",
                ));
            }
        }
        if p.leads_to_job.is_none() {
            errors.push(FieldError::new(
                "/preparation/leads_to_job",
                "required_to_publish",
                "Say honestly whether this placement can lead to a job before publishing.",
            ));
        }
        if self.site_id.is_none() && self.delivery != Delivery::Online {
            errors.push(FieldError::new(
                "/site_id",
                "required_to_publish",
                "Placements held in person or hybrid need a site before publishing.",
            ));
        }
        if self.closes_at <= now {
            errors.push(FieldError::new(
                "/closes_at",
                "must_be_in_future",
                "Applications must close in the future for the placement to be published.",
            ));
        }
        errors
    }

    /// Fields that may not change once applications have opened, with the ones this edit changes.
    pub fn frozen_changes(&self, new: &PlacementDetails) -> Vec<FieldError> {
        let changed = [
            ("/eligibility", self.eligibility != new.eligibility),
            ("/priority_rules", self.priority_rules != new.priority_rules),
            ("/selection_method", self.selection_method != new.selection_method),
            ("/questions", self.questions != new.questions),
            ("/offer_response_days", self.offer_response_days != new.offer_response_days),
            // Applicants decide whether to apply knowing what they will be asked for.
            ("/requirements", self.requirements != new.requirements),
            ("/opens_at", self.opens_at != new.opens_at),
            ("/closes_at", self.closes_at != new.closes_at),
            ("/outcome_by", self.outcome_by != new.outcome_by),
            // Eligibility is judged by age on the start date, and applicants plan around the dates.
            ("/start_date", self.start_date != new.start_date),
            ("/end_date", self.end_date != new.end_date),
        ];
        changed
            .iter()
            .filter(|(_, c)| *c)
            .map(|(field, _)| {
                FieldError::new(
                    *field,
                    "frozen_once_open",
                    "This cannot change once applications have opened: applicants rely on it.",
                )
            })
            .collect()
    }
}
