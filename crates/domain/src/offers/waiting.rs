//! The waiting list: an applicant's number on it, and its end when the placement starts.

use chrono::{DateTime, Utc};

use crate::error::StoreError;
use crate::messages::Advocates;
use crate::messages::offers::{NoPlace, unsuccessful};
use crate::model::application::{ApplicationStatus, ChangedBy, PLATFORM_SUBJECT};
use crate::ports::Store;
use crate::unit_of_work::write;

/// When a placement starts, whoever is still on its waiting list is told there is no place. Its
/// only failure is the store's: an application that changed meanwhile is skipped.
pub fn close_waiting_lists(store: &dyn Store, now: DateTime<Utc>, limit: u32) -> Result<usize, StoreError> {
    let waiting = store.waitlisted_at_start(now.date_naive(), limit)?;
    let mut closed = 0;
    for app in waiting {
        let profile = store.profile(app.profile_id)?;
        let placement = store.placement(app.placement_id)?;
        let Ok(change) =
            app.transition(ApplicationStatus::NotSelected, (PLATFORM_SUBJECT, ChangedBy::Platform), None, now)
        else {
            continue;
        };
        let advocates = Advocates::from_pairs(store.advocate_addresses(&[app.profile_id])?);
        let messages =
            unsuccessful(&change.application, advocates.audience(&profile), &placement, NoPlace::ListClosed, now);
        let stored = write(store, |tx| -> Result<_, StoreError> {
            tx.transition_application(&change.application, app.version, &change.history, &messages)?;
            tx.append_events(std::slice::from_ref(&change.event))
        });
        match stored {
            Ok(()) => closed += 1,
            Err(StoreError::VersionConflict) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(closed)
}
