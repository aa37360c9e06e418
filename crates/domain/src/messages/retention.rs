//! The warning to an applicant whose account has not been used for the retention period: it will
//! be deleted on a date unless they sign in. Words for adults and for applicants under 16.

use chrono::{DateTime, NaiveDate, Utc};

use crate::messages::{Text, Words, is_young};
use crate::model::dates::long_date;
use crate::model::notification::{Notification, Template};
use crate::model::profile::Profile;

/// The front end's page of the applicant's own account, where signing in keeps it.
pub const ACCOUNT_PAGE: &str = "/account";

pub fn inactive_words(erase_on: NaiveDate) -> Text {
    let on = long_date(erase_on);
    Text {
        adult: Words::new(
            format!("Your NHS work experience account will be deleted on {on}"),
            format!(
                "You have not used your NHS work experience account for a long time, so we will delete it and everything in it on {on}, to keep no more about you than we need. If you want to keep it, sign in before then. If you do not, you need do nothing: your account will be deleted. You can download a copy of your data from your account page before it goes."
            ),
        ),
        young: Words::new(
            format!("We will delete your work experience account on {on}"),
            format!(
                "You have not used your NHS work experience account for a long time. We do not keep things we do not need, so we will delete your account on {on}. If you want to keep it, just sign in before then. If you do not want it any more, you do not need to do anything."
            ),
        ),
    }
}

/// The warning, to the applicant's own address.
pub fn account_inactive(profile: &Profile, erase_on: NaiveDate, now: DateTime<Utc>) -> Notification {
    let text = inactive_words(erase_on);
    let words = if is_young(profile, now) { text.young } else { text.adult };
    Notification::new(profile.input.email.as_str(), Template::AccountInactive, words.subject, words.body, None, now)
        .linking(ACCOUNT_PAGE.to_string())
        .to_applicant(profile.id)
}
