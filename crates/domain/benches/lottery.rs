//! `make bench`: how long the draw takes for large placements (a national scheme may see tens of
//! thousands of entries for one popular placement). Plain timing with the best of several runs;
//! run in release mode by `cargo bench`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};
use uuid::Uuid;
use wex_domain::model::lottery::{DrawSeed, Entry, entries_digest, rank};

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .min()
        .unwrap()
}

fn main() {
    let seed = DrawSeed::generate().unwrap();
    let placement = Uuid::now_v7();
    println!("{:>9} {:>12} {:>14}", "entries", "rank (ms)", "digest (ms)");
    for n in [1_000usize, 10_000, 100_000] {
        let entries: Vec<Entry> = (0..n).map(|i| Entry { ticket: Uuid::new_v4(), tier: 1 + (i % 3) as u32 }).collect();
        let ranking = best_of(5, || rank(&seed, placement, &entries));
        let digest = best_of(5, || entries_digest(&entries));
        println!("{n:>9} {:>12.2} {:>14.2}", ranking.as_secs_f64() * 1e3, digest.as_secs_f64() * 1e3);
    }
}
