//! A week before the start: each participant not ready is told what is missing, and the
//! organisation's team how many (and which items, by application reference) are not ready. Each
//! is claimed once (the reminders table), so any number of scheduler runs, in any number of
//! processes, send each once.

use chrono::{DateTime, Duration, Utc};

use super::list::not_started;
use super::view::missing_for;
use crate::error::StoreError;
use crate::messages::{self, Advocates};
use crate::model::application::ApplicationStatus;
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::model::notification::Notification;
use crate::model::readiness::Item;
use crate::ports::Store;
use crate::reminders::send_once;

/// The reminder to a participant not ready, claimed per application.
pub const PARTICIPANT_KIND: &str = "not_ready";
/// The reminder to the team, claimed per placement.
pub const TEAM_KIND: &str = "participants_not_ready";

/// The window of the week-before reminders: places starting in two to seven days, so that a place
/// accepted less than a week before still gets one.
fn window(now: DateTime<Utc>) -> (chrono::NaiveDate, chrono::NaiveDate) {
    let today = now.date_naive();
    (today + Duration::days(2), today + Duration::days(7))
}

/// Sends the readiness reminders due at `now`, at most `limit` of each kind; returns how many
/// participants and how many teams were sent one. A place or placement looked at is claimed even
/// when everyone is ready, so that each is looked at once.
pub fn send_due(store: &dyn Store, now: DateTime<Utc>, limit: u32) -> Result<(usize, usize), StoreError> {
    let (from, to) = window(now);
    let mut participants = 0;
    for app in store.due_for_start_reminder(&[ApplicationStatus::Accepted], from, to, PARTICIPANT_KIND, limit)? {
        let placement = store.placement(app.placement_id)?;
        let missing = missing_for(store, &app, &placement)?;
        let labels: Vec<&str> = missing.iter().map(|code| label(&placement, code)).collect();
        let messages: Vec<Notification> = if missing.is_empty() {
            Vec::new()
        } else {
            let profile = store.profile(app.profile_id)?;
            let advocates = Advocates::from_pairs(store.advocate_addresses(&[profile.id])?);
            messages::readiness::not_ready(&app, &placement, &labels, advocates.audience(&profile), now)
        };
        let event = DomainEvent::edit(Entity::Application, app.id, app.version, "reminded", EventActor::Platform, now);
        if send_once(store, PARTICIPANT_KIND, app.id, &messages, event, now)? && !messages.is_empty() {
            participants += 1;
        }
    }
    let mut teams = 0;
    for placement in store.starting_unreminded(from, to, TEAM_KIND, limit)? {
        let places = not_started(store, &placement)?;
        let not_ready: Vec<_> =
            places.iter().filter(|r| !r.missing.is_empty()).map(|r| (r.application_id, r.missing.clone())).collect();
        let team = store.team_contact(placement.organisation_id)?;
        let messages: Vec<Notification> = team
            .filter(|_| !not_ready.is_empty())
            .map(|t| {
                messages::readiness::participants_not_ready(&placement, &not_ready, places.len(), t.email.as_str(), now)
            })
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
        if send_once(store, TEAM_KIND, placement.id, &messages, event, now)? && !messages.is_empty() {
            teams += 1;
        }
    }
    Ok((participants, teams))
}

/// An item's words for a participant: its label, or the placement's own text.
fn label<'a>(placement: &'a crate::model::placement::Placement, code: &str) -> &'a str {
    match Item::parse(code) {
        Some(Item::Kind(k)) => k.label(),
        Some(Item::Custom(i)) => placement.details.requirements.custom.get(i).map_or("", |c| c.text.as_str()),
        None => "",
    }
}
