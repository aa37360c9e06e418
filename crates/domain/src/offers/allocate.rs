//! Giving places: after the draw, and to the next people waiting when a place comes free.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::codes;
use crate::error::StoreError;
use crate::messages::offers::{NoPlace, offer_messages, unsuccessful, waitlisted};
use crate::messages::{Advocates, Audience};
use crate::model::allocation::Allocation;
use crate::model::application::{Application, ApplicationStatus};
use crate::model::draw::{Draw, DrawOutcome};
use crate::model::offer::{Offer, OfferStatus, respond_by};
use crate::model::placement::Placement;
use crate::model::profile::Profile;
use crate::model::transition::Illegal;
use crate::ports::Store;
use crate::unit_of_work::write;

crate::use_case_error! {
    /// Why free places could not be offered to the people waiting.
    pub enum FillError {
        /// The waiting list kept changing over several attempts.
        Busy(()) = codes::BUSY,
        /// An application's status changed between reading and deciding.
        Illegal(Illegal),
        Store(StoreError),
    }
}

fn give_place(
    app: &Application,
    to: Audience<'_>,
    placement: &Placement,
    now: DateTime<Utc>,
    into: &mut Allocation,
) -> Result<(), Illegal> {
    let offer = Offer {
        id: Uuid::now_v7(),
        application_id: app.id,
        placement_id: placement.id,
        status: OfferStatus::Open,
        respond_by: respond_by(placement, now),
        created_at: now,
        responded_at: None,
        version: 1,
    };
    into.platform_moves(app, ApplicationStatus::Offered, offer_messages(app, to, placement, &offer, now), now)?;
    into.recorded.push(offer.made_event());
    into.offers.push(offer);
    Ok(())
}

/// What the draw gives: offers for the first `capacity` positions, the waiting list for the rest.
pub fn allocation_after_draw(
    draw: &Draw,
    placement: &Placement,
    entrants: &[(Application, Profile)],
    advocates: &Advocates,
    now: DateTime<Utc>,
) -> Result<Allocation, Illegal> {
    let mut out = Allocation::default();
    let mut waiting = 0;
    let by_id: std::collections::HashMap<Uuid, &(Application, Profile)> =
        entrants.iter().map(|e| (e.0.id, e)).collect();
    let drawn: std::collections::HashSet<Uuid> = draw.entries.iter().map(|e| e.application_id).collect();
    // Submitted applications a name-blind review kept out of the draw are told why.
    for (app, profile) in
        entrants.iter().filter(|(a, _)| a.status == ApplicationStatus::Submitted && !drawn.contains(&a.id))
    {
        let told = unsuccessful(app, advocates.audience(profile), placement, NoPlace::NotEntered, now);
        out.platform_moves(app, ApplicationStatus::NotEntered, told, now)?;
    }
    for entry in &draw.entries {
        let Some((app, profile)) = by_id.get(&entry.application_id).copied() else { continue };
        let app = Application { draw_tier: Some(entry.tier), draw_position: Some(entry.position), ..app.clone() };
        match entry.outcome {
            DrawOutcome::Offered => give_place(&app, advocates.audience(profile), placement, now, &mut out)?,
            DrawOutcome::Waitlisted => {
                waiting += 1;
                let messages = waitlisted(&app, advocates.audience(profile), placement, waiting, draw.capacity, now);
                out.platform_moves(&app, ApplicationStatus::Waitlisted, messages, now)?;
            }
        }
    }
    Ok(out)
}

/// Offers free places to the next people waiting, in draw order. Each attempt runs in one unit
/// of work under a lock on the placement: the places taken, the free places and who gets them are
/// decided there, and stored with their events; an application that changed meanwhile makes the
/// attempt store nothing, and it is decided again from fresh data.
pub fn fill_places(store: &dyn Store, placement_id: Uuid, now: DateTime<Utc>) -> Result<usize, FillError> {
    let placement = store.placement(placement_id)?;
    // From the day before the start there is no time left to answer an offer: the waiting list
    // closes when the placement starts.
    if now.date_naive() >= placement.details.start_date - Duration::days(1) {
        return Ok(0);
    }
    let capacity = u32::try_from(placement.details.capacity).unwrap_or(0);
    for _ in 0..5 {
        let given = write(store, |tx| -> Result<_, FillError> {
            tx.lock_placement(placement_id)?;
            let free = capacity.saturating_sub(tx.places_taken(placement_id)?) as usize;
            let next: Vec<Application> = tx.waiting_list(placement_id)?.into_iter().take(free).collect();
            if next.is_empty() {
                return Ok(0);
            }
            let ids: Vec<Uuid> = next.iter().map(|a| a.profile_id).collect();
            let profiles = tx.profiles_by_ids(&ids)?;
            let advocates = Advocates::from_pairs(tx.advocate_addresses(&ids)?);
            let mut allocation = Allocation::default();
            for app in &next {
                if let Some(profile) = profiles.iter().find(|p| p.id == app.profile_id) {
                    give_place(app, advocates.audience(profile), &placement, now, &mut allocation)?;
                }
            }
            tx.store_allocation(&allocation)?;
            tx.append_events(&allocation.recorded)?;
            Ok(allocation.offers.len())
        });
        match given {
            Err(FillError::Store(StoreError::VersionConflict)) => continue,
            other => return other,
        }
    }
    Err(FillError::Busy(()))
}
