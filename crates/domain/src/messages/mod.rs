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
pub mod proposals;
pub mod readiness;
pub mod reminders;
pub mod retention;
pub mod team;

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

/// Who hears about an applicant's applications: the applicant, and the addresses of the advocates
/// whose links they accepted (careers leaders, personal advisers and others acting for them).
#[derive(Debug, Clone, Copy)]
pub struct Audience<'a> {
    pub profile: &'a Profile,
    pub advocates: &'a [String],
}

impl<'a> Audience<'a> {
    /// The applicant with no advocate to copy in.
    pub fn alone(profile: &'a Profile) -> Self {
        Audience { profile, advocates: &[] }
    }
}

/// The addresses of each applicant's active advocates, as read for a batch of applicants.
#[derive(Debug, Clone, Default)]
pub struct Advocates(std::collections::HashMap<Uuid, Vec<String>>);

impl Advocates {
    /// From (profile id, advocate address) pairs.
    pub fn from_pairs(pairs: Vec<(Uuid, String)>) -> Self {
        let mut by_profile: std::collections::HashMap<Uuid, Vec<String>> = std::collections::HashMap::new();
        for (profile_id, email) in pairs {
            by_profile.entry(profile_id).or_default().push(email);
        }
        Advocates(by_profile)
    }

    pub fn of(&self, profile_id: Uuid) -> &[String] {
        self.0.get(&profile_id).map_or(&[], Vec::as_slice)
    }

    /// The audience of this applicant's messages.
    pub fn audience<'a>(&'a self, profile: &'a Profile) -> Audience<'a> {
        Audience { profile, advocates: self.of(profile.id) }
    }
}

/// Copies of a message's adult words, linking to the application's page, for each address in
/// `to` not already among `out`'s recipients (an advocate may also be the named support worker).
fn copies(
    out: &mut Vec<Notification>,
    to: &[String],
    template: Template,
    words: &Words,
    application_id: Uuid,
    now: DateTime<Utc>,
) {
    for address in to {
        if out.iter().any(|m| m.recipient.eq_ignore_ascii_case(address)) {
            continue;
        }
        out.push(
            Notification::new(address, template, words.subject.clone(), words.body.clone(), Some(application_id), now)
                .linking(application_page(application_id)),
        );
    }
}

/// The same message about an application to the applicant (in the words for their age) and, in
/// the adult words, to any support worker and to every advocate acting for them, linking to the
/// application's page.
pub fn tell(
    to: Audience<'_>,
    template: Template,
    text: &Text,
    application_id: Uuid,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    let mut out = vec![to_applicant(to.profile, template, text, application_id, now)];
    let worker = to.profile.input.support_worker.iter().map(|w| w.email.as_str().to_string());
    let others: Vec<String> = worker.chain(to.advocates.iter().cloned()).collect();
    copies(&mut out, &others, template, &text.adult, application_id, now);
    out
}

/// Copies for the applicant's advocates alone (for a message whose support worker copy differs).
pub(crate) fn copy_to_advocates(
    out: &mut Vec<Notification>,
    to: Audience<'_>,
    template: Template,
    words: &Words,
    application_id: Uuid,
    now: DateTime<Utc>,
) {
    copies(out, to.advocates, template, words, application_id, now);
}
