//! Drawing a placement: the entries frozen at close, their tiers from the priority rules, the
//! ranking of `wex-lottery-1`, and the public record anyone can re-run.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::application::{Application, ApplicationStatus};
use crate::error::{DomainError, StoreError};
use crate::model::auth::Actor;
use crate::model::lottery::{self, DrawSeed, Entry};
use crate::model::placement::Placement;
use crate::model::profile::Profile;
use crate::model::reference::{PlacementStatus, PriorityRule, SelectionMethod, code_enum};
use crate::ports::{ApplicationStore, DrawStore, PlacementStore, ProfileStore};
use std::fmt;

code_enum! {
    DrawOutcome {
        Offered => ("offered", "Offered a place", "Drawn within the number of places."),
        Waitlisted => ("waitlisted", "On the waiting list", "Drawn after the places ran out: offered a place, in order, if one comes free."),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawnEntry {
    pub application_id: Uuid,
    pub ticket: Uuid,
    pub tier: u32,
    /// 1-based.
    pub position: u32,
    pub outcome: DrawOutcome,
}

/// A placement's draw: everything needed to check it, and the seed revealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draw {
    pub placement_id: Uuid,
    pub algorithm: String,
    pub capacity: u32,
    pub priority_rules: Vec<PriorityRule>,
    pub commitment: String,
    pub seed: DrawSeed,
    pub entries_digest: String,
    pub drawn_at: DateTime<Utc>,
    pub entries: Vec<DrawnEntry>,
}

/// What storing a draw found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    Created,
    /// Another process drew the placement first: its draw stands.
    AlreadyDrawn,
}

/// The tier of an entry: 1 + the index of the first rule it matches; `rules.len() + 1` if none.
pub fn tier_of(placement: &Placement, profile: &Profile) -> u32 {
    let rules = &placement.details.priority_rules;
    let matches = |rule: &PriorityRule| match rule {
        PriorityRule::CareExperienced => profile.input.is_care_experienced(),
        PriorityRule::InCatchment => {
            let area = placement.details.eligibility.catchment.as_deref().unwrap_or_default();
            profile.input.district().is_some_and(|d| area.iter().any(|a| a == d.as_str()))
        }
        PriorityRule::UserGroup(g) => profile.input.user_groups.contains(g),
    };
    let index = rules.iter().position(matches).unwrap_or(rules.len());
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// Draws a closed placement from its entrants (applications with their profiles). Pure: the same
/// inputs always give the same draw.
pub fn draw(
    placement: &Placement,
    seed: &DrawSeed,
    entrants: &[(Application, Profile)],
    now: DateTime<Utc>,
) -> Result<Draw, DomainError> {
    let commitment = placement.draw_commitment.clone().unwrap_or_default();
    if seed.commitment() != commitment {
        return Err(DomainError::Store(StoreError::Internal(format!(
            "the stored seed of placement {} does not match its commitment",
            placement.id
        ))));
    }
    let by_ticket: std::collections::HashMap<Uuid, Uuid> = entrants.iter().map(|(a, _)| (a.ticket, a.id)).collect();
    let review = placement.details.selection_method == SelectionMethod::NameBlindReview;
    let entered: Vec<(&Application, u32)> = entrants
        .iter()
        .filter(|(a, _)| a.status == ApplicationStatus::Submitted && a.placement_id == placement.id)
        // Under name-blind review only those judged to meet the criteria enter.
        .filter(|(a, _)| !review || a.meets_criteria == Some(true))
        .map(|(a, p)| (a, tier_of(placement, p)))
        .collect();
    let entries: Vec<Entry> = entered.iter().map(|(a, tier)| Entry { ticket: a.ticket, tier: *tier }).collect();
    let capacity = u32::try_from(placement.details.capacity).unwrap_or(0);
    let ranked = lottery::rank(seed, placement.id, &entries);
    let drawn = ranked
        .iter()
        .map(|r| {
            let application_id = by_ticket.get(&r.ticket).copied().unwrap_or_default();
            DrawnEntry {
                application_id,
                ticket: r.ticket,
                tier: r.tier,
                position: r.position,
                outcome: if r.position <= capacity { DrawOutcome::Offered } else { DrawOutcome::Waitlisted },
            }
        })
        .collect();
    Ok(Draw {
        placement_id: placement.id,
        algorithm: lottery::ALGORITHM.to_string(),
        capacity,
        priority_rules: placement.details.priority_rules.clone(),
        commitment,
        seed: seed.clone(),
        entries_digest: lottery::entries_digest(&entries),
        drawn_at: now,
        entries: drawn,
    })
}

/// Closes a published placement early. Coordinators of its organisation only (404 for others).
pub fn close_placement<S: PlacementStore + ?Sized>(
    store: &S,
    actor: &Actor,
    placement_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Placement, DomainError> {
    let current = store.placement(placement_id)?;
    actor.require_owner_of(current.organisation_id)?;
    if !current.is_open_at(now) {
        return Err(DomainError::conflict(
            "not_open",
            format!(
                "Only a placement taking applications now can be closed early; this one is {}.",
                current.status_at(now)
            ),
        ));
    }
    let version = current.version;
    // The record shows when applications really closed.
    let mut details = current.details.clone();
    details.closes_at = now;
    let placement =
        Placement { status: PlacementStatus::Closed, details, version: version + 1, updated_at: now, ..current };
    store.update_placement(&placement, version)?;
    Ok(placement)
}

/// Draws a placement once it is closed, or returns its draw if it has one (idempotent); the flag
/// says whether this call made the draw. With an actor, only its organisation's coordinators may
/// ask (404 for others); the scheduler passes none.
pub fn draw_placement<S: PlacementStore + ProfileStore + ApplicationStore + DrawStore + ?Sized>(
    store: &S,
    actor: Option<&Actor>,
    placement_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(Draw, bool), DomainError> {
    let placement = store.placement(placement_id)?;
    if let Some(actor) = actor {
        actor.require_owner_of(placement.organisation_id)?;
    }
    if let Some(existing) = store.draw(placement_id)? {
        return Ok((existing, false));
    }
    if placement.status_at(now) != PlacementStatus::Closed {
        return Err(DomainError::conflict(
            "not_closed",
            format!("A placement is drawn once applications close; this one is {}.", placement.status_at(now)),
        ));
    }
    let seed = store.draw_seed(placement_id)?;
    let applications = store.all_applications_for_placement(placement_id)?;
    let ids: Vec<Uuid> = applications.iter().map(|a| a.profile_id).collect();
    let profiles = store.profiles_by_ids(&ids)?;
    let profiles: std::collections::HashMap<Uuid, Profile> = profiles.into_iter().map(|p| (p.id, p)).collect();
    let entrants: Vec<(Application, Profile)> =
        applications.into_iter().filter_map(|a| profiles.get(&a.profile_id).cloned().map(|p| (a, p))).collect();
    if placement.details.selection_method == SelectionMethod::NameBlindReview {
        let waiting = entrants
            .iter()
            .filter(|(a, _)| a.status == ApplicationStatus::Submitted && a.meets_criteria.is_none())
            .count();
        if waiting > 0 {
            return Err(DomainError::conflict(
                "review_not_finished",
                format!("{waiting} application(s) still need a name-blind review before the draw."),
            ));
        }
    }
    let result = draw(&placement, &seed, &entrants, now)?;
    let allocation = crate::offer::allocation_after_draw(&result, &placement, &entrants, now);
    match store.insert_draw(&result, &allocation) {
        Ok(Stored::Created) => Ok((result, true)),
        Ok(Stored::AlreadyDrawn) => Ok((store.draw(placement_id)?.ok_or(DomainError::NotFound)?, false)),
        // An application changed (say, withdrawn) while the draw ran: nothing was stored.
        Err(StoreError::VersionConflict) => Err(DomainError::conflict(
            "draw_interrupted",
            "An application changed while the draw ran, so nothing was stored. Draw again.",
        )),
        Err(e) => Err(e.into()),
    }
}

/// What one run of the scheduler did.
#[derive(Debug, Default)]
pub struct DueReport {
    pub drawn: Vec<Uuid>,
    /// Placements that could not be drawn, with why: one placement's problem must not stop the
    /// others being drawn on time.
    pub failed: Vec<(Uuid, DomainError)>,
}

/// Draws every placement whose closing time has passed and has no draw yet. Safe to run in
/// several processes at once: each draw is stored once.
pub fn draw_due<S: PlacementStore + ProfileStore + ApplicationStore + DrawStore + ?Sized>(
    store: &S,
    now: DateTime<Utc>,
    limit: u32,
) -> Result<DueReport, DomainError> {
    let mut report = DueReport::default();
    for id in store.placements_due_for_draw(now, limit)? {
        match draw_placement(store, None, id, now) {
            Ok((_, true)) => report.drawn.push(id),
            Ok((_, false)) => {}
            Err(e) => report.failed.push((id, e)),
        }
    }
    Ok(report)
}

/// A coordinator records, without seeing who sent it, whether an application to a name-blind
/// review placement meets its criteria. Only applications judged to meet them enter the draw.
pub fn review<S: PlacementStore + ApplicationStore + ?Sized>(
    store: &S,
    actor: &Actor,
    application_id: Uuid,
    meets_criteria: bool,
    now: DateTime<Utc>,
) -> Result<Application, DomainError> {
    let app = store.application(application_id)?;
    let placement = store.placement(app.placement_id)?;
    actor.require_owner_of(placement.organisation_id)?;
    if placement.details.selection_method != SelectionMethod::NameBlindReview {
        return Err(DomainError::conflict(
            "not_a_review_placement",
            "This placement is a plain lottery: there is nothing to review.",
        ));
    }
    if app.status != ApplicationStatus::Submitted
        || !matches!(placement.status_at(now), PlacementStatus::Published | PlacementStatus::Closed)
    {
        return Err(DomainError::conflict(
            "review_closed",
            "Reviews are made before the draw, on submitted applications.",
        ));
    }
    let updated =
        Application { meets_criteria: Some(meets_criteria), version: app.version + 1, updated_at: now, ..app.clone() };
    let note = if meets_criteria {
        "name-blind review: meets the criteria"
    } else {
        "name-blind review: does not meet the criteria"
    };
    let event = crate::application::ApplicationEvent::new(
        &updated,
        Some(app.status),
        (&actor.subject, crate::application::ChangedBy::Coordinator),
        Some(note.to_string()),
        now,
    );
    store.transition_application(&updated, app.version, &event, &[])?;
    Ok(updated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_follow_the_first_matching_rule() {
        use crate::model::reference::UserGroup;
        let now = Utc::now();
        let mut placement =
            Placement::draft(Uuid::now_v7(), Uuid::now_v7(), crate::model::placement::tests::details(), now);
        placement.details.priority_rules =
            vec![PriorityRule::CareExperienced, PriorityRule::UserGroup(UserGroup::Veterans)];
        let mut profile = Profile {
            id: Uuid::now_v7(),
            subject: Some("s".into()),
            input: crate::model::profile::tests::input(),
            managed_by: None,
            consent: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        assert_eq!(tier_of(&placement, &profile), 3);
        profile.input.user_groups = vec![UserGroup::Veterans];
        assert_eq!(tier_of(&placement, &profile), 2);
        profile.input.care_experienced = Some(true);
        assert_eq!(tier_of(&placement, &profile), 1);
        placement.details.priority_rules = vec![];
        assert_eq!(tier_of(&placement, &profile), 1);
    }
}
