//! Organisation API clients: a trust's HR system or a college's placement tool acting as the
//! organisation, not as a person. A client proves itself with a JWT it signs with its own private key
//! (`private_key_jwt`, RFC 7523, as NHS England's API platform does) and gets a short-lived access
//! token that wex signs, limited to the scopes the organisation granted it. Every write it makes,
//! and every view of someone's identity, names the person in the client's own system who did it
//! (an attribution), kept with the change.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::model::reference::code_enum;
use crate::model::validation::has_visible;
use std::fmt;

code_enum! {
    /// What an organisation's API client may do. A client acts for one organisation only, and
    /// only through the operations its scopes open (docs/integrators.md lists them); everything
    /// else a coordinator can do (drawing, reviewing, members, webhooks, clients) stays with people.
    ClientScope {
        PlacementsRead => ("placements:read", "Read placements",
            "Read the organisation's placements (drafts too), sites and departments."),
        PlacementsWrite => ("placements:write", "Write placements",
            "Create, import, edit, publish, close and cancel the organisation's placements, sites and departments."),
        ApplicationsRead => ("applications:read", "Read applications, name-blind",
            "Read the applications to the organisation's placements as coordinators see them: name-blind."),
        ParticipantsRead => ("participants:read", "Read participants",
            "Read who holds a place on the organisation's placements; every read is audited."),
        AttendanceWrite => ("attendance:write", "Record attendance",
            "Record attendance and completion for the organisation's participants."),
    }
}

code_enum! {
    /// Whether a client can still get tokens.
    ClientStatus {
        Active => ("active", "Active", "It can get access tokens."),
        Revoked => ("revoked", "Revoked", "It can get no more tokens, and the tokens it holds stop working at once."),
    }
}

/// How long an access token lives: ten minutes, as NHS England's platform gives. A client asks
/// for another with a new assertion; a revoked client's token stops working at its next request.
pub const ACCESS_TOKEN_SECONDS: i64 = 600;

/// How far ahead a client assertion may expire: five minutes (RFC 7523 leaves it to the server;
/// NHS England's platform uses the same). A short life keeps the table of used `jti`s small.
pub const ASSERTION_MAX_SECONDS: i64 = 300;

/// The most public keys a client may hold at once (two during a rotation, with room to spare).
pub const MAX_KEYS: usize = 5;

/// The longest client name and attribution kept.
pub const MAX_NAME: usize = 200;
pub const MAX_ATTRIBUTION: usize = 200;
/// The longest `jti` accepted; identifiers are UUIDs or similar.
pub const MAX_JTI: usize = 255;

/// An organisation's registered API client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiClient {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub name: String,
    pub scopes: Vec<ClientScope>,
    /// Its public keys, as a JWKS document (RFC 7517), checked when stored.
    pub jwks: String,
    pub status: ClientStatus,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiClient {
    /// The subject a client's actions are recorded under, never one a person's identity provider
    /// could issue a token for (tokens are told apart by their issuer and type, not by this text).
    pub fn subject(&self) -> String {
        client_subject(self.id)
    }
}

pub fn client_subject(client_id: Uuid) -> String {
    format!("client:{client_id}")
}

/// What a verified access token lets a request do, read afresh from the client's record on each
/// request: its organisation and the scopes both granted to the client and carried by the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAccess {
    pub client_id: Uuid,
    pub organisation_id: Uuid,
    pub scopes: Vec<ClientScope>,
}

/// Who in the client's own system made a request, as the client says: a staff id, an email or a
/// name (the docs ask for the identifier their system can resolve, not a name). Stored with every
/// event and audit entry the request makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    pub client_id: Uuid,
    pub on_behalf_of: String,
}

/// Checks an attribution as sent: printable, without control characters, at most
/// [`MAX_ATTRIBUTION`] bytes.
pub fn valid_attribution(text: &str) -> bool {
    has_visible(text) && text.len() <= MAX_ATTRIBUTION && !text.chars().any(char::is_control)
}

/// Parses a space-separated scope list (RFC 6749 section 3.3). `Err` names the first unknown.
pub fn parse_scopes(text: &str) -> Result<Vec<ClientScope>, String> {
    let mut scopes = Vec::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let scope = ClientScope::parse(word).ok_or_else(|| word.to_string())?;
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    scopes.sort();
    Ok(scopes)
}

/// Scopes as one space-separated string, in a fixed order.
pub fn scope_text(scopes: &[ClientScope]) -> String {
    let mut sorted = scopes.to_vec();
    sorted.sort();
    sorted.iter().map(|s| s.code()).collect::<Vec<_>>().join(" ")
}

/// What wex reads from a client assertion once its signature, audience and expiry are verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssertionClaims {
    pub iss: String,
    pub sub: String,
    pub jti: String,
    pub exp: DateTime<Utc>,
}

/// The rules RFC 7523 section 3 sets for the assertion, beyond its signature: issued by the
/// client about itself, a `jti` to stop replays, and a short life.
pub fn check_assertion(client_id: Uuid, claims: &AssertionClaims, now: DateTime<Utc>) -> Result<(), &'static str> {
    let id = client_id.to_string();
    if claims.iss != id || claims.sub != id {
        return Err("iss and sub must both be the client_id");
    }
    if !has_visible(&claims.jti) || claims.jti.len() > MAX_JTI {
        return Err("jti must be a unique identifier of at most 255 bytes");
    }
    if claims.exp > now + Duration::seconds(ASSERTION_MAX_SECONDS) {
        return Err("exp must be at most five minutes ahead");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_parse_in_any_order_and_unknown_ones_are_named() {
        assert_eq!(
            parse_scopes("attendance:write  placements:read placements:read"),
            Ok(vec![ClientScope::PlacementsRead, ClientScope::AttendanceWrite])
        );
        assert_eq!(parse_scopes("placements:read admin"), Err("admin".to_string()));
        assert_eq!(
            scope_text(&[ClientScope::AttendanceWrite, ClientScope::PlacementsRead]),
            "placements:read attendance:write"
        );
    }

    #[test]
    fn an_assertion_is_the_clients_own_short_lived_and_identified() {
        let id = Uuid::now_v7();
        let now = Utc::now();
        let good = AssertionClaims {
            iss: id.to_string(),
            sub: id.to_string(),
            jti: "a1".into(),
            exp: now + Duration::seconds(60),
        };
        assert_eq!(check_assertion(id, &good, now), Ok(()));
        let other = Uuid::now_v7().to_string();
        assert!(check_assertion(id, &AssertionClaims { iss: other.clone(), ..good.clone() }, now).is_err());
        assert!(check_assertion(id, &AssertionClaims { sub: other, ..good.clone() }, now).is_err());
        assert!(check_assertion(id, &AssertionClaims { jti: " ".into(), ..good.clone() }, now).is_err());
        let late = now + Duration::seconds(ASSERTION_MAX_SECONDS + 1);
        assert!(check_assertion(id, &AssertionClaims { exp: late, ..good }, now).is_err());
    }

    #[test]
    fn attributions_are_short_printable_text() {
        assert!(valid_attribution("staff:E12345"));
        assert!(!valid_attribution(""));
        assert!(!valid_attribution("a\u{7}b"));
        assert!(!valid_attribution(&"x".repeat(MAX_ATTRIBUTION + 1)));
    }
}
