use chrono::{DateTime, Utc};

use super::allocate::fill_places;
use crate::error::StoreError;
use crate::messages::{Advocates, answers};
use crate::model::application::{ApplicationStatus, ChangedBy, PLATFORM_SUBJECT};
use crate::model::offer::OfferStatus;
use crate::ports::Store;
use crate::unit_of_work::write;

/// Ends offers whose deadline has passed and passes their places on. Returns how many expired.
/// Its only failure is the store's: an offer answered meanwhile is skipped, and a place that cannot
/// be passed on just now is passed on at the next change.
pub fn expire_due(store: &dyn Store, now: DateTime<Utc>, limit: u32) -> Result<usize, StoreError> {
    let due = store.offers_past_deadline(now, limit)?;
    let mut expired = 0;
    for offer in due {
        let app = store.application(offer.application_id)?;
        let profile = store.profile(app.profile_id)?;
        let placement = store.placement(offer.placement_id)?;
        // Answered meanwhile: the tables refuse, and there is nothing to do.
        let Ok((ended, offer_event)) = offer.transition(OfferStatus::Expired, ChangedBy::Platform, now) else {
            continue;
        };
        let Ok(change) = app.transition(ApplicationStatus::Expired, (PLATFORM_SUBJECT, ChangedBy::Platform), None, now)
        else {
            continue;
        };
        let advocates = Advocates::from_pairs(store.advocate_addresses(&[app.profile_id])?);
        let notifications = answers::expired(&app, advocates.audience(&profile), &placement, now);
        let stored = write(store, |tx| -> Result<_, StoreError> {
            // Answers and the giving of places on one placement are decided one at a time.
            tx.lock_placement(offer.placement_id)?;
            tx.answer_offer(&ended, offer.version, &change.application, app.version, &change.history, &notifications)?;
            tx.append_events(&[offer_event, change.event])
        });
        match stored {
            Ok(()) => {
                expired += 1;
                let _ = fill_places(store, offer.placement_id, now);
            }
            // Answered meanwhile by the applicant, or expired by another worker: nothing to do.
            Err(StoreError::VersionConflict) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(expired)
}
