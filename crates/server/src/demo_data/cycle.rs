//! The applicants and what they did: their profiles and equality answers, their applications (some
//! withdrawn), the finished rounds of the past placements, and applications to the placements
//! taking applications now.

use chrono::{DateTime, Duration, Utc};
use std::collections::{BTreeMap, HashMap};
use wex_domain::model::auth::Actor;
use wex_domain::ports::Store;
use wex_domain::{equality, profiles};

use super::applying::{Entries, People, apply_all};
use super::file::{DemoFile, at, days_from, defect};
use super::setup::{Loaded, Placements};
use super::{DemoSummary, round, step};

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
