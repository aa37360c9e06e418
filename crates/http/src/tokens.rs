//! Bearer JWT verification and, in the sandbox only, minting.
//!
//! Every key is pinned to one algorithm: production keys are RS256 or ES256 public keys (PEM files,
//! a JWKS file or a JWKS URL, see `jwks.rs`); the sandbox uses HS256 with a secret generated on
//! first run. `exp`, `iss`, `aud` and `sub` are required and checked; `alg: none` cannot be parsed
//! and is refused.

use actix_web::http::header;
use actix_web::{HttpMessage, HttpRequest};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::Arc;
use uuid::Uuid;
use wex_domain::model::auth::{Role, valid_subject};

use crate::client_tokens::{ACCESS_TOKEN_TYPE, ClientToken, ClientTokens};
use crate::jwks::RemoteKeys;
pub use crate::keys::{VerifyKey, key_from_pem, keys_from_jwks};
use crate::problem::ApiError;

fn invalid(why: &str) -> ApiError {
    ApiError::unauthorized(format!("The bearer token is not valid: {why}."))
}

/// Claims of the tokens the sandbox mints. `role` and `organisation_id` are for the reader's
/// convenience: authorisation never uses them.
#[derive(Debug, Serialize)]
pub struct Claims {
    pub sub: String,
    pub iss: String,
    pub aud: String,
    pub exp: i64,
    pub iat: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<Uuid>,
}

/// What the platform reads from a verified token: only who it is. jsonwebtoken checks `exp`,
/// `nbf`, `iss` and `aud` (a string or a list) itself.
#[derive(Deserialize)]
struct Subject {
    sub: String,
}

enum Keys {
    Sandbox {
        secret: Vec<u8>,
    },
    Production(Vec<VerifyKey>),
    /// Production keys from a JWKS URL, refreshed while the process runs.
    Remote(Arc<RemoteKeys>),
}

/// Why a token was refused, kept apart when a refresh of remote keys could change the answer.
enum Refusal {
    UnknownKid(String),
    Invalid(ApiError),
}

pub struct Authenticator {
    keys: Keys,
    issuer: String,
    audience: String,
    admin_subjects: HashSet<String>,
    /// wex's own key for organisation API clients' access tokens; `None` where none is set (no
    /// client can then get a token).
    client_tokens: Option<ClientTokens>,
}

/// Who a verified bearer token is for: a person (their identity provider's subject) or an
/// organisation's API client (with the scopes its token carries).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verified {
    Person(String),
    Client(ClientToken),
}

impl Verified {
    /// The one string that names the caller, for the rate limiter's buckets.
    pub fn key(&self) -> String {
        match self {
            Verified::Person(subject) => format!("person:{subject}"),
            Verified::Client(token) => format!("client:{}", token.client_id),
        }
    }
}

impl Authenticator {
    pub fn sandbox(secret: Vec<u8>, issuer: &str, audience: &str, admin_subjects: HashSet<String>) -> Self {
        Self {
            keys: Keys::Sandbox { secret },
            issuer: issuer.into(),
            audience: audience.into(),
            admin_subjects,
            client_tokens: None,
        }
    }

    pub fn production(keys: Vec<VerifyKey>, issuer: &str, audience: &str, admin_subjects: HashSet<String>) -> Self {
        Self {
            keys: Keys::Production(keys),
            issuer: issuer.into(),
            audience: audience.into(),
            admin_subjects,
            client_tokens: None,
        }
    }

    /// Production mode with keys from a JWKS URL; `remote` already holds the first key set.
    pub fn remote(remote: Arc<RemoteKeys>, issuer: &str, audience: &str, admin_subjects: HashSet<String>) -> Self {
        Self {
            keys: Keys::Remote(remote),
            issuer: issuer.into(),
            audience: audience.into(),
            admin_subjects,
            client_tokens: None,
        }
    }

    /// Lets organisation API clients get access tokens signed with `tokens`' key.
    pub fn with_client_tokens(mut self, tokens: ClientTokens) -> Self {
        self.client_tokens = Some(tokens);
        self
    }

    pub fn client_tokens(&self) -> Option<&ClientTokens> {
        self.client_tokens.as_ref()
    }

    /// Verifies any bearer token: an API client's access token (`typ: at+jwt`, signed by wex) or
    /// a person's token from the identity provider (see [`Authenticator::verify`]).
    pub async fn verify_caller(&self, token: &str) -> Result<Verified, ApiError> {
        if is_client_token(token) {
            let tokens = self.client_tokens.as_ref().ok_or_else(|| invalid("this service issues no client tokens"))?;
            return tokens.verify(token).map(Verified::Client).map_err(invalid);
        }
        self.verify(token).await.map(Verified::Person)
    }

    /// The remote key set, for the task that refreshes it periodically.
    pub fn remote_keys(&self) -> Option<Arc<RemoteKeys>> {
        match &self.keys {
            Keys::Remote(remote) => Some(Arc::clone(remote)),
            _ => None,
        }
    }

    pub fn can_mint(&self) -> bool {
        matches!(self.keys, Keys::Sandbox { .. })
    }

    fn validation(&self, algorithm: Algorithm) -> Validation {
        let mut v = Validation::new(algorithm);
        v.set_issuer(&[&self.issuer]);
        v.set_audience(&[&self.audience]);
        v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        v.validate_nbf = true;
        v.leeway = 30;
        v
    }

    /// Verifies a token and returns its subject. With remote keys, a token naming a key id the
    /// cache lacks may wait for one refresh (see `RemoteKeys::refresh_for_unknown_kid`); every
    /// other token is checked against the keys held, without waiting.
    pub async fn verify(&self, token: &str) -> Result<String, ApiError> {
        match self.verify_with_held_keys(token) {
            Ok(subject) => Ok(subject),
            Err(Refusal::Invalid(e)) => Err(e),
            Err(Refusal::UnknownKid(kid)) => {
                let refreshed = match &self.keys {
                    Keys::Remote(remote) => remote.refresh_for_unknown_kid(&kid).await,
                    _ => false,
                };
                let refused = || invalid("no key for its algorithm and key id");
                if !refreshed {
                    return Err(refused());
                }
                self.verify_with_held_keys(token).map_err(|r| match r {
                    Refusal::Invalid(e) => e,
                    Refusal::UnknownKid(_) => refused(),
                })
            }
        }
    }

    fn verify_with_held_keys(&self, token: &str) -> Result<String, Refusal> {
        // An unknown algorithm (including "none") fails here.
        let header = jsonwebtoken::decode_header(token).map_err(|_| Refusal::Invalid(invalid("it cannot be read")))?;
        let pick = |keys: &[VerifyKey]| -> Result<VerifyKey, Refusal> {
            let candidates = || keys.iter().filter(|k| k.algorithm == header.alg);
            match candidates().find(|k| header.kid.is_none() || k.kid.is_none() || k.kid == header.kid) {
                Some(key) => Ok(key.clone()),
                None => match &header.kid {
                    Some(kid) if !keys.iter().any(|k| k.kid.as_ref() == Some(kid)) => {
                        Err(Refusal::UnknownKid(kid.clone()))
                    }
                    _ => Err(Refusal::Invalid(invalid("no key for its algorithm and key id"))),
                },
            }
        };
        let claims = match &self.keys {
            Keys::Sandbox { secret } => {
                if header.alg != Algorithm::HS256 {
                    return Err(Refusal::Invalid(invalid("the sandbox accepts HS256 tokens only")));
                }
                jsonwebtoken::decode::<Subject>(
                    token,
                    &DecodingKey::from_secret(secret),
                    &self.validation(Algorithm::HS256),
                )
            }
            Keys::Production(keys) => {
                let key = pick(keys)?;
                jsonwebtoken::decode::<Subject>(token, &key.key, &self.validation(key.algorithm))
            }
            Keys::Remote(remote) => {
                let key = pick(&remote.current())?;
                jsonwebtoken::decode::<Subject>(token, &key.key, &self.validation(key.algorithm))
            }
        };
        let claims = claims.map_err(|e| {
            use jsonwebtoken::errors::ErrorKind;
            match e.kind() {
                ErrorKind::ExpiredSignature => invalid("it has expired"),
                ErrorKind::ImmatureSignature => invalid("it is not valid yet"),
                ErrorKind::InvalidAudience => invalid("it is for another audience"),
                ErrorKind::InvalidIssuer => invalid("it is from another issuer"),
                ErrorKind::InvalidSignature => invalid("its signature does not match"),
                ErrorKind::MissingRequiredClaim(c) => invalid(&format!("it has no {c} claim")),
                _ => invalid("it cannot be verified"),
            }
        });
        let claims = claims.map_err(Refusal::Invalid)?;
        if !valid_subject(&claims.claims.sub) {
            return Err(Refusal::Invalid(invalid("its subject is empty or too long")));
        }
        Ok(claims.claims.sub)
    }

    /// Mints a sandbox token; `None` in production, which never mints.
    pub fn mint(
        &self,
        subject: &str,
        role: Role,
        organisation_id: Option<Uuid>,
        ttl_seconds: i64,
    ) -> Option<(String, i64)> {
        let Keys::Sandbox { secret } = &self.keys else { return None };
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: subject.to_string(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            exp: now + ttl_seconds,
            iat: now,
            role: Some(role.code().to_string()),
            organisation_id,
        };
        let token =
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(secret)).ok()?;
        Some((token, claims.exp))
    }

    pub(crate) fn is_bootstrap_admin(&self, subject: &str) -> bool {
        self.admin_subjects.contains(subject)
    }
}

/// The bearer token of a request's `Authorization` header: `None` when there is no header.
fn bearer_token(headers: &header::HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else { return Ok(None) };
    let text = value.to_str().map_err(|_| ApiError::unauthorized("The Authorization header is not readable."))?;
    match text.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => {
            Ok(Some(token.trim().to_string()))
        }
        _ => Err(ApiError::unauthorized("Use Authorization: Bearer <token>.")),
    }
}

/// Whether a request carries an API client's access token (by its header's `typ`, unverified):
/// cheap enough to ask of every request before deciding to verify it.
pub(crate) fn carries_client_token(req: &HttpRequest) -> bool {
    let Ok(Some(token)) = bearer_token(req.headers()) else { return false };
    is_client_token(&token)
}

/// Whether a token's header says it is an API client's access token (`typ: at+jwt`), unverified.
fn is_client_token(token: &str) -> bool {
    let typ = jsonwebtoken::decode_header(token).ok().and_then(|h| h.typ);
    typ.is_some_and(|t| t.eq_ignore_ascii_case(ACCESS_TOKEN_TYPE))
}

/// Who a request's bearer token is for (`None` without one). It is verified once per request:
/// the write rate limiter needs it before routing and the `Caller` extractor after, and the second
/// asks the extensions instead of checking the signature again.
pub(crate) async fn verified_caller(req: &HttpRequest, auth: &Authenticator) -> Result<Option<Verified>, ApiError> {
    if let Some(verified) = req.extensions().get::<Verified>() {
        return Ok(Some(verified.clone()));
    }
    let Some(token) = bearer_token(req.headers())? else { return Ok(None) };
    let verified = auth.verify_caller(&token).await?;
    req.extensions_mut().insert(verified.clone());
    Ok(Some(verified))
}
