//! The access log of a real `wex serve` holds no personal data: no peer address, no value of a
//! query parameter that could say something about the person searching, and a host's subject in a
//! path logged as `{subject}`. SQLite, or PostgreSQL with WEX_TEST_DATABASE_URL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use wex_mail::testing::{free_port, wait_for_port};
use wex_persistence::testing::TestDb;

#[test]
fn the_access_log_keeps_ids_and_codes_and_leaves_people_out() {
    let db = TestDb::new();
    let dir = std::env::temp_dir().join(format!("wex-log-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("stderr.log");
    let port = free_port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wex"));
    for (key, _) in std::env::vars() {
        if key.starts_with("WEX_") {
            cmd.env_remove(key);
        }
    }
    let mut child = cmd
        .env("WEX_DATABASE_URL", &db.url)
        .env("WEX_DATA_DIR", &dir)
        .env("WEX_BIND", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "info")
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(Stdio::from(std::fs::File::create(&log).unwrap()))
        .spawn()
        .unwrap();
    wait_for_port(port, "wex serve");
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let base = format!("http://127.0.0.1:{port}");
    let search =
        format!("{base}/v1/placements?q=Jo%20Bloggs&postcode_district=SO16&age=15&kind=work_experience&limit=5");
    let host = format!("{base}/v1/placements/0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b/hosts/jo.bloggs@example.org");
    let mut ids = Vec::new();
    for url in [&search, &host] {
        let res = if url == &host { agent.delete(url).call() } else { agent.get(url).call() }.unwrap();
        ids.push(res.headers().get("x-request-id").unwrap().to_str().unwrap().to_string());
    }
    // The log line is written as the response goes; wait for both.
    let deadline = Instant::now() + Duration::from_secs(30);
    let text = loop {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if ids.iter().all(|id| text.contains(id.as_str())) || Instant::now() > deadline {
            break text;
        }
        std::thread::yield_now();
    };
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    let lines: Vec<&str> = text.lines().filter(|l| ids.iter().any(|id| l.contains(id.as_str()))).collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].contains("\"GET /v1/placements?q=-&postcode_district=-&age=-&kind=work_experience&limit=5\""),
        "{}",
        lines[0]
    );
    assert!(lines[1].contains("/hosts/{subject}\""), "{}", lines[1]);
    for line in lines {
        for personal in ["Bloggs", "SO16", "age=15", "jo.bloggs", "127.0.0.1 "] {
            assert!(!line.contains(personal), "{personal} in {line}");
        }
    }
}
