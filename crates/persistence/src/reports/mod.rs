//! Report counts, computed in the database with grouped queries: nothing here loads a row per
//! application. The SQL is written out by hand (grouping and conditional counts vary by report)
//! and is the same on both backends apart from placeholders and two date functions.
//!
//! The service reads the counters (`counted.rs`), which the writes keep (`counters.rs`); the same
//! reports counted from the applications themselves (`scratch.rs`) are what the counters are
//! checked against, and what a rebuild of the counters starts from. The pieces both share are here.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use std::collections::BTreeMap;
use wex_domain::model::application::Stage;
use wex_domain::model::reference::{Region, UserGroup};
use wex_domain::model::reports::measures::{SupplyCount, TimelinessCount};
use wex_domain::model::reports::uptake::{FunnelCount, GroupValue, Grouping};
use wex_domain::ports::StoreResult;

mod counted;
pub(crate) mod counters;
mod delta;
mod freeze;
pub(crate) mod recount;
mod scratch;
mod sql;
mod t_level;

pub use scratch::FromScratch;

use crate::errors::{code, corrupt, json, uuid};
use crate::store::DbStore;
use sql::Sql;

#[derive(QueryableByName)]
struct FunnelRow {
    #[diesel(sql_type = Nullable<Text>)]
    region: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    k1: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    k2: Option<String>,
    #[diesel(sql_type = BigInt)]
    s0: i64,
    #[diesel(sql_type = BigInt)]
    s1: i64,
    #[diesel(sql_type = BigInt)]
    s2: i64,
    #[diesel(sql_type = BigInt)]
    s3: i64,
    #[diesel(sql_type = BigInt)]
    s4: i64,
    #[diesel(sql_type = BigInt)]
    s5: i64,
}

#[derive(QueryableByName)]
struct KeyCount {
    #[diesel(sql_type = Nullable<Text>)]
    k: Option<String>,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct TimelinessRow {
    #[diesel(sql_type = Text)]
    organisation_id: String,
    #[diesel(sql_type = Text)]
    organisation_name: String,
    #[diesel(sql_type = Text)]
    month: String,
    #[diesel(sql_type = BigInt)]
    on_time: i64,
    #[diesel(sql_type = BigInt)]
    late: i64,
    #[diesel(sql_type = BigInt)]
    overdue: i64,
}

#[derive(QueryableByName)]
struct Counts2 {
    #[diesel(sql_type = Nullable<Text>)]
    k: Option<String>,
    #[diesel(sql_type = BigInt)]
    a: i64,
    #[diesel(sql_type = BigInt)]
    b: i64,
}

fn n(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// An application (`a`) reached `stage` of the funnel or a later one.
fn reached(stage: Stage) -> String {
    format!("a.stage_reached >= {}", stage.index())
}

/// `COUNT` of the rows whose condition holds, portable to both backends.
fn count_if(condition: &str) -> String {
    format!("COUNT(CASE WHEN {condition} THEN 1 END)")
}

/// Joins an application's characteristics as frozen at the draw, if it has been frozen.
const FROZEN: &str = " LEFT JOIN report_characteristics rc ON rc.application_id = a.id";

/// What reports count an application by: as frozen at its placement's draw once there is one
/// (so later changes and erasure leave the figures as they were), the applicant's current value
/// before (equality answers are often given after applying). A frozen application without a
/// frozen answer was not answered then: the current answer does not stand in for it.
fn frozen_or_current(frozen: &str, current: &str) -> String {
    frozen_or_current_if("rc.application_id IS NOT NULL", frozen, current)
}

/// [`frozen_or_current`], with `is_frozen` telling whether the application was frozen (the
/// counters look the characteristics up rather than join them as `rc`).
fn frozen_or_current_if(is_frozen: &str, frozen: &str, current: &str) -> String {
    format!("CASE WHEN {is_frozen} THEN {frozen} ELSE {current} END")
}

fn single(rows: Vec<KeyCount>) -> u64 {
    rows.first().map_or(0, |r| n(r.n))
}

impl DbStore {
    /// Writes one query for this connection's backend and loads its grouped rows.
    fn grouped<R>(&self, write: impl FnOnce(&mut Sql)) -> StoreResult<Vec<R>>
    where
        R: QueryableByName<diesel::pg::Pg> + QueryableByName<diesel::sqlite::Sqlite> + 'static,
    {
        self.with_conn(|c| {
            let mut sql = Sql::new(c);
            write(&mut sql);
            sql.load(c)
        })
    }
}

fn user_groups(stored: Option<&str>) -> StoreResult<Vec<UserGroup>> {
    json("user groups", stored.unwrap_or("[]"))
}

/// Joins what the profile breakdowns read: the frozen characteristics, then the profile.
fn profile_joins(sql: &mut Sql) {
    sql.push(FROZEN).push(" LEFT JOIN applicant_profiles pr ON pr.id = a.profile_id");
}

/// The keys of an answers breakdown: the answer to the first question, and to the second if
/// there is one (`f1`/`q1` and `f2`/`q2` of [`answer_joins`]).
fn answer_keys(questions: &[&str]) -> (String, Option<String>) {
    let k1 = frozen_or_current("f1.answer", "q1.answer");
    let k2 = (questions.len() > 1).then(|| frozen_or_current("f2.answer", "q2.answer"));
    (k1, k2)
}

/// Joins the frozen characteristics and, for each question (at most two), the current answer
/// (`q1`, `q2`) and the frozen one (`f1`, `f2`).
fn answer_joins(sql: &mut Sql, questions: &[&str]) {
    sql.push(FROZEN);
    for (i, q) in questions.iter().enumerate().take(2) {
        let (now, then) = (format!("q{}", i + 1), format!("f{}", i + 1));
        sql.push(&format!(
            " LEFT JOIN equality_answers {now} ON {now}.profile_id = a.profile_id AND {now}.question = "
        ))
        .text_param(q)
        .push(&format!(" LEFT JOIN report_answers {then} ON {then}.application_id = a.id AND {then}.question = "))
        .text_param(q);
    }
}

/// The answer to `question` that reports count an application (`a`) by
/// ([`frozen_or_current_if`] `is_frozen`), each looked up by key in a subquery instead of joined:
/// for the counters' recounts, whose plans must not depend on the tables' sizes (see
/// [`counters`]). The question is one of the domain's codes, never input; it is quoted as a
/// literal all the same.
fn answer_of(is_frozen: &str, question: &str) -> String {
    let q = question.replace('\'', "''");
    frozen_or_current_if(
        is_frozen,
        &format!("(SELECT f.answer FROM report_answers f WHERE f.application_id = a.id AND f.question = '{q}')"),
        &format!("(SELECT q.answer FROM equality_answers q WHERE q.profile_id = a.profile_id AND q.question = '{q}')"),
    )
}

/// The domain's counts from grouped rows: `k1` (and `k2`) as [`FunnelRow`] documents per grouping.
fn funnel_counts(grouping: Grouping, rows: Vec<FunnelRow>) -> StoreResult<Vec<FunnelCount>> {
    rows.into_iter()
        .map(|r| {
            let value = match grouping {
                Grouping::UserGroups => GroupValue::UserGroups(user_groups(r.k1.as_deref())?),
                Grouping::CareExperienced => GroupValue::Care {
                    answer: r.k1.as_deref().map(|v| v == "yes"),
                    in_group: user_groups(r.k2.as_deref())?.contains(&UserGroup::CareExperienced),
                },
                Grouping::Age => GroupValue::Age(
                    r.k1.as_deref().and_then(|v| v.parse().ok()).ok_or_else(|| corrupt("age", "not a number"))?,
                ),
                Grouping::Answers(_) => GroupValue::Answers(vec![r.k1, r.k2]),
            };
            let region = r.region.as_deref().map(|v| code("region", v, Region::parse)).transpose()?;
            Ok(FunnelCount { region, value, reached: [n(r.s0), n(r.s1), n(r.s2), n(r.s3), n(r.s4), n(r.s5)] })
        })
        .collect()
}

fn timeliness_counts(rows: Vec<TimelinessRow>) -> StoreResult<Vec<TimelinessCount>> {
    rows.into_iter()
        .filter(|r| r.on_time + r.late + r.overdue > 0)
        .map(|r| {
            Ok(TimelinessCount {
                organisation_id: uuid(&r.organisation_id)?,
                organisation_name: r.organisation_name,
                month: r.month,
                on_time: n(r.on_time),
                late: n(r.late),
                overdue: n(r.overdue),
            })
        })
        .collect()
}

/// Supply rows from placements and places by category (`a`, `b` of `places`) and applications and
/// places filled (`a`, `b` of `demand`); a category with demand but no supply is not shown.
fn supply_counts(places: Vec<Counts2>, demand: Vec<Counts2>) -> Vec<SupplyCount> {
    let mut out: BTreeMap<String, SupplyCount> = BTreeMap::new();
    for r in places {
        let category = r.k.unwrap_or_default();
        out.insert(
            category.clone(),
            SupplyCount { category, placements: n(r.a), places: n(r.b), applications: 0, filled: 0 },
        );
    }
    for r in demand {
        if let Some(row) = out.get_mut(&r.k.unwrap_or_default()) {
            row.applications = n(r.a);
            row.filled = n(r.b);
        }
    }
    out.into_values().collect()
}
