//! Registering, listing, re-keying and revoking an organisation's API clients. Only the
//! organisation's coordinators and platform admins, never a client itself.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::codes;
use crate::error::{FieldError, StoreError};
use crate::model::api_client::{ApiClient, ClientScope, ClientStatus, MAX_KEYS, MAX_NAME};
use crate::model::auth::Actor;
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::model::validation::has_visible;
use crate::ports::Store;
use crate::unit_of_work::write;
use crate::use_case_error::{Invalid, NotFound};

crate::use_case_error! {
    /// Why a client could not be registered, read, re-keyed or revoked.
    pub enum ClientError {
        /// The organisation is public, so a caller who neither coordinates it nor administers the
        /// platform (or who is an API client) is told so.
        NotCoordinator(()) = codes::COORDINATOR_ROLE_REQUIRED,
        /// No such client of this organisation.
        NotFound(NotFound),
        Invalid(Invalid),
        /// A revoked client stays revoked: register a new one.
        Revoked(()) = codes::CLIENT_REVOKED,
        Store(StoreError),
    }
}

/// Reads a JWKS document and counts the public keys a client assertion can be verified with;
/// `Err` says what is wrong with it. The HTTP layer supplies it: key formats are not the domain's.
pub type CheckKeys = dyn Fn(&str) -> Result<usize, String>;

/// A client as sent: a name people recognise, the scopes it needs and its public keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientInput {
    pub name: String,
    pub scopes: Vec<String>,
    pub jwks: String,
}

fn scopes(codes: &[String]) -> Result<Vec<ClientScope>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut found = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        match ClientScope::parse(code) {
            Some(s) if !found.contains(&s) => found.push(s),
            Some(_) => {}
            None => errors.push(FieldError::new(
                format!("/scopes/{i}"),
                "invalid_scope",
                "This is not a scope; the scopes are listed in docs/integrators.md.",
            )),
        }
    }
    if found.is_empty() && errors.is_empty() {
        errors.push(FieldError::new("/scopes", "required", "Give at least one scope."));
    }
    found.sort();
    if errors.is_empty() { Ok(found) } else { Err(errors) }
}

fn keys_error(jwks: &str, check: &CheckKeys) -> Option<FieldError> {
    match check(jwks) {
        Ok(n) if (1..=MAX_KEYS).contains(&n) => None,
        Ok(_) => Some(FieldError::new("/jwks/keys", "too_many_keys", "Give one to five public keys.")),
        Err(why) => Some(FieldError::new("/jwks", "invalid_jwks", format!("These keys cannot be used: {why}."))),
    }
}

/// Registers a client able to get tokens at once with any of `input.jwks`'s keys.
pub fn register(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    input: &ClientInput,
    check: &CheckKeys,
    now: DateTime<Utc>,
) -> Result<ApiClient, ClientError> {
    store.organisation(organisation_id)?;
    let by = EventActor::keeping(actor, organisation_id).ok_or(ClientError::NotCoordinator(()))?;
    let name = input.name.trim();
    let mut errors = Vec::new();
    if !has_visible(name) || name.len() > MAX_NAME || name.chars().any(char::is_control) {
        errors.push(FieldError::new(
            "/name",
            "invalid_name",
            "Give a name of 1 to 200 characters, such as the system's.",
        ));
    }
    let granted = scopes(&input.scopes).unwrap_or_else(|e| {
        errors.extend(e);
        Vec::new()
    });
    errors.extend(keys_error(&input.jwks, check));
    if !errors.is_empty() {
        return Err(Invalid(errors).into());
    }
    let id = Uuid::now_v7();
    let (version, event) = DomainEvent::created(Entity::ApiClient, id, "registered", by, now);
    let client = ApiClient {
        id,
        organisation_id,
        name: name.to_string(),
        scopes: granted,
        jwks: input.jwks.clone(),
        status: ClientStatus::Active,
        version,
        created_at: now,
        revoked_at: None,
    };
    write(store, |tx| -> Result<_, StoreError> {
        tx.insert_api_client(&client)?;
        tx.append_events(&[event.with("organisation_id", organisation_id)])
    })?;
    Ok(client)
}

/// The client, if it is this organisation's and the caller keeps the organisation.
fn client_of(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    id: Uuid,
) -> Result<(ApiClient, EventActor), ClientError> {
    store.organisation(organisation_id)?;
    let by = EventActor::keeping(actor, organisation_id).ok_or(ClientError::NotCoordinator(()))?;
    match store.api_client(id) {
        Ok(c) if c.organisation_id == organisation_id => Ok((c, by)),
        Ok(_) | Err(StoreError::NotFound) => Err(NotFound.into()),
        Err(e) => Err(e.into()),
    }
}

/// The organisation's clients, revoked ones too, oldest first.
pub fn clients(store: &dyn Store, actor: &Actor, organisation_id: Uuid) -> Result<Vec<ApiClient>, ClientError> {
    store.organisation(organisation_id)?;
    EventActor::keeping(actor, organisation_id).ok_or(ClientError::NotCoordinator(()))?;
    Ok(store.api_clients_of(organisation_id)?)
}

pub fn client(store: &dyn Store, actor: &Actor, organisation_id: Uuid, id: Uuid) -> Result<ApiClient, ClientError> {
    Ok(client_of(store, actor, organisation_id, id)?.0)
}

/// A client's new public keys, and the version they replace (the `If-Match` version, if sent).
pub struct NewKeys<'a> {
    pub jwks: &'a str,
    pub expected_version: Option<i64>,
    pub check: &'a CheckKeys,
}

/// Replaces the client's public keys (a key rotation: send the new key with the old, then the new
/// alone once the client signs with it).
pub fn replace_keys(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    id: Uuid,
    keys: NewKeys<'_>,
    now: DateTime<Utc>,
) -> Result<ApiClient, ClientError> {
    let NewKeys { jwks, expected_version, check } = keys;
    if let Some(e) = keys_error(jwks, check) {
        return Err(Invalid(vec![e]).into());
    }
    write(store, |tx| {
        let (current, by) = client_of(tx, actor, organisation_id, id)?;
        if current.status == ClientStatus::Revoked {
            return Err(ClientError::Revoked(()));
        }
        let expected = expected_version.unwrap_or(current.version);
        let (version, event) = DomainEvent::edited(Entity::ApiClient, id, current.version, "keys_replaced", by, now);
        let client = ApiClient { jwks: jwks.to_string(), version, ..current };
        tx.update_api_client(&client, expected)?;
        tx.append_events(&[event.with("organisation_id", organisation_id)])?;
        Ok(client)
    })
}

/// Revokes the client: no more tokens, and those it holds stop working at its next request.
/// Revoking a revoked client changes nothing.
pub fn revoke(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    id: Uuid,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<ApiClient, ClientError> {
    write(store, |tx| {
        let (current, by) = client_of(tx, actor, organisation_id, id)?;
        if current.status == ClientStatus::Revoked {
            return Ok(current);
        }
        let expected = expected_version.unwrap_or(current.version);
        let (version, event) = DomainEvent::edited(Entity::ApiClient, id, current.version, "revoked", by, now);
        let client = ApiClient { status: ClientStatus::Revoked, revoked_at: Some(now), version, ..current };
        tx.update_api_client(&client, expected)?;
        tx.append_events(&[event.with("organisation_id", organisation_id)])?;
        Ok(client)
    })
}
