//! Messages to an organisation's work experience team, at the address its coordinators gave:
//! outcomes promised soon that wait on them, and participants the service cannot email. They name
//! nobody: the link leads to the page where the coordinator, signed in, sees who.

use chrono::{DateTime, Utc};

use crate::messages::Words;
use crate::model::dates::long_date;
use crate::model::notification::{Notification, Template};
use crate::model::placement::Placement;

/// The front end's page of a placement's applications, where a coordinator reviews and draws.
pub fn applications_page(placement: &Placement) -> String {
    format!("/placements/{}/applications", placement.id)
}

/// The front end's page of a placement's participants.
pub fn participants_page(placement: &Placement) -> String {
    format!("/placements/{}/participants", placement.id)
}

/// A name-blind review placement whose outcome is promised soon and is not drawn yet: how many
/// applications still need a review, or that all are reviewed and it only needs drawing.
pub fn outcomes_due_words(placement: &Placement, to_review: usize) -> Words {
    let title = &placement.details.title;
    let by = long_date(placement.details.outcome_by);
    let what = match to_review {
        0 => "Every application has been reviewed, but the placement has not been drawn yet. Draw it so that applicants hear on time.".to_string(),
        1 => "1 application still needs a name-blind review. Review it, then draw the placement, so that applicants hear on time.".to_string(),
        n => format!("{n} applications still need a name-blind review. Review them, then draw the placement, so that applicants hear on time."),
    };
    Words::new(
        format!("Outcomes due by {by}: {title}"),
        format!(
            "Applicants to \"{title}\" were promised an outcome by {by}. {what} Applications close automatically, but a placement chosen by review is only drawn once you have reviewed it."
        ),
    )
}

/// Outcomes due soon for a placement, to the team's address.
pub fn outcomes_due(placement: &Placement, to_review: usize, team: &str, now: DateTime<Utc>) -> Notification {
    let words = outcomes_due_words(placement, to_review);
    Notification::new(team, Template::OutcomesDue, words.subject, words.body, None, now)
        .linking(applications_page(placement))
}

pub fn unreachable_words(placement: &Placement) -> Words {
    let title = &placement.details.title;
    let start = long_date(placement.details.start_date);
    Words::new(
        format!("We cannot email a participant: {title}"),
        format!(
            "Email to one of the people with a place on \"{title}\", starting on {start}, has failed: their address does not work. They will not get our reminders or what to bring. The participants page shows who; please contact them another way if you can. We have asked them to correct their address."
        ),
    )
}

/// A participant whose address fails, to the team's address.
pub fn participant_unreachable(placement: &Placement, team: &str, now: DateTime<Utc>) -> Notification {
    let words = unreachable_words(placement);
    Notification::new(team, Template::ParticipantUnreachable, words.subject, words.body, None, now)
        .linking(participants_page(placement))
}
