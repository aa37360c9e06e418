//! The reports the service serves, read from the counters (`counters.rs`): a national report sums
//! a few rows per placement instead of counting every application. What the counters do not hold
//! (registrations, feedback, different people for some placements only) is counted as before
//! ([`FromScratch`]).

use chrono::NaiveDate;
use wex_domain::model::application::Stage;
use wex_domain::model::reports::ReportFilter;
use wex_domain::model::reports::counting::{COUNTING, Counting};
use wex_domain::model::reports::measures::{
    FeedbackCounts, ImplementationCounts, SupplyBy, SupplyCount, TimelinessCount,
};
use wex_domain::model::reports::t_level::TLevelCount;
use wex_domain::model::reports::uptake::{FunnelCount, Grouping};
use wex_domain::ports::{ReportStore, StoreResult};

use super::counters::{ALL, AWAITING, LATE, ON_TIME, TIMELINESS, breakdown_of};
use super::scratch::{People, implementation};
use super::sql::{Bind, Sql};
use super::{Counts2, FromScratch, FunnelRow, TimelinessRow, funnel_counts, n, supply_counts, timeliness_counts};
use crate::store::DbStore;

impl DbStore {
    /// Applicant profiles created in the filter's period, across the platform: a sum over the
    /// days of `report_registrations` (a period is whole days, from 00:00 UTC on `from` to the end
    /// of `to`).
    fn registered(&self, filter: &ReportFilter) -> StoreResult<u64> {
        Ok(super::single(self.grouped(|sql| {
            sql.push(
                "SELECT CAST(NULL AS TEXT) AS k, CAST(COALESCE(SUM(profiles), 0) AS BIGINT) AS n \
                 FROM report_registrations WHERE 1 = 1",
            );
            if let Some(from) = filter.from {
                sql.push(" AND day >= ").bind(Bind::Date(from));
            }
            if let Some(to) = filter.to {
                sql.push(" AND day <= ").bind(Bind::Date(to));
            }
        })?))
    }
}

/// `FROM` the counters of one breakdown, joined to their placement and organisation, filtered.
fn counters_of(sql: &mut Sql, breakdown: &str, filter: &ReportFilter) {
    sql.push(" FROM report_funnel rf JOIN placements p ON p.id = rf.placement_id")
        .push(" JOIN organisations o ON o.id = p.organisation_id")
        .filtered(filter)
        .push(" AND rf.breakdown = ")
        .text_param(breakdown);
}

/// `SUM` of a counter column as a BIGINT (PostgreSQL sums BIGINTs as NUMERIC).
fn sum(column: &str) -> String {
    format!("CAST(COALESCE(SUM({column}), 0) AS BIGINT)")
}

impl ReportStore for DbStore {
    fn funnel_counts(
        &self,
        grouping: Grouping,
        filter: &ReportFilter,
        by_region: bool,
    ) -> StoreResult<Vec<FunnelCount>> {
        // The profile breakdown's keys are (care experienced, user groups).
        let (k1, k2) = match grouping {
            Grouping::UserGroups => ("rf.k2", None),
            Grouping::CareExperienced => ("rf.k1", Some("rf.k2")),
            Grouping::Age => ("rf.k1", None),
            Grouping::Answers(questions) => ("rf.k1", (questions.len() > 1).then_some("rf.k2")),
        };
        let rows: Vec<FunnelRow> = self.grouped(|sql| {
            let region = if by_region { "o.region" } else { "CAST(NULL AS TEXT)" };
            let nothing = "CAST(NULL AS TEXT)".to_string();
            sql.push(&format!(
                "SELECT {region} AS region, NULLIF({k1}, '') AS k1, {} AS k2",
                k2.map_or(nothing, |k| format!("NULLIF({k}, '')"))
            ));
            for stage in Stage::ALL {
                let i = stage.index();
                sql.push(&format!(", {} AS s{i}", sum(&format!("rf.s{i}"))));
            }
            counters_of(sql, &breakdown_of(grouping), filter);
            let mut group = vec![k1];
            group.extend(k2);
            if by_region {
                group.push("o.region");
            }
            // Applications that moved on leave rows of zeros behind.
            sql.push(&format!(" GROUP BY {} HAVING SUM(rf.s0) > 0", group.join(", ")));
        })?;
        funnel_counts(grouping, rows)
    }

    /// Different people who applied: across the whole platform from `report_applicants`; for
    /// some placements only, by counting their applications' applicants, as people cannot be
    /// summed over placements (one person applies to several).
    fn people(&self, filter: &ReportFilter) -> StoreResult<u64> {
        if *filter != ReportFilter::default() {
            return FromScratch(self).people(filter);
        }
        Ok(super::single(self.grouped(|sql| {
            sql.push("SELECT CAST(NULL AS TEXT) AS k, COUNT(*) AS n FROM report_applicants");
        })?))
    }

    fn application_bounds(&self, filter: &ReportFilter) -> StoreResult<(u64, u64)> {
        let rows: Vec<Counts2> = self.grouped(|sql| {
            sql.push(&format!(
                "SELECT CAST(NULL AS TEXT) AS k, {} AS a, {} AS b",
                sum("rf.s0"),
                "COALESCE(MAX(rf.s0), 0)"
            ));
            counters_of(sql, ALL, filter);
        })?;
        Ok(rows.first().map_or((0, 0), |r| (n(r.a), n(r.b))))
    }

    fn timeliness_counts(
        &self,
        filter: &ReportFilter,
        counting: &Counting,
        today: NaiveDate,
    ) -> StoreResult<Vec<TimelinessCount>> {
        // The counters know "awaiting" as COUNTING defines it.
        if counting.awaiting_outcome != COUNTING.awaiting_outcome {
            return FromScratch(self).timeliness_counts(filter, counting, today);
        }
        let rows: Vec<TimelinessRow> = self.grouped(|sql| {
            let state = |s: &str| sum(&format!("CASE WHEN rf.k2 = '{s}' THEN rf.s0 ELSE 0 END"));
            sql.push(&format!(
                "SELECT o.id AS organisation_id, o.name AS organisation_name, substr(rf.k1, 1, 7) AS month, \
                 {} AS on_time, {} AS late, CAST(COALESCE(SUM(CASE WHEN rf.k2 = '{AWAITING}' AND rf.k1 < ",
                state(ON_TIME),
                state(LATE),
            ))
            // The promised date is kept as ISO text, which sorts as the dates do.
            .text_param(&today.to_string())
            .push(" THEN rf.s0 ELSE 0 END), 0) AS BIGINT) AS overdue");
            counters_of(sql, TIMELINESS, filter);
            sql.push(" GROUP BY o.id, o.name, substr(rf.k1, 1, 7) ORDER BY o.name, o.id, substr(rf.k1, 1, 7)");
        })?;
        timeliness_counts(rows)
    }

    fn supply_counts(&self, by: SupplyBy, filter: &ReportFilter, counting: &Counting) -> StoreResult<Vec<SupplyCount>> {
        let places = FromScratch(self).supply_places(by, filter, counting)?;
        let column = super::scratch::supply_column(by);
        let demand: Vec<Counts2> = self.grouped(|sql| {
            let filled = format!("rf.s{}", counting.filled.index());
            sql.push(&format!("SELECT {column} AS k, {} AS a, {} AS b", sum("rf.s0"), sum(&filled)));
            counters_of(sql, ALL, filter);
            super::scratch::in_supply(sql, counting);
            sql.push(&format!(" GROUP BY {column}"));
        })?;
        Ok(supply_counts(places, demand))
    }

    fn t_level_counts(
        &self,
        by: SupplyBy,
        filter: &ReportFilter,
        counting: &Counting,
    ) -> StoreResult<(Vec<TLevelCount>, u64)> {
        self.t_level_measures(by, filter, counting)
    }

    fn implementation_counts(&self, filter: &ReportFilter, counting: &Counting) -> StoreResult<ImplementationCounts> {
        let people = People { registered: self.registered(filter)?, applicants: self.people(filter)? };
        implementation(self, people, filter, counting, |stage| {
            format!(
                " AND EXISTS (SELECT 1 FROM report_funnel rf WHERE rf.breakdown = '{ALL}' AND rf.placement_id = p.id \
                 AND rf.s{} > 0)",
                stage.index()
            )
        })
    }

    fn feedback_counts(&self, filter: &ReportFilter) -> StoreResult<FeedbackCounts> {
        FromScratch(self).feedback_counts(filter)
    }
}
