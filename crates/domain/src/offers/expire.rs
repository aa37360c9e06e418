use chrono::{DateTime, Utc};

use super::allocate::fill_places;
use crate::error::{DomainError, StoreError};
use crate::messages::tell;
use crate::model::application::{Application, ApplicationEvent, ApplicationStatus, ChangedBy, PLATFORM_SUBJECT};
use crate::model::notification::Template;
use crate::model::offer::{Offer, OfferStatus};
use crate::ports::{ApplicationStore, OfferStore, PlacementStore, ProfileStore};

/// Ends offers whose deadline has passed and passes their places on. Returns how many expired.
pub fn expire_due<S: OfferStore + ApplicationStore + ProfileStore + PlacementStore + ?Sized>(
    store: &S,
    now: DateTime<Utc>,
    limit: u32,
) -> Result<usize, DomainError> {
    let due = store.offers_past_deadline(now, limit)?;
    let mut expired = 0;
    for offer in due {
        let app = store.application(offer.application_id)?;
        let profile = store.profile(app.profile_id)?;
        let placement = store.placement(offer.placement_id)?;
        let ended = Offer {
            status: OfferStatus::Expired,
            responded_at: Some(now),
            version: offer.version + 1,
            ..offer.clone()
        };
        let updated = Application {
            status: ApplicationStatus::Expired,
            version: app.version + 1,
            updated_at: now,
            ..app.clone()
        };
        let event =
            ApplicationEvent::new(&updated, Some(app.status), (PLATFORM_SUBJECT, ChangedBy::Platform), None, now);
        let title = &placement.details.title;
        let notifications = tell(
            &profile,
            Template::OfferExpired,
            &format!("Your offer has expired: {title}"),
            &format!(
                "The offer of a place on \"{title}\" was not answered in time, so it has gone to the next person waiting."
            ),
            app.id,
            now,
        );
        match store.answer_offer(&ended, offer.version, &updated, app.version, &event, &notifications) {
            Ok(()) => {
                expired += 1;
                let _ = fill_places(store, offer.placement_id, now);
            }
            // Answered meanwhile by the applicant, or expired by another worker: nothing to do.
            Err(StoreError::VersionConflict) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(expired)
}
