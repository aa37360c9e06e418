//! The organisations, their sites, departments and coordinators, and their placements, created and
//! published as an administrator and each organisation's coordinator would through the API.

use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeMap;
use uuid::Uuid;
use wex_domain::model::auth::{Actor, MembershipRole, Role};
use wex_domain::model::lottery::DrawSeed;
use wex_domain::model::organisation::DepartmentInput;
use wex_domain::ports::Store;
use wex_domain::{grants, organisations, placements, team_contact};

use super::file::{Dates, DemoFile, DemoOrganisation, DemoPlacement, at, days_from, defect};
use super::{DEMO_ADMIN, DemoSummary, admin, member, step};

/// The organisations were set up five months before the demo is loaded, before anything else in it.
const SET_UP_DAYS_AGO: i64 = 150;

/// A placement as loaded, with what the rest of the demo needs to act on it.
pub struct Loaded<'a> {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub coordinator: Actor,
    pub dates: Dates,
    pub published_at: DateTime<Utc>,
    pub file: &'a DemoPlacement,
}

/// Every placement, by its key in the file.
pub type Placements<'a> = BTreeMap<String, Loaded<'a>>;

pub fn coordinator_subject(org: &DemoOrganisation) -> String {
    format!("demo-coordinator-{}", org.key)
}

/// When a placement was created and published: a week before it opened, or for one opening soon,
/// just before loading; drafts a few days before loading.
pub fn times(dates: &Dates, publish: bool, now: DateTime<Utc>) -> (DateTime<Utc>, Option<DateTime<Utc>>) {
    if publish {
        let published = (dates.opens_at - Duration::days(7)).min(now - Duration::hours(1));
        (published - Duration::days(7), Some(published))
    } else {
        (now - Duration::days(3), None)
    }
}

pub fn organisations<'a, S: Store>(
    store: &S,
    demo: &'a DemoFile,
    now: DateTime<Utc>,
    summary: &mut DemoSummary,
) -> Result<Placements<'a>, String> {
    let today = now.date_naive();
    let set_up = at(days_from(today, -SET_UP_DAYS_AGO)?, 9, 0)?;
    // The sandbox records the administrator's grant as it does for a minted admin token.
    step(
        || "the demo administrator".into(),
        grants::ensure_sandbox_grant(store, DEMO_ADMIN, Role::Admin, None, set_up),
    )?;
    let admin = admin();
    let mut placements = Placements::new();
    for org in &demo.organisations {
        let name = &org.organisation.name;
        let created = step(
            || format!("organisation {name}"),
            organisations::create_organisation(store, &admin, org.organisation.clone(), set_up),
        )?;
        let subject = coordinator_subject(org);
        step(
            || format!("coordinator of {name}"),
            grants::grant_membership(store, &admin, created.id, &subject, MembershipRole::Coordinator, set_up),
        )?;
        let coordinator = member(&subject, created.id, MembershipRole::Coordinator);
        if let Some(email) = &org.team_contact {
            step(
                || format!("the team address of {name}"),
                team_contact::set_team_contact(store, &coordinator, created.id, email, set_up),
            )?;
        }
        let sites = sites(store, org, created.id, &coordinator, set_up)?;
        let departments = departments(store, org, created.id, &coordinator, &sites, set_up)?;
        summary.organisations += 1;
        summary.sites += sites.len();
        summary.departments += departments.len();
        for p in &org.placements {
            let site = lookup(&sites, p.site.as_deref(), &p.key)?;
            let department = lookup(&departments, p.department.as_deref(), &p.key)?;
            let loaded = placement(store, p, created.id, &coordinator, site, department, now)?;
            if placements.insert(p.key.clone(), loaded).is_some() {
                return Err(defect(format!("two placements have the key {}", p.key)));
            }
            summary.placements += 1;
        }
    }
    Ok(placements)
}

fn lookup(ids: &BTreeMap<String, Uuid>, name: Option<&str>, placement: &str) -> Result<Option<Uuid>, String> {
    name.map(|n| ids.get(n).copied().ok_or_else(|| defect(format!("{placement}: no site or department {n}"))))
        .transpose()
}

fn sites<S: Store>(
    store: &S,
    org: &DemoOrganisation,
    organisation_id: Uuid,
    coordinator: &Actor,
    now: DateTime<Utc>,
) -> Result<BTreeMap<String, Uuid>, String> {
    let mut ids = BTreeMap::new();
    for site in &org.sites {
        let created = step(
            || format!("site {}", site.name),
            organisations::create_site(store, coordinator, organisation_id, site.clone(), now),
        )?;
        if ids.insert(site.name.clone(), created.id).is_some() {
            return Err(defect(format!("{} has two sites called {}", org.key, site.name)));
        }
    }
    Ok(ids)
}

fn departments<S: Store>(
    store: &S,
    org: &DemoOrganisation,
    organisation_id: Uuid,
    coordinator: &Actor,
    sites: &BTreeMap<String, Uuid>,
    now: DateTime<Utc>,
) -> Result<BTreeMap<String, Uuid>, String> {
    let mut ids = BTreeMap::new();
    for d in &org.departments {
        let name = &d.department.name;
        if d.department.site_id.is_some() {
            return Err(defect(format!("department {name}: name its site with `site`, not `site_id`")));
        }
        let site_id = lookup(sites, d.site.as_deref(), name)?;
        let input = DepartmentInput { site_id, ..d.department.clone() };
        let created = step(
            || format!("department {name}"),
            organisations::create_department(store, coordinator, organisation_id, input, now),
        )?;
        if ids.insert(name.clone(), created.id).is_some() {
            return Err(defect(format!("{} has two departments called {name}", org.key)));
        }
    }
    Ok(ids)
}

fn placement<'a, S: Store>(
    store: &S,
    p: &'a DemoPlacement,
    organisation_id: Uuid,
    coordinator: &Actor,
    site: Option<Uuid>,
    department: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Loaded<'a>, String> {
    let dates = p.when.dates(now.date_naive())?;
    let details = p.details(&dates, site, department)?;
    let (created_at, published_at) = times(&dates, p.publish, now);
    let what = || format!("placement {}", p.key);
    let draft = step(what, placements::create_placement(store, coordinator, organisation_id, details, created_at))?;
    let published_at = match published_at {
        Some(at) => {
            // A fresh secret seed for each placement, as publishing through the API makes.
            let seed = DrawSeed::generate().map_err(|e| format!("demo data: no randomness for a draw seed: {e:?}"))?;
            step(what, placements::publish_placement(store, coordinator, draft.id, Some(draft.version), &seed, at))?;
            at
        }
        None => created_at,
    };
    Ok(Loaded { id: draft.id, organisation_id, coordinator: coordinator.clone(), dates, published_at, file: p })
}
