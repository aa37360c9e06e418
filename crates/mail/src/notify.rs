//! GOV.UK Notify: `POST /v2/notifications/email` to one generic template whose subject and body
//! are `((subject))` and `((body))`, so that the words live in this repository. Each request is
//! authenticated with a fresh HS256 JWT (`iss` the service id, `iat` now) signed with the API key's
//! secret, and paced under Notify's 3,000 messages a minute.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use jsonwebtoken::{EncodingKey, Header};
use serde::Serialize;
use std::num::NonZeroU32;
use std::time::Duration;
use wex_domain::model::delivery::{AttemptOutcome, Email, SendResult};
use wex_domain::ports::Transport;

/// Notify allows 3,000 messages a minute per service (and 3,000 a minute per key).
pub const PER_MINUTE: u32 = 3_000;

/// An API key, `{key_name}-{service_id}-{secret}`: the last two parts are UUIDs (36 characters).
#[derive(Clone)]
pub struct ApiKey {
    service_id: String,
    secret: String,
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret.
        f.debug_struct("ApiKey").field("service_id", &self.service_id).finish_non_exhaustive()
    }
}

impl ApiKey {
    /// Parses a key; the message says what is wrong without repeating the key.
    pub fn parse(key: &str) -> Result<Self, String> {
        let key = key.trim();
        let n = key.len();
        let part = |from: usize, to: usize| key.get(from..to).filter(|p| uuid::Uuid::try_parse(p).is_ok());
        let (service, secret) = match (n.checked_sub(73), n.checked_sub(36)) {
            (Some(s), Some(t)) if key.get(t - 1..t) == Some("-") => (part(s, s + 36), part(t, n)),
            _ => (None, None),
        };
        match (service, secret) {
            (Some(service_id), Some(secret)) => {
                Ok(ApiKey { service_id: service_id.to_string(), secret: secret.to_string() })
            }
            _ => Err("expected {key_name}-{service_id}-{secret}, the last two parts UUIDs".to_string()),
        }
    }

    pub fn service_id(&self) -> &str {
        &self.service_id
    }

    /// A token for one request: Notify refuses one whose `iat` is more than 30 seconds off.
    pub fn token(&self, now_unix: i64) -> Result<String, jsonwebtoken::errors::Error> {
        #[derive(Serialize)]
        struct Claims<'a> {
            iss: &'a str,
            iat: i64,
        }
        jsonwebtoken::encode(
            &Header::new(jsonwebtoken::Algorithm::HS256),
            &Claims { iss: &self.service_id, iat: now_unix },
            &EncodingKey::from_secret(self.secret.as_bytes()),
        )
    }
}

#[derive(Serialize)]
struct Personalisation<'a> {
    subject: &'a str,
    body: &'a str,
}

#[derive(Serialize)]
struct SendEmail<'a> {
    email_address: &'a str,
    template_id: &'a str,
    personalisation: Personalisation<'a>,
    reference: String,
}

pub struct NotifyTransport {
    agent: ureq::Agent,
    url: String,
    key: ApiKey,
    template_id: String,
    pace: DefaultDirectRateLimiter,
}

impl NotifyTransport {
    /// `base_url` is `https://api.notifications.service.gov.uk` in production.
    pub fn new(base_url: &str, key: ApiKey, template_id: &str, timeout: Duration) -> Self {
        let agent: ureq::Agent =
            ureq::Agent::config_builder().timeout_global(Some(timeout)).http_status_as_error(false).build().into();
        let per_minute = NonZeroU32::new(PER_MINUTE).unwrap_or(NonZeroU32::MIN);
        NotifyTransport {
            agent,
            url: format!("{}/v2/notifications/email", base_url.trim_end_matches('/')),
            key,
            template_id: template_id.to_string(),
            pace: RateLimiter::direct(Quota::per_minute(per_minute)),
        }
    }

    /// Without the pacing, for benchmarks that measure the worker rather than Notify's limit.
    pub fn unpaced(mut self) -> Self {
        self.pace = RateLimiter::direct(Quota::per_second(NonZeroU32::MAX));
        self
    }

    /// Waits until one more message stays under the rate.
    fn wait_for_turn(&self) {
        while let Err(not_until) = self.pace.check() {
            std::thread::sleep(not_until.wait_time_from(DefaultClock::default().now()));
        }
    }
}

/// What Notify's reply means for the message. Notify's error bodies name the error class
/// (`BadRequestError`, `RateLimitError`); their messages may echo input, so they are not kept.
pub fn outcome_of(status: u16, body: &str) -> SendResult {
    let class = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["errors"][0]["error"].as_str().map(str::to_string))
        .filter(|c| c.len() <= 64 && c.chars().all(|ch| ch.is_ascii_alphanumeric()));
    let detail = match class {
        Some(class) => format!("HTTP {status} {class}"),
        None => format!("HTTP {status}"),
    };
    match status {
        200..=299 => SendResult::ok(AttemptOutcome::Sent),
        429 => SendResult::failed(AttemptOutcome::RateLimited, detail),
        400..=499 => SendResult::failed(AttemptOutcome::PermanentFailure, detail),
        _ => SendResult::failed(AttemptOutcome::TemporaryFailure, detail),
    }
}

impl Transport for NotifyTransport {
    fn name(&self) -> &'static str {
        "notify"
    }

    fn send(&self, email: &Email) -> SendResult {
        self.wait_for_turn();
        let token = match self.key.token(chrono::Utc::now().timestamp()) {
            Ok(t) => t,
            Err(e) => return SendResult::failed(AttemptOutcome::TemporaryFailure, format!("signing: {e}")),
        };
        let request = SendEmail {
            email_address: &email.to,
            template_id: &self.template_id,
            personalisation: Personalisation { subject: &email.subject, body: &email.body },
            reference: email.id.to_string(),
        };
        let sent = self.agent.post(&self.url).header("Authorization", &format!("Bearer {token}")).send_json(&request);
        match sent {
            Ok(mut response) => {
                let status = response.status().as_u16();
                let body = response.body_mut().read_to_string().unwrap_or_default();
                outcome_of(status, &body)
            }
            // No answer (refused, reset, timed out): Notify may or may not have it. The reference
            // lets a retry be recognised.
            Err(e) => SendResult::failed(AttemptOutcome::TemporaryFailure, kind_of(&e)),
        }
    }
}

/// The kind of a transport error, without the URL or anything sent.
fn kind_of(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => "timeout".to_string(),
        ureq::Error::Io(io) => format!("io: {:?}", io.kind()),
        ureq::Error::ConnectionFailed => "connection failed".to_string(),
        ureq::Error::HostNotFound => "host not found".to_string(),
        other => format!("transport: {}", other.to_string().chars().take(80).collect::<String>()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVICE: &str = "26785a09-ab16-4eb0-8407-a37497a57506";
    const SECRET: &str = "3d844edf-8d35-48ac-975b-e847b4f122b0";

    #[test]
    fn a_key_splits_into_service_id_and_secret_whatever_its_name() {
        for name in ["live", "my-test-key", "a-b-c"] {
            let key = ApiKey::parse(&format!("{name}-{SERVICE}-{SECRET}")).unwrap();
            assert_eq!((key.service_id.as_str(), key.secret.as_str()), (SERVICE, SECRET));
        }
    }

    #[test]
    fn a_malformed_key_is_refused_without_being_repeated() {
        for bad in
            ["", "short", &format!("{SERVICE}{SECRET}"), &format!("name-{SERVICE}-not-a-uuid-at-all-xxxxxxxxxxxxxxxx")]
        {
            let e = ApiKey::parse(bad).unwrap_err();
            assert!(bad.is_empty() || !e.contains(bad));
        }
        assert!(!format!("{:?}", ApiKey::parse(&format!("k-{SERVICE}-{SECRET}")).unwrap()).contains(SECRET));
    }

    #[test]
    fn the_token_is_hs256_with_the_service_as_issuer() {
        let key = ApiKey::parse(&format!("k-{SERVICE}-{SECRET}")).unwrap();
        let token = key.token(1_700_000_000).unwrap();
        let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
        v.required_spec_claims.clear();
        v.validate_exp = false;
        let claims: serde_json::Value =
            jsonwebtoken::decode(&token, &jsonwebtoken::DecodingKey::from_secret(SECRET.as_bytes()), &v)
                .unwrap()
                .claims;
        assert_eq!(claims, serde_json::json!({"iss": SERVICE, "iat": 1_700_000_000}));
    }

    #[test]
    fn replies_are_classed_as_notify_documents_them() {
        let body = r#"{"errors":[{"error":"BadRequestError","message":"email_address Not a valid email address"}]}"#;
        assert_eq!(outcome_of(201, "{}").outcome, AttemptOutcome::Sent);
        let bad = outcome_of(400, body);
        assert_eq!(bad, SendResult::failed(AttemptOutcome::PermanentFailure, "HTTP 400 BadRequestError"));
        assert_eq!(outcome_of(403, "").outcome, AttemptOutcome::PermanentFailure);
        assert_eq!(outcome_of(429, "").outcome, AttemptOutcome::RateLimited);
        assert_eq!(outcome_of(500, "oops").outcome, AttemptOutcome::TemporaryFailure);
        assert_eq!(outcome_of(503, "").outcome, AttemptOutcome::TemporaryFailure);
    }
}
