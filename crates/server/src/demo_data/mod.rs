//! The sandbox's demo data: eleven fictional NHS and partner organisations across all seven NHS
//! England regions, their sites and departments, placements of every specialty, kind and delivery
//! mode (most open for applications, a few opening later, a few drafts), a hundred applicants, and
//! a finished round of six earlier placements (applications, draws, offers accepted and declined,
//! attendance, certificates and feedback) so that every report has figures.
//!
//! The content is data (`demo/demo.json`, in the API's own input types). It is loaded through the
//! domain's use cases, as the people it describes would have done it through the API: an
//! administrator creates the organisations, each organisation's coordinator its sites,
//! departments and placements, applicants their profiles and applications, hosts their
//! attendance records. Dates are relative to the day it is loaded, and every step is given the time
//! it happened, so the finished round lies in the past.
//!
//! Loading replaces everything: the sandbox database is emptied first, so that the walk-through in
//! the README can be run again from the start.

mod applying;
mod cycle;
mod file;
mod ready;
mod round;
mod setup;
#[cfg(test)]
mod tests;

use chrono::{DateTime, SubsecRound, Utc};
use wex_domain::model::auth::{Actor, MembershipRole, PlatformRole};
use wex_domain::ports::{SandboxStore, Store};

/// The administrator the demo organisations and grants are recorded as created by.
pub const DEMO_ADMIN: &str = "demo-admin";

/// How much the demo holds once loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub organisations: usize,
    pub sites: usize,
    pub departments: usize,
    pub placements: usize,
    pub applicants: usize,
    pub applications: usize,
    /// Past placements drawn, and what their rounds gave.
    pub drawn: usize,
    pub accepted: usize,
    pub attended: usize,
    pub completed: usize,
    pub feedback: usize,
}

/// Empties the database, then loads the demo as of `now`.
pub fn load<S: Store + SandboxStore>(store: &S, now: DateTime<Utc>) -> Result<DemoSummary, String> {
    // The database keeps microseconds; truncating again is harmless if the caller already did.
    let now = now.trunc_subsecs(6);
    let demo = file::DemoFile::parse()?;
    store.empty_database().map_err(|e| format!("emptying the sandbox database: {e:?}"))?;
    let mut summary = DemoSummary::default();
    let loaded = setup::organisations(store, &demo, now, &mut summary)?;
    cycle::applicants(store, &demo, &loaded, now, &mut summary)?;
    // The demo's history sent its messages long ago: the outbox starts empty, so that everything in
    // it is a reply to the caller's own requests.
    store.empty_outbox().map_err(|e| format!("emptying the outbox: {e:?}"))?;
    Ok(summary)
}

fn admin() -> Actor {
    Actor { platform_roles: vec![PlatformRole::Admin], ..Actor::new(DEMO_ADMIN) }
}

fn member(subject: &str, organisation_id: uuid::Uuid, role: MembershipRole) -> Actor {
    Actor { memberships: vec![(organisation_id, role)], ..Actor::new(subject) }
}

/// Names what failed, for a message that says which part of the file to look at.
fn step<T, E: std::fmt::Debug>(what: impl FnOnce() -> String, result: Result<T, E>) -> Result<T, String> {
    result.map_err(|e| format!("demo data: {}: {e:?}", what()))
}
