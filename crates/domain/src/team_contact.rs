//! The address of an organisation's work experience team: set by its coordinators (or an admin),
//! read only by them, and where the service emails the team (outcomes due, participants who cannot
//! be reached). Not on the public organisation: it may be a person's work address.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::codes;
use crate::error::StoreError;
use crate::model::auth::Actor;
use crate::model::email::EmailAddress;
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::model::organisation::TeamContact;
use crate::ports::Store;
use crate::unit_of_work::write;
use crate::use_case_error::Invalid;

crate::use_case_error! {
    /// Why the team's address could not be read or removed.
    pub enum TeamContactError {
        /// The organisation is public, so a caller who neither coordinates it nor administers the
        /// platform is told so.
        NotCoordinator(()) = codes::COORDINATOR_ROLE_REQUIRED,
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why the team's address could not be set.
    pub enum SetTeamContactError {
        /// The organisation is public, so a caller who neither coordinates it nor administers the
        /// platform is told so.
        NotCoordinator(()) = codes::COORDINATOR_ROLE_REQUIRED,
        Invalid(Invalid),
        Store(StoreError),
    }
}

/// Who acts, if they may: the organisation's coordinators, or an admin. `NotFound` (as a store
/// error) for an organisation that does not exist.
fn acting(store: &dyn Store, actor: &Actor, organisation_id: Uuid) -> Result<Option<EventActor>, StoreError> {
    store.organisation(organisation_id)?;
    Ok(EventActor::keeping(actor, organisation_id))
}

/// The team's address (`NotFound` until one is set).
pub fn team_contact(store: &dyn Store, actor: &Actor, organisation_id: Uuid) -> Result<TeamContact, TeamContactError> {
    acting(store, actor, organisation_id)?.ok_or(TeamContactError::NotCoordinator(()))?;
    Ok(store.team_contact(organisation_id)?.ok_or(StoreError::NotFound)?)
}

/// Sets (or replaces) the team's address.
pub fn set_team_contact(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    email: &str,
    now: DateTime<Utc>,
) -> Result<TeamContact, SetTeamContactError> {
    let by = acting(store, actor, organisation_id)?.ok_or(SetTeamContactError::NotCoordinator(()))?;
    let email = EmailAddress::parse(email.trim())
        .ok_or_else(|| Invalid::one("/email", "email", "This is not an email address, such as team@trust.nhs.uk."))?;
    write(store, |tx| -> Result<_, StoreError> {
        let version = tx.team_contact(organisation_id)?.map_or(1, |c| c.version + 1);
        let contact = TeamContact { organisation_id, email, version, updated_at: now };
        tx.put_team_contact(&contact)?;
        // The event says that it changed, never the address.
        tx.append_events(&[DomainEvent::edit(
            Entity::Organisation,
            organisation_id,
            version,
            "team_contact_set",
            by,
            now,
        )])?;
        Ok(contact)
    })
    .map_err(Into::into)
}

/// Removes the team's address: the team gets no more email until one is set again.
pub fn remove_team_contact(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), TeamContactError> {
    let by = acting(store, actor, organisation_id)?.ok_or(TeamContactError::NotCoordinator(()))?;
    write(store, |tx| -> Result<_, StoreError> {
        let current = tx.team_contact(organisation_id)?.ok_or(StoreError::NotFound)?;
        tx.delete_team_contact(organisation_id)?;
        tx.append_events(&[DomainEvent::edit(
            Entity::Organisation,
            organisation_id,
            current.version,
            "team_contact_removed",
            by,
            now,
        )])
    })
    .map_err(Into::into)
}
