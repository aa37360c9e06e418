//! One past placement's round, from naming its hosts to the feedback surveys, with each step at the
//! time it happened: applications, the draw when applications closed, offers answered (or left to
//! expire, their places passed down the waiting list), the waiting list closed at the start,
//! attendance, completion with certificates, and feedback from hosts and participants.

use chrono::{DateTime, Duration, Utc};
use std::collections::HashSet;
use uuid::Uuid;
use wex_domain::model::application::{Application, ApplicationStatus};
use wex_domain::model::auth::MembershipRole;
use wex_domain::model::offer::{Offer, OfferStatus};
use wex_domain::ports::Store;
use wex_domain::{grants, offers, participation, placements, selection};

use super::applying::{People, apply_all};
use super::file::{DemoApplication, History, at, days_from, defect};
use super::setup::Loaded;
use super::{DemoSummary, admin, member, step};

/// How many times offers are answered (or expire) before the round must have settled: far more
/// than any demo placement's declines and expiries need.
const MAX_ROUNDS_OF_OFFERS: usize = 20;

pub fn run<S: Store>(
    store: &S,
    p: &Loaded<'_>,
    list: &[(usize, &DemoApplication)],
    people: &People,
    now: DateTime<Utc>,
    summary: &mut DemoSummary,
) -> Result<(), String> {
    let Some(history) = p.file.history.as_ref() else { return Ok(()) };
    let key = &p.file.key;
    let hosts = name_hosts(store, p, history)?;

    // Applications close at the closing time, or when the coordinator closed them early.
    let closes = match history.closed_early_days_before_closing {
        Some(days) => p.dates.closes_at - Duration::days(i64::try_from(days).map_err(defect)?),
        None => p.dates.closes_at,
    };
    apply_all(store, p, list, people, closes, summary)?;
    if history.closed_early_days_before_closing.is_some() {
        step(|| format!("closing {key} early"), placements::close_placement(store, &p.coordinator, p.id, closes))?;
    }
    // The scheduler draws every lottery placement within a minute of its closing.
    let drawn_at = closes + Duration::minutes(1);
    step(|| format!("drawing {key}"), selection::draw_placement(store, None, p.id, drawn_at))?;
    summary.drawn += 1;
    answer_offers(store, p, history, people, drawn_at)?;

    // When the placement starts, the scheduler tells whoever is still waiting that there is no place.
    let start = p.dates.start_date;
    let end = p.dates.end_date;
    step(
        || format!("closing the waiting list of {key}"),
        offers::close_waiting_lists(store, at(start, 6, 0)?, 10_000),
    )?;

    // A host records attendance on the first morning; the participants drawn last did not come.
    let host = hosts.first().map_or(&p.coordinator, |(_, actor)| actor);
    let mut holders = applications(store, p.id, ApplicationStatus::Accepted)?;
    holders.sort_by_key(|a| a.draw_position);
    let attending = holders.len().saturating_sub(history.no_shows);
    // Each was made ready in the week before the start, as the checklist asks.
    for app in &holders {
        super::ready::make_ready(store, p, people, app, at(start, 8, 0)? - Duration::days(3))?;
    }
    for (k, app) in (0..).zip(&holders) {
        let when = at(start, 10, 0)? + Duration::minutes(k);
        let came = usize::try_from(k).map_err(defect)? < attending;
        step(|| format!("attendance on {key}"), participation::record_attendance(store, host, app.id, came, when))?;
    }
    // Completed at the end of the last day, when the certificates are issued.
    let completed: Vec<&Application> = holders.iter().take(attending).collect();
    for (k, app) in (0..).zip(&completed) {
        let when = at(end, 16, 0)? + Duration::minutes(k);
        step(|| format!("completing {key}"), participation::complete(store, host, app.id, when))?;
    }
    // The hosts' survey the next day, the participants' the day after.
    let mut last = at(end, 16, 0)?;
    for ((h, actor), k) in history.hosts.iter().zip(hosts.iter().map(|(_, a)| a)).zip(0..) {
        last = at(days_from(end, 1)?, 12, 0)? + Duration::minutes(10 * k);
        let what = || format!("{} giving feedback on {key}", h.subject);
        step(what, participation::give_host_feedback(store, actor, p.id, &h.feedback, last))?;
    }
    for ((app, feedback), k) in completed.iter().zip(&history.participant_feedback).zip(0..) {
        last = at(days_from(end, 2)?, 10, 0)? + Duration::minutes(20 * k);
        let actor = people.actor(app.profile_id)?;
        let what = || format!("{} giving feedback on {key}", actor.subject);
        step(what, participation::give_feedback(store, &actor, app.id, feedback, last))?;
        summary.feedback += 1;
    }
    if last >= now {
        return Err(defect(format!("the history of {key} must end before the day the demo is loaded")));
    }
    summary.accepted += holders.len();
    summary.attended += attending;
    summary.completed += completed.len();
    Ok(())
}

/// The administrator gives each host the host role (once, though they may host several
/// placements) and the coordinator names them for the placement, an hour after publishing.
fn name_hosts<S: Store>(
    store: &S,
    p: &Loaded<'_>,
    history: &History,
) -> Result<Vec<(String, wex_domain::model::auth::Actor)>, String> {
    let named_at = p.published_at + Duration::hours(1);
    let mut hosts = Vec::new();
    for h in &history.hosts {
        let granted =
            grants::grant_membership(store, &admin(), p.organisation_id, &h.subject, MembershipRole::Host, named_at);
        match granted {
            Ok(_) | Err(grants::GrantError::AlreadyGranted(_)) => {}
            Err(e) => return Err(format!("demo data: host role for {}: {e:?}", h.subject)),
        }
        let what = || format!("naming {} for {}", h.subject, p.file.key);
        step(what, participation::add_host(store, &p.coordinator, p.id, &h.subject, named_at))?;
        hosts.push((h.subject.clone(), member(&h.subject, p.organisation_id, MembershipRole::Host)));
    }
    Ok(hosts)
}

fn applications<S: Store>(
    store: &S,
    placement_id: Uuid,
    status: ApplicationStatus,
) -> Result<Vec<Application>, String> {
    let all = store.all_applications_for_placement(placement_id).map_err(|e| defect(format!("{e:?}")))?;
    Ok(all.into_iter().filter(|a| a.status == status).collect())
}

/// The placement's open offers, oldest first and then in draw order.
fn open_offers<S: Store>(store: &S, placement_id: Uuid) -> Result<Vec<(Offer, Application)>, String> {
    let mut open = Vec::new();
    for app in applications(store, placement_id, ApplicationStatus::Offered)? {
        let found = store.offer_of_application(app.id).map_err(|e| defect(format!("{e:?}")))?;
        if let Some(offer) = found.filter(|o| o.status == OfferStatus::Open) {
            open.push((offer, app));
        }
    }
    open.sort_by_key(|(o, a)| (o.created_at, a.draw_position));
    Ok(open)
}

/// Applicants answer their offers the day after they are made: the first ones offered decline (so
/// their places go down the waiting list), the next leave theirs to expire, and the rest accept.
fn answer_offers<S: Store>(
    store: &S,
    p: &Loaded<'_>,
    history: &History,
    people: &People,
    drawn_at: DateTime<Utc>,
) -> Result<(), String> {
    let key = &p.file.key;
    let (mut declines, mut expiries) = (history.declines, history.expiries);
    let mut expiring = HashSet::new();
    let mut t = drawn_at;
    for _ in 0..MAX_ROUNDS_OF_OFFERS {
        let open = open_offers(store, p.id)?;
        let to_answer: Vec<&(Offer, Application)> = open.iter().filter(|(o, _)| !expiring.contains(&o.id)).collect();
        if to_answer.is_empty() {
            // Only offers left to expire, if any: the scheduler's pass after their deadline ends
            // them and offers their places to the next people waiting.
            let Some(deadline) = open.iter().map(|(o, _)| o.respond_by).max() else { return Ok(()) };
            t = deadline + Duration::minutes(1);
            step(|| format!("expiring offers on {key}"), offers::expire_due(store, t, 10_000))?;
            continue;
        }
        t += Duration::days(1);
        for (made, app) in to_answer {
            t += Duration::minutes(10);
            let actor = people.actor(app.profile_id)?;
            if declines > 0 {
                declines -= 1;
                step(|| format!("declining an offer on {key}"), offers::decline(store, &actor, made.id, t))?;
            } else if expiries > 0 {
                expiries -= 1;
                expiring.insert(made.id);
            } else {
                step(|| format!("accepting an offer on {key}"), offers::accept(store, &actor, made.id, t))?;
            }
        }
    }
    Err(defect(format!("the offers on {key} did not settle")))
}
