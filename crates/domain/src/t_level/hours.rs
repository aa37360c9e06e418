//! Hours logged by the supervisor, one entry a day (their log is the sign-off; a correction
//! replaces the day's entry), and progress against the T level's 315 hours.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use uuid::Uuid;

use super::access::{HiddenPlaceError, visible_place};
use crate::codes;
use crate::error::StoreError;
use crate::model::auth::Actor;
use crate::model::event::{DomainEvent, Entity, EventActor, FIRST_VERSION, next_version};
use crate::model::t_level::{Breach, HoursEntry, PlaceHours, Progress, QuarterHours, check_working_time};
use crate::ports::Store;
use crate::unit_of_work::{read, write};
use crate::use_case_error::Invalid;

crate::use_case_error! {
    /// Why hours could not be logged.
    pub enum LogHoursError {
        /// A party to the agreement who is not its supervisor.
        SupervisorOnly(()) = codes::SUPERVISOR_ONLY,
        NotConfirmed(()) = codes::AGREEMENT_NOT_CONFIRMED,
        /// The student's readiness checklist misses something (the message lists the codes): hours
        /// are attendance, and someone not ready cannot start.
        NotReady(String) = codes::NOT_READY,
        /// The day is outside the agreement's dates, or still to come.
        OutsideAgreement(String) = codes::OUTSIDE_AGREEMENT,
        DayLimit(String) = codes::WORKING_TIME_DAY_LIMIT,
        WeekLimit(String) = codes::WORKING_TIME_WEEK_LIMIT,
        Completed(()) = codes::PLACE_COMPLETED,
        Hidden(HiddenPlaceError),
        /// Hours not in quarter hours, or not more than 0 and at most 24 (`/hours`).
        Invalid(Invalid),
        Store(StoreError),
    }
}

/// A stored log, and whether it was the day's first (rather than a correction).
#[derive(Debug, Clone)]
pub struct Logged {
    pub entry: HoursEntry,
    pub first: bool,
}

fn hours_text(q: QuarterHours) -> String {
    let h = q.as_hours();
    if h.fract() == 0.0 { format!("{h:.0}") } else { format!("{h}") }
}

/// The supervisor logs the hours worked on a day, within the agreement's dates, once all three
/// parties have confirmed, and within the working-time limits counting the student's hours at
/// every employer.
pub fn log_hours(
    store: &dyn Store,
    actor: &Actor,
    application_id: Uuid,
    day: NaiveDate,
    hours: f64,
    now: DateTime<Utc>,
) -> Result<Logged, LogHoursError> {
    write(store, |tx| {
        let (place, parts) = visible_place(tx, actor, application_id)?;
        let hours = QuarterHours::parse(hours).ok_or_else(|| {
            Invalid::one(
                "/hours",
                "invalid_value",
                "Give the hours in quarter hours (such as 7.25), more than 0 and at most 24.",
            )
        })?;
        let agreement = match &place.agreement {
            Some(a) if parts.supervisor => a,
            _ => return Err(LogHoursError::SupervisorOnly(())),
        };
        if place.completed() {
            return Err(LogHoursError::Completed(()));
        }
        if !agreement.confirmations.all() {
            return Err(LogHoursError::NotConfirmed(()));
        }
        let missing = crate::readiness::missing_for(tx, &place.app, &place.placement)?;
        if !missing.is_empty() {
            return Err(LogHoursError::NotReady(format!(
                "The student is not ready to start. Missing: {}.",
                missing.join(", ")
            )));
        }
        if !agreement.loggable(day) {
            return Err(LogHoursError::OutsideAgreement(format!(
                "Hours are logged for days from {} to {}, the agreement's dates.",
                agreement.terms.start_date, agreement.terms.end_date
            )));
        }
        if day > now.date_naive() {
            return Err(LogHoursError::OutsideAgreement(
                "Hours are logged on or after the day they were worked: a log is the supervisor's sign-off."
                    .to_string(),
            ));
        }
        // The student's logs are decided one at a time, so that two employers logging the same
        // week cannot both pass the weekly limit.
        tx.lock_applicant(place.profile.id)?;
        let all = tx.t_level_hours_of_profile(place.profile.id)?;
        let existing = all.iter().find(|e| e.application_id == application_id && e.day == day).cloned();
        let others: Vec<_> = all
            .iter()
            .filter(|e| !(e.application_id == application_id && e.day == day))
            .map(|e| (e.day, e.hours))
            .collect();
        check_working_time(place.profile.input.date_of_birth, day, hours, &others).map_err(|b| match b {
            Breach::Day { limit, total } => LogHoursError::DayLimit(format!(
                "This would make {} hours on {day}; the limit for this student that day is {} hours, counting every employer.",
                hours_text(total),
                hours_text(limit)
            )),
            Breach::Week { limit, total } => LogHoursError::WeekLimit(format!(
                "This would make {} hours in the week of {day} (Monday to Sunday); the limit for a student under 18 is {} hours, counting every employer.",
                hours_text(total),
                hours_text(limit)
            )),
        })?;
        let (id, version, expected, what) = match &existing {
            Some(e) => (e.id, next_version(e.version), Some(e.version), "corrected"),
            None => (Uuid::now_v7(), FIRST_VERSION, None, "logged"),
        };
        let entry = HoursEntry {
            id,
            application_id,
            profile_id: place.profile.id,
            day,
            hours,
            logged_by: actor.subject.clone(),
            logged_at: now,
            version,
        };
        tx.put_t_level_hours(&entry, expected)?;
        let mut event = DomainEvent::edit(Entity::TLevelHours, id, version, what, EventActor::Host, now)
            .with("application_id", application_id)
            .with("placement_id", place.placement.id);
        // A count, not personal data: what a correction changed is visible in the log.
        event.data.insert("quarter_hours".to_string(), Value::from(hours.0));
        tx.append_events(&[event])?;
        Ok(Logged { entry, first: existing.is_none() })
    })
}

/// The student's progress across every T-level place they hold.
fn progress_of(store: &dyn Store, profile_id: Uuid) -> Result<(Vec<HoursEntry>, Progress), StoreError> {
    let agreements = store.t_level_agreements_of_profile(profile_id)?;
    let entries = store.t_level_hours_of_profile(profile_id)?;
    let places = agreements
        .iter()
        .map(|a| PlaceHours {
            application_id: a.application_id,
            placement_id: a.placement_id,
            planned_hours: a.terms.planned_hours,
            logged: entries.iter().filter(|e| e.application_id == a.application_id).map(|e| e.hours).sum(),
        })
        .collect();
    Ok((entries, Progress { places }))
}

/// A place's logged days, oldest first, for any party to it.
pub fn hours_of(store: &dyn Store, actor: &Actor, application_id: Uuid) -> Result<Vec<HoursEntry>, HiddenPlaceError> {
    read(store, |s| {
        let (place, _) = visible_place(s, actor, application_id)?;
        let (entries, _) = progress_of(s, place.profile.id)?;
        Ok(entries.into_iter().filter(|e| e.application_id == application_id).collect())
    })
}

/// The student's progress against the 315 hours across their places (at most two employers), for
/// any party to this place.
pub fn progress(store: &dyn Store, actor: &Actor, application_id: Uuid) -> Result<Progress, HiddenPlaceError> {
    read(store, |s| {
        let (place, _) = visible_place(s, actor, application_id)?;
        Ok(progress_of(s, place.profile.id)?.1)
    })
}
