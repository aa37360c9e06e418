//! The texts people receive: the notifications about their applications, offers and advocate
//! links, and the plain-language account of where an application stands. Built from the model
//! alone; the use cases decide when each is sent, and never write words themselves.
//!
//! Every message is plain English with a link into the front end (no API paths, no ids), names
//! nobody, and has words written for applicants under 16 for the applicant's own copy.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::model::notification::{Notification, Template};
use crate::model::profile::{Profile, age_on};

pub mod advocacy;
pub mod answers;
pub mod applying;
pub mod ending;
pub mod offers;
pub mod outcome;
pub mod reminders;

#[cfg(test)]
mod tests;

/// A message's subject and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    pub subject: String,
    pub body: String,
}

impl Words {
    pub fn new(subject: impl Into<String>, body: impl Into<String>) -> Self {
        Words { subject: subject.into(), body: body.into() }
    }
}

/// The words of one message about an application: for adults, and for an applicant under 16.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub adult: Words,
    pub young: Words,
}

/// The age below which an applicant's own messages use the words written for them.
pub const YOUNG_UNDER: u32 = 16;

/// Whether the applicant is under 16 on the day a message is made.
pub fn is_young(profile: &Profile, now: DateTime<Utc>) -> bool {
    age_on(profile.input.date_of_birth, now.date_naive()) < YOUNG_UNDER
}

/// The front end's page for an application, where every message about it links to.
pub fn application_page(application_id: Uuid) -> String {
    format!("/applications/{application_id}")
}

/// The front end's page for an advocate's invitation, where they enter their code to accept.
pub fn advocate_link_page(link_id: Uuid) -> String {
    format!("/advocate-links/{link_id}")
}

/// The applicant's own copy of a message about an application: the words for under-16s when they
/// are under 16 that day, linking to the application's page.
pub fn to_applicant(
    profile: &Profile,
    template: Template,
    text: &Text,
    application_id: Uuid,
    now: DateTime<Utc>,
) -> Notification {
    let words = if is_young(profile, now) { &text.young } else { &text.adult };
    Notification::new(
        profile.input.email.as_str(),
        template,
        words.subject.clone(),
        words.body.clone(),
        Some(application_id),
        now,
    )
    .linking(application_page(application_id))
    // The applicant's own address: the one to flag to them if it fails.
    .to_applicant(profile.id)
}

/// The same message about an application to the applicant (in the words for their age) and to
/// any support worker (always the adult words), linking to the application's page.
pub fn tell(
    profile: &Profile,
    template: Template,
    text: &Text,
    application_id: Uuid,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    let mut out = vec![to_applicant(profile, template, text, application_id, now)];
    out.extend(profile.input.support_worker.iter().map(|worker| {
        Notification::new(
            worker.email.as_str(),
            template,
            text.adult.subject.clone(),
            text.adult.body.clone(),
            Some(application_id),
            now,
        )
        .linking(application_page(application_id))
    }));
    out
}
