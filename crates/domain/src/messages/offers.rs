//! What applicants are told when the draw or the waiting list reaches them, and when there is no
//! place for them.

use chrono::{DateTime, Utc};

use crate::messages::{Audience, Text, Words, tell};
use crate::model::application::Application;
use crate::model::dates::long_time;
use crate::model::notification::{Notification, Template};
use crate::model::offer::Offer;
use crate::model::placement::Placement;

pub fn offer_text(placement: &Placement, offer: &Offer) -> Text {
    let title = &placement.details.title;
    let by = long_time(offer.respond_by);
    Text {
        adult: Words::new(
            format!("You have been offered a place: {title}"),
            format!(
                "Good news: you are offered a place on \"{title}\". Accept or decline it by {by} with the link below. If there is no answer by then, the place goes to the next person waiting."
            ),
        ),
        young: Words::new(
            format!("You have been offered a place: {title}"),
            format!(
                "Good news! You have been offered a place on \"{title}\". Open the link below to say yes or no. Please answer by {by}. If you do not answer in time, the place goes to someone else. Talk to a parent, carer or teacher before you say yes."
            ),
        ),
    }
}

pub(crate) fn offer_messages(
    app: &Application,
    to: Audience<'_>,
    placement: &Placement,
    offer: &Offer,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    tell(to, Template::OfferMade, &offer_text(placement, offer), app.id, now)
}

/// `number` on the waiting list of a placement whose `capacity` places the draw gave.
pub fn waitlisted_text(placement: &Placement, number: u32, capacity: u32) -> Text {
    let title = &placement.details.title;
    Text {
        adult: Words::new(
            format!("You are on the waiting list: {title}"),
            format!(
                "The draw for \"{title}\" has given its {capacity} place(s). You are number {number} on the waiting list: if someone declines, the next person waiting is offered their place, and we will tell you at once."
            ),
        ),
        young: Words::new(
            format!("You are on the waiting list: {title}"),
            format!(
                "The draw for \"{title}\" has picked who gets the places. You did not get one this time, but you are number {number} on the waiting list. If someone says no to their place, it goes to the next person on the list. We will email you straight away if that is you. If you have questions, ask a parent, carer or teacher."
            ),
        ),
    }
}

pub(crate) fn waitlisted(
    app: &Application,
    to: Audience<'_>,
    placement: &Placement,
    number: u32,
    capacity: u32,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    tell(to, Template::Waitlisted, &waitlisted_text(placement, number, capacity), app.id, now)
}

/// Why an application ended without a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoPlace {
    /// A review without names found it did not meet the placement's criteria.
    NotEntered,
    /// The placement started before the waiting list reached it.
    ListClosed,
}

pub fn unsuccessful_text(placement: &Placement, why: NoPlace) -> Text {
    let title = &placement.details.title;
    let (adult_why, young_why) = match why {
        NoPlace::NotEntered => (
            "A review of the applications (without names) found that yours did not meet this placement's criteria, so it was not in the draw.",
            "The people who checked the applications (without seeing names) found that yours did not match what this placement asks for. So it was not in the draw.",
        ),
        NoPlace::ListClosed => (
            "The placement has started and the waiting list did not reach you.",
            "The placement has now started, and the waiting list did not reach you.",
        ),
    };
    Text {
        adult: Words::new(
            format!("No place this time: {title}"),
            format!(
                "We are sorry: there is no place for you on \"{title}\". {adult_why} You can apply for other placements."
            ),
        ),
        young: Words::new(
            format!("No place this time: {title}"),
            format!(
                "We are sorry. You did not get a place on \"{title}\". {young_why} Please do not give up: you can apply for other placements. A parent, carer or teacher can help you choose one."
            ),
        ),
    }
}

/// The "unsuccessful" message, with why, to the applicant and any support worker.
pub(crate) fn unsuccessful(
    app: &Application,
    to: Audience<'_>,
    placement: &Placement,
    why: NoPlace,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    tell(to, Template::Unsuccessful, &unsuccessful_text(placement, why), app.id, now)
}
