//! Small-number suppression for reports (NHS Digital's rule for sub-national statistics, as the
//! equality design sets out): counts from 1 to 7 are not shown, others are rounded to the nearest
//! 5, zero stays 0; a rate from a suppressed count is suppressed; and where one cell of a row or
//! column is suppressed and could be recovered from a published total, a second cell (or the
//! total) is suppressed too. Pure functions: every report applies these, nothing else does.

/// The thresholds; configuration, with the defaults of the design.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// The smallest count shown (counts from 1 to `min_shown - 1` are suppressed).
    pub min_shown: u64,
    /// Shown counts are rounded to the nearest multiple of this (1: no rounding).
    pub round_to: u64,
    /// The fewest different people an equality table may be about (the disclosure rules refuse
    /// tables about fewer).
    pub min_population: u64,
    /// The secret that keys the deterministic noise of equality tables.
    pub key: NoiseKey,
}

impl Rules {
    /// These thresholds, with the default minimum population and key.
    pub const fn thresholds(min_shown: u64, round_to: u64) -> Rules {
        Rules { min_shown, round_to, min_population: 20, key: NoiseKey([0; 32]) }
    }
}

impl Default for Rules {
    fn default() -> Self {
        Rules::thresholds(8, 5)
    }
}

/// A secret of 32 bytes; never printed, so that a configuration can be logged.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct NoiseKey(pub [u8; 32]);

impl NoiseKey {
    /// The key for a configured secret (any text; at least 32 characters are advised).
    pub fn from_secret(secret: &str) -> NoiseKey {
        use sha2::Digest;
        NoiseKey(sha2::Sha256::digest(secret.as_bytes()).into())
    }

    /// A random key, for a process that was given none: its noise changes when it restarts.
    pub fn random() -> Result<NoiseKey, getrandom::Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)?;
        Ok(NoiseKey(bytes))
    }
}

impl std::fmt::Debug for NoiseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NoiseKey(***)")
    }
}

/// A published figure: shown (rounded) or suppressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Shown(u64),
    Suppressed,
}

impl Cell {
    pub fn value(self) -> Option<u64> {
        match self {
            Cell::Shown(n) => Some(n),
            Cell::Suppressed => None,
        }
    }
}

fn round(n: u64, to: u64) -> u64 {
    if to <= 1 { n } else { (n + to / 2) / to * to }
}

/// Primary suppression and rounding of one count.
pub fn count(n: u64, rules: Rules) -> Cell {
    if n > 0 && n < rules.min_shown { Cell::Suppressed } else { Cell::Shown(round(n, rules.round_to)) }
}

/// A table after suppression: its cells and the row and column totals it publishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub cells: Vec<Vec<Cell>>,
    pub row_totals: Vec<Cell>,
    pub column_totals: Vec<Cell>,
}

/// Which totals a table publishes: only a published total can give a suppressed cell away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub rows: bool,
    pub columns: bool,
}

/// Suppresses a table of counts (rows of equal length) whose row and column totals are published.
pub fn table(counts: &[Vec<u64>], rules: Rules) -> Table {
    table_with(counts, rules, Totals { rows: true, columns: true })
}

/// Suppresses a table of counts publishing only the totals named; unpublished totals come back
/// suppressed.
pub fn table_with(counts: &[Vec<u64>], rules: Rules, totals: Totals) -> Table {
    let rows = counts.len();
    let cols = counts.first().map_or(0, Vec::len);
    let mut hidden: Vec<Vec<bool>> =
        counts.iter().map(|r| r.iter().map(|n| count(*n, rules) == Cell::Suppressed).collect()).collect();
    let row_sum = |r: usize| counts[r].iter().sum::<u64>();
    let col_sum = |c: usize| counts.iter().map(|r| r[c]).sum::<u64>();
    let mut row_total_hidden: Vec<bool> =
        (0..rows).map(|r| !totals.rows || count(row_sum(r), rules) == Cell::Suppressed).collect();
    let mut col_total_hidden: Vec<bool> =
        (0..cols).map(|c| !totals.columns || count(col_sum(c), rules) == Cell::Suppressed).collect();
    secondary(counts, &mut hidden, &mut row_total_hidden, &mut col_total_hidden);
    let publish = |n: u64, hide: bool| if hide { Cell::Suppressed } else { Cell::Shown(round(n, rules.round_to)) };
    Table {
        cells: (0..rows).map(|r| (0..cols).map(|c| publish(counts[r][c], hidden[r][c])).collect()).collect(),
        row_totals: (0..rows).map(|r| publish(row_sum(r), row_total_hidden[r])).collect(),
        column_totals: (0..cols).map(|c| publish(col_sum(c), col_total_hidden[c])).collect(),
    }
}

/// Secondary suppression of a table whose primary suppression is done (`hidden`, and the totals
/// hidden or unpublished), repeated until no line has a single hidden cell beside a shown total.
pub fn secondary(
    counts: &[Vec<u64>],
    hidden: &mut [Vec<bool>],
    row_total_hidden: &mut [bool],
    col_total_hidden: &mut [bool],
) {
    let rows = counts.len();
    let cols = counts.first().map_or(0, Vec::len);
    loop {
        let mut changed = false;
        for r in 0..rows {
            let line: Vec<(usize, u64, bool)> = (0..cols).map(|c| (c, counts[r][c], hidden[r][c])).collect();
            if let Some(fix) = second_hidden(&line, row_total_hidden[r]) {
                match fix {
                    Some(c) => hidden[r][c] = true,
                    None => row_total_hidden[r] = true,
                }
                changed = true;
            }
        }
        for c in 0..cols {
            let line: Vec<(usize, u64, bool)> = (0..rows).map(|r| (r, counts[r][c], hidden[r][c])).collect();
            if let Some(fix) = second_hidden(&line, col_total_hidden[c]) {
                match fix {
                    Some(r) => hidden[r][c] = true,
                    None => col_total_hidden[c] = true,
                }
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// Suppresses figures tied together by sums: `lines` lists, for each published total, the
/// indices in `values` of the figures that add up to it and the index of the total itself. Figures
/// can sit in several lines (a regional count adds up both to its region's total and to the
/// national count of its category); secondary suppression runs until no line has exactly one
/// hidden member beside a shown total.
pub fn linked(values: &[u64], lines: &[(Vec<usize>, usize)], rules: Rules) -> Vec<Cell> {
    let mut hidden: Vec<bool> = values.iter().map(|n| count(*n, rules) == Cell::Suppressed).collect();
    loop {
        let mut changed = false;
        for (members, total) in lines {
            let line: Vec<(usize, u64, bool)> = members.iter().map(|i| (*i, values[*i], hidden[*i])).collect();
            if let Some(fix) = second_hidden(&line, hidden[*total]) {
                hidden[fix.unwrap_or(*total)] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    values
        .iter()
        .zip(hidden)
        .map(|(n, h)| if h { Cell::Suppressed } else { Cell::Shown(round(*n, rules.round_to)) })
        .collect()
}

/// For one line (a row or a column) of (index, count, hidden): when exactly one cell is hidden and
/// the total is shown, what else to hide: `Some(Some(i))` the smallest other non-zero cell,
/// `Some(None)` the total (no other cell can hide it), `None` nothing.
fn second_hidden(line: &[(usize, u64, bool)], total_hidden: bool) -> Option<Option<usize>> {
    let hidden = line.iter().filter(|(_, _, h)| *h).count();
    if hidden != 1 || total_hidden {
        return None;
    }
    let other = line.iter().filter(|(_, n, h)| !h && *n > 0).min_by_key(|(i, n, _)| (*n, *i)).map(|(i, _, _)| *i);
    Some(other)
}

/// The four-fifths impact ratio of a category's rate against the highest rate, flagged when under
/// 0.8 with at least 20 in both groups (counted at the earlier stage).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Impact {
    pub ratio: Option<f64>,
    pub flagged: bool,
}

/// One category at one stage transition, as published: how many went on, how many were at the
/// earlier stage, and whether either count is suppressed (primary or secondary).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AtRisk {
    pub successes: u64,
    pub at_risk: u64,
    pub suppressed: bool,
}

/// Impact ratios for categories at one stage transition. A suppressed count gives no rate, so no
/// ratio, and cannot be the reference; whether a count is suppressed is the caller's published
/// table's say, never worked out again here.
pub fn impact_ratios(groups: &[AtRisk]) -> Vec<Impact> {
    let rates: Vec<Option<f64>> = groups
        .iter()
        .map(|g| (!g.suppressed && g.at_risk > 0).then(|| g.successes as f64 / g.at_risk as f64))
        .collect();
    let best = rates.iter().enumerate().filter_map(|(i, r)| r.map(|r| (i, r))).max_by(|a, b| a.1.total_cmp(&b.1));
    groups
        .iter()
        .zip(&rates)
        .map(|(g, r)| match (r, best) {
            (Some(r), Some((b, best))) if best > 0.0 => {
                let ratio = r / best;
                Impact { ratio: Some(ratio), flagged: ratio < 0.8 && g.at_risk >= 20 && groups[b].at_risk >= 20 }
            }
            _ => Impact { ratio: None, flagged: false },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::Lcg;

    const R: Rules = Rules::thresholds(8, 5);

    #[test]
    fn counts_from_one_to_seven_are_suppressed_and_others_rounded() {
        assert_eq!(count(0, R), Cell::Shown(0));
        for n in 1..=7 {
            assert_eq!(count(n, R), Cell::Suppressed, "{n}");
        }
        assert_eq!(count(8, R), Cell::Shown(10));
        assert_eq!(count(12, R), Cell::Shown(10));
        assert_eq!(count(13, R), Cell::Shown(15));
        assert_eq!(count(1234, Rules::thresholds(8, 1)), Cell::Shown(1234));
    }

    #[test]
    fn one_hidden_cell_in_a_row_takes_a_second_with_it() {
        // Row 0: 3 is hidden; with the row total shown it could be recovered, so 12 goes too.
        let t = table(&[vec![3, 12, 40], vec![20, 30, 40]], R);
        assert_eq!(t.cells[0], vec![Cell::Suppressed, Cell::Suppressed, Cell::Shown(40)]);
        // Column 0 and 1 now each have one hidden cell: their next cells go too.
        assert_eq!(t.cells[1][0], Cell::Suppressed);
        assert_eq!(t.cells[1][1], Cell::Suppressed);
        assert_eq!(t.row_totals, vec![Cell::Shown(55), Cell::Shown(90)]);
    }

    #[test]
    fn a_lone_count_hides_its_total() {
        let t = table(&[vec![4, 0, 0]], R);
        assert_eq!(t.cells[0][0], Cell::Suppressed);
        assert_eq!(t.row_totals[0], Cell::Suppressed);
    }

    #[test]
    fn no_published_table_reveals_a_small_count() {
        let mut rng = Lcg(99);
        for case in 0..300 {
            let rows = 1 + (rng.next() % 6) as usize;
            let cols = 1 + (rng.next() % 6) as usize;
            let counts: Vec<Vec<u64>> = (0..rows)
                .map(|_| {
                    (0..cols)
                        .map(|_| if rng.next().is_multiple_of(3) { rng.next() % 8 } else { rng.next() % 60 })
                        .collect()
                })
                .collect();
            let t = table(&counts, R);
            for (r, row) in t.cells.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    if let Cell::Shown(v) = cell {
                        assert!(counts[r][c] == 0 || counts[r][c] >= 8, "case {case}: a small count was shown");
                        assert!(v.is_multiple_of(5), "case {case}: not rounded");
                    }
                }
                // Never exactly one hidden cell beside a shown total.
                let hidden = row.iter().filter(|c| **c == Cell::Suppressed).count();
                assert!(!(hidden == 1 && t.row_totals[r] != Cell::Suppressed), "case {case}: row {r} recoverable");
            }
            for c in 0..cols {
                let hidden = t.cells.iter().filter(|row| row[c] == Cell::Suppressed).count();
                assert!(
                    !(hidden == 1 && t.column_totals[c] != Cell::Suppressed),
                    "case {case}: column {c} recoverable"
                );
            }
        }
    }

    #[test]
    fn impact_ratios_flag_only_large_enough_groups_below_four_fifths() {
        let g = |successes, at_risk| AtRisk { successes, at_risk, suppressed: false };
        let small_hidden = AtRisk { suppressed: count(5, R) == Cell::Suppressed, ..g(5, 10) };
        let ratios = impact_ratios(&[g(50, 100), g(30, 100), small_hidden, g(45, 100)]);
        assert_eq!(ratios[0].ratio, Some(1.0));
        assert!(ratios[1].flagged, "0.6 with 100 in both");
        assert_eq!(ratios[2], Impact { ratio: None, flagged: false }, "suppressed counts give no ratio");
        assert!(!ratios[3].flagged, "0.9 is within four-fifths");
        let small = impact_ratios(&[g(10, 15), g(8, 40)]);
        assert!(!small[1].flagged, "the best group has under 20");
        let hidden = impact_ratios(&[AtRisk { suppressed: true, ..g(90, 100) }, g(30, 100)]);
        assert_eq!(hidden[0].ratio, None, "a secondarily suppressed count gives no ratio");
        assert_eq!(hidden[1].ratio, Some(1.0), "and cannot be the reference");
    }

    #[test]
    fn linked_figures_are_suppressed_across_every_sum_they_belong_to() {
        // Two regions of two categories: values 0..4 are cells (region-major), 4 and 5 the
        // regional totals, 6 and 7 the national counts of each category, 8 the national total.
        let values = [3, 40, 30, 40, 43, 70, 33, 80, 113];
        let lines =
            vec![(vec![0, 1], 4), (vec![2, 3], 5), (vec![0, 2], 6), (vec![1, 3], 7), (vec![4, 5], 8), (vec![6, 7], 8)];
        let cells = linked(&values, &lines, R);
        assert_eq!(cells[0], Cell::Suppressed);
        // Region 1's 40 would give the 3 away from its total; region 2's 30 from the national 33.
        assert_eq!(cells[1], Cell::Suppressed);
        assert_eq!(cells[2], Cell::Suppressed);
        for (members, total) in &lines {
            let hidden = members.iter().filter(|i| cells[**i] == Cell::Suppressed).count();
            assert!(!(hidden == 1 && cells[*total] != Cell::Suppressed), "line {members:?} gives a figure away");
        }
    }

    #[test]
    fn unpublished_totals_give_nothing_away_so_need_no_second_cell() {
        // Only column totals: row 0's hidden 3 cannot be recovered along the row.
        let t = table_with(&[vec![3, 12], vec![20, 30], vec![40, 40]], R, Totals { rows: false, columns: true });
        assert_eq!(t.cells[0], vec![Cell::Suppressed, Cell::Shown(10)]);
        // Down column 0 it could be, from the column total: the smallest other cell goes too.
        assert_eq!(t.cells[1][0], Cell::Suppressed);
        assert_eq!(t.cells[2][0], Cell::Shown(40));
        assert_eq!(t.column_totals, vec![Cell::Shown(65), Cell::Shown(80)]);
    }
}
