//! The test harness: a real server on an ephemeral port over a database of its own — a fresh
//! SQLite file, or a fresh PostgreSQL schema when WEX_TEST_DATABASE_URL names PostgreSQL.

use actix_web::http::Method;
use actix_web::http::header::HeaderMap;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::sync::Arc;
use uuid::Uuid;
use wex_http::auth::Authenticator;
use wex_http::{AppState, CorsOrigins, HttpSettings};
use wex_persistence::DbStore;
pub use wex_persistence::testing::TestDb;

pub const ISSUER: &str = "wex-test";
pub const AUDIENCE: &str = "wex-api";
pub const SECRET: &[u8] = b"test-secret-of-at-least-thirty-two-bytes!";
/// Where the test app says clients reach it: their assertions' `aud` is its token endpoint.
pub const PUBLIC_URL: &str = "https://wex.test";

pub struct Options {
    pub sandbox: bool,
    pub body_limit: usize,
    pub import_body_limit: usize,
    pub cors: CorsOrigins,
    pub admin_subjects: Vec<String>,
    pub writes_per_minute: u32,
    pub active_application_cap: u32,
    pub production_keys: Vec<wex_http::auth::VerifyKey>,
    pub suppression: wex_domain::model::reports::suppression::Rules,
    pub notify_callback_token: Option<String>,
    /// Whether organisation API clients can get tokens (`WEX_CLIENT_TOKEN_SECRET` set).
    pub client_tokens: bool,
    /// The token `GET /metrics` asks for (`WEX_METRICS_TOKEN`).
    pub metrics_token: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            sandbox: true,
            body_limit: 64 * 1024,
            import_body_limit: wex_http::extract::DEFAULT_IMPORT_BODY_LIMIT,
            cors: CorsOrigins::List(vec!["https://frontend.example".into()]),
            admin_subjects: vec!["bootstrap-admin".into()],
            writes_per_minute: 0,
            active_application_cap: 10,
            production_keys: Vec::new(),
            suppression: wex_domain::model::reports::suppression::Rules::default(),
            notify_callback_token: Some(NOTIFY_CALLBACK_TOKEN.to_string()),
            client_tokens: true,
            metrics_token: None,
        }
    }
}

/// The token GOV.UK Notify's receipts carry in the test app.
pub const NOTIFY_CALLBACK_TOKEN: &str = "test-notify-callback-token-0123456789abcdef";

pub struct TestApp {
    pub server: actix_test::TestServer,
    pub store: Arc<DbStore>,
    /// Held so that the database lives exactly as long as the app.
    #[allow(dead_code)]
    pub db: TestDb,
}

pub async fn spawn() -> TestApp {
    spawn_with(Options::default()).await
}

pub async fn spawn_with(options: Options) -> TestApp {
    let db = TestDb::new();
    let store = Arc::new(db.store());
    spawn_on(db, store, options)
}

/// An app whose pool logs every statement it sends, to count a request's queries.
pub async fn spawn_logged() -> (TestApp, Arc<wex_persistence::QueryLog>) {
    let db = TestDb::new();
    let (store, log) = db.logged_store();
    (spawn_on(db, Arc::new(store), Options::default()), log)
}

pub fn spawn_on(db: TestDb, store: Arc<DbStore>, options: Options) -> TestApp {
    let admins: HashSet<String> = options.admin_subjects.iter().cloned().collect();
    let auth = if options.sandbox {
        Authenticator::sandbox(SECRET.to_vec(), ISSUER, AUDIENCE, admins)
    } else {
        Authenticator::production(options.production_keys, ISSUER, AUDIENCE, admins)
    };
    let auth = Arc::new(match options.client_tokens {
        true => auth.with_client_tokens(wex_http::client_tokens::ClientTokens::from_secret(SECRET, PUBLIC_URL)),
        false => auth,
    });
    let state = actix_web::web::Data::new(
        AppState::new(store.clone(), auth, options.writes_per_minute)
            .with_active_application_cap(options.active_application_cap)
            .with_suppression(options.suppression)
            .with_notify_callback_token(options.notify_callback_token)
            .with_metrics_token(options.metrics_token),
    );
    let settings = HttpSettings {
        body_limit: options.body_limit,
        import_body_limit: options.import_body_limit,
        cors: options.cors,
    };
    let server = actix_test::start(move || wex_http::build_app(state.clone(), settings.clone()));
    TestApp { server, store, db }
}

/// The `id` of a JSON resource.
pub fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

/// A response, with the body parsed as JSON when it is JSON.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    pub body: Value,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(String::from)
    }

    /// Asserts an RFC 9457 problem with this status and code, and returns it.
    #[track_caller]
    pub fn problem(&self, status: u16, code: &str) -> &Value {
        assert_eq!(self.status, status, "status of {}", self.text);
        assert_eq!(self.header("content-type").as_deref(), Some("application/problem+json"), "{}", self.text);
        assert_eq!(self.body["status"], json!(status), "{}", self.text);
        assert_eq!(self.body["code"], json!(code), "{}", self.text);
        assert_eq!(self.body["type"], json!(format!("/problems/{code}")));
        assert!(self.body["title"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(self.body["detail"].as_str().is_some_and(|t| !t.is_empty()));
        assert_eq!(
            self.body["request_id"].as_str(),
            self.header("x-request-id").as_deref(),
            "request id in body and header"
        );
        &self.body
    }

    /// The (field, code) pairs of a validation problem.
    pub fn field_errors(&self) -> Vec<(String, String)> {
        self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| {
                        (e["field"].as_str().unwrap_or("").to_string(), e["code"].as_str().unwrap_or("").to_string())
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    #[track_caller]
    pub fn has_field_error(&self, field: &str, code: &str) {
        let errors = self.field_errors();
        assert!(errors.iter().any(|(f, c)| f == field && c == code), "expected {field} {code} in {errors:?}");
    }

    #[track_caller]
    pub fn ok(&self, status: u16) -> &Value {
        assert_eq!(self.status, status, "{}", self.text);
        &self.body
    }

    pub fn etag(&self) -> String {
        self.header("etag").unwrap_or_default()
    }
}

/// A request under construction.
pub struct Call<'a> {
    app: &'a TestApp,
    method: Method,
    path: String,
    headers: Vec<(String, String)>,
    body: Option<(Vec<u8>, String)>,
}

impl<'a> Call<'a> {
    pub fn token(self, token: &str) -> Self {
        self.header("authorization", &format!("Bearer {token}"))
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn json(mut self, body: Value) -> Self {
        self.body = Some((serde_json::to_vec(&body).unwrap(), "application/json".into()));
        self
    }

    pub fn raw(mut self, body: &[u8], content_type: &str) -> Self {
        self.body = Some((body.to_vec(), content_type.into()));
        self
    }

    pub async fn send(self) -> Resp {
        let mut req = self.app.server.request(self.method, self.app.server.url(&self.path));
        for (k, v) in &self.headers {
            req = req.insert_header((k.as_str(), v.as_str()));
        }
        let mut res = match self.body {
            Some((bytes, ct)) => req.insert_header(("content-type", ct)).send_body(bytes).await.unwrap(),
            None => req.send().await.unwrap(),
        };
        let bytes = res.body().limit(16 * 1024 * 1024).await.unwrap();
        let text = String::from_utf8_lossy(&bytes).to_string();
        Resp {
            status: res.status().as_u16(),
            headers: res.headers().clone(),
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
            text,
        }
    }
}

impl TestApp {
    pub fn call(&self, method: Method, path: &str) -> Call<'_> {
        Call { app: self, method, path: path.to_string(), headers: Vec::new(), body: None }
    }

    pub fn get(&self, path: &str) -> Call<'_> {
        self.call(Method::GET, path)
    }

    pub fn post(&self, path: &str) -> Call<'_> {
        self.call(Method::POST, path)
    }

    pub fn patch(&self, path: &str) -> Call<'_> {
        self.call(Method::PATCH, path)
    }

    pub fn delete(&self, path: &str) -> Call<'_> {
        self.call(Method::DELETE, path)
    }

    /// A sandbox token minted over HTTP, which also records the grant the role needs.
    pub async fn token(&self, role: &str, subject: &str, organisation_id: Option<&str>) -> String {
        let res = self
            .post("/v1/sandbox/tokens")
            .json(json!({"role": role, "subject": subject, "organisation_id": organisation_id}))
            .send()
            .await;
        res.ok(201)["token"].as_str().unwrap().to_string()
    }

    pub async fn admin(&self) -> String {
        self.token("admin", &format!("admin-{}", Uuid::new_v4()), None).await
    }

    pub async fn applicant(&self) -> String {
        self.token("applicant", &format!("applicant-{}", Uuid::new_v4()), None).await
    }

    /// A new organisation, returning its id.
    pub async fn organisation(&self) -> String {
        let admin = self.admin().await;
        let res = self
            .post("/v1/organisations")
            .token(&admin)
            .json(json!({"name": format!("Trust {}", Uuid::new_v4()), "kind": "nhs_trust", "region": "south_east"}))
            .send()
            .await;
        res.ok(201)["id"].as_str().unwrap().to_string()
    }

    pub async fn coordinator(&self, organisation_id: &str) -> String {
        self.token("coordinator", &format!("coordinator-{}", Uuid::new_v4()), Some(organisation_id)).await
    }

    /// A site of the organisation, returning its id.
    pub async fn site(&self, coordinator: &str, organisation_id: &str) -> String {
        let res = self
            .post(&format!("/v1/organisations/{organisation_id}/sites"))
            .token(coordinator)
            .json(site_body())
            .send()
            .await;
        res.ok(201)["id"].as_str().unwrap().to_string()
    }

    /// An organisation with a coordinator and a site: (organisation id, coordinator token, site id).
    pub async fn coordinated_organisation(&self) -> (String, String, String) {
        let org = self.organisation().await;
        let coordinator = self.coordinator(&org).await;
        let site = self.site(&coordinator, &org).await;
        (org, coordinator, site)
    }

    /// A draft placement from `body`, returning the response body.
    pub async fn draft(&self, coordinator: &str, organisation_id: &str, body: Value) -> Value {
        let res = self
            .post(&format!("/v1/organisations/{organisation_id}/placements"))
            .token(coordinator)
            .json(body)
            .send()
            .await;
        res.ok(201).clone()
    }

    /// A published placement from `body`, returning the response body.
    pub async fn published(&self, coordinator: &str, organisation_id: &str, body: Value) -> Value {
        let draft = self.draft(coordinator, organisation_id, body).await;
        let id = draft["id"].as_str().unwrap();
        self.post(&format!("/v1/placements/{id}/publish")).token(coordinator).send().await.ok(200).clone()
    }
}

pub fn site_body() -> Value {
    json!({
        "name": "Southampton General Hospital",
        "address_line_1": "Tremona Road",
        "town": "Southampton",
        "postcode": "so16 6yd",
        "travel_notes": "Buses U1 and 17 stop outside.",
        "accessibility": "Step-free entrance."
    })
}

fn rfc3339(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A complete, publishable placement whose applications opened yesterday and close in
/// `closes_in_days` days.
pub fn placement_body(site_id: &str) -> Value {
    placement_window(site_id, -1, 30)
}

/// A complete placement with applications opening and closing this many days from now.
pub fn placement_window(site_id: &str, opens_in_days: i64, closes_in_days: i64) -> Value {
    let now = chrono::Utc::now();
    let closes = now + chrono::Duration::days(closes_in_days);
    let outcome = closes.date_naive() + chrono::Duration::days(7);
    let start = outcome + chrono::Duration::days(14);
    json!({
        "kind": "work_experience",
        "delivery": "in_person",
        "specialty": "allied_health_professions",
        "title": "Children's physiotherapy: a week on the ward",
        "description": "See how physiotherapists help children recover.",
        "site_id": site_id,
        "department_id": null,
        "start_date": start.to_string(),
        "end_date": (start + chrono::Duration::days(4)).to_string(),
        "daily_hours": {"start": "09:00", "end": "15:30"},
        "capacity": 4,
        "eligibility": {"min_age": 16, "max_age": null, "user_groups": null, "catchment": null},
        "opens_at": rfc3339(now + chrono::Duration::days(opens_in_days)),
        "closes_at": rfc3339(closes),
        "outcome_by": outcome.to_string(),
        "selection_method": "lottery",
        "priority_rules": ["care_experienced"],
        "preparation": {
            "what_you_will_do": "Watch assessments and help set up equipment.",
            "what_you_will_not_do": "You will not treat patients.",
            "dress_code": "Smart casual, closed flat shoes.",
            "arrival_instructions": "Main reception at 8:45.",
            "contact_role": "Work experience coordinator",
            "breaks_and_food": "Lunch at 12:30; bring a packed lunch.",
            "travel_expenses": "Bus fares repaid up to £10 a day.",
            "support_available": "Tell us about any adjustments you need.",
            "leads_to_job": false,
            "paid": false
        },
        "questions": [],
        "offer_response_days": 5
    })
}

/// `body` with the value at a JSON pointer replaced.
pub fn with(mut body: Value, pointer: &str, value: Value) -> Value {
    *body.pointer_mut(pointer).unwrap_or_else(|| panic!("no {pointer} in the body")) = value;
    body
}

/// A profile body for someone born `years_old` years ago, living in SO16.
pub fn profile_body(years_old: i64) -> Value {
    let born = chrono::Utc::now().date_naive() - chrono::Duration::days(years_old * 366);
    json!({
        "preferred_name": "Jo Bloggs",
        "email": "jo.bloggs@example.org",
        "phone": "07700 900123",
        "date_of_birth": born.to_string(),
        "postcode": "SO16 6YD",
        "user_groups": ["career_changers"],
        "support_worker": {"name": "Sam Okafor", "email": "sam.okafor@support.example.org", "organisation": "Leaving Care Team"}
    })
}

impl TestApp {
    /// A signed-in applicant with a profile from `body`: (token, profile).
    pub async fn applicant_with(&self, body: Value) -> (String, Value) {
        let token = self.applicant().await;
        let res = self.call(Method::PUT, "/v1/me/profile").token(&token).json(body).send().await;
        let profile = res.ok(201).clone();
        (token, profile)
    }

    /// The current privacy notice version.
    pub async fn privacy_version(&self) -> String {
        self.get("/v1/privacy-notice").send().await.ok(200)["version"].as_str().unwrap().to_string()
    }

    pub async fn apply(&self, token: &str, placement_id: &str, body: Value) -> Resp {
        self.post(&format!("/v1/placements/{placement_id}/applications")).token(token).json(body).send().await
    }

    /// Every message in the sandbox outbox.
    pub async fn outbox(&self) -> Vec<Value> {
        self.get("/v1/sandbox/outbox?limit=100").send().await.ok(200)["items"].as_array().unwrap().clone()
    }

    /// The applicant invites an advocate by email: (link id, the code in the invitation sent).
    pub async fn invite_advocate(&self, applicant: &str, email: &str) -> (String, String) {
        let res = self
            .post("/v1/me/advocates")
            .token(applicant)
            .json(json!({"email": email, "relationship": "careers_leader"}))
            .send()
            .await;
        let link_id = id(res.ok(201));
        let sent = self.outbox().await;
        let invitation = sent
            .iter()
            .find(|n| {
                n["template"] == "advocate_invitation"
                    && n["link"].as_str().unwrap().ends_with(&format!("/advocate-links/{link_id}"))
            })
            .unwrap();
        let body = invitation["body"].as_str().unwrap();
        let code = body.split("code is ").nth(1).unwrap().chars().take_while(char::is_ascii_alphanumeric).collect();
        (link_id, code)
    }
}
