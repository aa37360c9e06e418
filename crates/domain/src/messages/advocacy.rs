//! The invitation an advocate receives.

use chrono::{DateTime, Utc};

use crate::model::advocacy::AdvocateLink;
use crate::model::notification::{Notification, Template};

/// The invitation message, with the code the advocate needs to accept.
pub(crate) fn invitation(link: &AdvocateLink, code: &str, now: DateTime<Utc>) -> Notification {
    Notification::new(
        link.advocate_email.as_deref().unwrap_or_default(),
        Template::AdvocateInvitation,
        "You have been asked to help with NHS work experience applications".to_string(),
        format!(
            "Someone has named you ({}) to help with their NHS work experience applications. To accept, sign in and accept invitation {} with the code {code}. They can end the link at any time.",
            link.relationship.label().to_lowercase(),
            link.id
        ),
        None,
        now,
    )
}
