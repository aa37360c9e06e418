//! Webhooks as the Standard Webhooks specification has them: an organisation's endpoint, the
//! events it wants, a `whsec_` secret, and each delivery signed over `{id}.{timestamp}.{body}`
//! with HMAC-SHA256. Also which addresses an endpoint may not point at, and when a failed
//! delivery is tried again.

use std::net::IpAddr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

use crate::error::StoreError;
use crate::model::feed::{EventType, FeedPosition};
use crate::model::reference::code_enum;
use std::fmt;

code_enum! {
    /// Whether an endpoint receives deliveries.
    WebhookStatus {
        Active => ("active", "Active", "Events are delivered to it."),
        Disabled => ("disabled", "Disabled", "It answered 410 Gone, so nothing more is sent; register it again to resume."),
    }
}

/// The prefix of a secret, as the specification writes it.
pub const SECRET_PREFIX: &str = "whsec_";

/// A new secret: 32 random bytes, base64, with the prefix.
pub fn new_secret() -> Result<String, StoreError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Internal(e.to_string()))?;
    Ok(format!("{SECRET_PREFIX}{}", STANDARD.encode(bytes)))
}

/// The `webhook-signature` value for one secret: `v1,` and the base64 HMAC-SHA256 of
/// `{id}.{timestamp}.{body}` keyed with the secret's bytes. `None` for a secret that is not base64.
pub fn signature(secret: &str, id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = STANDARD.decode(secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret)).ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    Some(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

/// The header with a signature for each secret, space-separated, so that a receiver rotating its
/// secret accepts either.
pub fn signatures(secrets: &[&str], id: &str, timestamp: i64, body: &str) -> Option<String> {
    let all: Option<Vec<String>> = secrets.iter().map(|s| signature(s, id, timestamp, body)).collect();
    all.map(|s| s.join(" "))
}

/// The headers of one signed post: `webhook-id`, `webhook-timestamp`, `webhook-signature` (one
/// for each secret) and the content type. `None` for a secret that is not base64.
pub fn signed_headers(secrets: &[&str], id: &str, timestamp: i64, body: &str) -> Option<[(&'static str, String); 4]> {
    Some([
        ("webhook-id", id.to_string()),
        ("webhook-timestamp", timestamp.to_string()),
        ("webhook-signature", signatures(secrets, id, timestamp, body)?),
        ("content-type", "application/json".to_string()),
    ])
}

/// Addresses an endpoint may not point at outside the sandbox: this machine, private networks,
/// link-local (cloud metadata services live there), and anything not a single public host.
pub fn forbidden_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                // 100.64.0.0/10, carrier-grade NAT, is private in practice.
                || (v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64)
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                // fc00::/7 unique local, fe80::/10 link-local.
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || v6.to_ipv4_mapped().is_some_and(|v4| forbidden_address(IpAddr::V4(v4)))
        }
    }
}

/// How long after each failed attempt the next is made: about three days in all, then the
/// delivery is given up and listed among the failed, to be replayed.
pub const RETRY_AFTER: &[Duration] = &[
    Duration::seconds(5),
    Duration::minutes(5),
    Duration::minutes(30),
    Duration::hours(2),
    Duration::hours(5),
    Duration::hours(10),
    Duration::hours(14),
    Duration::hours(20),
    Duration::hours(20),
];

/// When to try again after attempt `attempt` (1-based) failed, or `None` to give up.
pub fn retry_at(attempt: u32, failed_at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    RETRY_AFTER.get(usize::try_from(attempt).ok()?.checked_sub(1)?).map(|wait| failed_at + *wait)
}

/// How long after a rotation deliveries are still signed with the secret it replaced too, so that
/// a receiver can deploy the new secret without refusing anything meanwhile.
pub const ROTATION_OVERLAP: Duration = Duration::hours(24);

/// The secret a rotation replaced, and until when deliveries are signed with it as well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousSecret {
    pub secret: String,
    pub until: DateTime<Utc>,
}

/// An organisation's webhook endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEndpoint {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub url: String,
    /// What it receives; every type when empty.
    pub event_types: Vec<EventType>,
    pub secret: String,
    /// The secret the last rotation replaced; only signed with before its `until`.
    pub previous_secret: Option<PreviousSecret>,
    pub status: WebhookStatus,
    /// The feed position up to which its events have been queued for it.
    pub cursor: FeedPosition,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
}

impl WebhookEndpoint {
    /// The secrets a post at `at` is signed with: the current one, and the one it replaced while
    /// the overlap lasts.
    pub fn signing_secrets(&self, at: DateTime<Utc>) -> Vec<&str> {
        let previous = self.previous_secret.as_ref().filter(|p| at < p.until).map(|p| p.secret.as_str());
        std::iter::once(self.secret.as_str()).chain(previous).collect()
    }

    /// The endpoint with `secret` in force from `now`, signing with the one it replaces as well
    /// for [`ROTATION_OVERLAP`]. Any older secret is dropped: at most two are ever signed with.
    pub fn rotated(&self, secret: String, now: DateTime<Utc>) -> WebhookEndpoint {
        WebhookEndpoint {
            previous_secret: Some(PreviousSecret { secret: self.secret.clone(), until: now + ROTATION_OVERLAP }),
            secret,
            ..self.clone()
        }
    }
}

code_enum! {
    /// Where one delivery to an endpoint stands.
    WebhookDeliveryStatus {
        Pending => ("pending", "Pending", "Waiting to be sent, or to be tried again."),
        Delivered => ("delivered", "Delivered", "The endpoint answered 2xx."),
        Failed => ("failed", "Failed", "Given up after about three days of tries, or the endpoint is gone (410); can be replayed."),
    }
}

/// One event for one endpoint: its body is fixed when it is queued, so that a retry or a replay
/// sends the same id and the same bytes (receivers deduplicate by `webhook-id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookDelivery {
    /// Also the `webhook-id` header.
    pub id: Uuid,
    pub endpoint_id: Uuid,
    pub event_id: Uuid,
    pub event_type: EventType,
    pub body: String,
    pub status: WebhookDeliveryStatus,
    pub attempts: u32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// The last answer's HTTP status, or `None` when there was no answer.
    pub last_status: Option<u16>,
    /// Why the last attempt failed, in the service's words (never the endpoint's body).
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// What an attempt to send a delivery came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostResult {
    /// The HTTP status, or `None` when the endpoint could not be reached.
    pub status: Option<u16>,
    /// Why it could not be sent (a timeout, a refused address), when it was not.
    pub error: Option<String>,
}

/// The state a delivery is in after an attempt, and whether its endpoint is gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AfterPost {
    pub status: WebhookDeliveryStatus,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub endpoint_gone: bool,
}

/// 2xx delivers; 410 Gone fails the delivery and disables the endpoint; anything else is tried
/// again on the back-off until it runs out.
pub fn after_post(attempt: u32, result: &PostResult, at: DateTime<Utc>) -> AfterPost {
    match result.status {
        Some(code) if (200..300).contains(&code) => {
            AfterPost { status: WebhookDeliveryStatus::Delivered, next_attempt_at: None, endpoint_gone: false }
        }
        Some(410) => AfterPost { status: WebhookDeliveryStatus::Failed, next_attempt_at: None, endpoint_gone: true },
        _ => match retry_at(attempt, at) {
            Some(next) => {
                AfterPost { status: WebhookDeliveryStatus::Pending, next_attempt_at: Some(next), endpoint_gone: false }
            }
            None => AfterPost { status: WebhookDeliveryStatus::Failed, next_attempt_at: None, endpoint_gone: false },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Standard Webhooks specification's own example (and the reference libraries' test).
    #[test]
    fn signs_the_specifications_example() {
        let secret = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
        let body = r#"{"email":"test@example.com","username":"test_user"}"#;
        assert_eq!(
            signature(secret, "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk", 1_649_367_553, body).as_deref(),
            Some("v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=")
        );
        let both = signatures(&[secret, secret], "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk", 1_649_367_553, body).unwrap();
        assert_eq!(both.split(' ').count(), 2);
        assert_eq!(signature("whsec_not base64!", "id", 1, "{}"), None);
    }

    fn endpoint(secret: &str) -> WebhookEndpoint {
        WebhookEndpoint {
            id: Uuid::now_v7(),
            organisation_id: Uuid::now_v7(),
            url: "https://hr.trust.example/wex".to_string(),
            event_types: Vec::new(),
            secret: secret.to_string(),
            previous_secret: None,
            status: WebhookStatus::Active,
            cursor: FeedPosition { txid: 0, seq: 0 },
            version: 1,
            created_at: Utc::now(),
            disabled_at: None,
        }
    }

    #[test]
    fn a_rotation_signs_with_both_secrets_for_a_day_and_a_second_drops_the_oldest() {
        let t = Utc::now();
        let first = endpoint("whsec_a");
        assert_eq!(first.signing_secrets(t), ["whsec_a"]);
        let second = first.rotated("whsec_b".to_string(), t);
        assert_eq!(second.signing_secrets(t), ["whsec_b", "whsec_a"]);
        assert_eq!(second.signing_secrets(t + ROTATION_OVERLAP - Duration::seconds(1)), ["whsec_b", "whsec_a"]);
        assert_eq!(second.signing_secrets(t + ROTATION_OVERLAP), ["whsec_b"]);
        // Rotating again within the day: the first secret is no longer signed with at all.
        let third = second.rotated("whsec_c".to_string(), t + Duration::hours(1));
        assert_eq!(third.signing_secrets(t + Duration::hours(1)), ["whsec_c", "whsec_b"]);
        assert_eq!(third.previous_secret.map(|p| p.until), Some(t + Duration::hours(1) + ROTATION_OVERLAP));
    }

    #[test]
    fn new_secrets_are_prefixed_32_random_bytes() {
        let (a, b) = (new_secret().unwrap(), new_secret().unwrap());
        assert_ne!(a, b);
        let bytes = STANDARD.decode(a.strip_prefix(SECRET_PREFIX).unwrap()).unwrap();
        assert_eq!(bytes.len(), 32);
    }

    #[test]
    fn private_and_local_addresses_are_forbidden_public_ones_are_not() {
        for forbidden in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
        ] {
            assert!(forbidden_address(forbidden.parse().unwrap()), "{forbidden}");
        }
        for public in ["51.140.1.1", "8.8.8.8", "2a00:1450:4009:81d::200e", "100.128.0.1"] {
            assert!(!forbidden_address(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn retries_back_off_over_about_three_days_then_stop() {
        let t = Utc::now();
        let mut at = t;
        let mut attempt = 1;
        while let Some(next) = retry_at(attempt, at) {
            assert!(next > at);
            at = next;
            attempt += 1;
        }
        assert_eq!(attempt as usize, RETRY_AFTER.len() + 1, "one first try and a retry per wait");
        let total = at - t;
        assert!(total > Duration::hours(60) && total < Duration::hours(84), "{total}");
        assert_eq!(retry_at(0, t), None);
    }
}
