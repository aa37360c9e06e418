//! Rotating an endpoint's signing secret: a new one, shown once, while deliveries are signed with
//! the one it replaces as well for a day, so that a receiver can switch without refusing anything.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::codes;
use crate::error::StoreError;
use crate::model::auth::Actor;
use crate::model::event::{DomainEvent, Entity};
use crate::model::webhook::{WebhookEndpoint, new_secret};
use crate::ports::Store;
use crate::unit_of_work::write;
use crate::use_case_error::NotFound;
use crate::webhooks::manage::{WebhookError, endpoint_of};

crate::use_case_error! {
    /// Why a secret could not be rotated.
    pub enum RotateError {
        NotCoordinator(()) = codes::COORDINATOR_ROLE_REQUIRED,
        /// No such endpoint of this organisation.
        NotFound(NotFound),
        /// Other rotations of the same endpoint kept committing first, over several fresh reads.
        Busy(()) = codes::CONFLICT,
        Store(StoreError),
    }
}

impl From<WebhookError> for RotateError {
    fn from(e: WebhookError) -> Self {
        match e {
            WebhookError::NotCoordinator(()) => RotateError::NotCoordinator(()),
            WebhookError::NotFound(n) => n.into(),
            WebhookError::Store(s) => s.into(),
        }
    }
}

/// How many times a rotation that lost a race (another rotation of the same endpoint committed
/// between its read and its write) reads again and retries before giving up.
const ATTEMPTS: usize = 3;

/// Gives the endpoint a new secret and returns it with that secret, which is shown this once.
/// The event says that the secret was rotated, never what it is.
pub fn rotate_secret(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<WebhookEndpoint, RotateError> {
    let (_, by) = endpoint_of(store, actor, organisation_id, id)?;
    for _ in 0..ATTEMPTS {
        let rotated = write(store, |tx| -> Result<_, StoreError> {
            let current = tx.endpoint(id)?;
            let rotated = current.rotated(new_secret()?, now);
            // Compared on the secret, not the version, so that the dispatcher moving the cursor
            // meanwhile does not refuse a rotation; the version still moves on, so that a
            // dispatcher holding the endpoint from before cannot write the old secret back.
            tx.rotate_secret(&rotated, &current.secret)?;
            let stored = tx.endpoint(id)?;
            let event = DomainEvent::edit(Entity::Webhook, id, stored.version, "secret_rotated", by, now)
                .with("organisation_id", organisation_id);
            tx.append_events(&[event])?;
            Ok(stored)
        });
        match rotated {
            Ok(endpoint) => return Ok(endpoint),
            Err(StoreError::VersionConflict) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Err(RotateError::Busy(()))
}
