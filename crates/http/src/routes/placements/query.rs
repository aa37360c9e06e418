//! The search query: its filters, how they are checked, and the page cursor.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;
use wex_domain::model::placement::{PlacementCursor, PlacementFilter};
use wex_domain::model::postcode::PostcodeDistrict;
use wex_domain::model::reference::{Delivery, PlacementKind, PlacementStatus, Region, Specialty, UserGroup};

use crate::extract::query_value;
use crate::problem::ApiResult;
use crate::wire::codes;

/// Search filters. Every filter narrows the result; results are sorted by closing time.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words to find in the title or description (at most 200 characters).
    #[param(example = "physiotherapy", max_length = 200)]
    pub q: Option<String>,
    #[param(value_type = Option<codes::Specialty>)]
    pub specialty: Option<String>,
    #[param(value_type = Option<codes::PlacementKind>)]
    pub kind: Option<String>,
    #[param(value_type = Option<codes::Delivery>)]
    pub delivery: Option<String>,
    #[param(value_type = Option<codes::Region>)]
    pub region: Option<String>,
    #[param(value_type = Option<Uuid>)]
    pub organisation_id: Option<String>,
    /// Placements this user group may apply to.
    #[param(value_type = Option<codes::UserGroup>)]
    pub user_group: Option<String>,
    /// Placements someone of this age (1 to 120) on the start date may apply to.
    #[param(value_type = Option<u8>, minimum = 1, maximum = 120, example = 15)]
    pub age: Option<String>,
    /// `true`: only placements taking applications now.
    #[param(value_type = Option<bool>)]
    pub open_now: Option<String>,
    /// Earliest start date (YYYY-MM-DD).
    #[param(value_type = Option<NaiveDate>)]
    pub start_from: Option<String>,
    /// Latest start date (YYYY-MM-DD).
    #[param(value_type = Option<NaiveDate>)]
    pub start_to: Option<String>,
    /// Placements someone living in this postcode district (such as `SO16`) may apply to.
    #[param(example = "SO16", pattern = r"^ *[A-Za-z]{1,2}[0-9][A-Za-z0-9]? *$")]
    pub postcode_district: Option<String>,
    /// `published` (default), `closed`, `allocated`, `completed` or `cancelled`; `draft` only with the
    /// `organisation_id` of an organisation you coordinate.
    #[param(value_type = Option<codes::PlacementStatus>)]
    pub status: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
    /// `next_cursor` from the previous page; empty or absent for the first page.
    pub cursor: Option<String>,
}

fn code_hint<T: Copy>(all: &[T], code: impl Fn(T) -> &'static str) -> String {
    let codes: Vec<&str> = all.iter().map(|v| code(*v)).collect();
    format!("Use one of: {}.", codes.join(", "))
}

impl SearchQuery {
    pub(super) fn filter(&self) -> ApiResult<PlacementFilter> {
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let date_hint = "Use a date as YYYY-MM-DD.";
        Ok(PlacementFilter {
            text: query_value(
                "q",
                self.q.as_deref(),
                |t| (t.chars().count() <= 200).then(|| t.to_string()),
                "Search for at most 200 characters.",
            )?,
            specialty: query_value(
                "specialty",
                self.specialty.as_deref(),
                Specialty::parse,
                &code_hint(Specialty::ALL, Specialty::code),
            )?,
            kind: query_value(
                "kind",
                self.kind.as_deref(),
                PlacementKind::parse,
                &code_hint(PlacementKind::ALL, PlacementKind::code),
            )?,
            delivery: query_value(
                "delivery",
                self.delivery.as_deref(),
                Delivery::parse,
                &code_hint(Delivery::ALL, Delivery::code),
            )?,
            region: query_value(
                "region",
                self.region.as_deref(),
                Region::parse,
                &code_hint(Region::ALL, Region::code),
            )?,
            organisation_id: query_value(
                "organisation_id",
                self.organisation_id.as_deref(),
                |s| Uuid::parse_str(s).ok(),
                "Use an organisation id (a UUID).",
            )?,
            user_group: query_value(
                "user_group",
                self.user_group.as_deref(),
                UserGroup::parse,
                &code_hint(UserGroup::ALL, UserGroup::code),
            )?,
            age: query_value(
                "age",
                self.age.as_deref(),
                |s| s.parse::<u8>().ok().filter(|a| (1..=120).contains(a)),
                "Use a whole number of years from 1 to 120.",
            )?,
            open_now: query_value(
                "open_now",
                self.open_now.as_deref(),
                |s| s.parse::<bool>().ok(),
                "Use true or false.",
            )?
            .unwrap_or(false),
            start_from: query_value("start_from", self.start_from.as_deref(), date, date_hint)?,
            start_to: query_value("start_to", self.start_to.as_deref(), date, date_hint)?,
            postcode_district: query_value(
                "postcode_district",
                self.postcode_district.as_deref(),
                PostcodeDistrict::parse,
                "Use a postcode district: the first part of a postcode, such as SO16.",
            )?,
            status: query_value(
                "status",
                self.status.as_deref(),
                PlacementStatus::parse,
                &code_hint(PlacementStatus::ALL, PlacementStatus::code),
            )?
            .unwrap_or_default(),
        })
    }
}

pub(super) fn cursor_text(c: &PlacementCursor) -> String {
    format!("{}|{}", c.closes_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true), c.id)
}

pub(super) fn parse_cursor(text: &str) -> Option<PlacementCursor> {
    let (at, id) = text.split_once('|')?;
    Some(PlacementCursor {
        closes_at: DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc),
        id: Uuid::parse_str(id).ok()?,
    })
}
