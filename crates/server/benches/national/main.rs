//! The national cycle (`make bench-national`): a year's placements and applications made through
//! the real use cases, every placement drawn by the scheduler, and PostgreSQL's own rate for
//! writing the same rows (pgbench, in the same run) to compare the draw with.
//!
//! Sizes and the rest from the environment (defaults: the national year of issue 15):
//!
//! | variable | default | meaning |
//! | --- | --- | --- |
//! | `WEX_NATIONAL_PLACEMENTS` | 20000 | placements, 1 to 10 places each |
//! | `WEX_NATIONAL_APPLICATIONS` | 1000000 | applications, three per applicant |
//! | `WEX_NATIONAL_THREADS` | 4 | threads making placements, applicants and applications |
//! | `WEX_NATIONAL_DRAWS` | 4 | placements the scheduler draws at once (pgbench's connections too) |
//! | `WEX_NATIONAL_VERIFY` | 20 | draws checked with docs/verify_draw.py |
//! | `WEX_NATIONAL_DATABASE_URL` | the local test database | PostgreSQL (a fresh schema, dropped after) |
//! | `WEX_NATIONAL_SQLITE` | unset | `1` runs the cycle on SQLite as well (no pgbench there) |

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod load;
mod pgbench;

use std::time::{Duration, Instant};
use uuid::Uuid;
use wex_domain::model::reference::PlacementStatus;
use wex_domain::ports::{DrawStore, OfferStore, PlacementStore};
use wex_domain::selection;
use wex_persistence::testing::{TestDb, migrated_store_with};
use wex_persistence::{DbStore, PoolOptions};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

pub struct Size {
    pub placements: usize,
    pub applications: usize,
    pub threads: usize,
    pub draws_at_once: usize,
}

fn rate(n: usize, took: Duration) -> f64 {
    n as f64 / took.as_secs_f64()
}

/// What a run measured.
struct Figures {
    apply_rate: f64,
    draw_entries: usize,
    draw_time: Duration,
}

fn cycle(name: &str, db: &TestDb, size: &Size, verify: usize) -> Figures {
    let options = PoolOptions {
        max_size: u32::try_from(size.threads.max(size.draws_at_once) + 1).unwrap(),
        connection_timeout: Duration::from_secs(60),
        ..PoolOptions::default()
    };
    let store: DbStore = migrated_store_with(&db.url, options);
    println!("\n### {name}\n");
    let world = load::World::new(&store);

    let t = Instant::now();
    let placements = world.placements(&store, size);
    println!("- {} placements created and published in {:.1} s", placements.len(), t.elapsed().as_secs_f64());

    let applicants = size.applications.div_ceil(load::PER_APPLICANT);
    let t = Instant::now();
    let actors = world.applicants(&store, applicants, size.threads);
    println!("- {} applicants with profiles in {:.1} s", actors.len(), t.elapsed().as_secs_f64());

    let t = Instant::now();
    let applied = world.apply_all(&store, &actors, &placements, size);
    let took = t.elapsed();
    let apply_rate = rate(applied, took);
    println!(
        "- **{applied} applications in {:.1} s: {apply_rate:.0} applications/s** ({} threads)",
        took.as_secs_f64(),
        size.threads
    );
    pgbench::analyze(&db.url);

    // The scheduler, after every placement has closed, until nothing is left to draw; between
    // its runs, the statistics autovacuum would have kept (on PostgreSQL: none on SQLite).
    let now = world.draw_time();
    let t = Instant::now();
    let mut drawn = 0;
    let mut failed = 0;
    // The scheduler's own time: autovacuum would analyse in its own process while the draws went
    // on, so the bench's stand-in for it is timed apart.
    let mut analysing = Duration::ZERO;
    loop {
        let report = selection::draw_due(&store, now, 500, size.draws_at_once).unwrap();
        for (id, e) in &report.failed {
            println!("  draw of {id} failed: {e:?}");
        }
        failed += report.failed.len();
        if report.drawn.is_empty() {
            break;
        }
        drawn += report.drawn.len();
        if db.is_postgres() {
            let a = Instant::now();
            pgbench::analyze_as_autovacuum_would(&db.url);
            analysing += a.elapsed();
        }
    }
    let draw_time = t.elapsed() - analysing;
    let draw_entries = check_draws(&store, &placements, drawn, failed);
    println!(
        "- **{drawn} placements drawn, {draw_entries} entries in {:.1} s: {:.0} entries/s** (scheduler, {} at once; \
         ANALYZE between its runs took {:.1} s more)",
        draw_time.as_secs_f64(),
        rate(draw_entries, draw_time),
        size.draws_at_once,
        analysing.as_secs_f64()
    );
    load::verify_sample(&store, &placements, verify);
    Figures { apply_rate, draw_entries, draw_time }
}

/// Every placement drawn and allocated, none over-filled; the number of entries drawn.
fn check_draws(store: &DbStore, placements: &[Uuid], drawn: usize, failed: usize) -> usize {
    assert_eq!(failed, 0, "no draw may fail");
    assert_eq!(drawn, placements.len(), "every placement is drawn once");
    let mut entries = 0;
    let mut offers = 0;
    for id in placements {
        let placement = store.placement(*id).unwrap();
        assert_eq!(placement.status, PlacementStatus::Allocated);
        let draw = store.draw(*id).unwrap().expect("drawn");
        let taken = store.places_taken(*id).unwrap();
        let capacity = u32::try_from(placement.details.capacity).unwrap();
        assert!(taken <= capacity, "placement {id} over-filled: {taken} offers for {capacity} places");
        assert_eq!(taken as usize, draw.entries.len().min(capacity as usize), "every place offered");
        entries += draw.entries.len();
        offers += taken as usize;
    }
    println!("- checked: every placement drawn once and allocated, {offers} offers, none over capacity");
    entries
}

fn main() {
    let size = Size {
        placements: env("WEX_NATIONAL_PLACEMENTS", 20_000),
        applications: env("WEX_NATIONAL_APPLICATIONS", 1_000_000),
        threads: env("WEX_NATIONAL_THREADS", 4).max(1),
        draws_at_once: env("WEX_NATIONAL_DRAWS", 4).max(1),
    };
    let verify = env("WEX_NATIONAL_VERIFY", 20);
    let pg = std::env::var("WEX_NATIONAL_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string());
    println!(
        "## The national cycle: {} placements, {} applications, {} threads",
        size.placements, size.applications, size.threads
    );
    let db = TestDb::postgres(&pg);
    let figures = cycle("PostgreSQL", &db, &size, verify);
    let wex_rate = rate(figures.draw_entries, figures.draw_time);
    let (whole, narrow) = pgbench::same_rows(&db.url, size.placements, size.draws_at_once);
    println!("\n| PostgreSQL | wex | pgbench | ratio |\n| --- | ---: | ---: | ---: |");
    for (label, took) in [("every row the draws wrote", whole), ("entries, applications, offers only", narrow)] {
        let own_rate = rate(figures.draw_entries, took);
        println!(
            "| drawing, entries/s (pgbench: {label}) | {wex_rate:.0} | {own_rate:.0} | {:.2} |",
            wex_rate / own_rate
        );
    }
    println!("| applying, applications/s | {:.0} | | |", figures.apply_rate);
    drop(db);
    if std::env::var("WEX_NATIONAL_SQLITE").is_ok_and(|v| v == "1") {
        let db = TestDb::sqlite();
        let figures = cycle("SQLite", &db, &size, verify);
        println!(
            "\n| SQLite | wex |\n| --- | ---: |\n| drawing (entries/s) | {:.0} |\n| applying (applications/s) | {:.0} |",
            rate(figures.draw_entries, figures.draw_time),
            figures.apply_rate
        );
    }
}
