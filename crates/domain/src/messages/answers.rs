//! What applicants are told when an offer is accepted, declined or not answered in time.

use chrono::{DateTime, Utc};

use crate::messages::reminders::{practicalities, young_practicalities};
use crate::messages::{Audience, Text, Words, tell};
use crate::model::application::Application;
use crate::model::dates::long_date;
use crate::model::notification::{Notification, Template};
use crate::model::placement::Placement;

pub fn confirmed_text(placement: &Placement) -> Text {
    let title = &placement.details.title;
    let start = long_date(placement.details.start_date);
    Text {
        adult: Words::new(
            format!("Your place is confirmed: {title}"),
            format!(
                "Your place on \"{title}\" is confirmed, starting {start}. {} If you cannot go any more, please withdraw with the link below, so that someone else can have the place.",
                practicalities(placement)
            ),
        ),
        young: Words::new(
            format!("Your place is confirmed: {title}"),
            format!(
                "Well done! Your place on \"{title}\" is booked. It starts on {start}. {} Show this email to a parent or carer so they know where you will be. If you cannot go any more, tell us with the link below, so someone else can have the place.",
                young_practicalities(placement)
            ),
        ),
    }
}

pub fn declined_text(placement: &Placement) -> Text {
    let title = &placement.details.title;
    Text {
        adult: Words::new(
            format!("Place declined: {title}"),
            format!(
                "You declined the place on \"{title}\". It has been offered to the next person waiting. You can apply for other placements."
            ),
        ),
        young: Words::new(
            format!("Place declined: {title}"),
            format!(
                "You said no to the place on \"{title}\". It will go to the next person on the waiting list. You can still apply for other placements. If you did not mean to say no, ask a parent, carer or teacher to help you contact us."
            ),
        ),
    }
}

pub fn expired_text(placement: &Placement) -> Text {
    let title = &placement.details.title;
    Text {
        adult: Words::new(
            format!("Your offer has expired: {title}"),
            format!(
                "The offer of a place on \"{title}\" was not answered in time, so it has gone to the next person waiting. You can apply for other placements."
            ),
        ),
        young: Words::new(
            format!("Your offer has expired: {title}"),
            format!(
                "You were offered a place on \"{title}\", but we did not get an answer in time. So the place has gone to the next person on the waiting list. You can still apply for other placements. A parent, carer or teacher can help you."
            ),
        ),
    }
}

/// An offer accepted (`accepted` true) or declined, to the applicant and any support worker.
pub(crate) fn answered(
    app: &Application,
    to: Audience<'_>,
    placement: &Placement,
    accepted: bool,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    if accepted {
        tell(to, Template::PlaceConfirmed, &confirmed_text(placement), app.id, now)
    } else {
        tell(to, Template::OfferDeclined, &declined_text(placement), app.id, now)
    }
}

/// An offer not answered in time, to the applicant and any support worker.
pub(crate) fn expired(
    app: &Application,
    to: Audience<'_>,
    placement: &Placement,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    tell(to, Template::OfferExpired, &expired_text(placement), app.id, now)
}
