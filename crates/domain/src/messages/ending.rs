//! What people are told when a placement is cancelled, and when they complete one.

use chrono::{DateTime, Utc};

use crate::messages::{Audience, Text, Words, tell, to_applicant};
use crate::model::application::Application;
use crate::model::notification::{Notification, Template};
use crate::model::participation::Certificate;
use crate::model::placement::Placement;
use crate::model::profile::Profile;

/// The organisation's reason is not in the message: it is free text that may name people, and
/// the application's page, behind the link, shows it.
pub fn cancelled_text(placement: &Placement) -> Text {
    let title = &placement.details.title;
    Text {
        adult: Words::new(
            format!("Placement cancelled: {title}"),
            format!(
                "We are sorry: \"{title}\" has been cancelled by the organisation running it, so your application or place on it has ended. You can read their reason with the link below. You can apply for other placements."
            ),
        ),
        young: Words::new(
            format!("Placement cancelled: {title}"),
            format!(
                "We are sorry. \"{title}\" has been cancelled, so it will not happen. This is not because of anything you did. You can see why with the link below. You can still apply for other placements. A parent, carer or teacher can help you choose one."
            ),
        ),
    }
}

/// A placement cancelled, to the applicant and any support worker.
pub(crate) fn cancelled(
    app: &Application,
    to: Audience<'_>,
    placement: &Placement,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    tell(to, Template::PlacementCancelled, &cancelled_text(placement), app.id, now)
}

/// The certificate code is the one code here: it is what the participant shows to prove the
/// placement (to a college, a university or an employer).
pub fn feedback_text(placement: &Placement, certificate: &Certificate) -> Text {
    let title = &placement.details.title;
    let code = &certificate.code;
    Text {
        adult: Words::new(
            format!("Well done, and tell us how it went: {title}"),
            format!(
                "You have completed \"{title}\". Your certificate code is {code}: give it to a college, university or employer and they can check your certificate. Please tell us how it went with the short feedback form behind the link below; it takes two minutes and helps the NHS improve work experience."
            ),
        ),
        young: Words::new(
            format!("Well done, and tell us how it went: {title}"),
            format!(
                "Well done! You have finished \"{title}\". Your certificate code is {code}. Keep it safe: a school, college or employer can use it to check your certificate. Please tell us how it went with the short form behind the link below. It takes two minutes. Ask a parent, carer or teacher if you need help."
            ),
        ),
    }
}

/// The message to a participant who completed a placement: their certificate code and a request
/// for feedback. To them alone: the support worker was told of the place already.
pub fn feedback_request(
    profile: &Profile,
    placement: &Placement,
    certificate: &Certificate,
    now: DateTime<Utc>,
) -> Notification {
    to_applicant(
        profile,
        Template::FeedbackRequest,
        &feedback_text(placement, certificate),
        certificate.application_id,
        now,
    )
}
