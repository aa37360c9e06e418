//! Completing a checklist item (by whoever completes it) and a coordinator's override with a
//! recorded reason. Each change is an event, stored in the transaction that stores it.

use chrono::{DateTime, Utc};
use serde_json::Value;
use uuid::Uuid;

use super::access::{Place, ReadinessAccessError, place};
use super::view::{Readiness, view};
use crate::codes;
use crate::error::{FieldError, StoreError};
use crate::model::application::{ApplicationStatus, ChangedBy};
use crate::model::auth::Actor;
use crate::model::event::{DomainEvent, Entity};
use crate::model::profile::valid_phone;
use crate::model::readiness::{
    Completer, Item, ItemRecord, ItemState, PersonDetails, RequirementKind, items_for, may_override,
};
use crate::model::validation::has_visible;
use crate::ports::Store;
use crate::unit_of_work::write;
use crate::use_case_error::{Invalid, NotFound};

crate::use_case_error! {
    /// Why an item could not be completed.
    pub enum CompleteItemError {
        /// Someone else completes this item (the message says who).
        NotYours(String) = codes::READINESS_NOT_YOURS,
        /// The place is no longer waiting to start (the message names its status).
        NotAParticipant(String) = codes::NOT_A_PARTICIPANT,
        /// No such place the caller may see, or no such item on its checklist.
        NotFound(NotFound),
        /// The details are missing or not valid (each field named).
        Invalid(Invalid),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why an item could not be overridden.
    pub enum OverrideError {
        /// Only the organisation's coordinators override items.
        NotCoordinator(()) = codes::COORDINATOR_ROLE_REQUIRED,
        /// An under-16's consent or emergency contact.
        NotAllowed(()) = codes::OVERRIDE_NOT_ALLOWED,
        /// The place is no longer waiting to start (the message names its status).
        NotAParticipant(String) = codes::NOT_A_PARTICIPANT,
        NotFound(NotFound),
        /// No reason, or one too long.
        Invalid(Invalid),
        Store(StoreError),
    }
}

macro_rules! from_access {
    ($error:ident) => {
        impl From<ReadinessAccessError> for $error {
            fn from(e: ReadinessAccessError) -> Self {
                match e {
                    ReadinessAccessError::NotAParticipant(m) => $error::NotAParticipant(m),
                    ReadinessAccessError::NotFound(n) => n.into(),
                    ReadinessAccessError::Store(s) => s.into(),
                }
            }
        }
    };
}
from_access!(CompleteItemError);
from_access!(OverrideError);

/// What completing an item sends: the contact's or consent-giver's name and relationship, the
/// contact's phone, or the organisation's yes or no for a clearance. Nothing for the rest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Completion {
    pub name: Option<String>,
    pub relationship: Option<String>,
    pub phone: Option<String>,
    pub cleared: Option<bool>,
}

/// The place, waiting to start, and the item asked for, on its checklist.
fn waiting_item(store: &dyn Store, actor: &Actor, id: Uuid, code: &str) -> Result<(Place, Item), ReadinessAccessError> {
    let place = place(store, actor, id)?;
    if place.app.status != ApplicationStatus::Accepted {
        return Err(ReadinessAccessError::NotAParticipant(format!(
            "Readiness items are completed before the placement starts; this application is {}.",
            place.app.status
        )));
    }
    match Item::parse(code).filter(|i| items_for(&place.placement.details.requirements, place.age).contains(i)) {
        Some(item) => Ok((place, item)),
        None => Err(NotFound.into()),
    }
}

/// The participant, their advocate (a parent or carer for consent) or a coordinator completes an
/// item; returns the checklist as it now stands.
pub fn complete_item(
    store: &dyn Store,
    actor: &Actor,
    application_id: Uuid,
    code: &str,
    input: Completion,
    now: DateTime<Utc>,
) -> Result<Readiness, CompleteItemError> {
    write(store, |s| {
        let (place, item) = waiting_item(s, actor, application_id, code)?;
        let completer = item.completer();
        if !completer.allows(place.role) {
            let who = match completer {
                Completer::ParentOrCarer => "a parent or carer, through their advocate's account",
                Completer::Organisation => "the organisation's coordinators",
                Completer::Participant => "the participant or their advocate",
            };
            return Err(CompleteItemError::NotYours(format!("The item {} is completed by {who}.", item.code())));
        }
        let (state, details) = parse(item, input).map_err(Invalid)?;
        let record = ItemRecord {
            application_id,
            item,
            state,
            by_subject: actor.subject.clone(),
            by_role: place.role,
            at: now,
            details,
            override_reason: None,
        };
        store_change(s, &place, &record, now)?;
        Ok(view(s, actor, &place, now)?)
    })
}

/// A coordinator lets a participant start without an item, recording why. Never an under-16's
/// consent or emergency contact.
pub fn override_item(
    store: &dyn Store,
    actor: &Actor,
    application_id: Uuid,
    code: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Readiness, OverrideError> {
    write(store, |s| {
        let (place, item) = waiting_item(s, actor, application_id, code)?;
        if place.role != ChangedBy::Coordinator {
            return Err(OverrideError::NotCoordinator(()));
        }
        if !may_override(item, place.age) {
            return Err(OverrideError::NotAllowed(()));
        }
        let reason = reason.trim();
        if !has_visible(reason) || reason.chars().count() > 500 {
            return Err(Invalid::one("/reason", "required", "Say why, in 1 to 500 characters.").into());
        }
        // Details already given (a 16 or 17 year old's consent, say) stay with the item.
        let details =
            s.readiness_items(&[application_id])?.into_iter().find(|r| r.item == item).and_then(|r| r.details);
        let record = ItemRecord {
            application_id,
            item,
            state: ItemState::Overridden,
            by_subject: actor.subject.clone(),
            by_role: ChangedBy::Coordinator,
            at: now,
            details,
            override_reason: Some(reason.to_string()),
        };
        store_change(s, &place, &record, now)?;
        Ok(view(s, actor, &place, now)?)
    })
}

/// Stores the item with its event `application.readiness_{state}` (ids and codes only).
fn store_change(store: &dyn Store, place: &Place, record: &ItemRecord, now: DateTime<Utc>) -> Result<(), StoreError> {
    let what = match record.state {
        ItemState::Overridden => "readiness_overridden",
        ItemState::NotCleared => "readiness_not_cleared",
        _ => "readiness_completed",
    };
    let mut event = DomainEvent::edit(Entity::Application, place.app.id, place.app.version, what, record.by_role, now)
        .with("placement_id", place.placement.id);
    event.data.insert("item".to_string(), Value::String(record.item.code()));
    store.put_readiness_item(record)?;
    store.append_events(&[event])
}

/// The state and details completing `item` records, or every field wrong.
fn parse(item: Item, input: Completion) -> Result<(ItemState, Option<PersonDetails>), Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = match item {
        Item::Kind(k) => Some(k),
        Item::Custom(_) => None,
    };
    let wants_person = matches!(kind, Some(RequirementKind::EmergencyContact | RequirementKind::ParentCarerConsent));
    let wants_phone = kind == Some(RequirementKind::EmergencyContact);
    let wants_cleared = matches!(kind, Some(RequirementKind::OccupationalHealth | RequirementKind::DbsClearance));
    let mut text = |field: &str, value: &Option<String>, wanted: bool, max: usize| -> Option<String> {
        match (value, wanted) {
            (None, true) => errors.push(FieldError::new(field, "required", "This item needs it.")),
            (Some(_), false) => {
                errors.push(FieldError::new(field, "not_asked", "This item does not take it: leave it out."))
            }
            (Some(v), true) if !has_visible(v) || v.trim().chars().count() > max => {
                errors.push(FieldError::new(field, "length", format!("Give 1 to {max} characters.")))
            }
            (Some(v), true) => return Some(v.trim().to_string()),
            (None, false) => {}
        }
        None
    };
    let name = text("/name", &input.name, wants_person, 100);
    let relationship = text("/relationship", &input.relationship, wants_person, 50);
    let phone = text("/phone", &input.phone, wants_phone, 30);
    if let Some(p) = &phone
        && !valid_phone(p)
    {
        errors.push(FieldError::new("/phone", "phone", "Give a phone number of 10 to 15 digits."));
    }
    match (input.cleared, wants_cleared) {
        (None, true) => {
            errors.push(FieldError::new("/cleared", "required", "Record the check as true (cleared) or false."))
        }
        (Some(_), false) => {
            errors.push(FieldError::new("/cleared", "not_asked", "Only a clearance is recorded as yes or no."))
        }
        _ => {}
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let state = if input.cleared == Some(false) { ItemState::NotCleared } else { ItemState::Done };
    let details = match (name, relationship) {
        (Some(name), Some(relationship)) => Some(PersonDetails { name, relationship, phone }),
        _ => None,
    };
    Ok((state, details))
}
