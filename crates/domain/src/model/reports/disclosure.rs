//! Statistical disclosure control for equality tables: the rules that stop anyone who knows who
//! took part from learning a person's equality monitoring answers from reports, alone or by
//! comparing two reports. (docs/reports.md explains them for readers; this is the mechanism.)
//!
//! On top of small-number suppression ([`suppression`](crate::model::reports::suppression)), a table of
//! equality answers is
//!
//! - **refused** when it is about fewer than [`Rules::min_population`] different people
//!   ([`check_population`]): no table is published about a handful of people;
//! - **blind to zeros**: a zero is hidden like a small count, and a stage at which every person is
//!   in one category hides that category too, so "nobody else" and "everyone" are never shown;
//! - **perturbed, consistently**: the threshold under which a count is hidden is raised by a
//!   random 0 to `round_to - 1`, and a shown count is rounded up or down at random (unbiased:
//!   12 becomes 10 three times in five, 15 twice). The randomness is drawn from an HMAC of the
//!   whole table's true counts under a secret key. The same table always gives the same answer,
//!   so asking again averages nothing away; a table that differs by one person gets fresh noise in
//!   every cell, so comparing two reports does not point at the one category that changed. (The
//!   ONS cell key method of Census 2021 keys the noise by each cell's own records instead; then
//!   the person's category would be the only cell whose figure could change.)

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::model::reports::suppression::{Cell, Rules, secondary};

/// An equality table about fewer people than the rules allow, with what to tell the caller.
/// (A code of its own to the use case that reports: the model imports no use case's error.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopulationTooSmall(pub String);

/// Refuses a table about fewer people than the rules allow.
pub fn check_population(people: u64, rules: Rules) -> Result<(), PopulationTooSmall> {
    if people >= rules.min_population {
        return Ok(());
    }
    Err(PopulationTooSmall(format!(
        "An equality table is published only about {} people or more, and this one is about fewer. \
         Widen the period or the filters.",
        rules.min_population
    )))
}

/// The randomness of one table: a keyed hash of everything in it, so that it is the same for
/// the same table and unpredictable without the key.
struct Draws([u8; 32]);

impl Draws {
    fn new(rules: Rules, context: &str, counts: &[Vec<u64>], totals: &[u64]) -> Draws {
        // A key of any length is accepted by HMAC; the fallback only keeps this total.
        let mut mac = match Hmac::<Sha256>::new_from_slice(&rules.key.0) {
            Ok(mac) => mac,
            Err(_) => return Draws([0; 32]),
        };
        mac.update(context.as_bytes());
        for n in counts.iter().flatten().chain(totals) {
            mac.update(&n.to_be_bytes());
        }
        Draws(mac.finalize().into_bytes().into())
    }

    /// A number for the cell at `index`, for the purpose `salt`.
    fn at(&self, index: usize, salt: u8) -> u64 {
        let mut mac = match Hmac::<Sha256>::new_from_slice(&self.0) {
            Ok(mac) => mac,
            Err(_) => return 0,
        };
        mac.update(&(index as u64).to_be_bytes());
        mac.update(&[salt]);
        let bytes = mac.finalize().into_bytes();
        let mut first = [0u8; 8];
        first.copy_from_slice(&bytes[..8]);
        u64::from_be_bytes(first)
    }

    /// Whether the count is hidden: zero, or under the raised threshold.
    fn hidden(&self, n: u64, index: usize, rules: Rules) -> bool {
        let raise = self.at(index, 0) % rules.round_to.max(1);
        n == 0 || n < rules.min_shown + raise
    }

    /// The count rounded up or down to a multiple of `round_to`, up with a probability of how
    /// far it is past the multiple below, so that on average it is the true count; always up
    /// where down would show a figure under `min_shown`, which would look like a small count.
    fn round(&self, n: u64, index: usize, rules: Rules) -> u64 {
        let to = rules.round_to.max(1);
        let below = n / to * to;
        let up = self.at(index, 1) % to < n - below || (below < rules.min_shown && below < n);
        if up { below + to } else { below }
    }
}

/// A protected table: its cells (category by stage) and the total of each stage, as published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protected {
    pub cells: Vec<Vec<Cell>>,
    pub totals: Vec<Cell>,
}

/// Protects a table of equality answers: `counts[category][stage]`, and `totals[stage]` (each
/// stage's people, which the categories add up to). `context` (the dimension) goes into the key,
/// so that two dimensions of the same people draw different noise.
pub fn protect(counts: &[Vec<u64>], totals: &[u64], context: &str, rules: Rules) -> Protected {
    let draws = Draws::new(rules, context, counts, totals);
    let cols = totals.len();
    let index = |r: usize, c: usize| r * cols + c;
    // Totals are indexed after every cell.
    let total_index = |c: usize| counts.len() * cols + c;
    let mut hidden: Vec<Vec<bool>> = counts
        .iter()
        .enumerate()
        .map(|(r, row)| row.iter().enumerate().map(|(c, n)| draws.hidden(*n, index(r, c), rules)).collect())
        .collect();
    // Everyone at a stage in one category: that category is hidden too ("everyone" is never shown).
    for c in 0..cols {
        let mut non_zero = counts.iter().enumerate().filter(|(_, row)| row[c] > 0);
        if let (Some((r, _)), None) = (non_zero.next(), non_zero.next()) {
            hidden[r][c] = true;
        }
    }
    let mut total_hidden: Vec<bool> =
        totals.iter().enumerate().map(|(c, n)| *n > 0 && draws.hidden(*n, total_index(c), rules)).collect();
    let mut row_totals = vec![true; counts.len()];
    secondary(counts, &mut hidden, &mut row_totals, &mut total_hidden);
    let publish = |n: u64, hide: bool, i: usize| {
        if hide { Cell::Suppressed } else { Cell::Shown(draws.round(n, i, rules)) }
    };
    Protected {
        cells: counts
            .iter()
            .enumerate()
            .map(|(r, row)| row.iter().enumerate().map(|(c, n)| publish(*n, hidden[r][c], index(r, c))).collect())
            .collect(),
        totals: totals.iter().enumerate().map(|(c, n)| publish(*n, total_hidden[c], total_index(c))).collect(),
    }
}

#[cfg(test)]
mod tests;
