//! T-level measures: placements offered and their places (public), places filled, students placed
//! (different people) and hours completed, by region or specialty. Places filled and students are
//! suppressed as every count of people is; hours are a sum over students, so a sum over a few
//! students tells about each of them: hours are shown only where the students behind them are.

use crate::model::reference::{Region, Specialty};
use crate::model::reports::measures::SupplyBy;
use crate::model::reports::suppression::{Cell, Rules, Totals, count, table_with};
use crate::model::reports::{Figure, ReportFilter, SuppressionNote};

/// Raw counts for one category of T-level placements.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TLevelCount {
    pub category: String,
    pub placements: u64,
    pub places: u64,
    /// Places accepted (as supply and demand counts them).
    pub filled: u64,
    /// Different students holding those places.
    pub students: u64,
    /// Hours logged (signed off by supervisors) on those places, in quarter hours.
    pub quarter_hours: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TLevelRow {
    pub category: String,
    pub label: String,
    /// Published T-level placements (not suppressed: they are public), and their places.
    pub placements: u64,
    pub places: u64,
    pub filled: Figure,
    pub students: Figure,
    /// Whole hours, rounded as counts are; suppressed with the students behind them.
    pub hours_completed: Figure,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TLevelReport {
    pub by: SupplyBy,
    pub filter: ReportFilter,
    pub rows: Vec<TLevelRow>,
    pub total: TLevelRow,
    pub suppression: SuppressionNote,
}

fn label(by: SupplyBy, code: &str) -> String {
    let label = match by {
        SupplyBy::Specialty => Specialty::parse(code).map(Specialty::label),
        SupplyBy::Region => Region::parse(code).map(Region::label),
        SupplyBy::Kind => None,
    };
    label.unwrap_or(code).to_string()
}

/// Whole hours of a count of quarter hours, rounded as a count would be, where `students` is shown.
fn hours(quarter_hours: u64, students: Cell, rules: Rules) -> Cell {
    match students {
        Cell::Suppressed => Cell::Suppressed,
        // Nothing logged shows as 0, as a count of 0 does; otherwise rounded, never suppressed
        // for being small: the students behind it are enough.
        Cell::Shown(_) => match count((quarter_hours + 2) / 4, Rules { min_shown: 0, ..rules }) {
            shown @ Cell::Shown(_) => shown,
            Cell::Suppressed => Cell::Suppressed,
        },
    }
}

/// The rows and the total. `total_students` is the number of different students overall (one
/// student at two employers counts once in the total, once in each of their categories).
pub fn t_level_rows(
    by: SupplyBy,
    counts: &[TLevelCount],
    total_students: u64,
    rules: Rules,
) -> (Vec<TLevelRow>, TLevelRow) {
    let grid: Vec<Vec<u64>> = counts.iter().map(|c| vec![c.filled, c.students]).collect();
    let t = table_with(&grid, rules, Totals { rows: false, columns: true });
    let mut rows = Vec::new();
    // Students whose categories' hours are hidden: if they are few, the total's hours less the
    // shown hours would tell theirs, so the total's hours are hidden too.
    let mut hidden_students = 0;
    for (c, cells) in counts.iter().zip(&t.cells) {
        let hours = hours(c.quarter_hours, cells[1], rules);
        if hours == Cell::Suppressed {
            hidden_students += c.students;
        }
        rows.push(TLevelRow {
            category: c.category.clone(),
            label: label(by, &c.category),
            placements: c.placements,
            places: c.places,
            filled: cells[0].into(),
            students: cells[1].into(),
            hours_completed: hours.into(),
        });
    }
    let filled_total = t.column_totals.first().copied().unwrap_or(Cell::Shown(0));
    let students_total = match t.column_totals.get(1) {
        Some(Cell::Suppressed) => Cell::Suppressed,
        _ => count(total_students, rules),
    };
    let all_hours: u64 = counts.iter().map(|c| c.quarter_hours).sum();
    let total_hours = if hidden_students > 0 && hidden_students < rules.min_shown {
        Cell::Suppressed
    } else {
        hours(all_hours, students_total, rules)
    };
    let total = TLevelRow {
        category: "total".into(),
        label: "All T-level placements".into(),
        placements: counts.iter().map(|c| c.placements).sum(),
        places: counts.iter().map(|c| c.places).sum(),
        filled: filled_total.into(),
        students: students_total.into(),
        hours_completed: total_hours.into(),
    };
    (rows, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(category: &str, filled: u64, students: u64, hours: u64) -> TLevelCount {
        TLevelCount { category: category.into(), placements: 3, places: 20, filled, students, quarter_hours: hours * 4 }
    }

    #[test]
    fn hours_are_shown_only_where_enough_students_are_behind_them() {
        let rules = Rules::default();
        let counts = [row("london", 30, 28, 8820), row("south_east", 12, 11, 3465)];
        let (rows, total) = t_level_rows(SupplyBy::Region, &counts, 39, rules);
        assert_eq!(rows[0].hours_completed, Cell::Shown(8820).into());
        assert_eq!(rows[1].students, Cell::Shown(10).into());
        assert_eq!(rows[1].hours_completed, Cell::Shown(3465).into());
        assert_eq!(total.students, Cell::Shown(40).into());
        assert_eq!(total.hours_completed, Cell::Shown(12285).into());
        assert_eq!(total.label, "All T-level placements");
    }

    #[test]
    fn a_few_students_hide_their_hours_and_the_total_that_would_give_them_away() {
        let rules = Rules::default();
        // One student in the north west and two in the south west: their hours would be the
        // total less London's.
        let counts = [row("london", 30, 28, 8820), row("north_west", 1, 1, 315), row("south_west", 2, 2, 600)];
        let (rows, total) = t_level_rows(SupplyBy::Region, &counts, 31, rules);
        for r in &rows[1..] {
            assert_eq!((r.students, r.hours_completed), (Cell::Suppressed.into(), Cell::Suppressed.into()));
        }
        assert_eq!(rows[0].hours_completed, Cell::Shown(8820).into());
        assert_eq!(total.hours_completed, Cell::Suppressed.into());
        // Placements and places are public.
        assert_eq!((total.placements, total.places), (9, 60));
    }

    #[test]
    fn the_total_shows_hours_when_enough_students_are_behind_the_hidden_ones() {
        let rules = Rules::default();
        // The north west's one student is hidden, and so (to protect them) is a second row: the
        // difference between the total and London is then about twelve students.
        let counts = [row("london", 30, 28, 8820), row("north_west", 1, 1, 315), row("south_east", 12, 11, 3465)];
        let (rows, total) = t_level_rows(SupplyBy::Region, &counts, 40, rules);
        assert_eq!(rows[1].hours_completed, Cell::Suppressed.into());
        let hidden: u64 =
            counts.iter().zip(&rows).filter(|(_, r)| r.hours_completed.suppressed).map(|(c, _)| c.students).sum();
        assert!(hidden >= rules.min_shown, "{rows:?}");
        assert_eq!(total.hours_completed, Cell::Shown(12600).into());
    }

    #[test]
    fn nothing_logged_shows_as_zero_hours() {
        let (rows, _) = t_level_rows(SupplyBy::Specialty, &[row("medicine", 0, 0, 0)], 0, Rules::default());
        assert_eq!(rows[0].hours_completed, Cell::Shown(0).into());
        assert_eq!(rows[0].label, "Medicine");
    }
}
