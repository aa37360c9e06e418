//! Telling an organisation's work experience team when someone holding a place on one of its
//! placements cannot be emailed: they will miss the reminders and what to bring, so the team may
//! want to reach them another way. Called in the unit of work that records the failure.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::StoreError;
use crate::messages::team::participant_unreachable;
use crate::model::application::ApplicationStatus;
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::model::page::PageRequest;
use crate::ports::Store;

/// The reminder kind that records a team was told, once per place.
pub const TEAM_TOLD_UNREACHABLE: &str = "team_told_unreachable";

/// How many of one applicant's applications are looked at; far more than anyone holds places.
const APPLICATIONS: u32 = 200;

/// Tells the team of every placement the applicant holds a place on, not yet ended, whose
/// organisation gave an address, once per place. Returns how many teams were told.
pub(crate) fn tell_teams(s: &dyn Store, profile_id: Uuid, now: DateTime<Utc>) -> Result<usize, StoreError> {
    let mut told = 0;
    let applications = s.applications_of_profile(profile_id, &PageRequest::first(APPLICATIONS))?;
    for app in applications.items.iter().filter(|a| a.status == ApplicationStatus::Accepted) {
        let placement = s.placement(app.placement_id)?;
        if placement.details.end_date < now.date_naive() {
            continue;
        }
        let Some(team) = s.team_contact(placement.organisation_id)? else { continue };
        if !s.claim_reminder(TEAM_TOLD_UNREACHABLE, app.id, now)? {
            continue;
        }
        s.enqueue(&[participant_unreachable(&placement, team.email.as_str(), now)])?;
        let event = DomainEvent::edit(
            Entity::Application,
            app.id,
            app.version,
            "team_told_unreachable",
            EventActor::Platform,
            now,
        );
        s.append_events(&[event])?;
        told += 1;
    }
    Ok(told)
}
