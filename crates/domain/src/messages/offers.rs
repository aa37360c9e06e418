//! What applicants are told when they are offered a place, and when there is none for them.

use chrono::{DateTime, Utc};

use crate::messages::tell;
use crate::model::application::Application;
use crate::model::dates::long_time;
use crate::model::notification::{Notification, Template};
use crate::model::offer::Offer;
use crate::model::placement::Placement;
use crate::model::profile::Profile;

pub(crate) fn offer_messages(
    app: &Application,
    profile: &Profile,
    placement: &Placement,
    offer: &Offer,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    let title = &placement.details.title;
    tell(
        profile,
        Template::OfferMade,
        &format!("You have been offered a place: {title}"),
        &format!(
            "Good news: you are offered a place on \"{title}\". Accept or decline it by {} on your application. If there is no answer by then, the place goes to the next person waiting.",
            long_time(offer.respond_by),
        ),
        app.id,
        now,
    )
}

/// The "unsuccessful" message, with its explanation, to the applicant and any support worker.
pub(crate) fn unsuccessful(
    app: &Application,
    profile: &Profile,
    placement: &Placement,
    why: &str,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    let title = &placement.details.title;
    tell(
        profile,
        Template::Unsuccessful,
        &format!("No place this time: {title}"),
        &format!("We are sorry: there is no place for you on \"{title}\". {why} You can apply for other placements."),
        app.id,
        now,
    )
}
