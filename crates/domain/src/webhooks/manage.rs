//! Registering, listing and removing an organisation's webhook endpoints, and reading and
//! replaying their deliveries. Only the organisation's coordinators and platform admins.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::codes;
use crate::error::{FieldError, StoreError};
use crate::model::auth::Actor;
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::model::feed::EventType;
use crate::model::page::{Page, PageRequest};
use crate::model::webhook::{
    WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint, WebhookStatus, forbidden_address, new_secret,
};
use crate::ports::Store;
use crate::unit_of_work::write;
use crate::use_case_error::{Invalid, NotFound};

crate::use_case_error! {
    /// Why an endpoint could not be registered.
    pub enum RegisterError {
        /// The organisation is public, so a caller who neither coordinates it nor administers the
        /// platform is told so.
        NotCoordinator(()) = codes::COORDINATOR_ROLE_REQUIRED,
        Invalid(Invalid),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why endpoints could not be listed or removed.
    pub enum WebhookError {
        NotCoordinator(()) = codes::COORDINATOR_ROLE_REQUIRED,
        /// No such endpoint of this organisation.
        NotFound(NotFound),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why deliveries could not be read or replayed.
    pub enum DeliveryError {
        NotCoordinator(()) = codes::COORDINATOR_ROLE_REQUIRED,
        /// No such endpoint or delivery of this organisation.
        NotFound(NotFound),
        /// Only a failed delivery is replayed, to an endpoint that is still active.
        NotReplayable(String) = codes::NOT_REPLAYABLE,
        Store(StoreError),
    }
}

/// An endpoint as sent: its URL and the event type codes it wants (every type when empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookInput {
    pub url: String,
    pub event_types: Vec<String>,
}

/// Where endpoints may point: anywhere (the sandbox, so tests can receive on loopback), or only at
/// public addresses over HTTPS (production), so that an endpoint cannot make the service call its
/// own network.
pub enum AddressPolicy<'a> {
    Anywhere,
    PublicHttps(&'a Resolve),
}

/// Finds the addresses of a host (and port), as DNS would.
pub type Resolve = dyn Fn(&str, u16) -> Result<Vec<IpAddr>, String>;

const MAX_URL: usize = 2000;

fn url_error(code: &str, message: &str) -> FieldError {
    FieldError::new("/url", code, message)
}

/// The URL's problems under the policy, if any.
fn check_url(url: &str, policy: &AddressPolicy<'_>) -> Option<FieldError> {
    let parsed = match url::Url::parse(url.trim()) {
        Ok(u) if url.len() <= MAX_URL && u.host_str().is_some() => u,
        _ => return Some(url_error("invalid_url", "Give an absolute URL such as https://hr.trust.nhs.uk/wex/events.")),
    };
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Some(url_error("invalid_url", "Leave credentials out of the URL: every delivery is signed instead."));
    }
    let AddressPolicy::PublicHttps(resolve) = policy else {
        return (!matches!(parsed.scheme(), "http" | "https"))
            .then(|| url_error("invalid_url", "The URL must start with https:// (or http:// in the sandbox)."));
    };
    if parsed.scheme() != "https" {
        return Some(url_error("url_not_https", "The URL must start with https://."));
    }
    let host = parsed.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']');
    let addresses = match host.parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        Err(_) => match resolve(host, parsed.port_or_known_default().unwrap_or(443)) {
            Ok(found) if !found.is_empty() => found,
            _ => return Some(url_error("url_not_public", "The URL's host cannot be found.")),
        },
    };
    addresses.into_iter().any(forbidden_address).then(|| {
        url_error("url_not_public", "The URL must reach a public address, not a private, local or link-local one.")
    })
}

fn event_types(codes: &[String]) -> Result<Vec<EventType>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut types = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        match EventType::parse(code) {
            Some(t) if !types.contains(&t) => types.push(t),
            Some(_) => {}
            None => errors.push(FieldError::new(
                format!("/event_types/{i}"),
                "invalid_event_type",
                "This is not an event type; the types are listed in docs/integrators.md.",
            )),
        }
    }
    if errors.is_empty() { Ok(types) } else { Err(errors) }
}

/// Registers an endpoint, receiving events from now on. Returns it with its secret, which is
/// shown this once.
pub fn register(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    input: &WebhookInput,
    policy: &AddressPolicy<'_>,
    now: DateTime<Utc>,
) -> Result<WebhookEndpoint, RegisterError> {
    store.organisation(organisation_id)?;
    let by = EventActor::keeping(actor, organisation_id).ok_or(RegisterError::NotCoordinator(()))?;
    let mut errors: Vec<FieldError> = check_url(&input.url, policy).into_iter().collect();
    let types = event_types(&input.event_types).unwrap_or_else(|e| {
        errors.extend(e);
        Vec::new()
    });
    if !errors.is_empty() {
        return Err(Invalid(errors).into());
    }
    let id = Uuid::now_v7();
    let (version, event) = DomainEvent::created(Entity::Webhook, id, "registered", by, now);
    write(store, |tx| -> Result<_, StoreError> {
        let endpoint = WebhookEndpoint {
            id,
            organisation_id,
            url: input.url.trim().to_string(),
            event_types: types.clone(),
            secret: new_secret()?,
            previous_secret: None,
            status: WebhookStatus::Active,
            cursor: tx.feed_end()?,
            version,
            created_at: now,
            disabled_at: None,
        };
        tx.insert_endpoint(&endpoint)?;
        tx.append_events(&[event.clone().with("organisation_id", organisation_id)])?;
        Ok(endpoint)
    })
    .map_err(Into::into)
}

/// The endpoint, if it is this organisation's and the caller keeps it.
pub(crate) fn endpoint_of(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    id: Uuid,
) -> Result<(WebhookEndpoint, EventActor), WebhookError> {
    store.organisation(organisation_id)?;
    let by = EventActor::keeping(actor, organisation_id).ok_or(WebhookError::NotCoordinator(()))?;
    match store.endpoint(id) {
        Ok(e) if e.organisation_id == organisation_id => Ok((e, by)),
        Ok(_) | Err(StoreError::NotFound) => Err(NotFound.into()),
        Err(e) => Err(e.into()),
    }
}

/// The organisation's endpoints (without their secrets' use: the view leaves them out).
pub fn webhooks(store: &dyn Store, actor: &Actor, organisation_id: Uuid) -> Result<Vec<WebhookEndpoint>, WebhookError> {
    store.organisation(organisation_id)?;
    EventActor::keeping(actor, organisation_id).ok_or(WebhookError::NotCoordinator(()))?;
    Ok(store.endpoints_of(organisation_id)?)
}

/// Removes an endpoint and its deliveries.
pub fn delete_webhook(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), WebhookError> {
    let (endpoint, by) = endpoint_of(store, actor, organisation_id, id)?;
    let event = DomainEvent::edit(Entity::Webhook, id, endpoint.version, "deleted", by, now)
        .with("organisation_id", organisation_id);
    write(store, |tx| -> Result<_, StoreError> {
        tx.delete_endpoint(id)?;
        tx.append_events(std::slice::from_ref(&event))
    })
    .map_err(Into::into)
}

impl From<WebhookError> for DeliveryError {
    fn from(e: WebhookError) -> Self {
        match e {
            WebhookError::NotCoordinator(()) => DeliveryError::NotCoordinator(()),
            WebhookError::NotFound(n) => n.into(),
            WebhookError::Store(s) => s.into(),
        }
    }
}

/// An endpoint's deliveries, in `status` when given (such as the failed ones, to replay).
pub fn deliveries(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    id: Uuid,
    status: Option<WebhookDeliveryStatus>,
    page: &PageRequest<Uuid>,
) -> Result<Page<WebhookDelivery, Uuid>, DeliveryError> {
    endpoint_of(store, actor, organisation_id, id)?;
    Ok(store.deliveries_of(id, status, page)?)
}

/// Sends a failed delivery again, as it was (same id, same body), from the first try.
pub fn replay(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    id: Uuid,
    delivery_id: Uuid,
    now: DateTime<Utc>,
) -> Result<WebhookDelivery, DeliveryError> {
    let (endpoint, by) = endpoint_of(store, actor, organisation_id, id)?;
    let delivery = match store.delivery(delivery_id) {
        Ok(d) if d.endpoint_id == id => d,
        Ok(_) | Err(StoreError::NotFound) => return Err(NotFound.into()),
        Err(e) => return Err(e.into()),
    };
    if delivery.status != WebhookDeliveryStatus::Failed || endpoint.status != WebhookStatus::Active {
        return Err(DeliveryError::NotReplayable(format!(
            "Only a failed delivery to an active endpoint is replayed; this delivery is {} and the endpoint {}.",
            delivery.status, endpoint.status
        )));
    }
    let event = DomainEvent::change(
        Entity::WebhookDelivery,
        delivery_id,
        i64::from(delivery.attempts) + 1,
        Some(delivery.status.code()),
        WebhookDeliveryStatus::Pending.code(),
        by,
        now,
    )
    .with("webhook_id", id);
    write(store, |tx| -> Result<_, StoreError> {
        tx.replay_delivery(delivery_id, now)?;
        tx.append_events(std::slice::from_ref(&event))?;
        tx.delivery(delivery_id)
    })
    .map_err(Into::into)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Lookup = Result<Vec<IpAddr>, String>;

    fn public(_: &str, _: u16) -> Lookup {
        Ok(vec![IpAddr::from([51, 140, 1, 1])])
    }
    fn private(_: &str, _: u16) -> Lookup {
        Ok(vec![IpAddr::from([51, 140, 1, 1]), IpAddr::from([10, 0, 0, 7])])
    }
    fn metadata(_: &str, _: u16) -> Lookup {
        Ok(vec![IpAddr::from([169, 254, 169, 254])])
    }
    fn nowhere(_: &str, _: u16) -> Lookup {
        Err("no such host".into())
    }

    fn code_for(url: &str, policy: &AddressPolicy<'_>) -> Option<String> {
        check_url(url, policy).map(|e| e.code)
    }

    #[test]
    fn production_endpoints_must_be_https_and_public() {
        let strict = AddressPolicy::PublicHttps;
        assert_eq!(code_for("https://hr.trust.example/wex", &strict(&public)), None);
        assert_eq!(code_for("http://hr.trust.example/wex", &strict(&public)).as_deref(), Some("url_not_https"));
        // One private address among public ones is enough to refuse.
        assert_eq!(code_for("https://intranet.example/wex", &strict(&private)).as_deref(), Some("url_not_public"));
        assert_eq!(code_for("https://metadata.example/", &strict(&metadata)).as_deref(), Some("url_not_public"));
        assert_eq!(code_for("https://127.0.0.1:8443/", &strict(&public)).as_deref(), Some("url_not_public"));
        assert_eq!(code_for("https://[::1]/", &strict(&public)).as_deref(), Some("url_not_public"));
        assert_eq!(code_for("https://missing.example/", &strict(&nowhere)).as_deref(), Some("url_not_public"));
        // The sandbox lets tests receive on loopback over plain HTTP.
        assert_eq!(code_for("http://127.0.0.1:9000/hook", &AddressPolicy::Anywhere), None);
        assert_eq!(code_for("ftp://127.0.0.1/", &AddressPolicy::Anywhere).as_deref(), Some("invalid_url"));
    }
}
