//! The shape of `demo/demo.json`: the API's own input types (organisations, sites, departments,
//! placement details, profiles, applications, equality answers, feedback), with the few things
//! that cannot be fixed in a file (ids, and dates, which are relative to the day it is loaded)
//! left out and filled in here.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use uuid::Uuid;
use wex_domain::model::application::ApplyRequest;
use wex_domain::model::organisation::{DepartmentInput, OrganisationInput, SiteInput};
use wex_domain::model::participation::{HostFeedback, ParticipantFeedback};
use wex_domain::model::placement::PlacementDetails;
use wex_domain::model::profile::ProfileInput;
use wex_http::wire;

/// The demo, as data. Nothing in it is real: every name, code and address is made up.
pub const DEMO_JSON: &str = include_str!("../../demo/demo.json");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoFile {
    /// What the file is, for people reading it; not loaded.
    #[serde(default, rename = "_about")]
    _about: serde::de::IgnoredAny,
    pub organisations: Vec<DemoOrganisation>,
    pub applicants: Vec<DemoApplicant>,
}

impl DemoFile {
    pub fn parse() -> Result<DemoFile, String> {
        serde_json::from_str(DEMO_JSON).map_err(|e| format!("demo/demo.json: {e}"))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoOrganisation {
    /// Names the organisation's demo coordinator (`demo-coordinator-<key>`) and hosts.
    pub key: String,
    /// Where the organisation's work experience team is emailed.
    pub team_contact: Option<String>,
    #[serde(deserialize_with = "via::<_, wire::organisations::OrganisationInput, _>")]
    pub organisation: OrganisationInput,
    #[serde(deserialize_with = "via_all::<_, wire::organisations::SiteInput, _>")]
    pub sites: Vec<SiteInput>,
    pub departments: Vec<DemoDepartment>,
    pub placements: Vec<DemoPlacement>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoDepartment {
    /// The name of one of the organisation's sites (the input's `site_id`).
    #[serde(default)]
    pub site: Option<String>,
    #[serde(deserialize_with = "via::<_, wire::organisations::DepartmentInput, _>")]
    pub department: DepartmentInput,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoPlacement {
    /// How applicants' applications name it; not stored.
    pub key: String,
    /// The names of one of the organisation's sites and departments.
    #[serde(default)]
    pub site: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    /// False leaves it a draft.
    pub publish: bool,
    pub when: When,
    /// What happened to it, for a placement whose dates are over.
    #[serde(default)]
    pub history: Option<History>,
    /// A `PlacementDetails` without its ids and dates.
    pub details: Map<String, Value>,
}

/// A placement's dates, relative to the day the demo is loaded. Applications open at 08:00 and
/// close at 17:00 UTC, so "open" placements opened at least yesterday and close at least tomorrow,
/// whatever the time of day.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    pub opens_in_days: i64,
    pub closes_in_days: i64,
    pub outcome_days_after_closing: u64,
    /// It starts on the first of these weekdays at least a week after the outcome date...
    pub first_day: Day,
    /// ...and runs on this many weekdays.
    pub weekdays: u32,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
}

impl Day {
    fn weekday(self) -> Weekday {
        match self {
            Day::Monday => Weekday::Mon,
            Day::Tuesday => Weekday::Tue,
            Day::Wednesday => Weekday::Wed,
            Day::Thursday => Weekday::Thu,
            Day::Friday => Weekday::Fri,
        }
    }
}

/// How a past placement's selection and the placement itself went. Who is offered a place is up to
/// the draw, so the history says how many, not who: the first offers made are declined, the next
/// are left to expire, and the rest are accepted; the participants drawn last do not turn up.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct History {
    /// Closed this many days early by its coordinator, instead of at its closing time.
    #[serde(default)]
    pub closed_early_days_before_closing: Option<u64>,
    #[serde(default)]
    pub declines: usize,
    #[serde(default)]
    pub expiries: usize,
    #[serde(default)]
    pub no_shows: usize,
    pub hosts: Vec<DemoHost>,
    /// Given by the participants who completed, in draw order; any left over are not given.
    #[serde(deserialize_with = "via_all::<_, wire::participation::ParticipantFeedback, _>")]
    pub participant_feedback: Vec<ParticipantFeedback>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoHost {
    pub subject: String,
    #[serde(deserialize_with = "via::<_, wire::participation::HostFeedback, _>")]
    pub feedback: HostFeedback,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoApplicant {
    pub subject: String,
    /// Their age throughout the demo: they turned this age `birthday_days_ago` days before it is
    /// loaded (150 to 280, so the age holds for every date the demo uses).
    pub age: u32,
    pub birthday_days_ago: u64,
    /// When they created their profile (and gave any equality answers), in days from loading.
    pub registered_in_days: i64,
    /// A `ProfileInput` without its date of birth.
    pub profile: Map<String, Value>,
    /// Equality monitoring answers, as `PUT /v1/me/equality-answers` takes them.
    #[serde(default)]
    pub equality: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub applications: Vec<DemoApplication>,
}

#[derive(Debug, Deserialize)]
pub struct DemoApplication {
    pub placement: String,
    /// Withdrawn two days after applying, with this reason.
    #[serde(default)]
    pub withdraw: Option<String>,
    /// The rest of an `ApplyRequest` (answers, can_travel); the privacy notice is the current one.
    #[serde(flatten)]
    pub request: Map<String, Value>,
}

/// Reads a value in the API's own shape (`wex_http::wire`) and converts it to the domain's type,
/// parsing it as a request would be.
fn via<'de, D, W, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    W: Deserialize<'de> + TryInto<T>,
    W::Error: std::fmt::Debug,
{
    W::deserialize(d)?.try_into().map_err(|e| serde::de::Error::custom(format!("{e:?}")))
}

/// [`via`] for a list.
fn via_all<'de, D, W, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    W: Deserialize<'de> + TryInto<T>,
    W::Error: std::fmt::Debug,
{
    Vec::<W>::deserialize(d)?
        .into_iter()
        .map(|w| w.try_into().map_err(|e| serde::de::Error::custom(format!("{e:?}"))))
        .collect()
}

/// A defect in the demo file.
pub fn defect(what: impl std::fmt::Display) -> String {
    format!("demo data: {what}")
}

pub fn days_from(date: NaiveDate, days: i64) -> Result<NaiveDate, String> {
    let step = Days::new(days.unsigned_abs());
    let moved = if days >= 0 { date.checked_add_days(step) } else { date.checked_sub_days(step) };
    moved.ok_or_else(|| defect(format!("{date} {days:+} days")))
}

pub fn at(date: NaiveDate, hour: u32, minute: u32) -> Result<DateTime<Utc>, String> {
    NaiveTime::from_hms_opt(hour, minute, 0)
        .map(|t| date.and_time(t).and_utc())
        .ok_or_else(|| defect(format!("{date} at {hour}:{minute}")))
}

/// The dates of a placement loaded on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dates {
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub outcome_by: NaiveDate,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
}

impl When {
    pub fn dates(&self, today: NaiveDate) -> Result<Dates, String> {
        let opens_at = at(days_from(today, self.opens_in_days)?, 8, 0)?;
        let closes_at = at(days_from(today, self.closes_in_days)?, 17, 0)?;
        let outcome_by =
            days_from(closes_at.date_naive(), i64::try_from(self.outcome_days_after_closing).map_err(defect)?)?;
        let mut start_date = days_from(outcome_by, 7)?;
        while start_date.weekday() != self.first_day.weekday() {
            start_date = days_from(start_date, 1)?;
        }
        let mut end_date = start_date;
        let mut left = self.weekdays.saturating_sub(1);
        while left > 0 {
            end_date = days_from(end_date, 1)?;
            if !matches!(end_date.weekday(), Weekday::Sat | Weekday::Sun) {
                left -= 1;
            }
        }
        Ok(Dates { opens_at, closes_at, outcome_by, start_date, end_date })
    }
}

fn insert(map: &mut Map<String, Value>, key: &str, value: impl serde::Serialize) -> Result<(), String> {
    if map.contains_key(key) {
        return Err(defect(format!("`{key}` is set by the loader and must not be in the file")));
    }
    map.insert(key.to_string(), serde_json::to_value(value).map_err(defect)?);
    Ok(())
}

impl DemoPlacement {
    /// The details a coordinator would send, with these ids and dates.
    pub fn details(
        &self,
        dates: &Dates,
        site: Option<Uuid>,
        department: Option<Uuid>,
    ) -> Result<PlacementDetails, String> {
        let mut map = self.details.clone();
        insert(&mut map, "site_id", site)?;
        insert(&mut map, "department_id", department)?;
        insert(&mut map, "opens_at", dates.opens_at)?;
        insert(&mut map, "closes_at", dates.closes_at)?;
        insert(&mut map, "outcome_by", dates.outcome_by)?;
        insert(&mut map, "start_date", dates.start_date)?;
        insert(&mut map, "end_date", dates.end_date)?;
        serde_json::from_value::<wire::placements::PlacementDetails>(Value::Object(map))
            .map(Into::into)
            .map_err(|e| defect(format!("placement {}: {e}", self.key)))
    }
}

impl DemoApplicant {
    pub fn date_of_birth(&self, today: NaiveDate) -> Result<NaiveDate, String> {
        let birthday = days_from(today, -i64::try_from(self.birthday_days_ago).map_err(defect)?)?;
        birthday
            .checked_sub_months(Months::new(self.age.saturating_mul(12)))
            .ok_or_else(|| defect(format!("{}: no date of birth", self.subject)))
    }

    pub fn profile_input(&self, today: NaiveDate) -> Result<ProfileInput, String> {
        let mut map = self.profile.clone();
        insert(&mut map, "date_of_birth", self.date_of_birth(today)?)?;
        serde_json::from_value::<wire::profiles::ProfileInput>(Value::Object(map))
            .map_err(|e| defect(format!("applicant {}: {e}", self.subject)))?
            .parse(today)
            .map_err(|e| defect(format!("applicant {}: {e:?}", self.subject)))
    }
}

impl DemoApplication {
    pub fn request(&self) -> Result<ApplyRequest, String> {
        let mut map = self.request.clone();
        insert(&mut map, "privacy_notice_version", wex_domain::model::privacy::PRIVACY_NOTICE_VERSION)?;
        serde_json::from_value::<wire::applications::ApplyRequest>(Value::Object(map))
            .map(Into::into)
            .map_err(|e| defect(format!("application to {}: {e}", self.placement)))
    }
}
