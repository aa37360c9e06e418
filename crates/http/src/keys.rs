//! Verification keys: PEM public keys and JWKS documents, each key pinned to its algorithm
//! (RS256 for RSA, ES256 for EC P-256).

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey};

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
    jwks_keys(json, true)
}

/// Reads the RS256 and ES256 signing keys of a JWKS document fetched from an identity provider,
/// skipping others: a provider that adds an encryption key must not stop its signing keys from
/// being refreshed.
pub(crate) fn signing_keys_from_jwks(json: &str) -> Result<Vec<VerifyKey>, String> {
    jwks_keys(json, false)
}

fn jwks_keys(json: &str, strict: bool) -> Result<Vec<VerifyKey>, String> {
    use jsonwebtoken::jwk::{AlgorithmParameters, PublicKeyUse};
    let set: JwkSet = serde_json::from_str(json).map_err(|e| format!("not a JWKS document: {e}"))?;
    let mut keys = Vec::new();
    for jwk in &set.keys {
        let algorithm = match &jwk.algorithm {
            AlgorithmParameters::RSA(_) => Algorithm::RS256,
            AlgorithmParameters::EllipticCurve(_) => Algorithm::ES256,
            _ if strict => return Err("only RSA (RS256) and EC P-256 (ES256) keys are accepted".to_string()),
            _ => continue,
        };
        if !strict && jwk.common.public_key_use == Some(PublicKeyUse::Encryption) {
            continue;
        }
        let key = match DecodingKey::from_jwk(jwk) {
            Ok(key) => key,
            Err(e) if strict => return Err(format!("unusable key: {e}")),
            Err(_) => continue,
        };
        keys.push(VerifyKey { kid: jwk.common.key_id.clone(), algorithm, key });
    }
    if keys.is_empty() {
        return Err("the JWKS document has no usable keys".to_string());
    }
    Ok(keys)
}
