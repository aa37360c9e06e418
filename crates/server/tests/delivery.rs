//! `wex serve` sending real email: the README's applicant applies over HTTP, and the message reaches
//! a GOV.UK Notify-speaking server, or an SMTP server, on loopback. Also: a worker killed mid-send
//! (SIGKILL) loses nothing, and two processes share the sandbox clock. SQLite, or PostgreSQL with
//! WEX_TEST_DATABASE_URL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use wex_domain::delivery::LEASE;
use wex_domain::model::delivery::DeliveryStatus;
use wex_domain::ports::DeliveryStore;
use wex_mail::testing::{FakeNotify, Smtpd, TEMPLATE_ID, api_key, free_port, wait_for_port};
use wex_persistence::testing::TestDb;

const FRONTEND: &str = "https://wex.example";

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

fn wex(db: &TestDb, dir: &std::path::Path, vars: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wex"));
    for (key, _) in std::env::vars() {
        if key.starts_with("WEX_") && key != "WEX_TEST_PYTHON" {
            cmd.env_remove(key);
        }
    }
    cmd.env("WEX_DATABASE_URL", &db.url).env("WEX_DATA_DIR", dir).env("RUST_LOG", "warn");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd
}

/// Loads the demo data and serves it with these variables on a free port.
fn serve(db: &TestDb, vars: &[(&str, &str)], demo: bool) -> Server {
    let dir = std::env::temp_dir().join(format!("wex-serve-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    if demo {
        assert!(wex(db, &dir, &[]).arg("demo-data").status().unwrap().success());
    }
    let port = free_port();
    let bind = format!("127.0.0.1:{port}");
    let child = wex(db, &dir, &[vars, &[("WEX_BIND", &bind), ("WEX_DELIVERY_IDLE_MS", "50")]].concat())
        .arg("serve")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server { child, base: format!("http://{bind}"), dir };
    wait_for_port(port, "wex serve");
    server
}

fn call(method: &str, url: &str, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let auth = token.map(|t| format!("Bearer {t}"));
    let response = match (method, body) {
        ("GET", _) => {
            let mut r = agent.get(url);
            if let Some(a) = &auth {
                r = r.header("Authorization", a);
            }
            r.call()
        }
        (_, body) => {
            let mut r = if method == "PUT" { agent.put(url) } else { agent.post(url) };
            if let Some(a) = &auth {
                r = r.header("Authorization", a);
            }
            r.send_json(body.unwrap_or(json!({})))
        }
    };
    let mut response = response.unwrap();
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The README's tour: an applicant makes a profile and applies. Returns the application's id.
fn apply(base: &str) -> String {
    apply_as(base, "applicant-1", "jo@example.org")
}

/// [`apply`] for an applicant of this subject and email address.
fn apply_as(base: &str, subject: &str, email: &str) -> String {
    let (status, token) = call(
        "POST",
        &format!("{base}/v1/sandbox/tokens"),
        None,
        Some(json!({"role": "applicant", "subject": subject})),
    );
    assert_eq!(status, 201, "{token}");
    let token = token["token"].as_str().unwrap().to_string();
    let profile = json!({"preferred_name": "Jo", "email": email, "date_of_birth": "1996-05-17",
        "postcode": "so16 6yd", "user_groups": ["career_changers"]});
    let (status, body) = call("PUT", &format!("{base}/v1/me/profile"), Some(&token), Some(profile));
    assert_eq!(status, 201, "{body}");
    let (_, notice) = call("GET", &format!("{base}/v1/privacy-notice"), None, None);
    let search = "open_now=true&age=30&user_group=career_changers&postcode_district=SO16&delivery=in_person&limit=1";
    let (_, open) = call("GET", &format!("{base}/v1/placements?{search}"), None, None);
    let placement = open["items"][0]["id"].as_str().unwrap();
    let application = json!({"privacy_notice_version": notice["version"], "answers": []});
    let (status, body) =
        call("POST", &format!("{base}/v1/placements/{placement}/applications"), Some(&token), Some(application));
    assert_eq!(status, 201, "{body}");
    body["id"].as_str().unwrap().to_string()
}

/// Waits, bounded, until `found` gives something.
fn eventually<T>(what: &str, mut found: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(x) = found() {
            return x;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The variables that send email through `notify`, signed with `key`.
fn notify_vars<'a>(notify: &'a FakeNotify, key: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("WEX_NOTIFY_API_KEY", key),
        ("WEX_NOTIFY_BASE_URL", notify.base_url.as_str()),
        ("WEX_NOTIFY_TEMPLATE_ID", TEMPLATE_ID),
        ("WEX_FRONTEND_BASE_URL", FRONTEND),
    ]
}

#[test]
fn applying_sends_a_signed_request_to_notify() {
    let db = TestDb::new();
    let notify = FakeNotify::start();
    let key = api_key();
    let server = serve(&db, &notify_vars(&notify, &key), true);
    apply(&server.base);
    let received = eventually("Notify to receive the message", || {
        notify.received().into_iter().find(|r| r.email_address == "jo@example.org")
    });
    assert!(received.authorised, "signed with the key's secret, iss the service, iat now");
    assert_eq!((received.template_id.as_str(), received.status), (TEMPLATE_ID, 201));
    assert!(!received.subject.is_empty() && !received.body.is_empty());
    // The sandbox outbox shows it sent, with its attempt, under the reference Notify received.
    let (_, outbox) = call("GET", &format!("{}/v1/sandbox/outbox?limit=100", server.base), None, None);
    let item = outbox["items"].as_array().unwrap().iter().find(|m| m["id"] == received.reference.as_str()).cloned();
    let item = item.expect("the message Notify received is in the outbox under its reference");
    let sent = eventually("the attempt to be recorded", || {
        let (_, outbox) = call("GET", &format!("{}/v1/sandbox/outbox?limit=100", server.base), None, None);
        outbox["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == item["id"] && m["delivery"]["status"] == "sent")
            .cloned()
    });
    assert_eq!(sent["delivery"]["attempts"][0]["transport"], "notify");
}

/// The outbox's entry for the message with this id.
fn outbox_message(base: &str, id: &str) -> Value {
    let (_, outbox) = call("GET", &format!("{base}/v1/sandbox/outbox?limit=100"), None, None);
    outbox["items"].as_array().unwrap().iter().find(|m| m["id"] == id).cloned().expect("the message is in the outbox")
}

#[test]
fn a_worker_killed_mid_send_loses_nothing_and_its_message_is_sent_again_once_the_lease_ends() {
    let db = TestDb::new();
    let notify = FakeNotify::start();
    let key = api_key();
    let vars = [
        notify_vars(&notify, &key).as_slice(),
        // No draws or reminders from the demo data: the outbox holds only what the test causes.
        &[("WEX_SCHEDULER_INTERVAL_SECONDS", "0")],
        // The longest allowed, so that A is still waiting on Notify when it is killed, however
        // slow the machine, rather than recording a timeout.
        &[("WEX_SEND_TIMEOUT_SECONDS", "60")],
    ]
    .concat();
    let mut a = serve(&db, &vars, true);
    notify.hold();
    apply(&a.base);
    let reference = eventually("A's worker to send the applicant's message", || {
        notify.received().into_iter().find(|r| r.email_address == "jo@example.org")
    })
    .reference;
    let times_received = || notify.received().iter().filter(|r| r.reference == reference).count();
    // Killed while Notify has the request and has not answered: A has leased the message, counted
    // the attempt, and recorded nothing.
    a.child.kill().unwrap();
    a.child.wait().unwrap();
    notify.release();

    // Not lost: another process on the database finds it still pending, leased (its attempt
    // counted) but with no attempt recorded, neither sent nor failed.
    let b = serve(&db, &vars, false);
    let message = outbox_message(&b.base, &reference);
    assert_eq!(message["delivery"]["status"], "pending", "{message}");
    assert_eq!(message["delivery"]["attempts"], json!([]), "{message}");
    assert_eq!(message["delivery"]["failure"], Value::Null, "{message}");
    let id = reference.parse().unwrap();
    assert_eq!(db.store().delivery_status(id).unwrap(), (DeliveryStatus::Pending, 1), "leased once");

    // B's worker runs, but leaves the live lease alone: by the time it has sent a newer message,
    // it has passed over the older one.
    apply_as(&b.base, "applicant-2", "sam@example.org");
    eventually("B's worker to send the second applicant's message", || {
        notify.received().into_iter().find(|r| r.email_address == "sam@example.org")
    });
    assert_eq!(times_received(), 1, "B must not send a message another worker's live lease holds");
    assert_eq!(outbox_message(&b.base, &reference)["delivery"]["status"], "pending");

    // Past the lease, on the clock every process shares, B sends it again under the same
    // reference, so that Notify can recognise the repeat.
    let advance = LEASE.num_seconds() + 60;
    let (status, moved) =
        call("POST", &format!("{}/v1/sandbox/clock", b.base), None, Some(json!({"advance_seconds": advance})));
    assert_eq!(status, 200, "{moved}");
    eventually("B to send the message again", || (times_received() == 2).then_some(()));
    let sent = eventually("B to record the attempt", || {
        let message = outbox_message(&b.base, &reference);
        (message["delivery"]["status"] == "sent").then_some(message)
    });
    // One attempt recorded, the second: the first was the killed worker's, counted when leased
    // (so that a message that keeps killing workers still runs out of attempts).
    let attempts = sent["delivery"]["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 1, "{sent}");
    assert_eq!((&attempts[0]["number"], &attempts[0]["transport"]), (&json!(2), &json!("notify")), "{sent}");
    assert_eq!(attempts[0]["outcome"], "sent", "{sent}");
    assert_eq!(db.store().delivery_status(id).unwrap(), (DeliveryStatus::Sent, 2));
    assert_eq!(times_received(), 2, "sent twice in all: once by A, once by B");
}

#[test]
fn applying_sends_an_email_through_smtp() {
    let Some(smtpd) = Smtpd::start() else { return };
    let db = TestDb::new();
    let url = format!("smtp://127.0.0.1:{}", smtpd.port);
    let vars =
        [("WEX_SMTP_URL", url.as_str()), ("WEX_EMAIL_FROM", "wex@example.org"), ("WEX_FRONTEND_BASE_URL", FRONTEND)];
    let server = serve(&db, &vars, true);
    apply(&server.base);
    let mail = eventually("the SMTP server to receive the message", || {
        smtpd.received().into_iter().find(|m| m.contains("To: jo@example.org"))
    });
    assert!(mail.contains("From: wex@example.org"), "{mail}");
}

#[test]
fn moving_the_sandbox_clock_in_one_process_moves_it_in_every_process() {
    let db = TestDb::new();
    let (a, b) = (serve(&db, &[], false), serve(&db, &[], false));
    let (status, moved) =
        call("POST", &format!("{}/v1/sandbox/clock", a.base), None, Some(json!({"advance_seconds": 864_000})));
    assert_eq!(status, 200, "{moved}");
    let moved: chrono::DateTime<chrono::Utc> = moved["now"].as_str().unwrap().parse().unwrap();
    eventually("the other process to read the moved clock", || {
        let (_, now) = call("GET", &format!("{}/v1/sandbox/clock", b.base), None, None);
        let now: chrono::DateTime<chrono::Utc> = now["now"].as_str()?.parse().ok()?;
        (now >= moved).then_some(())
    });
}

#[test]
fn production_refuses_to_start_without_a_way_to_send_email() {
    let db = TestDb::new();
    let dir = std::env::temp_dir().join(format!("wex-prod-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let keys = dir.join("jwks.json");
    std::fs::write(&keys, r#"{"keys": []}"#).unwrap();
    let vars = [
        ("WEX_MODE", "production"),
        ("WEX_JWT_ISSUER", "https://idp.example"),
        ("WEX_JWT_JWKS_FILE", keys.to_str().unwrap()),
        ("WEX_DISCLOSURE_KEY", "0123456789abcdef0123456789abcdef"),
    ];
    let out = wex(&db, &dir, &vars).arg("serve").output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("WEX_NOTIFY_API_KEY") && stderr.contains("WEX_SMTP_URL"), "{stderr}");
    std::fs::remove_dir_all(dir).ok();
}
