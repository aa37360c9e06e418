//! The applicants and what they did: their profiles and equality answers, their applications (some
//! withdrawn), the finished rounds of the past placements, and applications to the placements
//! taking applications now.

use chrono::{DateTime, Duration, DurationRound, Utc};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;
use wex_domain::applying;
use wex_domain::model::application::DEFAULT_ACTIVE_CAP;
use wex_domain::model::auth::Actor;
use wex_domain::ports::Store;
use wex_domain::{equality, profiles};

use super::file::{DemoApplication, DemoFile, at, days_from, defect};
use super::setup::{Loaded, Placements};
use super::{DemoSummary, round, step};

/// The demo's applicants as loaded.
pub struct People {
    /// By their position in the file: subject and when they registered.
    pub registered: Vec<(String, DateTime<Utc>)>,
    subjects: HashMap<Uuid, String>,
}

impl People {
    /// The applicant a profile belongs to, to act as them.
    pub fn actor(&self, profile_id: Uuid) -> Result<Actor, String> {
        self.subjects
            .get(&profile_id)
            .map(Actor::new)
            .ok_or_else(|| defect(format!("profile {profile_id} is not a demo applicant's")))
    }
}

/// Applications to one placement: the applicant's position in the file, and the application.
pub type Entries<'a> = Vec<(usize, &'a DemoApplication)>;

pub fn applicants<S: Store>(
    store: &S,
    demo: &DemoFile,
    placements: &Placements<'_>,
    now: DateTime<Utc>,
    summary: &mut DemoSummary,
) -> Result<(), String> {
    let people = profiles(store, demo, now, summary)?;
    let mut entries: BTreeMap<&str, Entries<'_>> = BTreeMap::new();
    for (i, a) in demo.applicants.iter().enumerate() {
        for app in &a.applications {
            if !placements.contains_key(&app.placement) {
                return Err(defect(format!("{} applies to {}, which is not in the file", a.subject, app.placement)));
            }
            entries.entry(app.placement.as_str()).or_default().push((i, app));
        }
    }
    // The past rounds first, oldest first. Each runs to its end before the next begins, so that the
    // scheduler's passes in one (expiring offers, closing waiting lists) find nothing of another.
    let mut past: Vec<&Loaded<'_>> = placements.values().filter(|p| p.file.history.is_some()).collect();
    past.sort_by_key(|p| p.dates.start_date);
    for p in past {
        let list = entries.get(p.file.key.as_str()).map(Vec::as_slice).unwrap_or_default();
        round::run(store, p, list, &people, now, summary)?;
    }
    // Then the placements taking applications now: applications up to a few minutes ago.
    for (key, list) in &entries {
        let Some(p) = placements.get(*key).filter(|p| p.file.history.is_none()) else { continue };
        let until = p.dates.closes_at.min(now - Duration::minutes(10));
        apply_all(store, p, list, &people, until, summary)?;
    }
    Ok(())
}

fn profiles<S: Store>(
    store: &S,
    demo: &DemoFile,
    now: DateTime<Utc>,
    summary: &mut DemoSummary,
) -> Result<People, String> {
    let today = now.date_naive();
    let mut people = People { registered: Vec::new(), subjects: HashMap::new() };
    for (i, a) in demo.applicants.iter().enumerate() {
        // Spread over the working day, so that the demo's times look like people's.
        let hour = 9 + u32::try_from(i % 9).unwrap_or(0);
        let minute = u32::try_from(i * 7 % 60).unwrap_or(0);
        let registered = at(days_from(today, a.registered_in_days)?, hour, minute)?;
        if registered >= now {
            return Err(defect(format!("{} registers after the demo is loaded", a.subject)));
        }
        let actor = Actor::new(&a.subject);
        let (created, _) = step(
            || format!("profile of {}", a.subject),
            profiles::put_own_profile(store, &actor, a.profile_input(today)?, None, registered),
        )?;
        if let Some(answers) = &a.equality {
            step(
                || format!("equality answers of {}", a.subject),
                equality::put_my_answers(store, &actor, answers.clone(), None, registered + Duration::minutes(10)),
            )?;
        }
        if people.subjects.insert(created.id, a.subject.clone()).is_some() {
            return Err(defect(format!("two profiles for {}", a.subject)));
        }
        people.registered.push((a.subject.clone(), registered));
        summary.applicants += 1;
    }
    Ok(people)
}

/// The applications to one placement, spread evenly from its opening until `until` (each after
/// the applicant registered), and the withdrawals among them.
pub fn apply_all<S: Store>(
    store: &S,
    p: &Loaded<'_>,
    list: &[(usize, &DemoApplication)],
    people: &People,
    until: DateTime<Utc>,
    summary: &mut DemoSummary,
) -> Result<(), String> {
    let opens = p.dates.opens_at;
    let span = (until - opens).num_seconds();
    let n = i64::try_from(list.len()).map_err(defect)?;
    for (k, (i, app)) in (1..).zip(list) {
        let (subject, registered) = people.registered.get(*i).ok_or_else(|| defect(format!("applicant {i}")))?;
        let spread = opens + Duration::seconds(span * k / (n + 1));
        let applied =
            spread.max(*registered + Duration::hours(1)).duration_trunc(Duration::minutes(1)).map_err(defect)?;
        if applied >= until {
            return Err(defect(format!("{subject} registers too late to apply to {}", p.file.key)));
        }
        let actor = Actor::new(subject);
        let what = || format!("{subject} applying to {}", p.file.key);
        let made = step(what, applying::apply(store, &actor, p.id, app.request()?, DEFAULT_ACTIVE_CAP, applied))?;
        summary.applications += 1;
        if let Some(reason) = &app.withdraw {
            let withdrawn = applied + (until - applied).min(Duration::days(4)) / 2;
            let what = || format!("{subject} withdrawing from {}", p.file.key);
            step(what, applying::withdraw(store, &actor, made.id, Some(reason.clone()), withdrawn))?;
        }
    }
    Ok(())
}
