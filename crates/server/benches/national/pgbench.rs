//! PostgreSQL's own rate for a draw's writes: after wex has drawn every placement, pgbench writes
//! the very rows the draws wrote again, into copies of their tables (same columns, indexes,
//! constraints and foreign keys, in a schema of their own), one transaction per placement with
//! one multi-row statement per table, on one connection as the scheduler uses. The rows to write
//! are staged beforehand, indexed by placement, so what pgbench times is the database writing
//! them, not finding them.

use diesel::connection::SimpleConnection;
use std::process::Command;
use std::time::{Duration, Instant};
use wex_persistence::ConnectionManager;

/// Fresh planner statistics, as a database in service would have after a load.
pub fn analyze(url: &str) {
    ConnectionManager::new(url).unwrap().establish().unwrap().batch_execute("ANALYZE").unwrap();
}

/// What autovacuum's ANALYZE would have done by now, on a machine where autovacuum is off (as on
/// the one CI runs on): every table of the schema changed by more than its default threshold
/// (50 rows and a tenth of the table) since it was last analysed is analysed. Without it the
/// statistics stay those of the start of the draws: PostgreSQL keeps plans made for tables as
/// they were (the foreign-key checks' among them, for the life of a connection), and a national
/// run drawing into tables that grow from nothing becomes a benchmark of stale plans. The names
/// of the tables analysed.
pub fn analyze_as_autovacuum_would(url: &str) -> Vec<String> {
    let due = psql(
        url,
        "SELECT string_agg(s.relname, ',') FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid \
         WHERE s.schemaname = current_schema() AND s.n_mod_since_analyze > 50 + 0.1 * GREATEST(c.reltuples, 0)",
    );
    let tables: Vec<String> = due.split(',').filter(|t| !t.is_empty()).map(str::to_string).collect();
    if !tables.is_empty() {
        psql(url, &format!("ANALYZE {}", tables.join(", ")));
    }
    tables
}

/// The tables a draw inserts into, and which rows of each a placement's draw wrote: `{s}` is the
/// schema wex ran in, the rows are those written at the draw (every draw ran at the same time,
/// after every application was made).
const INSERTED: [(&str, &str); 8] = [
    ("draws", "SELECT x.*, w.n AS bench_n FROM {s}.draws x JOIN {p}.work w ON w.placement_id = x.placement_id"),
    (
        "draw_entries",
        "SELECT x.*, w.n AS bench_n FROM {s}.draw_entries x JOIN {p}.work w ON w.placement_id = x.placement_id",
    ),
    ("offers", "SELECT x.*, w.n AS bench_n FROM {s}.offers x JOIN {p}.work w ON w.placement_id = x.placement_id"),
    (
        "application_events",
        "SELECT x.*, w.n AS bench_n FROM {s}.application_events x JOIN {s}.applications a ON a.id = x.application_id \
         JOIN {p}.work w ON w.placement_id = a.placement_id WHERE x.at >= {drawn_at}",
    ),
    (
        "events",
        "SELECT x.*, w.n AS bench_n FROM {s}.events x LEFT JOIN {s}.applications a ON a.id = x.application_id \
         JOIN {p}.work w ON w.placement_id = COALESCE(x.placement_id, a.placement_id) WHERE x.occurred_at >= {drawn_at}",
    ),
    (
        "notifications",
        "SELECT x.*, w.n AS bench_n FROM {s}.notifications x JOIN {s}.applications a ON a.id = x.application_id \
         JOIN {p}.work w ON w.placement_id = a.placement_id WHERE x.created_at >= {drawn_at}",
    ),
    (
        "report_characteristics",
        "SELECT x.*, w.n AS bench_n FROM {s}.report_characteristics x JOIN {s}.applications a ON a.id = x.application_id \
         JOIN {p}.work w ON w.placement_id = a.placement_id",
    ),
    (
        "report_answers",
        "SELECT x.*, w.n AS bench_n FROM {s}.report_answers x JOIN {s}.applications a ON a.id = x.application_id \
         JOIN {p}.work w ON w.placement_id = a.placement_id",
    ),
];

/// The tables a draw updates: the placement, and every entrant's application.
const UPDATED: [(&str, &str); 2] = [
    ("placements", "SELECT x.*, w.n AS bench_n FROM {s}.placements x JOIN {p}.work w ON w.placement_id = x.id"),
    (
        "applications",
        "SELECT x.*, w.n AS bench_n FROM {s}.applications x JOIN {p}.work w ON w.placement_id = x.placement_id",
    ),
];

/// The table a draw upserts: the report counters of its placement, keyed by breakdown and keys.
/// wex takes the placement's applications out of them and counts them back in; pgbench writes
/// each row's final counts once.
const UPSERTED: (&str, &str, &str) = (
    "report_funnel",
    "SELECT x.*, w.n AS bench_n FROM {s}.report_funnel x JOIN {p}.work w ON w.placement_id = x.placement_id",
    "breakdown, placement_id, k1, k2",
);

/// The tables of the narrower comparison: entries, applications and offers only.
const NARROW: [&str; 3] = ["draw_entries", "applications", "offers"];

fn psql(url: &str, sql: &str) -> String {
    let out = Command::new("psql")
        .args([url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .output()
        .expect("psql runs");
    assert!(out.status.success(), "psql failed: {}\n{sql}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The schema a test database's URL puts first on the search path.
fn schema_of(url: &str) -> String {
    url.rsplit("search_path%3D").next().unwrap().split('&').next().unwrap().to_string()
}

/// The columns of `table` the draw writes, in order: all but those filled by a sequence or from
/// the transaction id (identity and defaults), which the copy fills the same way.
fn columns(url: &str, schema: &str, table: &str) -> Vec<String> {
    let list = psql(
        url,
        &format!(
            "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns \
             WHERE table_schema = '{schema}' AND table_name = '{table}' AND is_identity = 'NO' \
             AND COALESCE(column_default, '') NOT LIKE 'nextval%' AND COALESCE(column_default, '') NOT LIKE '%xact_id%'"
        ),
    );
    list.split(',').map(str::to_string).collect()
}

/// Copies of the tables (with the foreign keys, to the originals' rows), the rows staged by
/// placement, and a placement number for each placement.
fn prepare(url: &str, s: &str, p: &str) {
    // When the first draw was made, as a literal: a function in the staging queries' conditions
    // would be run once per row (two million of them in a national run), each time over every draw.
    let drawn_at = psql(url, &format!("SELECT quote_literal(min(drawn_at)) FROM {s}.draws"));
    let drawn_at = format!("CAST({drawn_at} AS TIMESTAMP)");
    let fill = |sql: &str| sql.replace("{s}", s).replace("{p}", p).replace("{drawn_at}", &drawn_at);
    psql(
        url,
        &fill(
            "CREATE SCHEMA {p}; \
             CREATE TABLE {p}.work AS SELECT CAST(row_number() OVER (ORDER BY x.id) AS INTEGER) AS n, x.id AS placement_id \
             FROM {s}.draws d JOIN {s}.placements x ON x.id = d.placement_id; \
             CREATE UNIQUE INDEX ON {p}.work (n); CREATE INDEX ON {p}.work (placement_id);",
        ),
    );
    let upserted = (UPSERTED.0, UPSERTED.1);
    for (table, staged) in INSERTED.iter().chain(UPDATED.iter()).chain([&upserted]) {
        psql(
            url,
            &fill(&format!(
                "CREATE TABLE {{p}}.{table} (LIKE {{s}}.{table} INCLUDING ALL); \
                 CREATE TABLE {{p}}.src_{table} AS {staged}; CREATE INDEX ON {{p}}.src_{table} (bench_n); \
                 DO $$ DECLARE r record; BEGIN \
                 FOR r IN SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c \
                 WHERE c.contype = 'f' AND c.conrelid = '{{s}}.{table}'::regclass LOOP \
                 EXECUTE format('ALTER TABLE {{p}}.{table} ADD %s', replace(r.def, 'REFERENCES ', 'REFERENCES {{s}}.')); \
                 END LOOP; END $$;"
            )),
        );
    }
    // The updated tables start as wex's do after the draw; the update writes the same values.
    for (table, _) in UPDATED.iter().chain([&upserted]) {
        psql(url, &fill(&format!("INSERT INTO {{p}}.{table} SELECT * FROM {{s}}.{table}")));
    }
    psql(url, &format!("ANALYZE; SET search_path = {p}; ANALYZE"));
}

/// One placement's draw: every table written in one multi-row statement.
fn script(url: &str, s: &str, p: &str, tables: &[&str]) -> String {
    // Client c of `clients` writes placements c + 1, c + 1 + clients, ...: each once.
    let mut sql = String::from("\\set n 1 + :client_id + :clients * :i\n\\set i :i + 1\nBEGIN;\n");
    for (table, _) in INSERTED.iter().filter(|(t, _)| tables.contains(t)) {
        let cols = columns(url, s, table).join(", ");
        sql.push_str(&format!(
            "INSERT INTO {p}.{table} ({cols}) SELECT {cols} FROM {p}.src_{table} WHERE bench_n = :n;\n"
        ));
    }
    for (table, _) in UPDATED.iter().filter(|(t, _)| tables.contains(t)) {
        let sets: Vec<String> =
            columns(url, s, table).into_iter().filter(|c| c != "id").map(|c| format!("{c} = v.{c}")).collect();
        sql.push_str(&format!(
            "UPDATE {p}.{table} t SET {} FROM {p}.src_{table} v WHERE v.bench_n = :n AND t.id = v.id AND t.version = v.version;\n",
            sets.join(", ")
        ));
    }
    let (table, _, key) = UPSERTED;
    if tables.contains(&table) {
        let cols = columns(url, s, table);
        let key: Vec<&str> = key.split(", ").collect();
        let sets: Vec<String> =
            cols.iter().filter(|c| !key.contains(&c.as_str())).map(|c| format!("{c} = excluded.{c}")).collect();
        let cols = cols.join(", ");
        sql.push_str(&format!(
            "INSERT INTO {p}.{table} ({cols}) SELECT {cols} FROM {p}.src_{table} WHERE bench_n = :n \
             ON CONFLICT ({}) DO UPDATE SET {};\n",
            key.join(", "),
            sets.join(", ")
        ));
    }
    sql.push_str("COMMIT;\n");
    sql
}

/// Rows staged for these tables, those of them staged for the inserted tables, and rows pgbench
/// wrote into the inserted tables.
fn rows(url: &str, p: &str, tables: &[&str]) -> (i64, i64, i64) {
    let count = |t: &str| psql(url, &format!("SELECT count(*) FROM {p}.{t}")).parse::<i64>().unwrap();
    let staged = tables.iter().map(|t| count(&format!("src_{t}"))).sum();
    let inserted = INSERTED.iter().filter(|(t, _)| tables.contains(t));
    let to_insert = inserted.clone().map(|(t, _)| count(&format!("src_{t}"))).sum();
    let written = inserted.map(|(t, _)| count(t)).sum();
    (staged, to_insert, written)
}

/// Runs pgbench over every placement with `tables` on `clients` connections; how long it took.
fn run(url: &str, s: &str, p: &str, size: (usize, usize), tables: &[&str], label: &str) -> Duration {
    let (placements, clients) = size;
    let path = std::env::temp_dir().join(format!("{p}-{}.sql", tables.len()));
    std::fs::write(&path, script(url, s, p, tables)).unwrap();
    let t = Instant::now();
    let each = placements.div_ceil(clients).to_string();
    let out = Command::new("pgbench")
        .args(["-n", "-c", &clients.to_string(), "-t", &each, "-D", "i=0", "-D", &format!("clients={clients}"), "-f"])
        .arg(&path)
        .arg(url)
        .output()
        .expect("pgbench runs");
    let took = t.elapsed();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && report.contains("number of failed transactions: 0"),
        "pgbench failed:\n{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_file(&path).unwrap();
    let (staged, to_insert, written) = rows(url, p, tables);
    println!(
        "- pgbench, {label}: {staged} rows, {written} of them inserted, in {:.1} s ({clients} connections)",
        took.as_secs_f64()
    );
    assert_eq!(to_insert, written, "pgbench inserted every staged row once");
    took
}

/// Times pgbench writing what every draw wrote (then only the entries, applications and offers),
/// and drops its schema; the two times.
pub fn same_rows(url: &str, placements: usize, clients: usize) -> (Duration, Duration) {
    let s = schema_of(url);
    let p = format!("{s}_pgbench");
    prepare(url, &s, &p);
    let mut all: Vec<&str> = INSERTED.iter().chain(UPDATED.iter()).map(|(t, _)| *t).collect();
    all.push(UPSERTED.0);
    let whole = run(url, &s, &p, (placements, clients), &all, "every row the draws wrote");
    for (table, _) in INSERTED {
        psql(url, &format!("TRUNCATE {p}.{table}"));
    }
    let narrow = run(url, &s, &p, (placements, clients), &NARROW, "entries, applications and offers only");
    psql(url, &format!("DROP SCHEMA {p} CASCADE"));
    (whole, narrow)
}
