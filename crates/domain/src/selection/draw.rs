//! Drawing placements once applications close: on a coordinator's request or by the scheduler.

use chrono::{DateTime, Utc};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use uuid::Uuid;

use crate::codes;
use crate::error::StoreError;
use crate::messages::Advocates;
use crate::model::application::{Application, ApplicationStatus, ChangedBy};
use crate::model::auth::Actor;
use crate::model::draw::{Draw, Stored, draw};
use crate::model::profile::Profile;
use crate::model::reference::{PlacementStatus, SelectionMethod};
use crate::model::transition::Illegal;
use crate::offers::allocation_after_draw;
use crate::ports::Store;
use crate::unit_of_work::{read, write};
use crate::use_case_error::NotFound;

crate::use_case_error! {
    /// Why a placement could not be drawn.
    pub enum DrawError {
        /// The placement's places are given by agreement with education providers, never drawn.
        ArrangedByProvider(()) = codes::ARRANGED_BY_PROVIDER,
        /// Applications have not closed (the message names its status).
        NotClosed(String) = codes::NOT_CLOSED,
        /// A name-blind review placement has applications still to review (the message counts them).
        ReviewNotFinished(String) = codes::REVIEW_NOT_FINISHED,
        /// An application or the placement changed while the draw ran: nothing was stored.
        Interrupted(()) = codes::DRAW_INTERRUPTED,
        /// No such placement of an organisation the caller coordinates.
        NotFound(NotFound),
        /// A status changed between reading and deciding.
        Illegal(Illegal),
        Store(StoreError),
    }
}

/// Draws a placement once it is closed, or returns its draw if it has one (idempotent); the flag
/// says whether this call made the draw. With an actor, only its organisation's coordinators may
/// ask (404 for others); the scheduler passes none.
pub fn draw_placement(
    store: &dyn Store,
    actor: Option<&Actor>,
    placement_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(Draw, bool), DrawError> {
    let placement = store.placement(placement_id)?;
    if let Some(actor) = actor {
        actor.require_owner_of(placement.organisation_id)?;
    }
    if placement.details.selection_method == SelectionMethod::ByAgreement {
        return Err(DrawError::ArrangedByProvider(()));
    }
    if placement.status_at(now) != PlacementStatus::Closed {
        // A drawn placement is allocated (or further on), never closed: asking again returns its
        // draw. A closed one has none, so the scheduler's draws skip looking.
        if let Some(existing) = store.draw(placement_id)? {
            return Ok((existing, false));
        }
        return Err(DrawError::NotClosed(format!(
            "A placement is drawn once applications close; this one is {}.",
            placement.status_at(now)
        )));
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
            return Err(DrawError::ReviewNotFinished(format!(
                "{waiting} application(s) still need a name-blind review before the draw."
            )));
        }
    }
    let result = draw(&placement, &seed, &entrants, now)?;
    let advocates = Advocates::from_pairs(store.advocate_addresses(&ids)?);
    let mut allocation = allocation_after_draw(&result, &placement, &entrants, &advocates, now)?;
    // Drawn means allocated: the draw decides who is offered a place and in what order.
    let (allocated, allocated_event) = placement.transition(PlacementStatus::Allocated, ChangedBy::Platform, now)?;
    // The placement's event, then the allocation's, in one statement.
    let events: Vec<_> = std::iter::once(allocated_event).chain(std::mem::take(&mut allocation.recorded)).collect();
    let stored = write(store, |tx| -> Result<_, StoreError> {
        let stored = tx.insert_draw(&result, &allocated, placement.version, &allocation)?;
        if stored == Stored::Created {
            tx.append_events(&events)?;
            // Reports count a drawn placement's applications by what their applicants said at
            // the draw, so that changing or deleting answers later leaves the figures as published.
            tx.freeze_characteristics_of_placement(placement_id, now)?;
        }
        Ok(stored)
    });
    match stored {
        Ok(Stored::Created) => Ok((result, true)),
        Ok(Stored::AlreadyDrawn) => Ok((store.draw(placement_id)?.ok_or(NotFound)?, false)),
        // An application or the placement changed (say, withdrawn) while the draw ran: nothing
        // was stored.
        Err(StoreError::VersionConflict) => Err(DrawError::Interrupted(())),
        Err(e) => Err(e.into()),
    }
}

/// What one run of the scheduler did.
#[derive(Debug, Default)]
pub struct DueReport {
    pub drawn: Vec<Uuid>,
    /// Placements that could not be drawn, with why: one placement's problem must not stop the
    /// others being drawn on time.
    pub failed: Vec<(Uuid, DrawError)>,
}

/// Draws every placement whose closing time has passed and has no draw yet, up to `at_once` of
/// them at a time (one where the database has writers take turns), each on its own connection and
/// in its own transaction. Safe to run in several processes at once: each draw is stored once.
///
/// Due means closed (its closing time passed, or closed early) and chosen by lottery: a drawn
/// placement is allocated, so the closed ones are exactly those still to draw, and a name-blind
/// review placement waits for its coordinators to finish reviewing and to draw it themselves.
///
/// Several at once because a draw waits mostly on its commit: the database flushes the commits of
/// concurrent transactions together, so four draws at once take little longer than one. Draws of
/// different placements write different rows (their applications, entries and counters), so they
/// never wait on each other.
pub fn draw_due(store: &dyn Store, now: DateTime<Utc>, limit: u32, at_once: usize) -> Result<DueReport, StoreError> {
    let due = store.placements_showing(PlacementStatus::Closed, SelectionMethod::Lottery, now, limit)?;
    let next = AtomicUsize::new(0);
    let outcomes = Mutex::new(Vec::with_capacity(due.len()));
    let draw_next = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(&id) = due.get(i) else { break };
            // One connection for the whole draw: its reads, and the transaction that stores it.
            let outcome = read(store, |s| draw_placement(s, None, id, now));
            outcomes.lock().unwrap_or_else(PoisonError::into_inner).push((i, id, outcome));
        }
    };
    let threads = at_once.min(store.writers_at_once()).clamp(1, due.len().max(1));
    if threads == 1 {
        draw_next();
    } else {
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(draw_next);
            }
        });
    }
    let mut outcomes = outcomes.into_inner().unwrap_or_else(PoisonError::into_inner);
    // Reported in the order they were due, whichever finished first.
    outcomes.sort_by_key(|(i, _, _)| *i);
    let mut report = DueReport::default();
    for (_, id, outcome) in outcomes {
        match outcome {
            Ok((_, true)) => report.drawn.push(id),
            Ok((_, false)) => {}
            Err(e) => report.failed.push((id, e)),
        }
    }
    Ok(report)
}
