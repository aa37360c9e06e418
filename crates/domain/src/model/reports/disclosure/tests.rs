use super::*;
use crate::test_rng::Lcg;

const R: Rules = Rules::thresholds(8, 5);

fn keyed(byte: u8) -> Rules {
    Rules { key: crate::model::reports::suppression::NoiseKey([byte; 32]), ..R }
}

/// One stage only: the categories' counts as a column, and their sum as the total.
fn column(counts: &[u64]) -> (Vec<Vec<u64>>, Vec<u64>) {
    (counts.iter().map(|n| vec![*n]).collect(), vec![counts.iter().sum()])
}

fn protect_column(counts: &[u64], context: &str, rules: Rules) -> Protected {
    let (grid, totals) = column(counts);
    protect(&grid, &totals, context, rules)
}

#[test]
fn a_table_about_too_few_people_is_refused() {
    assert!(check_population(20, R).is_ok());
    assert!(check_population(19, R).is_err_and(|e| e.0.contains("20 people or more")));
    assert!(check_population(0, R).is_err());
}

#[test]
fn zeros_and_everyone_in_one_category_are_never_shown() {
    // Everyone in one category: that category, and every zero, is hidden; the total is shown.
    let p = protect_column(&[0, 40, 0, 0], "religion", R);
    assert!(p.cells.iter().all(|c| c[0] == Cell::Suppressed), "{p:?}");
    assert_eq!(p.totals[0], Cell::Shown(40));
    // Two categories: the zeros are still hidden; the two large ones can be shown.
    let p = protect_column(&[0, 40, 30, 0], "religion", R);
    assert_eq!(p.cells[0][0], Cell::Suppressed);
    assert_eq!(p.cells[3][0], Cell::Suppressed);
    assert!(p.cells[1][0] != Cell::Suppressed && p.cells[2][0] != Cell::Suppressed, "{p:?}");
}

#[test]
fn the_same_table_always_gets_the_same_answer_and_the_key_decides_it() {
    let counts = [12, 33, 47, 9, 18];
    let first = protect_column(&counts, "ethnicity", R);
    assert_eq!(protect_column(&counts, "ethnicity", R), first, "asking again averages nothing away");
    let differs = (1..=20).filter(|b| protect_column(&counts, "ethnicity", keyed(*b)).cells != first.cells).count();
    assert!(differs > 10, "another key, other noise: {differs} of 20");
}

#[test]
fn shown_counts_are_multiples_of_five_never_small_and_unbiased() {
    let mut sum = 0;
    let tables = 2000;
    for t in 0..tables {
        // The count of interest, 12, among others that vary, so that every table draws afresh.
        let counts = [12, 20 + t, 40, 30];
        let p = protect_column(&counts, "sex", R);
        for (row, n) in p.cells.iter().zip(counts) {
            if let Cell::Shown(v) = row[0] {
                assert!(v >= 8 && v % 5 == 0, "{v} for {n}");
                assert!(v.abs_diff(n) < 5, "{v} for {n}");
            }
        }
        // 12 is always shown: the threshold is raised to 12 at most.
        sum += p.cells[0][0].value().unwrap_or(12);
    }
    let mean = sum as f64 / tables as f64;
    assert!((mean - 12.0).abs() < 0.4, "rounding at random is unbiased: {mean}");
}

#[test]
fn a_hidden_cell_is_never_recoverable_from_its_stage_total() {
    let mut rng = Lcg(7);
    for case in 0..400 {
        let rows = 2 + (rng.next() % 8) as usize;
        let grid: Vec<Vec<u64>> = (0..rows)
            .map(|_| {
                (0..6).map(|_| if rng.next().is_multiple_of(3) { rng.next() % 12 } else { rng.next() % 60 }).collect()
            })
            .collect();
        let totals: Vec<u64> = (0..6).map(|c| grid.iter().map(|r| r[c]).sum()).collect();
        let p = protect(&grid, &totals, "case", R);
        for c in 0..6 {
            let hidden = p.cells.iter().filter(|r| r[c] == Cell::Suppressed).count();
            assert!(!(hidden == 1 && p.totals[c] != Cell::Suppressed), "case {case}: stage {c} recoverable");
            let non_zero = grid.iter().filter(|r| r[c] > 0).count();
            if non_zero == 1 {
                assert_eq!(hidden, rows, "case {case}: everyone in one category is shown");
            }
            for (r, row) in p.cells.iter().enumerate() {
                if let Cell::Shown(v) = row[c] {
                    assert!(grid[r][c] >= 8 && v >= 8, "case {case}: a small count or a zero shown");
                }
            }
        }
    }
}

/// The differencing attack of the issue: two tables that differ by one person. With noise keyed
/// by the whole table, every cell is drawn afresh, so "the category that changed" is usually not
/// alone, and when it is, it is often not the person's.
#[test]
fn two_tables_differing_by_one_person_seldom_point_at_their_category() {
    let mut rng = Lcg(11);
    let (mut pointed_right, mut pointed_wrong, pairs) = (0, 0, 1000);
    for _ in 0..pairs {
        let before: Vec<u64> = (0..6).map(|_| 5 + rng.next() % 40).collect();
        let person = (rng.next() % 6) as usize;
        let mut after = before.clone();
        after[person] += 1;
        let (a, b) = (protect_column(&before, "religion", R), protect_column(&after, "religion", R));
        let changed: Vec<usize> = (0..6).filter(|i| a.cells[*i] != b.cells[*i]).collect();
        match changed.as_slice() {
            [one] if *one == person => pointed_right += 1,
            [_] => pointed_wrong += 1,
            _ => {}
        }
    }
    // Deterministic rounding points at the right category whenever anything changes (a fifth of
    // pairs or more) and never at a wrong one. Here a lone change is rare, and weak evidence: it
    // is at most twice as likely to be in the person's category as in any one of the five others.
    assert!(pointed_right < pairs / 10, "{pointed_right} of {pairs} pairs point at the person's category");
    assert!(pointed_right * 5 < pointed_wrong * 2, "right {pointed_right}, wrong {pointed_wrong}");
}
