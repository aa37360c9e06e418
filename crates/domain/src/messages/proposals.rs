//! What a student (and those acting for them, their college's coordinator among them) is told when
//! the NHS organisation decides on their college's proposal for a T level placement: nobody is left
//! waiting without an answer. The organisation's reason for a decline goes to the college, which
//! talks it through with the student; it is staff's words, so the email does not repeat it.

use chrono::{DateTime, Utc};

use crate::messages::{Audience, Text, Words, tell};
use crate::model::application::Application;
use crate::model::dates::long_date;
use crate::model::notification::{Notification, Template};
use crate::model::placement::Placement;

pub fn accepted_text(placement: &Placement) -> Text {
    let title = &placement.details.title;
    let start = long_date(placement.details.start_date);
    Text {
        adult: Words::new(
            format!("Your T level placement is agreed: {title}"),
            format!(
                "Good news: the NHS organisation has accepted your college's proposal for \"{title}\", starting on {start}. Your college, the organisation and you will now agree the placement's objectives, pattern and supervisor, and you will be asked to complete a few things before the first day."
            ),
        ),
        young: Words::new(
            format!("Your T level placement is agreed: {title}"),
            format!(
                "Good news! The NHS organisation has said yes to your college's request for you to join \"{title}\". It starts on {start}. Your college will talk to you about what happens next, and there are a few things to do before your first day. Ask your college or a parent or carer if you have questions."
            ),
        ),
    }
}

pub fn declined_text(placement: &Placement) -> Text {
    let title = &placement.details.title;
    Text {
        adult: Words::new(
            format!("Your college's proposal was not taken: {title}"),
            format!(
                "The NHS organisation could not take your college's proposal for \"{title}\" this time. It has told your college why, and your college will talk to you about other placements."
            ),
        ),
        young: Words::new(
            format!("Your college's proposal was not taken: {title}"),
            format!(
                "The NHS organisation could not take you on \"{title}\" this time. This is not about you as a person. Your college knows why and will help you find another placement."
            ),
        ),
    }
}

pub(crate) fn accepted(
    app: &Application,
    to: Audience<'_>,
    placement: &Placement,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    tell(to, Template::ProposalAccepted, &accepted_text(placement), app.id, now)
}

pub(crate) fn declined(
    app: &Application,
    to: Audience<'_>,
    placement: &Placement,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    tell(to, Template::ProposalDeclined, &declined_text(placement), app.id, now)
}
