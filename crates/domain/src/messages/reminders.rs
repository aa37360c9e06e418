//! Reminders before a placement starts and before an offer ends.

use chrono::{DateTime, Utc};

use crate::messages::tell;
use crate::model::application::Application;
use crate::model::dates::{long_date, long_time};
use crate::model::notification::{Notification, Template};
use crate::model::offer::Offer;
use crate::model::placement::Placement;
use crate::model::profile::Profile;

/// A placement's practical details, each said plainly, or "see your application" where the
/// organisation left one out.
fn practicalities(placement: &Placement) -> String {
    let p = &placement.details.preparation;
    let said = |v: &Option<String>| v.as_deref().map(|s| s.trim().trim_end_matches('.').to_string());
    let see = "see your application";
    format!(
        "What to wear: {}. Where to go: {}. Ask for: {}.",
        said(&p.dress_code).unwrap_or_else(|| see.to_string()),
        said(&p.arrival_instructions).unwrap_or_else(|| see.to_string()),
        said(&p.contact_role).unwrap_or_else(|| "the work experience coordinator".to_string()),
    )
}

/// Before a placement starts: a week before (`tomorrow` false) or the day before.
pub(crate) fn starting(
    app: &Application,
    placement: &Placement,
    profile: &Profile,
    tomorrow: bool,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    let title = &placement.details.title;
    let start = long_date(placement.details.start_date);
    let (template, subject, when) = if tomorrow {
        (Template::StartingTomorrow, format!("Your placement starts tomorrow: {title}"), "tomorrow".to_string())
    } else {
        (Template::StartingSoon, format!("Your placement starts on {start}: {title}"), format!("on {start}"))
    };
    let body = format!(
        "Your placement \"{title}\" starts {when}. {} If you cannot go any more, please withdraw on your application, so that someone else can have the place.",
        practicalities(placement)
    );
    tell(profile, template, &subject, &body, app.id, now)
}

/// Two days before an open offer's answer-by time.
pub(crate) fn offer_ending(
    app: &Application,
    offer: &Offer,
    placement: &Placement,
    profile: &Profile,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    let title = &placement.details.title;
    let body = format!(
        "You have been offered a place on \"{title}\" and have not answered yet. Please accept or decline it by {}. If there is no answer by then, the place goes to the next person waiting.",
        long_time(offer.respond_by)
    );
    tell(profile, Template::OfferExpiring, &format!("Your offer ends soon: {title}"), &body, app.id, now)
}
