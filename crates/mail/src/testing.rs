//! A server that speaks GOV.UK Notify's email API on loopback, for tests (feature `testing`). It
//! checks what Notify checks: an HS256 token signed with the key's secret, `iss` the service id,
//! `iat` within 30 seconds, and the body's fields; answers with the statuses a test queues (201
//! once the queue is empty); and records every request it accepted. A test can also hold its
//! answers ([`FakeNotify::hold`]), to catch a sender mid-send.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const SERVICE_ID: &str = "26785a09-ab16-4eb0-8407-a37497a57506";
pub const SECRET: &str = "3d844edf-8d35-48ac-975b-e847b4f122b0";
pub const TEMPLATE_ID: &str = "f33517ff-2a88-4f6e-b855-c550268ce08a";

/// An API key for [`SERVICE_ID`] and [`SECRET`].
pub fn api_key() -> String {
    format!("wex_test-{SERVICE_ID}-{SECRET}")
}

/// One request the server received.
#[derive(Debug, Clone)]
pub struct Received {
    pub email_address: String,
    pub template_id: String,
    pub subject: String,
    pub body: String,
    pub reference: String,
    /// Whether the token was good (signature, `iss`, `iat`); a bad one gets a 403.
    pub authorised: bool,
    /// The status it was answered with.
    pub status: u16,
}

#[derive(Default)]
struct Shared {
    replies: VecDeque<u16>,
    received: Vec<Received>,
    /// While set, requests are recorded as they arrive but not answered.
    held: bool,
}

/// The longest a held request waits for [`FakeNotify::release`]: bounded, so that a test that
/// forgets to release fails on the sender's timeout instead of hanging.
const HOLD_LIMIT: Duration = Duration::from_secs(60);

pub struct FakeNotify {
    pub base_url: String,
    shared: Arc<Mutex<Shared>>,
    handle: actix_web::dev::ServerHandle,
}

fn token_ok(req: &HttpRequest) -> bool {
    let Some(token) =
        req.headers().get("Authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    let key = jsonwebtoken::DecodingKey::from_secret(SECRET.as_bytes());
    let Ok(data) = jsonwebtoken::decode::<Value>(token, &key, &validation) else { return false };
    let iat = data.claims["iat"].as_i64().unwrap_or(0);
    data.claims["iss"] == SERVICE_ID && (chrono::Utc::now().timestamp() - iat).abs() <= 30
}

async fn send_email(req: HttpRequest, body: web::Json<Value>, shared: web::Data<Arc<Mutex<Shared>>>) -> HttpResponse {
    let authorised = token_ok(&req);
    let field = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let (received, status) = {
        let mut shared = shared.lock().unwrap();
        let status = if authorised { shared.replies.pop_front().unwrap_or(201) } else { 403 };
        let received = Received {
            email_address: field(&body["email_address"]),
            template_id: field(&body["template_id"]),
            subject: field(&body["personalisation"]["subject"]),
            body: field(&body["personalisation"]["body"]),
            reference: field(&body["reference"]),
            authorised,
            status,
        };
        let complete =
            !received.email_address.is_empty() && received.template_id == TEMPLATE_ID && !received.reference.is_empty();
        let status = if authorised && !complete { 400 } else { status };
        // Recorded on arrival, so that a test sees a held request before it is answered.
        shared.received.push(Received { status, ..received.clone() });
        (received, status)
    };
    // An async sleep, not a blocking one, so that the server's one worker goes on taking other
    // requests while this one is held.
    let deadline = Instant::now() + HOLD_LIMIT;
    while shared.lock().unwrap().held && Instant::now() < deadline {
        actix_web::rt::time::sleep(Duration::from_millis(10)).await;
    }
    let code = actix_web::http::StatusCode::from_u16(status).unwrap();
    let reply = match status {
        201 => {
            json!({"id": uuid::Uuid::new_v4(), "reference": received.reference, "content": {"subject": received.subject, "body": received.body}, "template": {"id": TEMPLATE_ID}})
        }
        400 => {
            json!({"status_code": 400, "errors": [{"error": "BadRequestError", "message": "Missing personalisation or a bad field"}]})
        }
        403 => json!({"status_code": 403, "errors": [{"error": "AuthError", "message": "Invalid token"}]}),
        429 => json!({"status_code": 429, "errors": [{"error": "RateLimitError", "message": "Exceeded rate limit"}]}),
        _ => json!({"status_code": status, "errors": [{"error": "Exception", "message": "Internal server error"}]}),
    };
    HttpResponse::build(code).json(reply)
}

/// Serves the routes `configure` adds on a free loopback port, on a thread of its own, with one
/// worker: (its base URL, its handle to stop it).
pub fn serve_on_loopback(
    configure: impl Fn(&mut web::ServiceConfig) + Clone + Send + 'static,
) -> (String, actix_web::dev::ServerHandle) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = HttpServer::new(move || App::new().configure(configure.clone()))
                .workers(1)
                .listen(listener)
                .unwrap()
                .run();
            tx.send(server.handle()).unwrap();
            server.await.unwrap();
        });
    });
    (base_url, rx.recv().unwrap())
}

impl FakeNotify {
    /// Starts the server on a free loopback port, on a thread of its own.
    pub fn start() -> Self {
        let shared = Arc::new(Mutex::new(Shared::default()));
        let data = web::Data::new(Arc::clone(&shared));
        let (base_url, handle) = serve_on_loopback(move |cfg| {
            cfg.app_data(data.clone()).route("/v2/notifications/email", web::post().to(send_email));
        });
        FakeNotify { base_url, shared, handle }
    }

    /// Answers the next requests with these statuses, in order (then 201).
    pub fn reply_with(&self, statuses: &[u16]) {
        self.shared.lock().unwrap().replies.extend(statuses);
    }

    /// Every request received so far, held ones included.
    pub fn received(&self) -> Vec<Received> {
        self.shared.lock().unwrap().received.clone()
    }

    /// From now on, records each request as it arrives ([`FakeNotify::received`]) but answers it
    /// only after [`FakeNotify::release`] (or after a minute): the sender is left mid-send, as a
    /// worker is when its process is killed.
    pub fn hold(&self) {
        self.shared.lock().unwrap().held = true;
    }

    /// Answers the requests held so far, and the ones that follow at once.
    pub fn release(&self) {
        self.shared.lock().unwrap().held = false;
    }
}

impl Drop for FakeNotify {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

/// A real SMTP server for tests: aiosmtpd (from PyPI) on a free loopback port, storing what it
/// receives in a Maildir. Where aiosmtpd is not installed, [`Smtpd::start`] says so and returns
/// `None` (the test is skipped), unless WEX_TEST_REQUIRE_SMTP is set, as `.ci/run` does after
/// installing it into the environment of WEX_TEST_PYTHON.
pub struct Smtpd {
    child: Child,
    pub port: u16,
    pub maildir: PathBuf,
}

impl Drop for Smtpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.maildir);
    }
}

/// A loopback port nothing listens on (at the moment of asking).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The Python with aiosmtpd: `WEX_TEST_PYTHON` (`.ci/run` makes a virtual environment), else python3.
fn python() -> String {
    std::env::var("WEX_TEST_PYTHON").unwrap_or_else(|_| "python3".to_string())
}

fn aiosmtpd_installed() -> bool {
    Command::new(python()).args(["-c", "import aiosmtpd"]).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

/// Waits until something accepts connections on the loopback port; bounded, so that a server that
/// cannot start fails the test rather than hanging it.
pub fn wait_for_port(port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{what} did not start on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl Smtpd {
    /// Starts aiosmtpd, or returns None (the test is skipped) where it is not installed.
    pub fn start() -> Option<Smtpd> {
        if !aiosmtpd_installed() {
            assert!(
                std::env::var_os("WEX_TEST_REQUIRE_SMTP").is_none(),
                "WEX_TEST_REQUIRE_SMTP is set but aiosmtpd is not installed (pip install aiosmtpd)"
            );
            eprintln!("skipped: aiosmtpd is not installed (pip install aiosmtpd)");
            return None;
        }
        let port = free_port();
        let maildir = std::env::temp_dir().join(format!("wex-smtp-{}", uuid::Uuid::new_v4()));
        let child = Command::new(python())
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let server = Smtpd { child, port, maildir };
        wait_for_port(port, "aiosmtpd");
        Some(server)
    }

    /// Every message received so far, as raw text.
    pub fn received(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else { return Vec::new() };
        entries.map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect()
    }
}
