//! Where an application stands, in plain words.

use crate::model::application::{Application, ApplicationStatus};
use crate::model::dates::long_date;
use crate::model::draw::Draw;
use crate::model::offer::Offer;
use crate::model::placement::Placement;
use crate::model::reference::priority_rule_reason;

/// What happens next and what the applicant must do, in plain words.
pub fn next_steps(
    app: &Application,
    placement: &Placement,
    offer: Option<&Offer>,
    waiting: Option<u32>,
) -> (String, String) {
    let respond_by = offer.map(|o| o.respond_by.format("%-d %B %Y at %H:%M UTC").to_string()).unwrap_or_default();
    match app.status {
        ApplicationStatus::Offered => (
            format!("You have been offered a place on \"{}\".", placement.details.title),
            format!(
                "Accept or decline the offer by {respond_by}. If you do not answer, the place goes to the next person waiting."
            ),
        ),
        ApplicationStatus::Waitlisted => (
            format!(
                "The places have been given, and you are number {} on the waiting list. If someone declines, the next person waiting is offered their place.",
                waiting.unwrap_or(0)
            ),
            "Nothing for now. We will tell you at once if you are offered a place.".to_string(),
        ),
        ApplicationStatus::Accepted => (
            format!(
                "You have a place on \"{}\", starting on {}.",
                placement.details.title,
                long_date(placement.details.start_date)
            ),
            "Read the preparation information: what to wear, where to go and who to ask for.".to_string(),
        ),
        ApplicationStatus::Declined => {
            ("You declined the place; it was offered to the next person waiting.".to_string(), "Nothing.".to_string())
        }
        ApplicationStatus::Expired => (
            "The offer was not answered in time, so the place went to the next person waiting.".to_string(),
            "Nothing.".to_string(),
        ),
        ApplicationStatus::Attended => (
            format!(
                "You attended \"{}\". Once the host marks it complete you will get a certificate.",
                placement.details.title
            ),
            "Nothing.".to_string(),
        ),
        ApplicationStatus::DidNotAttend => (
            "The host recorded that you did not attend. If that is wrong, contact the placement's coordinator."
                .to_string(),
            "Nothing.".to_string(),
        ),
        ApplicationStatus::Completed => (
            format!(
                "You completed \"{}\": well done. Your certificate can be checked by anyone with its code.",
                placement.details.title
            ),
            "Please tell us how it went with the short feedback form on your application.".to_string(),
        ),
        ApplicationStatus::NotEntered => (
            "This placement chooses among applications that meet its criteria, and a review (without your name) found this one did not, so it was not in the draw.".to_string(),
            "Nothing. You can apply for other placements.".to_string(),
        ),
        ApplicationStatus::NotSelected => (
            "The placement has started and the waiting list did not reach you this time. We are sorry.".to_string(),
            "Nothing. You can apply for other placements.".to_string(),
        ),
        ApplicationStatus::Cancelled => (
            format!(
                "The organisation cancelled this placement: {}",
                placement.cancellation_reason.as_deref().unwrap_or("no reason was given.")
            ),
            "Nothing. You can apply for other placements.".to_string(),
        ),
        ApplicationStatus::Submitted => (
            format!(
                "Applications close on {}. Then a fair draw decides who gets the {} place(s), and you will hear by {}.",
                long_date(placement.details.closes_at.date_naive()),
                placement.details.capacity,
                long_date(app.outcome_expected_by)
            ),
            format!(
                "Nothing for now. Keep your ticket, {}: once the draw is published you can check it yourself.",
                app.ticket
            ),
        ),
        ApplicationStatus::Withdrawn => {
            ("This application was withdrawn and will not be in the draw.".to_string(), "Nothing.".to_string())
        }
    }
}

/// The outcome in plain words: how many entries and places, the applicant's tier and why, their
/// position, and what it means for them. `None` before the draw.
pub fn explain_outcome(app: &Application, placement: &Placement, draw: &Draw, waiting: Option<u32>) -> Option<String> {
    let (tier, position) = (app.draw_tier?, app.draw_position?);
    let rules = &draw.priority_rules;
    let why = match usize::try_from(tier).ok().and_then(|t| t.checked_sub(1)).and_then(|i| rules.get(i)) {
        Some(rule) => format!("you matched the rule \"{rule}\": {}", priority_rule_reason(rule).trim_end_matches('.')),
        None if rules.is_empty() => {
            "this placement has no priority rules, so everyone was in the same tier".to_string()
        }
        None => {
            "you did not match any of the placement's priority rules, so you were drawn after those who did".to_string()
        }
    };
    let result = match app.status {
        ApplicationStatus::Waitlisted => format!("You are number {} on the waiting list.", waiting.unwrap_or(0)),
        ApplicationStatus::Offered | ApplicationStatus::Accepted => "You were offered a place.".to_string(),
        _ if position <= draw.capacity => "You were offered a place.".to_string(),
        _ => "You were put on the waiting list.".to_string(),
    };
    Some(format!(
        "There were {} entries for {} place(s) on \"{}\". You were in tier {tier} because {why}. Your position in the draw was {position}. {result}",
        draw.entries.len(),
        draw.capacity,
        placement.details.title
    ))
}
