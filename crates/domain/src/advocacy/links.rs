//! Links an applicant makes to an advocate: invited by email, accepted with the code sent, revoked
//! by the applicant.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::access::NotYoursError;
use crate::codes;
use crate::error::StoreError;
use crate::messages::advocacy::invitation;
use crate::model::advocacy::{AdvocateLink, InviteRequest, LinkStatus, hash, pending_link};
use crate::model::auth::Actor;
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::ports::{AdvocacyStore, ProfileStore, Store};
use crate::profiles::{RequiredProfileError, required_profile};
use crate::unit_of_work::write;
use crate::use_case_error::{Invalid, NotFound};

crate::use_case_error! {
    /// Why an advocate could not be invited.
    pub enum InviteError {
        /// The email address is not one.
        Invalid(Invalid),
        /// The caller has no profile of their own to invite an advocate to.
        Profile(RequiredProfileError),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why an invitation could not be accepted.
    pub enum AcceptError {
        /// No such link, not pending, or a wrong code: all alike, so that links cannot be probed.
        NotFound(NotFound),
        /// The applicant tried to accept their own invitation.
        OwnInvitation(String) = codes::OWN_INVITATION,
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why a link could not be ended.
    pub enum RevokeError {
        /// It has been ended already.
        AlreadyRevoked(()) = codes::ALREADY_REVOKED,
        /// No such link of the caller's.
        NotYours(NotYoursError),
        Store(StoreError),
    }
}

/// An applicant invites an advocate to their own profile, by an email address it checks first.
pub fn invite(
    store: &dyn Store,
    actor: &Actor,
    request: InviteRequest<String>,
    now: DateTime<Utc>,
) -> Result<AdvocateLink, InviteError> {
    let request = request.parse()?;
    let profile = required_profile(store, actor)?;
    let (link, code) = pending_link(profile.id, request.email.as_str(), request.relationship, now)?;
    let event = link.created_event("invited", EventActor::Applicant);
    write(store, |tx| -> Result<_, InviteError> {
        tx.insert_link(&link, &[invitation(&link, &code, now)])?;
        Ok(tx.append_events(&[event])?)
    })?;
    Ok(link)
}

/// The advocate accepts with the code from their invitation. A wrong code, or a link that is not
/// pending, is not found: nobody can probe for links.
pub fn accept(
    store: &dyn Store,
    actor: &Actor,
    link_id: Uuid,
    code: &str,
    now: DateTime<Utc>,
) -> Result<AdvocateLink, AcceptError> {
    let current = store.link(link_id)?;
    if current.status != LinkStatus::Pending || current.code_hash.is_empty() || current.code_hash != hash(code) {
        return Err(NotFound.into());
    }
    // Only someone else can act for an applicant: a link to oneself would let an applicant pass
    // as their own advocate. (Said only to a holder of the code, so nothing is revealed.)
    if store.profile(current.profile_id)?.subject.as_deref() == Some(actor.subject.as_str()) {
        let message = "This is your own invitation: give the code to the person who will act for you.";
        return Err(AcceptError::OwnInvitation(message.to_string()));
    }
    let version = current.version;
    let (next, event) =
        DomainEvent::edited(Entity::AdvocateLink, link_id, version, "accepted", EventActor::Advocate, now);
    let event = event.with("profile_id", current.profile_id);
    let link = AdvocateLink {
        status: LinkStatus::Active,
        advocate_subject: Some(actor.subject.clone()),
        accepted_at: Some(now),
        version: next,
        ..current
    };
    write(store, |tx| -> Result<_, AcceptError> {
        match tx.update_link(&link, version) {
            // A pending link changes only by being accepted or revoked: it is no longer pending, as
            // for a second accept (the caller sent no version, so this is no stale read of theirs).
            Err(StoreError::VersionConflict) => return Err(NotFound.into()),
            other => other?,
        }
        Ok(tx.append_events(&[event])?)
    })?;
    Ok(link)
}

/// The applicant's own links (none before they have a profile): it fails only as the store does.
pub fn my_links<S: AdvocacyStore + ProfileStore + ?Sized>(
    store: &S,
    actor: &Actor,
) -> Result<Vec<AdvocateLink>, StoreError> {
    match store.profile_by_subject(&actor.subject) {
        Ok(p) => store.links_of_profile(p.id),
        Err(StoreError::NotFound) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

/// One of the applicant's own links (404 for anyone else's).
pub fn my_link<S: AdvocacyStore + ProfileStore + ?Sized>(
    store: &S,
    actor: &Actor,
    link_id: Uuid,
) -> Result<AdvocateLink, NotYoursError> {
    let link = store.link(link_id)?;
    let profile = store.profile(link.profile_id)?;
    if profile.subject.as_deref() == Some(actor.subject.as_str()) { Ok(link) } else { Err(NotFound.into()) }
}

/// The applicant ends a link; it is kept, marked revoked, for the record.
pub fn revoke(
    store: &dyn Store,
    actor: &Actor,
    link_id: Uuid,
    now: DateTime<Utc>,
) -> Result<AdvocateLink, RevokeError> {
    let current = my_link(store, actor, link_id)?;
    if current.status == LinkStatus::Revoked {
        return Err(RevokeError::AlreadyRevoked(()));
    }
    let version = current.version;
    let (next, event) =
        DomainEvent::edited(Entity::AdvocateLink, link_id, version, "revoked", EventActor::Applicant, now);
    let event = event.with("profile_id", current.profile_id);
    let link = AdvocateLink { status: LinkStatus::Revoked, revoked_at: Some(now), version: next, ..current };
    write(store, |tx| -> Result<_, RevokeError> {
        tx.update_link(&link, version)?;
        Ok(tx.append_events(&[event])?)
    })?;
    Ok(link)
}
