//! Report counts, computed in the database with grouped queries: nothing here loads a row per
//! application. The SQL is written out by hand (grouping and conditional counts vary by report)
//! and is the same on both backends apart from placeholders and two date functions.

use chrono::{NaiveDate, NaiveTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use std::collections::BTreeMap;
use wex_domain::model::application::Stage;
use wex_domain::model::reference::{Region, UserGroup};
use wex_domain::model::reports::ReportFilter;
use wex_domain::model::reports::counting::Counting;
use wex_domain::model::reports::measures::{
    FeedbackCounts, ImplementationCounts, SupplyBy, SupplyCount, TimelinessCount,
};
use wex_domain::model::reports::uptake::{FunnelCount, GroupValue, Grouping};
use wex_domain::ports::{ReportStore, StoreResult};

mod freeze;
mod sql;
mod t_level;

use crate::errors::{code, corrupt, json, uuid};
use crate::store::DbStore;
use sql::{Bind, Sql};

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
    format!("CASE WHEN rc.application_id IS NOT NULL THEN {frozen} ELSE {current} END")
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

impl ReportStore for DbStore {
    fn funnel_counts(
        &self,
        grouping: Grouping,
        filter: &ReportFilter,
        by_region: bool,
    ) -> StoreResult<Vec<FunnelCount>> {
        let rows: Vec<FunnelRow> = self.grouped(|sql| {
            let user_groups = frozen_or_current("rc.user_groups", "pr.user_groups");
            let (k1, k2) = match grouping {
                Grouping::UserGroups => (user_groups, None),
                Grouping::CareExperienced => {
                    let care = frozen_or_current("rc.care_experienced", "pr.care_experienced");
                    (format!("CASE WHEN {care} THEN 'yes' WHEN NOT ({care}) THEN 'no' END"), Some(user_groups))
                }
                Grouping::Age => ("CAST(a.applicant_age AS TEXT)".to_string(), None),
                Grouping::Answers([_]) => (frozen_or_current("f1.answer", "q1.answer"), None),
                Grouping::Answers(_) => {
                    (frozen_or_current("f1.answer", "q1.answer"), Some(frozen_or_current("f2.answer", "q2.answer")))
                }
            };
            let region = if by_region { "o.region" } else { "CAST(NULL AS TEXT)" };
            sql.push(&format!(
                "SELECT {region} AS region, {k1} AS k1, {} AS k2, COUNT(*) AS s0",
                k2.as_deref().unwrap_or("CAST(NULL AS TEXT)")
            ));
            // Each application counts towards every stage up to the furthest it reached.
            for stage in &Stage::ALL[1..] {
                sql.push(&format!(", {} AS s{}", count_if(&reached(*stage)), stage.index()));
            }
            sql.over_applications();
            match grouping {
                Grouping::UserGroups | Grouping::CareExperienced => {
                    sql.push(FROZEN).push(" LEFT JOIN applicant_profiles pr ON pr.id = a.profile_id");
                }
                Grouping::Age => {}
                Grouping::Answers(questions) => {
                    sql.push(FROZEN);
                    for (i, q) in questions.iter().enumerate().take(2) {
                        let (now, then) = (format!("q{}", i + 1), format!("f{}", i + 1));
                        sql.push(&format!(
                            " LEFT JOIN equality_answers {now} ON {now}.profile_id = a.profile_id AND {now}.question = "
                        ))
                        .text_param(q)
                        .push(&format!(
                            " LEFT JOIN report_answers {then} ON {then}.application_id = a.id AND {then}.question = "
                        ))
                        .text_param(q);
                    }
                }
            }
            sql.filtered(filter);
            let mut group = vec![k1];
            group.extend(k2);
            if by_region {
                group.push("o.region".to_string());
            }
            sql.push(&format!(" GROUP BY {}", group.join(", ")));
        })?;
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

    fn people(&self, filter: &ReportFilter) -> StoreResult<u64> {
        Ok(single(self.grouped(|sql| {
            sql.push("SELECT CAST(NULL AS TEXT) AS k, COUNT(DISTINCT a.profile_id) AS n")
                .over_applications()
                .filtered(filter);
        })?))
    }

    fn timeliness_counts(
        &self,
        filter: &ReportFilter,
        counting: &Counting,
        today: NaiveDate,
    ) -> StoreResult<Vec<TimelinessCount>> {
        let rows: Vec<TimelinessRow> = self.grouped(|sql| {
            let decided = sql.date_of("a.outcome_at");
            let month = sql.month_of("a.outcome_expected_by");
            sql.push(&format!(
                "SELECT o.id AS organisation_id, o.name AS organisation_name, {month} AS month, {} AS on_time, {} AS late, ",
                count_if(&format!("a.outcome_at IS NOT NULL AND {decided} <= a.outcome_expected_by")),
                count_if(&format!("a.outcome_at IS NOT NULL AND {decided} > a.outcome_expected_by")),
            ))
            .push("COUNT(CASE WHEN a.outcome_at IS NULL AND ")
            .one_of("a.status", counting.awaiting_outcome.iter().map(|s| s.code()))
            .push(" AND a.outcome_expected_by < ")
            .bind(Bind::Date(today))
            .push(" THEN 1 END) AS overdue")
            .over_applications()
            .filtered(filter)
            .push(&format!(" GROUP BY o.id, o.name, {month} ORDER BY o.name, o.id, {month}"));
        })?;
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

    fn supply_counts(&self, by: SupplyBy, filter: &ReportFilter, counting: &Counting) -> StoreResult<Vec<SupplyCount>> {
        let column = match by {
            SupplyBy::Specialty => "p.specialty",
            SupplyBy::Region => "o.region",
            SupplyBy::Kind => "p.kind",
        };
        let in_supply = |sql: &mut Sql| {
            sql.push(" AND p.published_at IS NOT NULL AND NOT ")
                .one_of("p.status", counting.withdrawn_from_supply.iter().map(|s| s.code()));
        };
        let places: Vec<Counts2> = self.grouped(|sql| {
            sql.push(&format!(
                "SELECT {column} AS k, COUNT(*) AS a, CAST(COALESCE(SUM(p.capacity), 0) AS BIGINT) AS b"
            ))
            .over_placements()
            .filtered(filter);
            in_supply(sql);
            sql.push(&format!(" GROUP BY {column}"));
        })?;
        let demand: Vec<Counts2> = self.grouped(|sql| {
            sql.push(&format!("SELECT {column} AS k, COUNT(*) AS a, {} AS b", count_if(&reached(counting.filled))))
                .over_applications()
                .filtered(filter);
            in_supply(sql);
            sql.push(&format!(" GROUP BY {column}"));
        })?;
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
        Ok(out.into_values().collect())
    }

    fn t_level_counts(
        &self,
        by: SupplyBy,
        filter: &ReportFilter,
        counting: &Counting,
    ) -> StoreResult<(Vec<wex_domain::model::reports::t_level::TLevelCount>, u64)> {
        self.t_level_measures(by, filter, counting)
    }

    fn implementation_counts(&self, filter: &ReportFilter, counting: &Counting) -> StoreResult<ImplementationCounts> {
        let registered = self.grouped(|sql| {
            sql.push("SELECT CAST(NULL AS TEXT) AS k, COUNT(*) AS n FROM applicant_profiles WHERE 1 = 1");
            if let Some(from) = filter.from {
                sql.push(" AND created_at >= ").bind(Bind::Timestamp(from.and_time(NaiveTime::MIN)));
            }
            if let Some(next) = filter.to.and_then(|d| d.succ_opt()) {
                sql.push(" AND created_at < ").bind(Bind::Timestamp(next.and_time(NaiveTime::MIN)));
            }
        })?;
        let published: Vec<Counts2> = self.grouped(|sql| {
            sql.push("SELECT CAST(NULL AS TEXT) AS k, COUNT(DISTINCT p.organisation_id) AS a, COUNT(*) AS b")
                .over_placements()
                .filtered(filter)
                .push(" AND p.published_at IS NOT NULL");
        })?;
        let any_reached = |stage: Stage| {
            format!(" AND EXISTS (SELECT 1 FROM applications a WHERE a.placement_id = p.id AND {})", reached(stage))
        };
        let hosts = self.grouped(|sql| {
            sql.push("SELECT CAST(NULL AS TEXT) AS k, COUNT(DISTINCT h.subject) AS n")
                .over_placements()
                .push(" JOIN placement_hosts h ON h.placement_id = p.id")
                .filtered(filter)
                .push(&any_reached(counting.hosted));
        })?;
        let completed = self.grouped(|sql| {
            sql.push("SELECT CAST(NULL AS TEXT) AS k, COUNT(*) AS n")
                .over_placements()
                .filtered(filter)
                .push(&any_reached(counting.completed));
        })?;
        let pre_module: Vec<Counts2> = self.grouped(|sql| {
            sql.push(&format!(
                "SELECT CAST(NULL AS TEXT) AS k, COUNT(f.completed_pre_module) AS a, {} AS b",
                count_if("f.completed_pre_module")
            ))
            .over_applications()
            .push(" JOIN participant_feedback f ON f.application_id = a.id")
            .filtered(filter);
        })?;
        let (orgs, placements) = published.first().map_or((0, 0), |r| (n(r.a), n(r.b)));
        let (answered, yes) = pre_module.first().map_or((0, 0), |r| (n(r.a), n(r.b)));
        Ok(ImplementationCounts {
            registered_applicants: single(registered),
            applicants: self.people(filter)?,
            organisations_with_published_placements: orgs,
            published_placements: placements,
            hosts_who_hosted: single(hosts),
            placements_completed: single(completed),
            pre_module_answered: answered,
            pre_module_completed: yes,
        })
    }

    fn feedback_counts(&self, filter: &ReportFilter) -> StoreResult<FeedbackCounts> {
        let participants = |key: &str, condition: &str| {
            let (key, condition) = (key.to_string(), condition.to_string());
            self.grouped::<KeyCount>(move |sql| {
                sql.push(&format!("SELECT {key} AS k, COUNT(*) AS n"))
                    .over_applications()
                    .push(" JOIN participant_feedback f ON f.application_id = a.id")
                    .filtered(filter)
                    .push(&condition)
                    .push(" GROUP BY 1");
            })
        };
        let hosts = |key: &str| {
            let key = key.to_string();
            self.grouped::<KeyCount>(move |sql| {
                sql.push(&format!("SELECT {key} AS k, COUNT(*) AS n"))
                    .over_placements()
                    .push(" JOIN host_feedback h ON h.placement_id = p.id")
                    .filtered(filter)
                    .push(" GROUP BY 1");
            })
        };
        let mut out = FeedbackCounts::default();
        let tag = |question: &str, rows: Vec<KeyCount>| -> Vec<(String, String, u64)> {
            rows.into_iter().map(|r| (question.to_string(), r.k.unwrap_or_default(), n(r.n))).collect()
        };
        out.participants.extend(tag("more_likely_to_consider", participants("f.more_likely", "")?));
        // Agreement answers are a JSON object per response: grouped by the whole object, then split.
        for r in participants("f.agreement", "")? {
            let answers: BTreeMap<String, String> = json("feedback agreement", r.k.as_deref().unwrap_or("{}"))?;
            out.participants.extend(answers.into_iter().map(|(q, a)| (q, a, n(r.n))));
        }
        out.participants.extend(tag(
            "completed_pre_module",
            participants(
                "CASE WHEN f.completed_pre_module THEN 'yes' ELSE 'no' END",
                " AND f.completed_pre_module IS NOT NULL",
            )?,
        ));
        out.hosts.extend(tag("would_host_again", hosts("CASE WHEN h.would_host_again THEN 'yes' ELSE 'no' END")?));
        out.hosts.extend(tag("felt_recognised", hosts("h.felt_recognised")?));
        Ok(out)
    }
}

fn user_groups(stored: Option<&str>) -> StoreResult<Vec<UserGroup>> {
    json("user groups", stored.unwrap_or("[]"))
}
