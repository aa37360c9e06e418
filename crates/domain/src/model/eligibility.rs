//! Eligibility: whether an applicant meets a placement's rules (age on the start date, user
//! groups, local area), and the answers its own questions need.

use crate::error::FieldError;
use crate::model::application::{Answer, ApplyRequest};
use crate::model::dates::long_date;
use crate::model::placement::Placement;
use crate::model::profile::{Profile, age_on};

/// Why an applicant does not meet a placement's rules, in words they can act on. (Each is a code
/// of its own to the use case that applies: the model imports no use case's error.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ineligible {
    Age(String),
    UserGroup(String),
    OutsideCatchment(String),
    TravelConfirmationRequired(String),
}

pub(crate) fn meets_age_rule(placement: &Placement, profile: &Profile) -> bool {
    let e = &placement.details.eligibility;
    let age = age_on(profile.input.date_of_birth, placement.details.start_date);
    e.min_age.is_none_or(|m| age >= u32::from(m)) && e.max_age.is_none_or(|m| age <= u32::from(m))
}

pub(crate) fn meets_user_group_rule(placement: &Placement, profile: &Profile) -> bool {
    placement
        .details
        .eligibility
        .user_groups
        .as_ref()
        .is_none_or(|gs| gs.iter().any(|g| profile.input.user_groups.contains(g)))
}

/// Whether the applicant lives in the placement's area: `None` when it has none, or when the
/// applicant has no fixed address (they are never refused for it).
pub(crate) fn in_catchment(placement: &Placement, profile: &Profile) -> Option<bool> {
    let area = placement.details.eligibility.catchment.as_ref()?;
    let district = profile.input.district()?;
    Some(area.iter().any(|a| a == district.as_str()))
}

/// Checks an applicant against a placement's rules, in the order the applicant can act on them.
pub(crate) fn check_eligibility(
    placement: &Placement,
    profile: &Profile,
    request: &ApplyRequest,
) -> Result<Option<bool>, Ineligible> {
    let d = &placement.details;
    if !meets_age_rule(placement, profile) {
        let range = match (d.eligibility.min_age, d.eligibility.max_age) {
            (Some(a), Some(b)) => format!("aged {a} to {b}"),
            (Some(a), None) => format!("aged {a} or over"),
            (None, Some(b)) => format!("aged {b} or under"),
            (None, None) => String::new(),
        };
        return Err(Ineligible::Age(format!(
            "This placement is for people {range} on its start date, {}.",
            long_date(d.start_date)
        )));
    }
    if !meets_user_group_rule(placement, profile) {
        let names: Vec<String> = d.eligibility.user_groups.iter().flatten().map(|g| g.label().to_lowercase()).collect();
        return Err(Ineligible::UserGroup(format!(
            "This placement is only for: {}. Add a group to your profile if it applies to you.",
            names.join(", ")
        )));
    }
    let area = d.eligibility.catchment.as_deref().unwrap_or_default();
    match in_catchment(placement, profile) {
        Some(false) => {
            Err(Ineligible::OutsideCatchment(format!("This placement is for people living in {}.", area.join(", "))))
        }
        None if !area.is_empty() && profile.input.no_fixed_address && request.can_travel != Some(true) => {
            Err(Ineligible::TravelConfirmationRequired(
            "This placement is for a local area. As you have no fixed address you can still apply: set can_travel to true to confirm you can get there.".to_string(),
            ))
        }
        other => Ok(other),
    }
}

pub(crate) fn check_answers(placement: &Placement, answers: &[Answer]) -> Result<(), Vec<FieldError>> {
    let questions = &placement.details.questions;
    let mut errors = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (i, a) in answers.iter().enumerate() {
        match questions.get(a.question) {
            None => errors.push(FieldError::new(
                format!("/answers/{i}/question"),
                "unknown_question",
                "This placement has no question with this number.",
            )),
            Some(_) if !seen.insert(a.question) => errors.push(FieldError::new(
                format!("/answers/{i}/question"),
                "duplicate_answer",
                "Answer each question once.",
            )),
            Some(q) if a.answer.chars().count() > usize::from(q.max_length) => errors.push(FieldError::new(
                format!("/answers/{i}/answer"),
                "too_long",
                format!("Keep this answer to {} characters.", q.max_length),
            )),
            Some(_) if !a.answer.is_empty() && !crate::model::validation::has_visible(&a.answer) => {
                errors.push(FieldError::new(format!("/answers/{i}/answer"), "required", "This answer shows nothing."))
            }
            Some(_) => {}
        }
    }
    for (n, q) in questions.iter().enumerate() {
        let answered = answers.iter().any(|a| a.question == n && crate::model::validation::has_visible(&a.answer));
        if q.required && !answered {
            errors.push(FieldError::new(
                "/answers",
                "answer_required",
                format!("Question {} needs an answer: {}", n + 1, q.text),
            ));
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}
