//! Several `wex serve` processes and a `wex worker` on one PostgreSQL database through PgBouncer,
//! as `deploy/local` starts them: what one process writes the others read, applying works through
//! any of them, every scheduler races for the same draws and each placement is drawn once, and a
//! caller's write limit holds across processes.
//!
//! These tests need that deployment, so they are ignored by `cargo test`; `.ci/multiprocess` runs
//! them inside it (`deploy/local --demo-data -- cargo test -p wex-server --test multiprocess --
//! --ignored`), in both pool modes. Run outside it, they fail: they never skip.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::process::Command;
use std::time::{Duration, Instant};

/// The deployment's write limit per caller per minute (`.ci/multiprocess` sets it).
const LIMIT: usize = 5;

struct Deployment {
    serves: Vec<String>,
    direct_url: String,
    data_dir: String,
    logs: std::path::PathBuf,
}

fn deployment() -> Deployment {
    let var = |name: &str| {
        std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run inside deploy/local (.ci/multiprocess)"))
    };
    let serves: Vec<String> = var("WEX_DEPLOY_SERVE_URLS").split_whitespace().map(String::from).collect();
    assert_eq!(serves.len(), 3, "these tests expect three serve processes");
    let limit = var("WEX_RATE_LIMIT_WRITES_PER_MINUTE");
    assert_eq!(limit, LIMIT.to_string(), "WEX_RATE_LIMIT_WRITES_PER_MINUTE");
    Deployment {
        serves,
        direct_url: var("WEX_DEPLOY_DIRECT_URL"),
        data_dir: var("WEX_DATA_DIR"),
        logs: var("WEX_DEPLOY_DIR").into(),
    }
}

struct Reply {
    status: u16,
    body: Value,
    headers: BTreeMap<String, String>,
}

fn call(method: &str, url: &str, token: Option<&str>, body: Option<Value>, key: Option<&str>) -> Reply {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut headers = vec![];
    if let Some(t) = token {
        headers.push(("Authorization", format!("Bearer {t}")));
    }
    if let Some(k) = key {
        headers.push(("Idempotency-Key", k.to_string()));
    }
    let response = if method == "GET" {
        let mut r = agent.get(url);
        for (k, v) in &headers {
            r = r.header(*k, v);
        }
        r.call()
    } else {
        let mut r = if method == "PUT" { agent.put(url) } else { agent.post(url) };
        for (k, v) in &headers {
            r = r.header(*k, v);
        }
        r.send_json(body.unwrap_or(json!({})))
    };
    let mut response = response.unwrap();
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or_default().to_string()))
        .collect();
    let text = response.body_mut().read_to_string().unwrap_or_default();
    Reply { status, body: serde_json::from_str(&text).unwrap_or(Value::Null), headers }
}

/// A sandbox token from `wex token`, not from `POST /v1/sandbox/tokens`: minting over HTTP is an
/// anonymous write, and every one of them would spend loopback's single write budget.
fn token(d: &Deployment, role: &str, subject: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_wex"))
        .env("WEX_DATABASE_URL", &d.direct_url)
        .env("WEX_DATA_DIR", &d.data_dir)
        .env("RUST_LOG", "warn")
        .args(["token", "--role", role, "--subject", subject])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Open lottery placements the README's applicant (30, a career changer in SO16) may apply to.
fn open_lotteries(base: &str) -> Vec<Value> {
    let search = "open_now=true&age=30&user_group=career_changers&postcode_district=SO16&limit=50";
    let page = call("GET", &format!("{base}/v1/placements?{search}"), None, None, None);
    assert_eq!(page.status, 200, "{}", page.body);
    page.body["items"].as_array().unwrap().iter().filter(|p| p["selection_method"] == "lottery").cloned().collect()
}

fn profile(email: &str) -> Value {
    json!({"preferred_name": "Jo", "email": email, "date_of_birth": "1996-05-17", "postcode": "so16 6yd",
        "user_groups": ["career_changers"]})
}

/// Every `drew placement {id}` line in the deployment's logs, by placement: which process drew it.
fn draws_logged(d: &Deployment) -> BTreeMap<String, Vec<String>> {
    let mut drawn: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in std::fs::read_dir(&d.logs).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "log") {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            for line in std::fs::read_to_string(&path).unwrap().lines() {
                if let Some(id) = line.split("drew placement ").nth(1) {
                    drawn.entry(id.trim().to_string()).or_default().push(name.clone());
                }
            }
        }
    }
    drawn
}

#[test]
#[ignore = "needs deploy/local: run .ci/multiprocess"]
fn what_one_process_writes_every_process_reads_and_each_placement_is_drawn_once() {
    let d = deployment();
    let [one, two, three] = [&d.serves[0], &d.serves[1], &d.serves[2]];
    let applicant = token(&d, "applicant", "multi-applicant");

    // An applicant created through process 1 is seen by processes 2 and 3.
    let created = call("PUT", &format!("{one}/v1/me/profile"), Some(&applicant), Some(profile("jo@example.org")), None);
    assert_eq!(created.status, 201, "{}", created.body);
    for base in [two, three] {
        let read = call("GET", &format!("{base}/v1/me/profile"), Some(&applicant), None, None);
        assert_eq!((read.status, &read.body["id"]), (200, &created.body["id"]), "{base}");
    }

    // Applying through process 2, replaying through process 3, applying again through 1.
    let lotteries = open_lotteries(one);
    assert!(lotteries.len() >= 2, "the demo data has open lottery placements for this applicant");
    let (first, second) = (lotteries[0]["id"].as_str().unwrap(), lotteries[1]["id"].as_str().unwrap());
    let notice = call("GET", &format!("{one}/v1/privacy-notice"), None, None, None).body["version"].clone();
    let form = json!({"privacy_notice_version": notice, "answers": []});
    let apply = |base: &str, placement: &str, key: Option<&str>| {
        call(
            "POST",
            &format!("{base}/v1/placements/{placement}/applications"),
            Some(&applicant),
            Some(form.clone()),
            key,
        )
    };
    let applied = apply(two, first, Some("multi-1"));
    assert_eq!(applied.status, 201, "{}", applied.body);
    let replayed = apply(three, first, Some("multi-1"));
    assert_eq!(replayed.body["id"], applied.body["id"], "the key was stored by another process");
    assert_eq!(replayed.headers.get("idempotent-replayed").map(String::as_str), Some("true"));
    let again = apply(one, first, None);
    assert_eq!((again.status, again.body["code"].as_str()), (409, Some("already_applied")), "{}", again.body);
    let other = apply(three, second, None);
    assert_eq!(other.status, 201, "{}", other.body);
    let dashboard = call("GET", &format!("{one}/v1/me/applications"), Some(&applicant), None, None);
    assert_eq!(dashboard.body["items"].as_array().map(Vec::len), Some(2), "{}", dashboard.body);

    // Moving the shared sandbox clock past the first placement's closing time through process 3:
    // every scheduler (three serves and the worker, each running every second) races to draw it.
    let closes = lotteries[0]["closes_at"].as_str().unwrap();
    let later = chrono::DateTime::parse_from_rfc3339(closes).unwrap() + chrono::Duration::minutes(1);
    let moved =
        call("POST", &format!("{three}/v1/sandbox/clock"), None, Some(json!({"set": later.to_rfc3339()})), None);
    assert_eq!(moved.status, 200, "{}", moved.body);
    let deadline = Instant::now() + Duration::from_secs(60);
    while call("GET", &format!("{one}/v1/placements/{first}/draw"), None, None, None).body["drawn"] != true {
        assert!(Instant::now() < deadline, "placement {first} was not drawn within 60 s");
        std::thread::sleep(Duration::from_millis(100));
    }
    for base in [two, three] {
        let record = call("GET", &format!("{base}/v1/placements/{first}/draw"), None, None, None);
        assert_eq!(record.body["drawn"], true, "{base}");
    }
    let mine = call(
        "GET",
        &format!("{two}/v1/applications/{}", applied.body["id"].as_str().unwrap()),
        Some(&applicant),
        None,
        None,
    );
    assert_ne!(mine.body["status"], "submitted", "the draw gave an outcome: {}", mine.body);

    // Every placement any scheduler drew was drawn by exactly one of them.
    let drawn = draws_logged(&d);
    assert!(drawn.contains_key(first), "the draw of {first} is logged: {drawn:?}");
    let twice: Vec<_> = drawn.iter().filter(|(_, by)| by.len() > 1).collect();
    assert!(twice.is_empty(), "drawn more than once: {twice:?}");
}

#[test]
#[ignore = "needs deploy/local: run .ci/multiprocess"]
fn a_callers_write_limit_holds_across_processes() {
    let d = deployment();
    let caller = token(&d, "applicant", "multi-rate-limited");
    // Writes with nothing to write (no profile yet: each is refused by the handler) count all the
    // same. Three times the limit, round the three processes: counted per process, every one would
    // pass; counted once, `LIMIT` pass, plus one for each 60/LIMIT seconds the loop takes.
    let mut allowed = 0;
    let mut refused_by = std::collections::BTreeSet::new();
    for i in 0..3 * LIMIT {
        let base = &d.serves[i % 3];
        let res = call("POST", &format!("{base}/v1/me/advocates"), Some(&caller), Some(json!({})), None);
        assert_eq!(
            res.headers.get("ratelimit-limit").map(String::as_str),
            Some(LIMIT.to_string().as_str()),
            "{}",
            res.body
        );
        if res.status == 429 {
            assert_eq!(res.body["code"], "rate_limited");
            assert!(res.headers.contains_key("retry-after"));
            refused_by.insert(base.clone());
        } else {
            allowed += 1;
        }
    }
    assert!(allowed >= LIMIT, "only {allowed} of the first {LIMIT} writes were allowed");
    assert!(allowed < 2 * LIMIT, "{allowed} writes allowed: the limit is counted per process");
    assert_eq!(refused_by.len(), 3, "every process refuses once the caller's budget is spent");
}
