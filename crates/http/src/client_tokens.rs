//! The tokens of organisation API clients: the assertions clients sign to ask for access (RFC 7523,
//! `private_key_jwt`), checked against the public keys they registered, and the access tokens wex
//! signs in return (RFC 9068's `at+jwt` type, HS256 with wex's own key: only wex verifies them).

use chrono::{DateTime, Utc};
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, JwkSet, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wex_domain::api_clients::token::TokenGrant;
use wex_domain::model::api_client::{
    ApiClient, AssertionClaims, ClientScope, client_subject, parse_scopes, scope_text,
};

/// The `typ` of wex's access tokens (RFC 9068), which tells them apart from people's tokens.
pub const ACCESS_TOKEN_TYPE: &str = "at+jwt";
/// The only client assertion type accepted (RFC 7523 section 2.2).
pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// The path of the token endpoint; a client assertion's `aud` is the public URL ending in it.
pub const TOKEN_PATH: &str = "/v1/oauth2/token";
/// Leeway for clocks that differ a little between a client and wex.
const LEEWAY_SECONDS: u64 = 30;
/// Who issues and who accepts wex's access tokens.
const ISSUER: &str = "wex";
const AUDIENCE: &str = "wex-api";

/// wex's key for access tokens, and the URL clients address their assertions to.
pub struct ClientTokens {
    key: Vec<u8>,
    token_url: String,
}

#[derive(Serialize, Deserialize)]
struct AccessClaims {
    iss: String,
    aud: String,
    sub: String,
    client_id: Uuid,
    scope: String,
    iat: i64,
    exp: i64,
    jti: Uuid,
}

/// What a verified access token says: which client, with which scopes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientToken {
    pub client_id: Uuid,
    pub scopes: Vec<ClientScope>,
}

impl ClientTokens {
    /// `key` signs and verifies access tokens (at least 32 bytes, the same in every process);
    /// `public_url` is where clients reach the API, such as `https://api.wex.example`.
    pub fn new(key: Vec<u8>, public_url: &str) -> Self {
        Self { key, token_url: format!("{}{TOKEN_PATH}", public_url.trim_end_matches('/')) }
    }

    /// Tokens keyed by a key derived from `secret` (HMAC-SHA256 with a label), so that the key
    /// that signs access tokens is never the one that signs anything else, such as the sandbox's
    /// people tokens made from the same secret.
    pub fn from_secret(secret: &[u8], public_url: &str) -> Self {
        use hmac::{Hmac, Mac};
        let derived = match Hmac::<sha2::Sha256>::new_from_slice(secret) {
            Ok(mut mac) => {
                mac.update(b"wex: access tokens of organisation API clients");
                mac.finalize().into_bytes().to_vec()
            }
            // HMAC takes a key of any length; this arm never runs.
            Err(_) => secret.to_vec(),
        };
        Self::new(derived, public_url)
    }

    /// The token endpoint's public URL: the `aud` every client assertion must carry.
    pub fn token_url(&self) -> &str {
        &self.token_url
    }

    /// Signs an access token for `grant`.
    pub fn sign(&self, grant: &TokenGrant, now: DateTime<Utc>) -> Result<String, String> {
        let claims = AccessClaims {
            iss: ISSUER.to_string(),
            aud: AUDIENCE.to_string(),
            sub: client_subject(grant.client_id),
            client_id: grant.client_id,
            scope: scope_text(&grant.scopes),
            iat: now.timestamp(),
            exp: grant.expires_at.timestamp(),
            jti: Uuid::now_v7(),
        };
        let header = Header { typ: Some(ACCESS_TOKEN_TYPE.to_string()), ..Header::new(Algorithm::HS256) };
        jsonwebtoken::encode(&header, &claims, &EncodingKey::from_secret(&self.key)).map_err(|e| e.to_string())
    }

    /// Verifies an access token wex signed; `Err` says why not, for the 401's detail.
    pub fn verify(&self, token: &str) -> Result<ClientToken, &'static str> {
        let mut v = Validation::new(Algorithm::HS256);
        v.set_issuer(&[ISSUER]);
        v.set_audience(&[AUDIENCE]);
        v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        v.leeway = LEEWAY_SECONDS;
        let data = jsonwebtoken::decode::<AccessClaims>(token, &DecodingKey::from_secret(&self.key), &v).map_err(
            |e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => "it has expired: ask for another",
                _ => "it is not an access token this service issued",
            },
        )?;
        let scopes = parse_scopes(&data.claims.scope).map_err(|_| "it names a scope this service does not know")?;
        Ok(ClientToken { client_id: data.claims.client_id, scopes })
    }
}

/// The `client_id` an assertion says it is from (`sub`, which RFC 7523 says names the client),
/// read before its signature is checked, only to find the keys to check it with.
pub fn claimed_client(assertion: &str) -> Option<Uuid> {
    #[derive(Deserialize)]
    struct Sub {
        sub: String,
    }
    let claims = jsonwebtoken::dangerous::insecure_decode_claims::<Sub>(assertion).ok()?;
    Uuid::try_parse(&claims.sub).ok()
}

/// The algorithms a registered public key verifies: the one its `alg` names, or those of its
/// type (RSA: RS256, RS384, RS512; EC: ES256 on P-256, ES384 on P-384). Never an HMAC algorithm,
/// so a public key can never be used as a shared secret.
fn algorithms(jwk: &Jwk) -> Vec<Algorithm> {
    let family = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => vec![Algorithm::RS256, Algorithm::RS384, Algorithm::RS512],
        AlgorithmParameters::EllipticCurve(ec) => match ec.curve {
            EllipticCurve::P256 => vec![Algorithm::ES256],
            EllipticCurve::P384 => vec![Algorithm::ES384],
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    let named = match jwk.common.key_algorithm {
        None => return family,
        Some(KeyAlgorithm::RS256) => Algorithm::RS256,
        Some(KeyAlgorithm::RS384) => Algorithm::RS384,
        Some(KeyAlgorithm::RS512) => Algorithm::RS512,
        Some(KeyAlgorithm::ES256) => Algorithm::ES256,
        Some(KeyAlgorithm::ES384) => Algorithm::ES384,
        Some(_) => return Vec::new(),
    };
    family.into_iter().filter(|a| *a == named).collect()
}

/// Reads a client's JWKS as it registers it: every key must be a public RSA or EC (P-256, P-384)
/// signing key. Returns how many there are.
pub fn check_client_jwks(json: &str) -> Result<usize, String> {
    let raw: serde_json::Value = serde_json::from_str(json).map_err(|_| "not a JSON object".to_string())?;
    let private = ["d", "p", "q", "dp", "dq", "qi", "k"];
    let keys = raw.get("keys").and_then(|k| k.as_array()).ok_or("it has no keys array")?;
    if keys.iter().any(|k| private.iter().any(|m| k.get(m).is_some())) {
        return Err("a key holds private parts: send only the public key, and make a new key pair, \
                    since this one has left your system"
            .to_string());
    }
    let set: JwkSet = serde_json::from_value(raw).map_err(|e| format!("not a JWKS document: {e}"))?;
    for jwk in &set.keys {
        if algorithms(jwk).is_empty() {
            return Err("only RSA (RS256, RS384, RS512) and EC P-256 or P-384 (ES256, ES384) keys are accepted".into());
        }
        if jwk.common.public_key_use == Some(PublicKeyUse::Encryption) {
            return Err("a key is marked for encryption (use: enc); client keys sign".into());
        }
        DecodingKey::from_jwk(jwk).map_err(|e| format!("a key cannot be read: {e}"))?;
    }
    Ok(set.keys.len())
}

#[derive(Deserialize)]
struct Assertion {
    iss: String,
    sub: String,
    jti: String,
    exp: i64,
}

/// Verifies a client assertion with one of `client`'s keys (the one its `kid` names, or any that
/// fits its algorithm), for the audience `token_url`, unexpired. The rest of RFC 7523's rules are
/// the domain's ([`wex_domain::model::api_client::check_assertion`]).
pub fn verify_assertion(assertion: &str, client: &ApiClient, token_url: &str) -> Result<AssertionClaims, String> {
    let header = jsonwebtoken::decode_header(assertion).map_err(|_| "the assertion is not a signed JWT".to_string())?;
    let set: JwkSet = serde_json::from_str(&client.jwks).map_err(|_| "the client's keys cannot be read".to_string())?;
    let candidates: Vec<&Jwk> = set
        .keys
        .iter()
        .filter(|k| header.kid.is_none() || k.common.key_id == header.kid)
        .filter(|k| algorithms(k).contains(&header.alg))
        .collect();
    if candidates.is_empty() {
        return Err("no registered key of the client has this kid and algorithm".to_string());
    }
    let mut v = Validation::new(header.alg);
    v.set_audience(&[token_url]);
    v.set_required_spec_claims(&["exp", "iss", "sub", "aud"]);
    v.leeway = LEEWAY_SECONDS;
    let mut why = "its signature does not match a registered key".to_string();
    for jwk in candidates {
        let Ok(key) = DecodingKey::from_jwk(jwk) else { continue };
        match jsonwebtoken::decode::<Assertion>(assertion, &key, &v) {
            Ok(data) => {
                let c = data.claims;
                let exp = DateTime::from_timestamp(c.exp, 0).ok_or("its exp is out of range")?;
                return Ok(AssertionClaims { iss: c.iss, sub: c.sub, jti: c.jti, exp });
            }
            Err(e) => {
                use jsonwebtoken::errors::ErrorKind;
                why = match e.kind() {
                    ErrorKind::ExpiredSignature => "it has expired".to_string(),
                    ErrorKind::InvalidAudience => format!("its aud must be {token_url}"),
                    ErrorKind::MissingRequiredClaim(c) => format!("it has no {c} claim"),
                    ErrorKind::Json(_) => "it needs iss, sub, aud, exp and jti claims".to_string(),
                    ErrorKind::InvalidSignature => why,
                    _ => "it cannot be verified".to_string(),
                };
            }
        }
    }
    Err(why)
}
