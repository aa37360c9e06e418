//! Offers: after the draw, the first `capacity` entries are offered a place to accept or decline by
//! a date; declines and expiries pass the place down the waiting list, in draw order. No placement
//! is ever over-filled: places are given only where the store confirms, under a lock, that one is
//! free.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use uuid::Uuid;

use crate::application::{Application, ApplicationEvent, ApplicationStatus, ChangedBy, PLATFORM_SUBJECT, tell};
use crate::draw::{Draw, DrawOutcome};
use crate::error::DomainError;
use crate::model::auth::Actor;
use crate::model::notification::{Notification, Template};
use crate::model::placement::Placement;
use crate::model::profile::Profile;
use crate::model::reference::code_enum;
use crate::ports::{ApplicationStore, DrawStore, OfferStore, PlacementStore, ProfileStore};
use std::fmt;

mod answer;
pub use answer::{accept, decline};

code_enum! {
    OfferStatus {
        Open => ("open", "Open", "Waiting for the applicant's answer."),
        Accepted => ("accepted", "Accepted", "The applicant accepted the place."),
        Declined => ("declined", "Declined", "The applicant declined the place."),
        Expired => ("expired", "Expired", "Not answered in time."),
        Cancelled => ("cancelled", "Cancelled", "The placement was cancelled."),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub id: Uuid,
    pub application_id: Uuid,
    pub placement_id: Uuid,
    pub status: OfferStatus,
    pub respond_by: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub responded_at: Option<DateTime<Utc>>,
    pub version: i64,
}

/// Everything that changes when places are given: applications (with the version each had),
/// new offers, history and messages. Stored in one transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allocation {
    pub applications: Vec<(Application, i64)>,
    pub offers: Vec<Offer>,
    /// Offers that end, with the version each had.
    pub ended_offers: Vec<(Offer, i64)>,
    pub events: Vec<ApplicationEvent>,
    pub notifications: Vec<Notification>,
}

impl Allocation {
    /// Records that the platform moved `app` to `status`, giving its outcome now if it had none,
    /// with `messages` about it.
    fn platform_moves(
        &mut self,
        app: &Application,
        status: ApplicationStatus,
        messages: Vec<Notification>,
        now: DateTime<Utc>,
    ) {
        let updated = Application {
            status,
            outcome_at: app.outcome_at.or(Some(now)),
            version: app.version + 1,
            updated_at: now,
            ..app.clone()
        };
        self.events.push(ApplicationEvent::new(
            &updated,
            Some(app.status),
            (PLATFORM_SUBJECT, ChangedBy::Platform),
            None,
            now,
        ));
        self.notifications.extend(messages);
        self.applications.push((updated, app.version));
    }
}

/// The deadline for an offer made at `now`: the placement's response days (five unless set), but
/// never past the day before the start.
pub fn respond_by(placement: &Placement, now: DateTime<Utc>) -> DateTime<Utc> {
    let last = (placement.details.start_date - Duration::days(1)).and_time(NaiveTime::MIN).and_utc();
    (now + Duration::days(i64::from(placement.details.offer_response_days))).min(last.max(now))
}

fn long_time(t: DateTime<Utc>) -> String {
    t.format("%-d %B %Y at %H:%M UTC").to_string()
}

fn offer_messages(
    app: &Application,
    profile: &Profile,
    placement: &Placement,
    offer: &Offer,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    let title = &placement.details.title;
    tell(
        profile,
        Template::OfferMade,
        &format!("You have been offered a place: {title}"),
        &format!(
            "Good news: you are offered a place on \"{title}\". Accept or decline by {} (POST /v1/offers/{}/accept or /decline). If there is no answer by then, the place goes to the next person waiting.",
            long_time(offer.respond_by),
            offer.id
        ),
        app.id,
        now,
    )
}

fn give_place(app: &Application, profile: &Profile, placement: &Placement, now: DateTime<Utc>, into: &mut Allocation) {
    let offer = Offer {
        id: Uuid::now_v7(),
        application_id: app.id,
        placement_id: placement.id,
        status: OfferStatus::Open,
        respond_by: respond_by(placement, now),
        created_at: now,
        responded_at: None,
        version: 1,
    };
    into.platform_moves(app, ApplicationStatus::Offered, offer_messages(app, profile, placement, &offer, now), now);
    into.offers.push(offer);
}

/// What the draw gives: offers for the first `capacity` positions, the waiting list for the rest.
pub fn allocation_after_draw(
    draw: &Draw,
    placement: &Placement,
    entrants: &[(Application, Profile)],
    now: DateTime<Utc>,
) -> Allocation {
    let mut out = Allocation::default();
    let mut waiting = 0;
    let by_id: std::collections::HashMap<Uuid, &(Application, Profile)> =
        entrants.iter().map(|e| (e.0.id, e)).collect();
    let drawn: std::collections::HashSet<Uuid> = draw.entries.iter().map(|e| e.application_id).collect();
    // Submitted applications a name-blind review kept out of the draw are told why.
    for (app, profile) in
        entrants.iter().filter(|(a, _)| a.status == ApplicationStatus::Submitted && !drawn.contains(&a.id))
    {
        let why = "A review of the applications (without names) found that yours did not meet this placement's criteria, so it was not in the draw.";
        out.platform_moves(app, ApplicationStatus::NotEntered, unsuccessful(app, profile, placement, why, now), now);
    }
    for entry in &draw.entries {
        let Some((app, profile)) = by_id.get(&entry.application_id).copied() else { continue };
        let app = Application { draw_tier: Some(entry.tier), draw_position: Some(entry.position), ..app.clone() };
        match entry.outcome {
            DrawOutcome::Offered => give_place(&app, profile, placement, now, &mut out),
            DrawOutcome::Waitlisted => {
                waiting += 1;
                let title = &placement.details.title;
                let messages = tell(
                    profile,
                    Template::Waitlisted,
                    &format!("You are on the waiting list: {title}"),
                    &format!(
                        "The draw for \"{title}\" has given its {} place(s). You are number {waiting} on the waiting list: if someone declines, the next person waiting is offered their place, and we will tell you at once.",
                        draw.capacity
                    ),
                    app.id,
                    now,
                );
                out.platform_moves(&app, ApplicationStatus::Waitlisted, messages, now);
            }
        }
    }
    out
}

/// The "unsuccessful" message, with its explanation, to the applicant and any support worker.
fn unsuccessful(
    app: &Application,
    profile: &Profile,
    placement: &Placement,
    why: &str,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    let title = &placement.details.title;
    tell(
        profile,
        Template::Unsuccessful,
        &format!("No place this time: {title}"),
        &format!("We are sorry: there is no place for you on \"{title}\". {why} You can apply for other placements."),
        app.id,
        now,
    )
}

/// When a placement starts, whoever is still on its waiting list is told there is no place.
pub fn close_waiting_lists<S: OfferStore + ApplicationStore + ProfileStore + PlacementStore + ?Sized>(
    store: &S,
    now: DateTime<Utc>,
    limit: u32,
) -> Result<usize, DomainError> {
    let waiting = store.waitlisted_at_start(now.date_naive(), limit)?;
    let mut closed = 0;
    for app in waiting {
        let profile = store.profile(app.profile_id)?;
        let placement = store.placement(app.placement_id)?;
        let updated = Application {
            status: ApplicationStatus::NotSelected,
            version: app.version + 1,
            updated_at: now,
            ..app.clone()
        };
        let event =
            ApplicationEvent::new(&updated, Some(app.status), (PLATFORM_SUBJECT, ChangedBy::Platform), None, now);
        let messages = unsuccessful(
            &updated,
            &profile,
            &placement,
            "The placement has started and the waiting list did not reach you.",
            now,
        );
        match store.transition_application(&updated, app.version, &event, &messages) {
            Ok(()) => closed += 1,
            Err(crate::StoreError::VersionConflict) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(closed)
}

/// Offers free places to the next people waiting, in draw order. The store gives each place only
/// if, under its lock, the placement still has one free; a clash is retried from fresh data.
pub fn fill_places<S: OfferStore + ApplicationStore + ProfileStore + PlacementStore + ?Sized>(
    store: &S,
    placement_id: Uuid,
    now: DateTime<Utc>,
) -> Result<usize, DomainError> {
    let placement = store.placement(placement_id)?;
    // From the day before the start there is no time left to answer an offer: the waiting list
    // closes when the placement starts.
    if now.date_naive() >= placement.details.start_date - Duration::days(1) {
        return Ok(0);
    }
    let capacity = u32::try_from(placement.details.capacity).unwrap_or(0);
    for _ in 0..5 {
        let taken = store.places_taken(placement_id)?;
        let free = capacity.saturating_sub(taken) as usize;
        let waiting = store.waiting_list(placement_id)?;
        if free == 0 || waiting.is_empty() {
            return Ok(0);
        }
        let next: Vec<Application> = waiting.into_iter().take(free).collect();
        let ids: Vec<Uuid> = next.iter().map(|a| a.profile_id).collect();
        let profiles = store.profiles_by_ids(&ids)?;
        let mut allocation = Allocation::default();
        for app in &next {
            if let Some(profile) = profiles.iter().find(|p| p.id == app.profile_id) {
                give_place(app, profile, &placement, now, &mut allocation);
            }
        }
        if store.give_places(placement_id, capacity, &allocation)? {
            return Ok(allocation.offers.len());
        }
    }
    Err(DomainError::conflict("busy", "The waiting list is changing; try again."))
}

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
            Err(crate::StoreError::VersionConflict) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(expired)
}

/// The applicant's number on the waiting list (1 = next), if they are on it.
pub fn waiting_number<S: OfferStore + ?Sized>(store: &S, app: &Application) -> Result<Option<u32>, DomainError> {
    if app.status != ApplicationStatus::Waitlisted {
        return Ok(None);
    }
    let list = store.waiting_list(app.placement_id)?;
    Ok(list.iter().position(|a| a.id == app.id).and_then(|i| u32::try_from(i + 1).ok()))
}

/// The outcome in plain words: how many entries and places, the applicant's tier and why, their
/// position, and what it means for them. `None` before the draw.
pub fn explain_outcome(app: &Application, placement: &Placement, draw: &Draw, waiting: Option<u32>) -> Option<String> {
    let (tier, position) = (app.draw_tier?, app.draw_position?);
    let rules = &draw.priority_rules;
    let why = match usize::try_from(tier).ok().and_then(|t| t.checked_sub(1)).and_then(|i| rules.get(i)) {
        Some(rule) => format!(
            "you matched the rule \"{rule}\": {}",
            crate::model::reference::priority_rule_reason(rule).trim_end_matches('.')
        ),
        None if rules.is_empty() => {
            "this placement has no priority rules, so everyone was in the same tier".to_string()
        }
        None => {
            "you did not match any of the placement's priority rules, so you were drawn after those who did".to_string()
        }
    };
    let result = match app.status {
        ApplicationStatus::Waitlisted => format!("You are number {} on the waiting list.", waiting.unwrap_or(0)),
        ApplicationStatus::Offered | ApplicationStatus::Accepted => "You were offered a place.".to_string(),
        _ if position <= draw.capacity => "You were offered a place.".to_string(),
        _ => "You were put on the waiting list.".to_string(),
    };
    Some(format!(
        "There were {} entries for {} place(s) on \"{}\". You were in tier {tier} because {why}. Your position in the draw was {position}. {result}",
        draw.entries.len(),
        draw.capacity,
        placement.details.title
    ))
}

/// Cancels a placement that has not been completed, with a reason everyone affected reads: its
/// applications that are still in play end as `cancelled`, open and accepted offers end too, and
/// each applicant (and support worker) is told. Coordinators of its organisation only (404 for
/// others).
pub fn cancel_placement<S: PlacementStore + ApplicationStore + ProfileStore + OfferStore + DrawStore + ?Sized>(
    store: &S,
    actor: &Actor,
    id: Uuid,
    expected_version: Option<i64>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Placement, DomainError> {
    let current = store.placement(id)?;
    actor.require_owner_of(current.organisation_id)?;
    if expected_version.is_some_and(|v| v != current.version) {
        return Err(DomainError::PreconditionFailed);
    }
    let reason = reason.trim();
    if !crate::model::validation::has_visible(reason) || reason.chars().count() > 2000 {
        return Err(DomainError::invalid(
            "/reason",
            "length",
            "Give a reason of 1 to 2000 characters: applicants will read it.",
        ));
    }
    if matches!(
        current.status,
        crate::model::reference::PlacementStatus::Completed | crate::model::reference::PlacementStatus::Cancelled
    ) {
        return Err(DomainError::conflict(
            "placement_not_cancellable",
            format!("A placement that is {} cannot be cancelled.", current.status),
        ));
    }
    let version = current.version;
    let placement = Placement {
        status: crate::model::reference::PlacementStatus::Cancelled,
        cancellation_reason: Some(reason.to_string()),
        version: version + 1,
        updated_at: now,
        ..current
    };
    let mut allocation = Allocation::default();
    let in_play = |s: ApplicationStatus| s.is_active() || s == ApplicationStatus::Accepted;
    let applications: Vec<Application> =
        store.all_applications_for_placement(id)?.into_iter().filter(|a| in_play(a.status)).collect();
    let ids: Vec<Uuid> = applications.iter().map(|a| a.profile_id).collect();
    let profiles = store.profiles_by_ids(&ids)?;
    let title = &placement.details.title;
    for app in applications {
        if let Some(offer) = store.offer_of_application(app.id)?
            && matches!(offer.status, OfferStatus::Open | OfferStatus::Accepted)
        {
            let v = offer.version;
            allocation
                .ended_offers
                .push((Offer { status: OfferStatus::Cancelled, responded_at: Some(now), version: v + 1, ..offer }, v));
        }
        let updated = Application {
            status: ApplicationStatus::Cancelled,
            version: app.version + 1,
            updated_at: now,
            ..app.clone()
        };
        allocation.events.push(ApplicationEvent::new(
            &updated,
            Some(app.status),
            (&actor.subject, ChangedBy::Coordinator),
            Some(reason.to_string()),
            now,
        ));
        if let Some(profile) = profiles.iter().find(|p| p.id == app.profile_id) {
            allocation.notifications.extend(tell(
                profile,
                Template::PlacementCancelled,
                &format!("Placement cancelled: {title}"),
                &format!("We are sorry: \"{title}\" has been cancelled. The organisation says: {reason}"),
                app.id,
                now,
            ));
        }
        allocation.applications.push((updated, app.version));
    }
    store.cancel_with(&placement, version, &allocation)?;
    Ok(placement)
}
