//! Accepting and declining an offer.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::allocate::fill_places;
use crate::applying::{HiddenError, visible_application};
use crate::codes;
use crate::error::StoreError;
use crate::messages::{Advocates, answers};
use crate::model::application::{Application, ApplicationStatus, ChangedBy};
use crate::model::auth::Actor;
use crate::model::offer::{Offer, OfferStatus};
use crate::model::profile::Profile;
use crate::ports::{AdvocacyStore, ApplicationStore, OfferStore, ProfileStore, Store};
use crate::unit_of_work::write;

crate::use_case_error! {
    /// Why an offer could not be accepted or declined.
    pub enum AnswerError {
        /// Already accepted or declined, expired, or cancelled with its placement (the message
        /// names its status).
        NotOpen(String) = codes::OFFER_NOT_OPEN,
        /// Its `respond_by` has passed.
        Expired(()) = codes::OFFER_EXPIRED,
        /// Still clashing with other changes after several fresh reads: a busy moment.
        Busy(()) = codes::CONFLICT,
        /// No such offer, or not one the caller may answer.
        Hidden(HiddenError),
        Store(StoreError),
    }
}

/// An offer the caller may answer: on their own application or one of someone they act for.
fn answerable<S: OfferStore + ApplicationStore + ProfileStore + AdvocacyStore + ?Sized>(
    store: &S,
    actor: &Actor,
    offer_id: Uuid,
) -> Result<(Offer, Application, Profile, ChangedBy), AnswerError> {
    let offer = store.offer(offer_id)?;
    let (app, profile, role) = visible_application(store, actor, offer.application_id)?;
    Ok((offer, app, profile, role.into()))
}

/// How often an answer is decided again after losing a race to another change.
const ATTEMPTS: usize = 5;

/// Answers an offer. The caller sent no version (there is no `If-Match` on offers), so losing a
/// race to another change is not their stale read: read again and decide again, which gives the
/// loser of an accept/decline race the refusal the rules define (`409 offer_not_open`), never 412.
fn answer(
    store: &dyn Store,
    actor: &Actor,
    offer_id: Uuid,
    accept: bool,
    now: DateTime<Utc>,
) -> Result<(Offer, Application), AnswerError> {
    for _ in 0..ATTEMPTS {
        if let Some(done) = try_answer(store, actor, offer_id, accept, now)? {
            return Ok(done);
        }
    }
    // Still clashing after several fresh reads: a busy moment, not a stale client (409 conflict).
    Err(AnswerError::Busy(()))
}

/// One attempt at [`answer`]: `None` when the offer or application changed since it was read.
fn try_answer(
    store: &dyn Store,
    actor: &Actor,
    offer_id: Uuid,
    accept: bool,
    now: DateTime<Utc>,
) -> Result<Option<(Offer, Application)>, AnswerError> {
    let (offer, app, profile, by) = answerable(store, actor, offer_id)?;
    let to = if accept {
        (OfferStatus::Accepted, ApplicationStatus::Accepted)
    } else {
        (OfferStatus::Declined, ApplicationStatus::Declined)
    };
    let not_open = || AnswerError::NotOpen(format!("This offer is {} and can no longer be answered.", offer.status));
    let (answered, offer_event) = offer.transition(to.0, by, now).map_err(|_| not_open())?;
    if now > offer.respond_by {
        return Err(AnswerError::Expired(()));
    }
    let placement = store.placement(offer.placement_id)?;
    let change = app.transition(to.1, (&actor.subject, by), None, now).map_err(|_| not_open())?;
    let updated = change.application;
    let advocates = Advocates::from_pairs(store.advocate_addresses(&[app.profile_id])?);
    let notifications = answers::answered(&app, advocates.audience(&profile), &placement, accept, now);
    let stored: Result<(), StoreError> = write(store, |tx| {
        // Answers and the giving of places on one placement are decided one at a time.
        tx.lock_placement(offer.placement_id)?;
        tx.answer_offer(&answered, offer.version, &updated, app.version, &change.history, &notifications)?;
        tx.append_events(&[offer_event, change.event])
    });
    match stored {
        Ok(()) => {}
        Err(StoreError::VersionConflict) => return Ok(None),
        Err(e) => return Err(e.into()),
    }
    if !accept {
        // The answer is stored; if the place cannot be passed on just now (a busy waiting list),
        // the next change to the placement's places tries again.
        let _ = fill_places(store, offer.placement_id, now);
    }
    Ok(Some((answered, updated)))
}

/// The applicant (or their advocate) accepts an open offer before its deadline.
pub fn accept(
    store: &dyn Store,
    actor: &Actor,
    offer_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(Offer, Application), AnswerError> {
    answer(store, actor, offer_id, true, now)
}

/// The applicant (or their advocate) declines an open offer; the place goes down the waiting list.
pub fn decline(
    store: &dyn Store,
    actor: &Actor,
    offer_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(Offer, Application), AnswerError> {
    answer(store, actor, offer_id, false, now)
}
