//! Public open data: national and regional uptake by user group, and how many places were
//! filled, suppressed like every report, so anyone can see whether the platform widens access.
//! National figures are the sums of regional ones, so suppression runs across regions as well as
//! down each region's categories: no suppressed regional count can be worked out from England's.

use super::SuppressionNote;
use super::measures::SupplyRow;
use super::uptake::UptakeRow;
use crate::model::reference::Region;

#[derive(Debug, Clone, PartialEq)]
pub struct AreaStatistics {
    /// `null` for England as a whole.
    pub region: Option<Region>,
    pub label: &'static str,
    /// Applications from each user group at each stage of selection.
    pub uptake_by_user_group: Vec<UptakeRow>,
    pub all_applications: UptakeRow,
    /// Places, applications and places filled.
    pub places: SupplyRow,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Statistics {
    pub national: AreaStatistics,
    pub regions: Vec<AreaStatistics>,
    pub suppression: SuppressionNote,
}

/// Every published count of the uptake tables, flattened: area `a` (0 England, then the regions),
/// category `c` (the last one being the area's total) and stage `s`.
pub(crate) struct Cube {
    pub(crate) categories: usize,
    pub(crate) values: Vec<u64>,
}

impl Cube {
    pub(crate) fn at(&self, a: usize, c: usize, s: usize) -> usize {
        (a * (self.categories + 1) + c) * 6 + s
    }

    /// The sums the published figures make: each area's categories add up to its total (user
    /// groups overlap, so treating them as a sum is cautious), and each region's figure adds up
    /// with the other regions' to England's.
    pub(crate) fn lines(&self, areas: usize) -> Vec<(Vec<usize>, usize)> {
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
