//! Times the reports at national scale on both databases: generates a synthetic dataset (one
//! million applications by default; `WEX_BENCH_APPLICATIONS` to change) in a fresh SQLite file and
//! a fresh PostgreSQL schema (`WEX_BENCH_DATABASE_URL`, default the local test database), then
//! runs each report five times from the report counters (as the service serves it) and five times
//! counted from scratch over the applications (`FromScratch`), one after the other, and prints the medians,
//! the slowest runs and how many times faster the counters are, as a Markdown table. It also times
//! a rebuild of the counters from scratch (`wex rebuild-report-counters`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use diesel::connection::SimpleConnection;
use std::time::{Duration, Instant};
use wex_domain::model::auth::{Actor, PlatformRole};
use wex_domain::model::reports::ReportFilter;
use wex_domain::model::reports::measures::SupplyBy;
use wex_domain::model::reports::suppression::Rules;
use wex_domain::model::reports::uptake::Dimension;
use wex_domain::ports::ReportStore;
use wex_domain::reports::{self, statistics, uptake};
use wex_persistence::synthetic::{Spec, generate};
use wex_persistence::testing::TestDb;
use wex_persistence::{DbStore, FromScratch};

const RUNS: usize = 5;

fn time(mut f: impl FnMut()) -> (Duration, Duration) {
    let mut runs: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    runs.sort();
    (runs[RUNS / 2], runs[RUNS - 1])
}

fn ms(d: Duration) -> String {
    format!("{:.0}", d.as_secs_f64() * 1000.0)
}

type Report<'a> = Box<dyn Fn(&dyn ReportStore) + 'a>;

fn bench(name: &str, db: &TestDb, applications: usize) {
    let store: DbStore = db.store_at(&db.url, Duration::from_secs(30));
    let spec = Spec { applications, ..Spec::default() };
    let t = Instant::now();
    let generated = generate(&store, &spec).expect("generate");
    let load = t.elapsed();
    // Fresh statistics, as a database in service would have.
    let mut conn = wex_persistence::ConnectionManager::new(&db.url).unwrap().establish().unwrap();
    conn.batch_execute("ANALYZE").unwrap();
    let t = Instant::now();
    let rows = store.rebuild_report_counters().expect("rebuild");
    let rebuild = t.elapsed();
    conn.batch_execute("ANALYZE").unwrap();
    println!(
        "\n### {name}: {} applications from {} applicants, loaded in {:.0} s; counters rebuilt in {:.1} s ({rows} rows)\n",
        generated.applications,
        generated.applicants,
        load.as_secs_f64(),
        rebuild.as_secs_f64()
    );
    println!(
        "| report | counters: median ms | slowest ms | from scratch: median ms | slowest ms | times faster |\n\
         | --- | ---: | ---: | ---: | ---: | ---: |"
    );
    let mut analyst = Actor::new("bench-analyst");
    analyst.platform_roles.push(PlatformRole::Analyst);
    let rules = Rules::default();
    let national = ReportFilter::default();
    let one_org =
        ReportFilter { organisation_id: generated.organisation_ids.first().copied(), ..ReportFilter::default() };
    let region_specialty = ReportFilter {
        region: Some(wex_domain::model::reference::Region::London),
        specialty: Some(wex_domain::model::reference::Specialty::Nursing),
        ..ReportFilter::default()
    };
    let today = chrono::Utc::now().date_naive();
    let mut reports: Vec<(String, Report)> = Vec::new();
    for dimension in [Dimension::UserGroup, Dimension::EthnicityGroup, Dimension::Disability, Dimension::AgeBand] {
        let (analyst, national) = (analyst.clone(), national.clone());
        reports.push((
            format!("uptake by {dimension}, England"),
            Box::new(move |s| {
                uptake(s, &analyst, dimension, national.clone(), false, rules).unwrap();
            }),
        ));
    }
    reports.push((
        "uptake by ethnicity, one organisation".into(),
        Box::new(|s| {
            uptake(s, &analyst, Dimension::Ethnicity, one_org.clone(), false, rules).unwrap();
        }),
    ));
    reports.push((
        "uptake by sex, one region and specialty".into(),
        Box::new(|s| {
            uptake(s, &analyst, Dimension::Sex, region_specialty.clone(), false, rules).unwrap();
        }),
    ));
    reports.push((
        "timeliness, England".into(),
        Box::new(|s| {
            reports::timeliness(s, &analyst, national.clone(), today, rules).unwrap();
        }),
    ));
    reports.push((
        "supply and demand by specialty, England".into(),
        Box::new(|s| {
            reports::supply_and_demand(s, &analyst, SupplyBy::Specialty, national.clone(), rules).unwrap();
        }),
    ));
    reports.push((
        "implementation measures, England".into(),
        Box::new(|s| {
            reports::implementation(s, &analyst, national.clone(), rules).unwrap();
        }),
    ));
    reports.push((
        "public statistics".into(),
        Box::new(|s| {
            statistics(s, rules).unwrap();
        }),
    ));
    let scratch = FromScratch(&store);
    for (label, report) in &reports {
        let (counted, counted_slowest) = time(|| report(&store));
        let (from_scratch, scratch_slowest) = time(|| report(&scratch));
        println!(
            "| {label} | {} | {} | {} | {} | {:.1} |",
            ms(counted),
            ms(counted_slowest),
            ms(from_scratch),
            ms(scratch_slowest),
            from_scratch.as_secs_f64() / counted.as_secs_f64().max(1e-6)
        );
    }
}

fn main() {
    let applications: usize =
        std::env::var("WEX_BENCH_APPLICATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let pg = std::env::var("WEX_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string());
    println!("## Reports at national scale ({applications} applications, {RUNS} runs each)");
    bench("SQLite", &TestDb::sqlite(), applications);
    bench("PostgreSQL", &TestDb::postgres(&pg), applications);
}
