//! The T-level measures: supply and demand's placements, places and places filled, with the
//! different students holding the places and the hours logged on them.

use std::collections::BTreeMap;

use wex_domain::model::reports::ReportFilter;
use wex_domain::model::reports::counting::Counting;
use wex_domain::model::reports::measures::SupplyBy;
use wex_domain::model::reports::t_level::TLevelCount;
use wex_domain::ports::{ReportStore, StoreResult};

use super::sql::Sql;
use super::{Counts2, n, reached};
use crate::store::DbStore;

/// Each application's logged quarter hours.
const HOURS: &str = " LEFT JOIN (SELECT application_id, SUM(quarter_hours) AS q FROM t_level_hours GROUP BY application_id) h ON h.application_id = a.id";

impl DbStore {
    pub(super) fn t_level_measures(
        &self,
        by: SupplyBy,
        filter: &ReportFilter,
        counting: &Counting,
    ) -> StoreResult<(Vec<TLevelCount>, u64)> {
        let supply = self.supply_counts(by, filter, counting)?;
        let column = match by {
            SupplyBy::Specialty => "p.specialty",
            SupplyBy::Region => "o.region",
            SupplyBy::Kind => "p.kind",
        };
        // Places filled, as supply and demand counts them, on placements in supply.
        let placed = |sql: &mut Sql, key: &str| {
            sql.push(&format!(
                "SELECT {key} AS k, COUNT(DISTINCT a.profile_id) AS a, CAST(COALESCE(SUM(h.q), 0) AS BIGINT) AS b"
            ))
            .over_applications()
            .push(HOURS)
            .filtered(filter)
            .push(" AND p.published_at IS NOT NULL AND NOT ")
            .one_of("p.status", counting.withdrawn_from_supply.iter().map(|s| s.code()))
            .push(&format!(" AND {}", reached(counting.filled)));
        };
        let grouped: Vec<Counts2> = self.grouped(|sql| {
            placed(sql, column);
            sql.push(&format!(" GROUP BY {column}"));
        })?;
        let overall: Vec<Counts2> = self.grouped(|sql| placed(sql, "CAST(NULL AS TEXT)"))?;
        let mut out: BTreeMap<String, TLevelCount> = supply
            .into_iter()
            .map(|s| {
                let count = TLevelCount {
                    category: s.category.clone(),
                    placements: s.placements,
                    places: s.places,
                    filled: s.filled,
                    ..TLevelCount::default()
                };
                (s.category, count)
            })
            .collect();
        for r in grouped {
            if let Some(row) = out.get_mut(&r.k.unwrap_or_default()) {
                row.students = n(r.a);
                row.quarter_hours = n(r.b);
            }
        }
        Ok((out.into_values().collect(), overall.first().map_or(0, |r| n(r.a))))
    }
}
