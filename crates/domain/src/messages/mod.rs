//! The texts people receive: the notifications about their applications, offers and advocate
//! links, and the plain-language account of where an application stands. Built from the model
//! alone; the use cases decide when each is sent.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::model::notification::{Notification, Template};
use crate::model::profile::Profile;

pub mod advocacy;
pub mod applying;
pub mod offers;
pub mod outcome;
pub mod reminders;

/// Who hears about an application: the applicant and any support worker the profile names.
pub fn applicant_and_worker(profile: &Profile) -> Vec<String> {
    let mut to = vec![profile.input.email.to_string()];
    to.extend(profile.input.support_worker.iter().map(|w| w.email.to_string()));
    to
}

/// The front end's page for an application, where every message about it links to.
pub fn application_page(application_id: Uuid) -> String {
    format!("/applications/{application_id}")
}

/// The same message about an application to the applicant and any support worker, linking to the
/// application's page.
pub fn tell(
    profile: &Profile,
    template: Template,
    subject: &str,
    body: &str,
    application_id: Uuid,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    applicant_and_worker(profile)
        .iter()
        .enumerate()
        .map(|(i, to)| {
            let message =
                Notification::new(to, template, subject.to_string(), body.to_string(), Some(application_id), now)
                    .linking(application_page(application_id));
            // The first address is the applicant's own: the one to flag to them if it fails.
            if i == 0 { message.to_applicant(profile.id) } else { message }
        })
        .collect()
}
