//! Readiness reminders a week before the start: to a participant (and their advocates) what is
//! still missing, and to the organisation's team how many are not ready. The team's message names
//! nobody: it gives application references, which the team's coordinators already see.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::messages::{Audience, Text, Words, tell};
use crate::model::application::Application;
use crate::model::dates::long_date;
use crate::model::notification::{Notification, Template};
use crate::model::placement::Placement;

pub fn not_ready_text(placement: &Placement, missing: &[&str]) -> Text {
    let title = &placement.details.title;
    let start = long_date(placement.details.start_date);
    let list = missing.join("; ");
    Text {
        adult: Words::new(
            format!("Before you start on {start}: {title}"),
            format!(
                "Your placement \"{title}\" starts on {start}, and some things still need doing before you can start: {list}. Open the link below to see your checklist and complete them."
            ),
        ),
        young: Words::new(
            format!("Things to do before {start}: {title}"),
            format!(
                "Your placement \"{title}\" starts on {start}. Before you can start, these still need doing: {list}. Some of them need a parent or carer. Open the link below to see your checklist."
            ),
        ),
    }
}

/// To a participant not ready, with the labels of what is missing.
pub(crate) fn not_ready(
    app: &Application,
    placement: &Placement,
    missing: &[&str],
    to: Audience<'_>,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    tell(to, Template::NotReady, &not_ready_text(placement, missing), app.id, now)
}

pub fn participants_not_ready_words(placement: &Placement, not_ready: &[(Uuid, Vec<String>)], holding: usize) -> Words {
    let title = &placement.details.title;
    let start = long_date(placement.details.start_date);
    let lines: Vec<String> =
        not_ready.iter().map(|(id, missing)| format!("application {id}: {}", missing.join(", "))).collect();
    Words::new(
        format!("{} of {holding} participants not ready: {title}", not_ready.len()),
        format!(
            "\"{title}\" starts on {start}. {} of the {holding} people holding a place have not completed their readiness checklist, so their attendance cannot be recorded yet. Still missing, by application: {}. Each has been reminded. The placement's readiness page shows who, and lets you record the organisation's own checks.",
            not_ready.len(),
            lines.join("; ")
        ),
    )
}

/// To the organisation's team, when anyone holding a place is not ready.
pub fn participants_not_ready(
    placement: &Placement,
    not_ready: &[(Uuid, Vec<String>)],
    holding: usize,
    team: &str,
    now: DateTime<Utc>,
) -> Notification {
    let words = participants_not_ready_words(placement, not_ready, holding);
    Notification::new(team, Template::ParticipantsNotReady, words.subject, words.body, None, now)
        .linking(format!("/placements/{}/readiness", placement.id))
}
