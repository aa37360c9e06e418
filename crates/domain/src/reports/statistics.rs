//! Public open data: national and regional uptake by user group, and how many places were
//! filled, suppressed like every report, so anyone can see whether the platform widens access.

use serde::Serialize;

use super::measures::{SupplyBy, SupplyRow, supply_rows};
use super::uptake::{Dimension, FunnelCount, UptakeRow, tabulate};
use super::{ReportFilter, SuppressionNote};
use crate::error::DomainError;
use crate::ports::ReportStore;
use crate::reference::Region;
use crate::suppression::Rules;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AreaStatistics {
    /// `null` for England as a whole.
    pub region: Option<Region>,
    #[cfg_attr(feature = "openapi", schema(example = "England"))]
    pub label: &'static str,
    /// Applications from each user group at each stage of selection.
    pub uptake_by_user_group: Vec<UptakeRow>,
    pub all_applications: UptakeRow,
    /// Places, applications and places filled.
    pub places: SupplyRow,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Statistics {
    pub national: AreaStatistics,
    pub regions: Vec<AreaStatistics>,
    pub suppression: SuppressionNote,
}

/// The public statistics, from two grouped queries split by region.
pub fn statistics<S: ReportStore + ?Sized>(store: &S, rules: Rules) -> Result<Statistics, DomainError> {
    let filter = ReportFilter::default();
    let funnel = store.funnel_counts(Dimension::UserGroup.grouping(), &filter, true)?;
    let supply = store.supply_counts(SupplyBy::Region, &filter)?;
    let area = |region: Option<Region>| {
        let counts: Vec<FunnelCount> =
            funnel.iter().filter(|c| region.is_none() || c.region == region).cloned().collect();
        let (rows, total) = tabulate(Dimension::UserGroup, &counts, rules);
        let places: Vec<_> = supply.iter().filter(|s| region.is_none_or(|r| s.category == r.code())).cloned().collect();
        let (_, places) = supply_rows(SupplyBy::Region, &places, rules);
        AreaStatistics {
            region,
            label: region.map_or("England", Region::label),
            uptake_by_user_group: rows,
            all_applications: total,
            places,
        }
    };
    Ok(Statistics {
        national: area(None),
        regions: Region::ALL.iter().map(|r| area(Some(*r))).collect(),
        suppression: rules.into(),
    })
}
