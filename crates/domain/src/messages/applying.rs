//! What an applicant and their support worker are told when an application is sent or withdrawn.

use chrono::{DateTime, Utc};

use crate::messages::{
    Audience, Text, Words, advocate_link_page, application_page, copy_to_advocates, tell, to_applicant,
};
use crate::model::advocacy::AdvocateLink;
use crate::model::application::Application;
use crate::model::auth::Role;
use crate::model::dates::long_date;
use crate::model::notification::{Notification, Template};
use crate::model::placement::Placement;

/// The applicant's "we have your application". The draw ticket is the one id in any message:
/// applicants use it to find themselves in the published draw.
pub fn received_text(app: &Application, placement: &Placement) -> Text {
    let title = &placement.details.title;
    let closes = long_date(placement.details.closes_at.date_naive());
    let outcome = long_date(app.outcome_expected_by);
    let ticket = app.ticket;
    let by_advocate = app.submitted_by.role == Role::Advocate;
    let opening = if by_advocate {
        format!("Your advocate has applied for \"{title}\" for you.")
    } else {
        format!("Thank you for applying for \"{title}\".")
    };
    let young_opening = if by_advocate {
        format!("Someone helping you has applied for \"{title}\" for you.")
    } else {
        format!("Thank you for applying for \"{title}\".")
    };
    Text {
        adult: Words::new(
            format!("We have your application: {title}"),
            format!(
                "{opening} Applications close on {closes}. Places are given by a fair draw, and you will hear by {outcome}. Your ticket for the draw is {ticket}: keep it, so that you can check the published draw yourself. You can see your application, or withdraw it, with the link below."
            ),
        ),
        young: Words::new(
            format!("We have your application: {title}"),
            format!(
                "{young_opening} We have got it. Applications close on {closes}. Then a fair draw picks who gets the places. We will tell you what happened by {outcome}. Your ticket for the draw is {ticket}. Keep it: you can use it to check the draw when it is published. If you have any questions, ask a parent, carer or teacher."
            ),
        ),
    }
}

/// The support worker's "you are named": what the application is, not who made it, and how to see it.
pub fn worker_named_words(app: &Application, placement: &Placement, code: Option<&str>) -> Words {
    let title = &placement.details.title;
    let how = match code {
        Some(code) => format!(
            " To see it and add supporting information, open the link below and accept the invitation to help. Your code is {code}."
        ),
        None => " Once you have accepted the invitation you were sent, you can read it and add supporting information with the link below.".to_string(),
    };
    Words::new(
        format!("You are named as a support worker on an application: {title}"),
        format!(
            "An application for \"{title}\" names you as a support worker.{how} The applicant will hear by {}, and so will you.",
            long_date(app.outcome_expected_by)
        ),
    )
}

pub(crate) fn submitted_notifications(
    app: &Application,
    placement: &Placement,
    to: Audience<'_>,
    invitation: Option<(&AdvocateLink, &str)>,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    let profile = to.profile;
    let text = received_text(app, placement);
    let mut out = vec![to_applicant(profile, Template::ApplicationReceived, &text, app.id, now)];
    if let Some(worker) = &profile.input.support_worker {
        let words = worker_named_words(app, placement, invitation.map(|(_, code)| code));
        // An invited worker starts at the invitation; one linked already goes to the application.
        let link = invitation.map_or_else(|| application_page(app.id), |(link, _)| advocate_link_page(link.id));
        out.push(
            Notification::new(
                worker.email.as_str(),
                Template::SupportWorkerNamed,
                words.subject,
                words.body,
                Some(app.id),
                now,
            )
            .linking(link),
        );
    }
    // Advocates acting for the applicant see it arrive (the support worker had its own words).
    copy_to_advocates(&mut out, to, Template::ApplicationReceived, &text.adult, app.id, now);
    out
}

pub fn withdrawn_text(placement: &Placement) -> Text {
    let title = &placement.details.title;
    Text {
        adult: Words::new(
            format!("Application withdrawn: {title}"),
            format!(
                "The application for \"{title}\" has been withdrawn. It will not be in the draw. You can apply for other placements."
            ),
        ),
        young: Words::new(
            format!("Application withdrawn: {title}"),
            format!(
                "Your application for \"{title}\" has been withdrawn. This means it will not be in the draw. You can still apply for other placements. If you did not expect this, ask a parent, carer or teacher to help you find out why."
            ),
        ),
    }
}

/// An application withdrawn, to the applicant and any support worker.
pub(crate) fn withdrawn(
    app: &Application,
    to: Audience<'_>,
    placement: &Placement,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    tell(to, Template::ApplicationWithdrawn, &withdrawn_text(placement), app.id, now)
}
