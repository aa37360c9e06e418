//! The reports counted from the applications themselves: what the counters must always equal
//! (a property test compares them), and what `FromScratch` gives a benchmark to compare with.

use chrono::{NaiveDate, NaiveTime};
use std::collections::BTreeMap;
use wex_domain::model::application::Stage;
use wex_domain::model::reports::ReportFilter;
use wex_domain::model::reports::counting::Counting;
use wex_domain::model::reports::measures::{
    FeedbackCounts, ImplementationCounts, SupplyBy, SupplyCount, TimelinessCount,
};
use wex_domain::model::reports::uptake::{FunnelCount, Grouping};
use wex_domain::ports::{ReportStore, StoreResult};

use super::sql::{Bind, Sql};
use super::{
    Counts2, FunnelRow, KeyCount, TimelinessRow, answer_joins, answer_keys, count_if, frozen_or_current, funnel_counts,
    n, profile_joins, reached, single, supply_counts, timeliness_counts,
};
use crate::errors::json;
use crate::store::DbStore;

/// The reports counted from scratch over the applications, not from the counters.
pub struct FromScratch<'a>(pub &'a DbStore);

/// The column a supply report groups placements by.
pub(super) fn supply_column(by: SupplyBy) -> &'static str {
    match by {
        SupplyBy::Specialty => "p.specialty",
        SupplyBy::Region => "o.region",
        SupplyBy::Kind => "p.kind",
    }
}

/// Placements in supply: published, and not withdrawn from it.
pub(super) fn in_supply(sql: &mut Sql, counting: &Counting) {
    sql.push(" AND p.published_at IS NOT NULL AND NOT ")
        .one_of("p.status", counting.withdrawn_from_supply.iter().map(|s| s.code()));
}

impl FromScratch<'_> {
    /// Placements in supply and their places, by category.
    pub(super) fn supply_places(
        &self,
        by: SupplyBy,
        filter: &ReportFilter,
        counting: &Counting,
    ) -> StoreResult<Vec<Counts2>> {
        let column = supply_column(by);
        self.0.grouped(|sql| {
            sql.push(&format!(
                "SELECT {column} AS k, COUNT(*) AS a, CAST(COALESCE(SUM(p.capacity), 0) AS BIGINT) AS b"
            ))
            .over_placements()
            .filtered(filter);
            in_supply(sql, counting);
            sql.push(&format!(" GROUP BY {column}"));
        })
    }
}

impl ReportStore for FromScratch<'_> {
    fn funnel_counts(
        &self,
        grouping: Grouping,
        filter: &ReportFilter,
        by_region: bool,
    ) -> StoreResult<Vec<FunnelCount>> {
        let rows: Vec<FunnelRow> = self.0.grouped(|sql| {
            let user_groups = frozen_or_current("rc.user_groups", "pr.user_groups");
            let (k1, k2) = match grouping {
                Grouping::UserGroups => (user_groups, None),
                Grouping::CareExperienced => {
                    let care = frozen_or_current("rc.care_experienced", "pr.care_experienced");
                    (format!("CASE WHEN {care} THEN 'yes' WHEN NOT ({care}) THEN 'no' END"), Some(user_groups))
                }
                Grouping::Age => ("CAST(a.applicant_age AS TEXT)".to_string(), None),
                Grouping::Answers(questions) => answer_keys(questions),
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
                Grouping::UserGroups | Grouping::CareExperienced => profile_joins(sql),
                Grouping::Age => {}
                Grouping::Answers(questions) => answer_joins(sql, questions),
            }
            sql.filtered(filter);
            let mut group = vec![k1];
            group.extend(k2);
            if by_region {
                group.push("o.region".to_string());
            }
            sql.push(&format!(" GROUP BY {}", group.join(", ")));
        })?;
        funnel_counts(grouping, rows)
    }

    fn people(&self, filter: &ReportFilter) -> StoreResult<u64> {
        Ok(single(self.0.grouped(|sql| {
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
        let rows: Vec<TimelinessRow> = self.0.grouped(|sql| {
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
        timeliness_counts(rows)
    }

    fn supply_counts(&self, by: SupplyBy, filter: &ReportFilter, counting: &Counting) -> StoreResult<Vec<SupplyCount>> {
        let places = self.supply_places(by, filter, counting)?;
        let column = supply_column(by);
        let demand: Vec<Counts2> = self.0.grouped(|sql| {
            sql.push(&format!("SELECT {column} AS k, COUNT(*) AS a, {} AS b", count_if(&reached(counting.filled))))
                .over_applications()
                .filtered(filter);
            in_supply(sql, counting);
            sql.push(&format!(" GROUP BY {column}"));
        })?;
        Ok(supply_counts(places, demand))
    }

    fn t_level_counts(
        &self,
        by: SupplyBy,
        filter: &ReportFilter,
        counting: &Counting,
    ) -> StoreResult<(Vec<wex_domain::model::reports::t_level::TLevelCount>, u64)> {
        self.0.t_level_measures(by, filter, counting)
    }

    fn implementation_counts(&self, filter: &ReportFilter, counting: &Counting) -> StoreResult<ImplementationCounts> {
        let people = People { registered: registered(self.0, filter)?, applicants: self.people(filter)? };
        implementation(self.0, people, filter, counting, |stage| {
            format!(" AND EXISTS (SELECT 1 FROM applications a WHERE a.placement_id = p.id AND {})", reached(stage))
        })
    }

    fn application_bounds(&self, filter: &ReportFilter) -> StoreResult<(u64, u64)> {
        let rows: Vec<Counts2> = self.0.grouped(|sql| {
            sql.push(
                "SELECT CAST(NULL AS TEXT) AS k, CAST(COALESCE(SUM(x.c), 0) AS BIGINT) AS a, \
                 CAST(COALESCE(MAX(x.c), 0) AS BIGINT) AS b FROM (SELECT COUNT(*) AS c",
            )
            .over_applications()
            .filtered(filter)
            .push(" GROUP BY a.placement_id) x");
        })?;
        Ok(rows.first().map_or((0, 0), |r| (n(r.a), n(r.b))))
    }

    fn feedback_counts(&self, filter: &ReportFilter) -> StoreResult<FeedbackCounts> {
        let participants = |key: &str, condition: &str| {
            let (key, condition) = (key.to_string(), condition.to_string());
            self.0.grouped::<KeyCount>(move |sql| {
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
            self.0.grouped::<KeyCount>(move |sql| {
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

/// Applicant profiles created in the filter's period (all time without one), across the platform.
pub(super) fn registered(store: &DbStore, filter: &ReportFilter) -> StoreResult<u64> {
    Ok(single(store.grouped(|sql| {
        sql.push("SELECT CAST(NULL AS TEXT) AS k, COUNT(*) AS n FROM applicant_profiles WHERE 1 = 1");
        if let Some(from) = filter.from {
            sql.push(" AND created_at >= ").bind(Bind::Timestamp(from.and_time(NaiveTime::MIN)));
        }
        if let Some(next) = filter.to.and_then(|d| d.succ_opt()) {
            sql.push(" AND created_at < ").bind(Bind::Timestamp(next.and_time(NaiveTime::MIN)));
        }
    })?))
}

/// People counted for the implementation measures: profiles registered in the period, and the
/// different people who applied to the placements the filter selects.
pub(super) struct People {
    pub(super) registered: u64,
    pub(super) applicants: u64,
}

/// The implementation measures, with `people` counted by the caller and
/// `any_reached(stage)` the condition (on placement `p`) that one of its applications reached the
/// stage: from the applications, or from the counters.
pub(super) fn implementation(
    store: &DbStore,
    people: People,
    filter: &ReportFilter,
    counting: &Counting,
    any_reached: impl Fn(Stage) -> String,
) -> StoreResult<ImplementationCounts> {
    let published: Vec<Counts2> = store.grouped(|sql| {
        sql.push("SELECT CAST(NULL AS TEXT) AS k, COUNT(DISTINCT p.organisation_id) AS a, COUNT(*) AS b")
            .over_placements()
            .filtered(filter)
            .push(" AND p.published_at IS NOT NULL");
    })?;
    let hosts = store.grouped(|sql| {
        sql.push("SELECT CAST(NULL AS TEXT) AS k, COUNT(DISTINCT h.subject) AS n")
            .over_placements()
            .push(" JOIN placement_hosts h ON h.placement_id = p.id")
            .filtered(filter)
            .push(&any_reached(counting.hosted));
    })?;
    let completed = store.grouped(|sql| {
        sql.push("SELECT CAST(NULL AS TEXT) AS k, COUNT(*) AS n")
            .over_placements()
            .filtered(filter)
            .push(&any_reached(counting.completed));
    })?;
    let pre_module: Vec<Counts2> = store.grouped(|sql| {
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
        registered_applicants: people.registered,
        applicants: people.applicants,
        organisations_with_published_placements: orgs,
        published_placements: placements,
        hosts_who_hosted: single(hosts),
        placements_completed: single(completed),
        pre_module_answered: answered,
        pre_module_completed: yes,
    })
}
