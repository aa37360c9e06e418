//! Public open data: national and regional uptake by user group, and how many places were
//! filled, suppressed like every report, so anyone can see whether the platform widens access.
//! National figures are the sums of regional ones, so suppression runs across regions as well as
//! down each region's categories: no suppressed regional count can be worked out from England's.

use serde::Serialize;

use super::measures::{SupplyBy, SupplyCount, SupplyRow, supply_rows};
use super::uptake::{Dimension, FunnelCount, UptakeRow, category_counts, rows_from};
use super::{ReportFilter, SuppressionNote};
use crate::error::DomainError;
use crate::model::reference::Region;
use crate::ports::ReportStore;
use crate::suppression::{Cell, Rules, linked};

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

/// Every published count of the uptake tables, flattened: area `a` (0 England, then the regions),
/// category `c` (the last one being the area's total) and stage `s`.
struct Cube {
    categories: usize,
    values: Vec<u64>,
}

impl Cube {
    fn at(&self, a: usize, c: usize, s: usize) -> usize {
        (a * (self.categories + 1) + c) * 6 + s
    }

    /// The sums the published figures make: each area's categories add up to its total (user
    /// groups overlap, so treating them as a sum is cautious), and each region's figure adds up
    /// with the other regions' to England's.
    fn lines(&self, areas: usize) -> Vec<(Vec<usize>, usize)> {
        let mut lines = Vec::new();
        for s in 0..6 {
            for a in 0..areas {
                lines.push(((0..self.categories).map(|c| self.at(a, c, s)).collect(), self.at(a, self.categories, s)));
            }
            for c in 0..=self.categories {
                lines.push(((1..areas).map(|a| self.at(a, c, s)).collect(), self.at(0, c, s)));
            }
        }
        lines
    }
}

/// The public statistics, from the store's grouped counts split by region.
pub fn statistics<S: ReportStore + ?Sized>(store: &S, rules: Rules) -> Result<Statistics, DomainError> {
    let filter = ReportFilter::default();
    let funnel = store.funnel_counts(Dimension::UserGroup.grouping(), &filter, true)?;
    let supply = store.supply_counts(SupplyBy::Region, &filter)?;
    let areas: Vec<Option<Region>> = std::iter::once(None).chain(Region::ALL.iter().map(|r| Some(*r))).collect();
    let categories = Dimension::UserGroup.categories().len();
    let mut cube = Cube { categories, values: vec![0; areas.len() * (categories + 1) * 6] };
    for (a, region) in areas.iter().enumerate() {
        let counts: Vec<FunnelCount> =
            funnel.iter().filter(|c| region.is_none() || c.region == *region).cloned().collect();
        let (by_category, total) = category_counts(Dimension::UserGroup, &counts);
        for (c, stages) in by_category.iter().chain([&total]).enumerate() {
            for (s, n) in stages.iter().enumerate() {
                let i = cube.at(a, c, s);
                cube.values[i] = *n;
            }
        }
    }
    let cells = linked(&cube.values, &cube.lines(areas.len()), rules);
    // Places filled: each region's figures add up to England's, in the two columns of people.
    let regional: Vec<SupplyCount> = Region::ALL
        .iter()
        .map(|r| {
            supply.iter().find(|s| s.category == r.code()).cloned().unwrap_or(SupplyCount {
                category: r.code().to_string(),
                placements: 0,
                places: 0,
                applications: 0,
                filled: 0,
            })
        })
        .collect();
    let (region_rows, england_places) = supply_rows(SupplyBy::Region, &regional, rules);
    let mut out = areas.iter().enumerate().map(|(a, region)| {
        let cell_rows: Vec<Vec<Cell>> =
            (0..=categories).map(|c| (0..6).map(|s| cells[cube.at(a, c, s)]).collect()).collect();
        let (rows, total) = rows_from(Dimension::UserGroup, &cell_rows[..categories], &cell_rows[categories]);
        let places = match a {
            0 => england_places.clone(),
            _ => region_rows[a - 1].clone(),
        };
        AreaStatistics {
            region: *region,
            label: region.map_or("England", Region::label),
            uptake_by_user_group: rows,
            all_applications: total,
            places,
        }
    });
    let national = out.next().ok_or(DomainError::NotFound)?;
    Ok(Statistics { national, regions: out.collect(), suppression: rules.into() })
}
