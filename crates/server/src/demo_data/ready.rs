//! Readiness before the first day of a past placement, as the people concerned would have
//! completed it through the API: an under-16's parent is invited as their advocate and gives
//! consent; the participant gives an emergency contact and completes their own items; the
//! coordinator records the organisation's checks. Only what the checklist misses is done.

use chrono::{DateTime, Utc};
use wex_domain::model::advocacy::{InviteRequest, Relationship};
use wex_domain::model::application::Application;
use wex_domain::model::auth::Actor;
use wex_domain::model::notification::Template;
use wex_domain::model::page::PageRequest;
use wex_domain::model::readiness::{Completer, Item, RequirementKind};
use wex_domain::ports::Store;
use wex_domain::readiness::{self, Completion};
use wex_domain::{StoreError, advocacy};

use super::applying::People;
use super::file::defect;
use super::setup::Loaded;
use super::step;

/// Completes whatever the application's checklist still misses, at `when`.
pub fn make_ready(
    store: &dyn Store,
    p: &Loaded<'_>,
    people: &People,
    app: &Application,
    when: DateTime<Utc>,
) -> Result<(), String> {
    let placement = step(|| "reading a placement".to_string(), store.placement(app.placement_id))?;
    let missing = step(|| "reading readiness".to_string(), readiness::missing_for(store, app, &placement))?;
    if missing.is_empty() {
        return Ok(());
    }
    let participant = people.actor(app.profile_id)?;
    for code in missing {
        let item = Item::parse(&code).ok_or_else(|| defect(format!("unknown readiness item {code}")))?;
        let (actor, input) = match item {
            Item::Kind(RequirementKind::ParentCarerConsent) => (
                parent(store, &participant, when)?,
                Completion {
                    name: Some("Their parent".to_string()),
                    relationship: Some("parent".to_string()),
                    ..Completion::default()
                },
            ),
            Item::Kind(RequirementKind::EmergencyContact) => (
                participant.clone(),
                Completion {
                    name: Some("Their parent".to_string()),
                    relationship: Some("parent".to_string()),
                    phone: Some("07700 900000".to_string()),
                    ..Completion::default()
                },
            ),
            _ if item.completer() == Completer::Organisation => {
                (p.coordinator.clone(), Completion { cleared: Some(true), ..Completion::default() })
            }
            _ => (participant.clone(), Completion::default()),
        };
        step(|| format!("readiness item {code}"), readiness::complete_item(store, &actor, app.id, &code, input, when))?;
    }
    Ok(())
}

/// The participant's parent, invited as their advocate and accepting with the invitation's code.
fn parent(store: &dyn Store, participant: &Actor, when: DateTime<Utc>) -> Result<Actor, String> {
    let email = format!("parent.{}@demo.example", participant.subject);
    let request = InviteRequest { email: email.clone(), relationship: Relationship::Other };
    let link = step(|| "inviting a parent".to_string(), advocacy::invite(store, participant, request, when))?;
    let code = invitation_code(store, &email)?;
    let parent = Actor::new(format!("parent-of-{}", participant.subject));
    step(|| "a parent accepting".to_string(), advocacy::accept(store, &parent, link.id, &code, when))?;
    Ok(parent)
}

/// The code in the latest invitation to `email` (the demo empties the outbox when it is loaded).
fn invitation_code(store: &dyn Store, email: &str) -> Result<String, String> {
    let mut page = PageRequest::first(100);
    let mut found = None;
    loop {
        let batch = store.notifications(&page).map_err(|e: StoreError| format!("reading the outbox: {e}"))?;
        for n in &batch.items {
            if n.template == Template::AdvocateInvitation && n.recipient == email {
                found = Some(n.body.clone());
            }
        }
        match batch.next {
            Some(next) => page = PageRequest { after: Some(next), ..page },
            None => break,
        }
    }
    let body = found.ok_or_else(|| defect("no invitation was written"))?;
    let code: String =
        body.split("code is ").nth(1).unwrap_or_default().chars().take_while(char::is_ascii_alphanumeric).collect();
    if code.is_empty() { Err(defect("the invitation holds no code")) } else { Ok(code) }
}
