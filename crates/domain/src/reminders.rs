//! Reminders before the deadlines that matter, computed from the service clock and each sent once
//! however often, and in however many processes, the scheduler runs.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::error::StoreError;
use crate::messages;
use crate::model::application::{Application, ApplicationStatus};
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::model::notification::Notification;
use crate::model::offer::OfferStatus;
use crate::ports::Store;
use crate::unit_of_work::write;

/// A week before a placement starts, to everyone holding a place.
pub const WEEK_BEFORE: &str = "starting_in_a_week";
/// The day before it starts.
pub const DAY_BEFORE: &str = "starting_tomorrow";
/// Two days before an open offer's answer-by time.
pub const OFFER_ENDING: &str = "offer_ending";

/// Who holds a place, and so is reminded before the start.
const HOLDING_A_PLACE: &[ApplicationStatus] = &[ApplicationStatus::Accepted];

/// How long before its `respond_by` an unanswered offer is reminded of.
pub const OFFER_NOTICE: Duration = Duration::days(2);

/// What one run sent, by kind.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Reminded {
    pub week_before: usize,
    pub day_before: usize,
    pub offer_ending: usize,
}

/// Sends every reminder due at `now`, at most `limit` of each kind (the next run takes the rest).
/// The week-before reminder goes to places starting in two to seven days, so that a place accepted
/// less than a week before still gets one; the day-before reminder to places starting tomorrow.
pub fn send_due(store: &dyn Store, now: DateTime<Utc>, limit: u32) -> Result<Reminded, StoreError> {
    let today = now.date_naive();
    Ok(Reminded {
        week_before: before_start(
            store,
            now,
            (today + Duration::days(2), today + Duration::days(7)),
            WEEK_BEFORE,
            limit,
        )?,
        day_before: before_start(
            store,
            now,
            (today + Duration::days(1), today + Duration::days(1)),
            DAY_BEFORE,
            limit,
        )?,
        offer_ending: offers_ending(store, now, limit)?,
    })
}

/// Stores one reminder's messages, with its event, unless another run already sent it.
fn send_once(
    store: &dyn Store,
    kind: &'static str,
    app: &Application,
    subject_id: uuid::Uuid,
    messages: &[Notification],
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    write(store, |s| {
        if !s.claim_reminder(kind, subject_id, now)? {
            return Ok(false);
        }
        s.enqueue(messages)?;
        let event = DomainEvent::edit(Entity::Application, app.id, app.version, "reminded", EventActor::Platform, now)
            .with_code("reminder", kind);
        s.append_events(&[event])?;
        Ok(true)
    })
}

fn before_start(
    store: &dyn Store,
    now: DateTime<Utc>,
    (from, to): (NaiveDate, NaiveDate),
    kind: &'static str,
    limit: u32,
) -> Result<usize, StoreError> {
    let mut sent = 0;
    for app in store.due_for_start_reminder(HOLDING_A_PLACE, from, to, kind, limit)? {
        let placement = store.placement(app.placement_id)?;
        let profile = store.profile(app.profile_id)?;
        let messages = messages::reminders::starting(&app, &placement, &profile, kind == DAY_BEFORE, now);
        sent += usize::from(send_once(store, kind, &app, app.id, &messages, now)?);
    }
    Ok(sent)
}

fn offers_ending(store: &dyn Store, now: DateTime<Utc>, limit: u32) -> Result<usize, StoreError> {
    let mut sent = 0;
    for offer in store.due_for_offer_reminder(&[OfferStatus::Open], now, now + OFFER_NOTICE, OFFER_ENDING, limit)? {
        let app = store.application(offer.application_id)?;
        let placement = store.placement(offer.placement_id)?;
        let profile = store.profile(app.profile_id)?;
        let messages = messages::reminders::offer_ending(&app, &offer, &placement, &profile, now);
        sent += usize::from(send_once(store, OFFER_ENDING, &app, offer.id, &messages, now)?);
    }
    Ok(sent)
}
