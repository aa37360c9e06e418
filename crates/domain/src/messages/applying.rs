//! What an applicant and their support worker are told when an application is sent.

use chrono::{DateTime, Utc};

use crate::model::advocacy::AdvocateLink;
use crate::model::application::Application;
use crate::model::auth::Role;
use crate::model::dates::long_date;
use crate::model::notification::{Notification, Template};
use crate::model::placement::Placement;
use crate::model::profile::Profile;

pub(crate) fn submitted_notifications(
    app: &Application,
    placement: &Placement,
    profile: &Profile,
    invitation: Option<(&AdvocateLink, &str)>,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    let title = &placement.details.title;
    let outcome = long_date(app.outcome_expected_by);
    let opening = if app.submitted_by.role == Role::Advocate {
        format!("Your advocate has applied for \"{title}\" for you.")
    } else {
        format!("Thank you for applying for \"{title}\".")
    };
    let mut out = vec![Notification::new(
        profile.input.email.as_str(),
        Template::ApplicationReceived,
        format!("We have your application: {title}"),
        format!(
            "{opening} Applications close on {}. Places are given by a fair draw, and you will hear by {outcome}. Your ticket for the draw is {}.",
            long_date(placement.details.closes_at.date_naive()),
            app.ticket
        ),
        Some(app.id),
        now,
    )];
    if let Some(worker) = &profile.input.support_worker {
        let how = match invitation {
            Some((link, code)) => format!(
                " To see it and add supporting information, sign in and accept invitation {} with the code {code}.",
                link.id
            ),
            None => {
                " Once you have accepted the invitation you were sent, you can read it and add supporting information."
                    .to_string()
            }
        };
        out.push(Notification::new(
            worker.email.as_str(),
            Template::SupportWorkerNamed,
            format!("You are named as a support worker on an application: {title}"),
            format!("An application for \"{title}\" names you as a support worker.{how} The applicant will hear by {outcome}, and so will you."),
            Some(app.id),
            now,
        ));
    }
    out
}
