//! Applying as the demo's applicants: who they are, and their applications to one placement spread
//! over the time it took applications.

use chrono::{DateTime, Duration, DurationRound, Utc};
use std::collections::HashMap;
use uuid::Uuid;
use wex_domain::applying;
use wex_domain::model::application::DEFAULT_ACTIVE_CAP;
use wex_domain::model::auth::Actor;
use wex_domain::ports::Store;

use super::file::{DemoApplication, defect};
use super::setup::Loaded;
use super::{DemoSummary, step};

/// The demo's applicants as loaded.
pub struct People {
    /// By their position in the file: subject and when they registered.
    pub registered: Vec<(String, DateTime<Utc>)>,
    pub(super) subjects: HashMap<Uuid, String>,
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
            step(what, applying::withdraw(store, &actor, made.record.application.id, Some(reason.clone()), withdrawn))?;
        }
    }
    Ok(())
}
