//! Dates and times as people read them in messages and refusals.

use chrono::{DateTime, NaiveDate, Utc};

pub(crate) fn long_date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

pub(crate) fn long_time(t: DateTime<Utc>) -> String {
    t.format("%-d %B %Y at %H:%M UTC").to_string()
}
