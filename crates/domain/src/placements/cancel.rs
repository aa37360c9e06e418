use chrono::{DateTime, Utc};
use std::collections::HashMap;
use uuid::Uuid;

use super::checks::{owned_placement, stale};
use crate::codes;
use crate::error::StoreError;
use crate::messages::Advocates;
use crate::messages::ending::cancelled;
use crate::model::allocation::Allocation;
use crate::model::application::{Application, ApplicationStatus, ChangedBy};
use crate::model::auth::Actor;
use crate::model::offer::{Offer, OfferStatus};
use crate::model::placement::Placement;
use crate::model::reference::PlacementStatus;
use crate::model::transition::Illegal;
use crate::model::validation::has_visible;
use crate::ports::Store;
use crate::unit_of_work::write;
use crate::use_case_error::{Invalid, NotFound};

crate::use_case_error! {
    /// Why a placement could not be cancelled.
    pub enum CancelError {
        /// It is completed or cancelled already (the message names its status).
        NotCancellable(String) = codes::PLACEMENT_NOT_CANCELLABLE,
        /// It changed since the caller read it (`If-Match`).
        Stale(()) = codes::VERSION_MISMATCH,
        /// No such placement of an organisation the caller coordinates.
        NotFound(NotFound),
        /// No reason, or one over 2000 characters.
        Invalid(Invalid),
        /// An application's status changed between reading and deciding.
        Illegal(Illegal),
        Store(StoreError),
    }
}

/// Cancels a placement that has not been completed, with a reason everyone affected reads: its
/// applications that are still in play end as `cancelled`, open and accepted offers end too, and
/// each applicant (and support worker) is told. Coordinators of its organisation only (404 for
/// others).
pub fn cancel_placement(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
    expected_version: Option<i64>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Placement, CancelError> {
    let current = owned_placement::<CancelError>(store, actor, id)?;
    if stale(&current, expected_version) {
        return Err(CancelError::Stale(()));
    }
    let reason = reason.trim();
    if !has_visible(reason) || reason.chars().count() > 2000 {
        return Err(Invalid::one(
            "/reason",
            "length",
            "Give a reason of 1 to 2000 characters: applicants will read it.",
        )
        .into());
    }
    let by = ChangedBy::Coordinator;
    let (mut placement, placement_event) = current.transition(PlacementStatus::Cancelled, by, now).map_err(|_| {
        CancelError::NotCancellable(format!("A placement that is {} cannot be cancelled.", current.status))
    })?;
    placement.cancellation_reason = Some(reason.to_string());
    let mut allocation = Allocation { recorded: vec![placement_event], ..Allocation::default() };
    // What the table lets a coordinator cancel: every application and offer still in play.
    let applications: Vec<Application> = store
        .all_applications_for_placement(id)?
        .into_iter()
        .filter(|a| a.status.movers(ApplicationStatus::Cancelled).contains(&by))
        .collect();
    let ids: Vec<Uuid> = applications.iter().map(|a| a.profile_id).collect();
    let profiles = store.profiles_by_ids(&ids)?;
    let advocates = Advocates::from_pairs(store.advocate_addresses(&ids)?);
    let app_ids: Vec<Uuid> = applications.iter().map(|a| a.id).collect();
    let mut offers: HashMap<Uuid, Offer> =
        store.offers_of_applications(&app_ids)?.into_iter().map(|o| (o.application_id, o)).collect();
    for app in applications {
        if let Some(offer) = offers.remove(&app.id)
            && let Ok((ended, event)) = offer.transition(OfferStatus::Cancelled, by, now)
        {
            allocation.recorded.push(event);
            allocation.ended_offers.push((ended, offer.version));
        }
        let change =
            app.transition(ApplicationStatus::Cancelled, (&actor.subject, by), Some(reason.to_string()), now)?;
        if let Some(profile) = profiles.iter().find(|p| p.id == app.profile_id) {
            allocation.notifications.extend(cancelled(&app, advocates.audience(profile), &placement, now));
        }
        allocation.moves(change, app.version);
    }
    write(store, |tx| -> Result<_, StoreError> {
        tx.cancel_with(&placement, current.version, &allocation)?;
        tx.append_events(&allocation.recorded)
    })?;
    Ok(placement)
}
