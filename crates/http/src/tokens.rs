//! Bearer JWT verification and, in the sandbox only, minting.
//!
//! Every key is pinned to one algorithm: production keys are RS256 or ES256 public keys (PEM files
//! or a JWKS file); the sandbox uses HS256 with a secret generated on first run. `exp`, `iss`,
//! `aud` and `sub` are required and checked; `alg: none` cannot be parsed and is refused.

use actix_web::http::header;
use actix_web::{HttpMessage, HttpRequest};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use uuid::Uuid;
use wex_domain::model::auth::{Role, valid_subject};

use crate::problem::ApiError;

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

/// One verification key, pinned to its algorithm.
#[derive(Clone)]
pub struct VerifyKey {
    pub kid: Option<String>,
    pub algorithm: Algorithm,
    pub key: DecodingKey,
}

/// Reads a PEM public key: RSA keys verify RS256, EC (P-256) keys ES256.
pub fn key_from_pem(pem: &[u8], kid: Option<String>) -> Result<VerifyKey, String> {
    if let Ok(key) = DecodingKey::from_rsa_pem(pem) {
        return Ok(VerifyKey { kid, algorithm: Algorithm::RS256, key });
    }
    if let Ok(key) = DecodingKey::from_ec_pem(pem) {
        return Ok(VerifyKey { kid, algorithm: Algorithm::ES256, key });
    }
    Err("not an RSA or EC public key in PEM format".to_string())
}

/// Reads the RS256 and ES256 keys of a JWKS document; other keys are refused.
pub fn keys_from_jwks(json: &str) -> Result<Vec<VerifyKey>, String> {
    let set: JwkSet = serde_json::from_str(json).map_err(|e| format!("not a JWKS document: {e}"))?;
    let mut keys = Vec::new();
    for jwk in &set.keys {
        let key = DecodingKey::from_jwk(jwk).map_err(|e| format!("unusable key: {e}"))?;
        let algorithm = match &jwk.algorithm {
            jsonwebtoken::jwk::AlgorithmParameters::RSA(_) => Algorithm::RS256,
            jsonwebtoken::jwk::AlgorithmParameters::EllipticCurve(_) => Algorithm::ES256,
            _ => return Err("only RSA (RS256) and EC P-256 (ES256) keys are accepted".to_string()),
        };
        keys.push(VerifyKey { kid: jwk.common.key_id.clone(), algorithm, key });
    }
    if keys.is_empty() {
        return Err("the JWKS document has no keys".to_string());
    }
    Ok(keys)
}

/// What the platform reads from a verified token: only who it is. jsonwebtoken checks `exp`,
/// `nbf`, `iss` and `aud` (a string or a list) itself.
#[derive(Deserialize)]
struct Subject {
    sub: String,
}

enum Keys {
    Sandbox { secret: Vec<u8> },
    Production(Vec<VerifyKey>),
}

pub struct Authenticator {
    keys: Keys,
    issuer: String,
    audience: String,
    admin_subjects: HashSet<String>,
}

impl Authenticator {
    pub fn sandbox(secret: Vec<u8>, issuer: &str, audience: &str, admin_subjects: HashSet<String>) -> Self {
        Self { keys: Keys::Sandbox { secret }, issuer: issuer.into(), audience: audience.into(), admin_subjects }
    }

    pub fn production(keys: Vec<VerifyKey>, issuer: &str, audience: &str, admin_subjects: HashSet<String>) -> Self {
        Self { keys: Keys::Production(keys), issuer: issuer.into(), audience: audience.into(), admin_subjects }
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

    /// Verifies a token and returns its subject.
    pub fn verify(&self, token: &str) -> Result<String, ApiError> {
        let invalid = |why: &str| ApiError::unauthorized(format!("The bearer token is not valid: {why}."));
        // An unknown algorithm (including "none") fails here.
        let header = jsonwebtoken::decode_header(token).map_err(|_| invalid("it cannot be read"))?;
        let claims = match &self.keys {
            Keys::Sandbox { secret } => {
                if header.alg != Algorithm::HS256 {
                    return Err(invalid("the sandbox accepts HS256 tokens only"));
                }
                jsonwebtoken::decode::<Subject>(
                    token,
                    &DecodingKey::from_secret(secret),
                    &self.validation(Algorithm::HS256),
                )
            }
            Keys::Production(keys) => {
                let key = keys
                    .iter()
                    .filter(|k| k.algorithm == header.alg)
                    .find(|k| header.kid.is_none() || k.kid.is_none() || k.kid == header.kid)
                    .ok_or_else(|| invalid("no key for its algorithm and key id"))?;
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
        })?;
        if !valid_subject(&claims.claims.sub) {
            return Err(invalid("its subject is empty or too long"));
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

/// A bearer token's subject once verified, kept in the request's extensions.
#[derive(Clone)]
struct VerifiedSubject(String);

/// The verified subject of a request's bearer token (`None` without one). It is verified once per
/// request: the write rate limiter needs it before routing and the `Caller` extractor after, and
/// the second asks the extensions instead of checking the signature again.
pub(crate) fn verified_subject(req: &HttpRequest, auth: &Authenticator) -> Result<Option<String>, ApiError> {
    if let Some(VerifiedSubject(subject)) = req.extensions().get::<VerifiedSubject>() {
        return Ok(Some(subject.clone()));
    }
    let Some(token) = bearer_token(req.headers())? else { return Ok(None) };
    let subject = auth.verify(&token)?;
    req.extensions_mut().insert(VerifiedSubject(subject.clone()));
    Ok(Some(subject))
}
