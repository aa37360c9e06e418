//! Reminders before a placement starts and before an offer ends.

use chrono::{DateTime, Utc};

use crate::messages::{Audience, Text, Words, tell};
use crate::model::application::Application;
use crate::model::dates::{long_date, long_time};
use crate::model::notification::{Notification, Template};
use crate::model::offer::Offer;
use crate::model::placement::Placement;

/// The placement's preparation: what to wear, where to go, who to ask for, each said plainly,
/// or `None` where the organisation left one out.
fn preparation(placement: &Placement) -> [Option<String>; 3] {
    let p = &placement.details.preparation;
    let said = |v: &Option<String>| v.as_deref().map(|s| s.trim().trim_end_matches('.').to_string());
    [said(&p.dress_code), said(&p.arrival_instructions), said(&p.contact_role)]
}

/// A placement's practical details, or "see your application" where the organisation left one out.
pub(crate) fn practicalities(placement: &Placement) -> String {
    let [wear, go, ask] = preparation(placement);
    let see = || "see your application".to_string();
    format!(
        "What to wear: {}. Where to go: {}. Ask for: {}.",
        wear.unwrap_or_else(see),
        go.unwrap_or_else(see),
        ask.unwrap_or_else(|| "the work experience coordinator".to_string()),
    )
}

/// The same details for an applicant under 16, one short sentence each.
pub(crate) fn young_practicalities(placement: &Placement) -> String {
    let [wear, go, ask] = preparation(placement);
    let see = || "open the link below to see".to_string();
    format!(
        "What to wear: {}. Where to go: {}. When you get there, ask for {}.",
        wear.unwrap_or_else(see),
        go.unwrap_or_else(see),
        ask.unwrap_or_else(|| "the work experience coordinator".to_string()),
    )
}

/// A week before a placement starts (`tomorrow` false) or the day before.
pub fn starting_text(placement: &Placement, tomorrow: bool) -> Text {
    let title = &placement.details.title;
    let start = long_date(placement.details.start_date);
    let (subject, when) = if tomorrow {
        (format!("Your placement starts tomorrow: {title}"), "tomorrow".to_string())
    } else {
        (format!("Your placement starts on {start}: {title}"), format!("on {start}"))
    };
    Text {
        adult: Words::new(
            subject.clone(),
            format!(
                "Your placement \"{title}\" starts {when}. {} If you cannot go any more, please withdraw with the link below, so that someone else can have the place.",
                practicalities(placement)
            ),
        ),
        young: Words::new(
            subject,
            format!(
                "Your placement \"{title}\" starts {when}. {} Make sure a parent or carer knows where you are going. If you cannot go any more, tell us with the link below, so someone else can have the place.",
                young_practicalities(placement)
            ),
        ),
    }
}

/// Before a placement starts: a week before (`tomorrow` false) or the day before.
pub(crate) fn starting(
    app: &Application,
    placement: &Placement,
    to: Audience<'_>,
    tomorrow: bool,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    let template = if tomorrow { Template::StartingTomorrow } else { Template::StartingSoon };
    tell(to, template, &starting_text(placement, tomorrow), app.id, now)
}

pub fn offer_ending_text(placement: &Placement, offer: &Offer) -> Text {
    let title = &placement.details.title;
    let by = long_time(offer.respond_by);
    Text {
        adult: Words::new(
            format!("Your offer ends soon: {title}"),
            format!(
                "You have been offered a place on \"{title}\" and have not answered yet. Please accept or decline it by {by} with the link below. If there is no answer by then, the place goes to the next person waiting."
            ),
        ),
        young: Words::new(
            format!("Your offer ends soon: {title}"),
            format!(
                "You have been offered a place on \"{title}\", but you have not said yes or no yet. Please answer by {by} with the link below. If you do not answer in time, the place goes to someone else. A parent, carer or teacher can help you decide."
            ),
        ),
    }
}

/// Two days before an open offer's answer-by time.
pub(crate) fn offer_ending(
    app: &Application,
    offer: &Offer,
    placement: &Placement,
    to: Audience<'_>,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    tell(to, Template::OfferExpiring, &offer_ending_text(placement, offer), app.id, now)
}
