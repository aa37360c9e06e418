//! `wex serve` in production mode with `WEX_JWT_JWKS_URL`: keys fetched from a JWKS endpoint on
//! loopback, rotated while the process runs, and kept while the endpoint is down; start-up fails
//! when the first fetch does. SQLite, or PostgreSQL with WEX_TEST_DATABASE_URL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use wex_http::testing::{JwksServer, SigningKey};
use wex_mail::testing::{free_port, wait_for_port};
use wex_persistence::testing::TestDb;

const ISSUER: &str = "https://auth.login.nhs.uk";

struct Server {
    child: Child,
    base: String,
    dir: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `wex serve` in production mode, its keys at `jwks_url`, on a free port.
fn wex(db: &TestDb, jwks_url: &str, bind: &str) -> (Command, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("wex-jwks-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wex"));
    for (key, _) in std::env::vars() {
        if key.starts_with("WEX_") {
            cmd.env_remove(key);
        }
    }
    let smtp = format!("smtp://127.0.0.1:{}", free_port());
    cmd.arg("serve").env("RUST_LOG", "warn").env("WEX_DATA_DIR", &dir).env("WEX_DATABASE_URL", &db.url);
    for (k, v) in [
        ("WEX_MODE", "production"),
        ("WEX_BIND", bind),
        ("WEX_JWT_ISSUER", ISSUER),
        ("WEX_JWT_JWKS_URL", jwks_url),
        // Fetched again every second; tokens naming unknown kids fetch at most once an hour, so
        // that what the test sees after the first rotation is the periodic refresh's work.
        ("WEX_JWT_JWKS_REFRESH_SECONDS", "1"),
        ("WEX_JWT_JWKS_REFRESH_MIN_SECONDS", "3600"),
        ("WEX_DISCLOSURE_KEY", "0123456789abcdef0123456789abcdef"),
        ("WEX_SMTP_URL", &smtp),
        ("WEX_EMAIL_FROM", "wex@example.org"),
        ("WEX_FRONTEND_BASE_URL", "https://wex.example"),
        ("WEX_SCHEDULER_INTERVAL_SECONDS", "0"),
    ] {
        cmd.env(k, v);
    }
    (cmd, dir)
}

fn serve(db: &TestDb, jwks_url: &str) -> Server {
    let port = free_port();
    let bind = format!("127.0.0.1:{port}");
    let (mut cmd, dir) = wex(db, jwks_url, &bind);
    let child = cmd.stdout(Stdio::null()).spawn().unwrap();
    let server = Server { child, base: format!("http://{bind}"), dir };
    wait_for_port(port, "wex serve");
    server
}

fn token(key: &SigningKey, sub: &str) -> String {
    let now = chrono::Utc::now().timestamp();
    key.sign(&json!({"sub": sub, "iss": ISSUER, "aud": "wex-api", "iat": now, "exp": now + 600}))
}

/// `GET /v1/me` with this token: the status and the subject it names.
fn me(base: &str, token: &str) -> (u16, Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut response =
        agent.get(format!("{base}/v1/me")).header("Authorization", format!("Bearer {token}")).call().unwrap();
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap_or_default();
    (status, serde_json::from_str::<Value>(&text).unwrap_or(Value::Null)["subject"].clone())
}

/// Waits, bounded, until `done`.
fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_follows_the_providers_key_rotation_and_keeps_its_keys_while_the_provider_is_down() {
    let db = TestDb::new();
    let old = SigningKey::generate("2026-11");
    let new = SigningKey::generate("2026-12");
    let jwks = JwksServer::start(&[&old]);
    let server = serve(&db, &jwks.url);
    assert_eq!(me(&server.base, &token(&old, "nhs-1")), (200, json!("nhs-1")));

    // The provider publishes its next key and signs with it: accepted, no restart.
    jwks.publish(&[&old, &new]);
    eventually("a token under the new kid to be accepted", || me(&server.base, &token(&new, "nhs-2")).0 == 200);
    assert_eq!(me(&server.base, &token(&new, "nhs-2")), (200, json!("nhs-2")));

    // It withdraws the old key: once the periodic refresh has run, the old kid is refused.
    jwks.publish(&[&new]);
    eventually("the withdrawn kid to be refused", || me(&server.base, &token(&old, "nhs-1")).0 == 401);
    assert_eq!(me(&server.base, &token(&new, "nhs-2")).0, 200);

    // Down for at least two periodic refreshes: the held key still verifies.
    jwks.go_down();
    let fetches = jwks.fetches();
    eventually("two refreshes to fail", || jwks.fetches() >= fetches + 2);
    assert_eq!(me(&server.base, &token(&new, "nhs-2")), (200, json!("nhs-2")));
    assert_eq!(me(&server.base, &token(&old, "nhs-1")).0, 401);
}

#[test]
fn serve_refuses_to_start_when_the_first_fetch_fails() {
    let db = TestDb::new();
    let jwks = JwksServer::start(&[]);
    jwks.go_down();
    let (mut cmd, dir) = wex(&db, &jwks.url, &format!("127.0.0.1:{}", free_port()));
    let out = cmd.output().unwrap();
    std::fs::remove_dir_all(dir).ok();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("WEX_JWT_JWKS_URL") && stderr.contains("503"), "{stderr}");

    // Plain HTTP to anything but a loopback host is refused before any fetch.
    let (mut cmd, dir) = wex(&db, "http://idp.example/jwks", "127.0.0.1:0");
    let out = cmd.output().unwrap();
    std::fs::remove_dir_all(dir).ok();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("https://"));
}
