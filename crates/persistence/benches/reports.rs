//! Times the reports at national scale on both databases: generates a synthetic dataset (one
//! million applications by default; `WEX_BENCH_APPLICATIONS` to change) in a fresh SQLite file and
//! a fresh PostgreSQL schema (`WEX_BENCH_DATABASE_URL`, default the local test database), then
//! runs each report five times and prints the median and slowest run as a Markdown table.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use diesel::connection::SimpleConnection;
use std::time::{Duration, Instant};
use wex_domain::model::auth::{Actor, PlatformRole};
use wex_domain::model::reports::ReportFilter;
use wex_domain::model::reports::measures::SupplyBy;
use wex_domain::model::reports::suppression::Rules;
use wex_domain::model::reports::uptake::Dimension;
use wex_domain::reports::{self, statistics, uptake};
use wex_persistence::DbStore;
use wex_persistence::synthetic::{Spec, generate};
use wex_persistence::testing::TestDb;

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

fn bench(name: &str, db: &TestDb, applications: usize) {
    let store: DbStore = db.store_at(&db.url, Duration::from_secs(30));
    let spec = Spec { applications, ..Spec::default() };
    let t = Instant::now();
    let generated = generate(&store, &spec).expect("generate");
    let load = t.elapsed();
    // Fresh statistics, as a database in service would have.
    let mut conn = wex_persistence::ConnectionManager::new(&db.url).unwrap().establish().unwrap();
    conn.batch_execute("ANALYZE").unwrap();
    println!(
        "\n### {name}: {} applications from {} applicants, loaded in {:.0} s\n",
        generated.applications,
        generated.applicants,
        load.as_secs_f64()
    );
    println!("| report | median ms | slowest ms |\n| --- | ---: | ---: |");
    let mut analyst = Actor::new("bench-analyst");
    analyst.platform_roles.push(PlatformRole::Analyst);
    let rules = Rules::default();
    let national = ReportFilter::default();
    let one_org =
        ReportFilter { organisation_id: generated.organisation_ids.first().copied(), ..ReportFilter::default() };
    let row = |label: &str, (median, slowest): (Duration, Duration)| {
        println!("| {label} | {} | {} |", ms(median), ms(slowest));
    };
    for dimension in [Dimension::UserGroup, Dimension::EthnicityGroup, Dimension::Disability, Dimension::AgeBand] {
        row(
            &format!("uptake by {dimension}, England"),
            time(|| {
                uptake(&store, &analyst, dimension, national.clone(), false, rules).unwrap();
            }),
        );
    }
    row(
        "uptake by ethnicity, one organisation",
        time(|| {
            uptake(&store, &analyst, Dimension::Ethnicity, one_org.clone(), false, rules).unwrap();
        }),
    );
    row(
        "uptake by sex, one region and specialty",
        time(|| {
            let f = ReportFilter {
                region: Some(wex_domain::model::reference::Region::London),
                specialty: Some(wex_domain::model::reference::Specialty::Nursing),
                ..ReportFilter::default()
            };
            uptake(&store, &analyst, Dimension::Sex, f, false, rules).unwrap();
        }),
    );
    row(
        "timeliness, England",
        time(|| {
            reports::timeliness(&store, &analyst, national.clone(), chrono::Utc::now().date_naive(), rules).unwrap();
        }),
    );
    row(
        "supply and demand by specialty, England",
        time(|| {
            reports::supply_and_demand(&store, &analyst, SupplyBy::Specialty, national.clone(), rules).unwrap();
        }),
    );
    row(
        "implementation measures, England",
        time(|| {
            reports::implementation(&store, &analyst, national.clone(), rules).unwrap();
        }),
    );
    row(
        "public statistics",
        time(|| {
            statistics(&store, rules).unwrap();
        }),
    );
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
