//! Access tokens for API clients (OAuth 2.0 client credentials with a `private_key_jwt` assertion,
//! RFC 7523), and what a token lets a request do.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::error::StoreError;
use crate::model::api_client::{
    ACCESS_TOKEN_SECONDS, ApiClient, AssertionClaims, ClientAccess, ClientScope, ClientStatus, check_assertion,
    parse_scopes,
};
use crate::ports::Store;
use crate::unit_of_work::write;

/// Why no token was given. The HTTP layer answers each with its RFC 6749 (section 5.2) error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenRefusal {
    /// No such client, a revoked one, or an assertion that does not verify (`invalid_client`).
    /// The reason is for the client's developers; it never says whether the client exists.
    InvalidClient(String),
    /// The assertion's `jti` was used before (`invalid_grant`).
    Replayed,
    /// A scope asked for that is unknown or not granted to the client (`invalid_scope`).
    InvalidScope(String),
    Store(StoreError),
}

impl From<StoreError> for TokenRefusal {
    fn from(e: StoreError) -> Self {
        TokenRefusal::Store(e)
    }
}

/// What an access token is given for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenGrant {
    pub client_id: Uuid,
    pub organisation_id: Uuid,
    pub scopes: Vec<ClientScope>,
    pub expires_at: DateTime<Utc>,
}

/// Verifies a client assertion against the client's registered keys: its signature, audience and
/// expiry. The HTTP layer supplies it (JWT formats are not the domain's); `Err` says why not.
pub type VerifyAssertion<'a> = dyn Fn(&ApiClient) -> Result<AssertionClaims, String> + 'a;

/// Gives `client_id` a token for `requested` scopes (every granted scope when `None`), if its
/// assertion verifies with one of its keys, is its own, is short-lived and was never used before.
/// The assertion's `jti` is recorded in the same transaction, so two processes given the same
/// assertion at once give one token.
pub fn issue(
    store: &dyn Store,
    client_id: Uuid,
    requested: Option<&str>,
    verify: &VerifyAssertion<'_>,
    now: DateTime<Utc>,
) -> Result<TokenGrant, TokenRefusal> {
    let unknown = || TokenRefusal::InvalidClient("no active client has this client_id".to_string());
    write(store, |tx| {
        let client = match tx.api_client(client_id) {
            Ok(c) if c.status == ClientStatus::Active => c,
            Ok(_) | Err(StoreError::NotFound) => return Err(unknown()),
            Err(e) => return Err(e.into()),
        };
        let claims = verify(&client).map_err(TokenRefusal::InvalidClient)?;
        check_assertion(client_id, &claims, now).map_err(|why| TokenRefusal::InvalidClient(why.to_string()))?;
        let scopes = match requested {
            None => client.scopes.clone(),
            Some(text) => {
                let asked =
                    parse_scopes(text).map_err(|s| TokenRefusal::InvalidScope(format!("{s} is not a scope")))?;
                if let Some(extra) = asked.iter().find(|s| !client.scopes.contains(s)) {
                    return Err(TokenRefusal::InvalidScope(format!("{extra} is not granted to this client")));
                }
                if asked.is_empty() { client.scopes.clone() } else { asked }
            }
        };
        if !tx.use_assertion(client_id, &claims.jti, claims.exp, now)? {
            return Err(TokenRefusal::Replayed);
        }
        Ok(TokenGrant {
            client_id,
            organisation_id: client.organisation_id,
            scopes,
            expires_at: now + Duration::seconds(ACCESS_TOKEN_SECONDS),
        })
    })
}

/// What a request with a verified token of `client_id` may do now: `None` when the client is gone
/// or revoked, whatever the token's expiry. The scopes are the token's, less any the
/// organisation has since taken from the client.
pub fn access(
    store: &dyn Store,
    client_id: Uuid,
    token_scopes: &[ClientScope],
) -> Result<Option<ClientAccess>, StoreError> {
    let client = match store.api_client(client_id) {
        Ok(c) if c.status == ClientStatus::Active => c,
        Ok(_) | Err(StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    let scopes = token_scopes.iter().copied().filter(|s| client.scopes.contains(s)).collect();
    Ok(Some(ClientAccess { client_id, organisation_id: client.organisation_id, scopes }))
}
