//! Reminders before the deadlines that matter, computed from the service clock and each sent once
//! however often, and in however many processes, the scheduler runs.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::error::StoreError;
use crate::messages::{self, Advocates};
use crate::model::application::{Application, ApplicationStatus};
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::model::notification::Notification;
use crate::model::offer::OfferStatus;
use crate::model::reference::{PlacementStatus, SelectionMethod};
use crate::ports::Store;
use crate::unit_of_work::write;

/// A week before a placement starts, to everyone holding a place.
pub const WEEK_BEFORE: &str = "starting_in_a_week";
/// The day before it starts.
pub const DAY_BEFORE: &str = "starting_tomorrow";
/// Two days before an open offer's answer-by time.
pub const OFFER_ENDING: &str = "offer_ending";
/// Two days before the outcome date of a name-blind review placement not yet drawn, to its team.
pub const OUTCOMES_DUE: &str = "outcomes_due";

/// How many days before its outcome date a review placement's team is reminded.
pub const OUTCOME_NOTICE_DAYS: i64 = 2;

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
    pub outcomes_due: usize,
    /// Participants told what their readiness checklist still misses.
    pub not_ready: usize,
    /// Teams told who is not ready.
    pub teams_not_ready: usize,
}

/// Sends every reminder due at `now`, at most `limit` of each kind (the next run takes the rest).
/// The week-before reminder goes to places starting in two to seven days, so that a place accepted
/// less than a week before still gets one; the day-before reminder to places starting tomorrow.
pub fn send_due(store: &dyn Store, now: DateTime<Utc>, limit: u32) -> Result<Reminded, StoreError> {
    let today = now.date_naive();
    let (not_ready, teams_not_ready) = crate::readiness::send_due(store, now, limit)?;
    Ok(Reminded {
        not_ready,
        teams_not_ready,
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
        outcomes_due: outcomes_due(store, now, limit)?,
    })
}

/// Stores one reminder's messages, with its event, unless another run already sent it.
pub(crate) fn send_once(
    store: &dyn Store,
    kind: &'static str,
    subject_id: uuid::Uuid,
    messages: &[Notification],
    event: DomainEvent,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    write(store, |s| {
        if !s.claim_reminder(kind, subject_id, now)? {
            return Ok(false);
        }
        s.enqueue(messages)?;
        s.append_events(&[event.with_code("reminder", kind)])?;
        Ok(true)
    })
}

/// The event of a reminder about an application.
fn reminded(app: &Application, now: DateTime<Utc>) -> DomainEvent {
    DomainEvent::edit(Entity::Application, app.id, app.version, "reminded", EventActor::Platform, now)
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
        let advocates = Advocates::from_pairs(store.advocate_addresses(&[profile.id])?);
        let messages =
            messages::reminders::starting(&app, &placement, advocates.audience(&profile), kind == DAY_BEFORE, now);
        sent += usize::from(send_once(store, kind, app.id, &messages, reminded(&app, now), now)?);
    }
    Ok(sent)
}

fn offers_ending(store: &dyn Store, now: DateTime<Utc>, limit: u32) -> Result<usize, StoreError> {
    let mut sent = 0;
    for offer in store.due_for_offer_reminder(&[OfferStatus::Open], now, now + OFFER_NOTICE, OFFER_ENDING, limit)? {
        let app = store.application(offer.application_id)?;
        let placement = store.placement(offer.placement_id)?;
        let profile = store.profile(app.profile_id)?;
        let advocates = Advocates::from_pairs(store.advocate_addresses(&[profile.id])?);
        let messages = messages::reminders::offer_ending(&app, &offer, &placement, advocates.audience(&profile), now);
        sent += usize::from(send_once(store, OFFER_ENDING, offer.id, &messages, reminded(&app, now), now)?);
    }
    Ok(sent)
}

/// Review placements whose outcome is promised within two days and are not drawn: their team is
/// told what still waits on them. Claimed even when the organisation gave no address or nothing
/// waits, so that each placement is looked at once.
fn outcomes_due(store: &dyn Store, now: DateTime<Utc>, limit: u32) -> Result<usize, StoreError> {
    let today = now.date_naive();
    let window = (today, today + Duration::days(OUTCOME_NOTICE_DAYS));
    let undrawn = [PlacementStatus::Published, PlacementStatus::Closed];
    let mut sent = 0;
    for placement in
        store.due_for_outcome_reminder(&undrawn, SelectionMethod::NameBlindReview, window, now, OUTCOMES_DUE, limit)?
    {
        let waiting: Vec<Application> = store
            .all_applications_for_placement(placement.id)?
            .into_iter()
            .filter(|a| a.status == ApplicationStatus::Submitted)
            .collect();
        let to_review = waiting.iter().filter(|a| a.meets_criteria.is_none()).count();
        let team = store.team_contact(placement.organisation_id)?;
        let messages: Vec<Notification> = team
            .filter(|_| !waiting.is_empty())
            .map(|team| messages::team::outcomes_due(&placement, to_review, team.email.as_str(), now))
            .into_iter()
            .collect();
        let event = DomainEvent::edit(
            Entity::Placement,
            placement.id,
            placement.version,
            "reminded",
            EventActor::Platform,
            now,
        );
        if send_once(store, OUTCOMES_DUE, placement.id, &messages, event, now)? && !messages.is_empty() {
            sent += 1;
        }
    }
    Ok(sent)
}
