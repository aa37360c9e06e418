//! The database going away and coming back, on a PostgreSQL cluster of the test's own (Debian's
//! postgresql-common) that it stops and starts: requests are answered `503 database_unavailable` at
//! once while it is down, readiness says so, and the service recovers by itself with every
//! acknowledged write. SQLite is embedded, so it has no server to lose (the breaker's SQLite test is
//! in wex-persistence).

use serde_json::{Value, json};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;
use wex_persistence::testing::{TEST_DATABASE_URL, migrated_store};

use crate::support::{Options, TestDb, spawn_on};

/// A throw-away PostgreSQL cluster, dropped (stopped and deleted) with this guard, even when the
/// test fails. Never the shared cluster on 5432.
struct Cluster {
    version: String,
    name: String,
    port: u16,
}

fn run(program: &str, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program} (postgresql-common is needed, as root): {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Cluster {
    fn create() -> Cluster {
        // The newest installed server version, as `ls /usr/lib/postgresql` would show it.
        let version = std::fs::read_dir("/usr/lib/postgresql")
            .expect("PostgreSQL server binaries under /usr/lib/postgresql")
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .max()
            .expect("a PostgreSQL version under /usr/lib/postgresql")
            .to_string();
        // A port nobody listens on now; the cluster takes it a moment later.
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let name = format!("wex_outage_{}", &Uuid::new_v4().simple().to_string()[..12]);
        run("pg_createcluster", &[&version, &name, "-p", &port.to_string()]);
        let cluster = Cluster { version, name, port };
        let hba = Path::new("/etc/postgresql").join(&cluster.version).join(&cluster.name).join("pg_hba.conf");
        std::fs::write(&hba, "local all all trust\nhost all all 127.0.0.1/32 trust\n").unwrap();
        cluster.ctl(&["start"]);
        cluster
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// pg_ctlcluster waits for the server to be up (or down) before it returns.
    fn ctl(&self, action: &[&str]) {
        let mut args = vec!["--skip-systemctl-redirect", &self.version, &self.name];
        args.extend_from_slice(action);
        run("pg_ctlcluster", &args);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("pg_dropcluster").args(["--stop", &self.version, &self.name]).output();
    }
}

fn organisation(name: &str) -> Value {
    json!({"name": name, "kind": "nhs_trust", "region": "london"})
}

#[actix_web::test]
async fn requests_fail_at_once_while_the_database_is_down_and_recover_when_it_returns() {
    if !std::env::var(TEST_DATABASE_URL).is_ok_and(|url| url.starts_with("postgres")) {
        eprintln!("SQLite is embedded in the process: there is no database server to lose");
        return;
    }
    let cluster = Cluster::create();
    // Far above a second, so that a request waiting for a connection could not go unnoticed.
    let store = Arc::new(migrated_store(&cluster.url(), Duration::from_secs(30)));
    let app = spawn_on(TestDb::new(), store.clone(), Options::default());
    let admin = app.admin().await;
    let mut acknowledged = Vec::new();
    for n in 0..5 {
        let name = format!("Before {n}");
        app.post("/v1/organisations").token(&admin).json(organisation(&name)).send().await.ok(201);
        acknowledged.push(name);
    }

    cluster.ctl(&["stop", "-m", "immediate"]);
    // The first request finds the database gone: its connection attempt fails and opens the breaker.
    let started = Instant::now();
    app.get("/v1/organisations").send().await.problem(503, "database_unavailable");
    eprintln!("database down: the first request answered 503 in {:?}", started.elapsed());
    assert!(store.breaker().is_open(), "a failed connection attempt opens the breaker");

    // From then on no request waits for a connection: the open breaker refuses each at once, before
    // the pool, and counts it.
    let refused_before = store.breaker().refused_total();
    let (mut slowest_request, mut slowest_ready) = (Duration::ZERO, Duration::ZERO);
    let rounds = 10;
    for n in 0..rounds {
        let t = Instant::now();
        app.get("/v1/organisations").send().await.problem(503, "database_unavailable");
        app.post("/v1/organisations")
            .token(&admin)
            .json(organisation(&format!("During {n}")))
            .send()
            .await
            .problem(503, "database_unavailable");
        slowest_request = slowest_request.max(t.elapsed() / 2);
        let t = Instant::now();
        let ready = app.get("/health/ready").send().await;
        slowest_ready = slowest_ready.max(t.elapsed());
        ready.problem(503, "database_unavailable");
        assert_eq!(ready.header("retry-after").as_deref(), Some("5"));
    }
    eprintln!(
        "database down, breaker open: slowest request {slowest_request:?}, slowest /health/ready {slowest_ready:?}"
    );
    assert_eq!(
        store.breaker().refused_total() - refused_before,
        3 * rounds,
        "every request was refused by the open breaker, none waited for a connection"
    );
    // Work that does not need the database carries on.
    app.get("/health/live").send().await.ok(200);

    let starting = Instant::now();
    cluster.ctl(&["start"]);
    let started = Instant::now();
    eprintln!("database back: pg_ctlcluster start took {:?}", started - starting);
    let breaker = store.clone();
    let closed = actix_web::web::block(move || breaker.breaker().wait_closed(Duration::from_secs(60))).await.unwrap();
    assert!(closed, "a successful connection closes the breaker once the database is back");
    eprintln!("database back: the breaker closed {:?} after the cluster had started", started.elapsed());
    app.get("/health/ready").send().await.ok(200);
    eprintln!("database back: /health/ready answered 200 {:?} after the cluster had started", started.elapsed());
    let list = app.get("/v1/organisations").send().await;
    let mut names: Vec<String> =
        list.ok(200)["items"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap().to_string()).collect();
    names.sort();
    assert_eq!(names, acknowledged, "every acknowledged write is there, and nothing refused was written");
    app.post("/v1/organisations").token(&admin).json(organisation("After")).send().await.ok(201);
}
