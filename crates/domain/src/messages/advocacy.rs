//! The invitation an advocate receives.

use chrono::{DateTime, Utc};

use crate::messages::{Words, advocate_link_page};
use crate::model::advocacy::{AdvocateLink, Relationship};
use crate::model::notification::{Notification, Template};

/// "as their careers leader", or nothing when the applicant chose "someone else".
pub(crate) fn as_their(relationship: Relationship) -> String {
    match relationship {
        Relationship::Other => String::new(),
        r => format!(" as their {}", r.label().to_lowercase()),
    }
}

/// The invitation's words: who asked (never by name), what it lets them do, and the code.
pub fn invitation_words(relationship: Relationship, code: &str) -> Words {
    Words::new(
        "You have been asked to help with NHS work experience applications",
        format!(
            "Someone applying for NHS work experience has asked you to help them{}. If you agree, you can apply for placements for them and keep track of their applications. To accept, open the link below and enter your code. Your code is {code}. If you were not expecting this, you can ignore this email. They can end the link at any time.",
            as_their(relationship)
        ),
    )
}

/// The invitation message, linking to the invitation's page, with the code the advocate needs.
pub(crate) fn invitation(link: &AdvocateLink, code: &str, now: DateTime<Utc>) -> Notification {
    let words = invitation_words(link.relationship, code);
    Notification::new(
        link.advocate_email.as_deref().unwrap_or_default(),
        Template::AdvocateInvitation,
        words.subject,
        words.body,
        None,
        now,
    )
    .linking(advocate_link_page(link.id))
}
