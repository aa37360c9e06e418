//! Domain events: every change the platform makes, as ids and codes. The transition tables make
//! them; the use case stores them in the transaction that stores the change; the change feed,
//! webhooks, the notification worker and report counters read them in sequence order.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::model::application::ChangedBy;

/// What kind of object changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    Application,
    Offer,
    Placement,
}

impl Entity {
    pub fn code(self) -> &'static str {
        match self {
            Entity::Application => "application",
            Entity::Offer => "offer",
            Entity::Placement => "placement",
        }
    }

    pub fn parse(code: &str) -> Option<Entity> {
        [Entity::Application, Entity::Offer, Entity::Placement].into_iter().find(|e| e.code() == code)
    }
}

/// One change, as it is recorded. Never personal data: ids, codes and versions only (a reason
/// typed by a person stays with the application's own history, not here).
#[derive(Debug, Clone, PartialEq)]
pub struct DomainEvent {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// `{entity}.{new state}`, such as `application.withdrawn` or `placement.published`.
    pub kind: String,
    pub entity: Entity,
    pub entity_id: Uuid,
    /// The entity's version after the change.
    pub entity_version: i64,
    pub actor: ChangedBy,
    /// Ids and codes that say more: the state before, the placement an application is for.
    pub data: Map<String, Value>,
}

impl DomainEvent {
    /// A change of `entity` to the state `to` (a code), from `from` (none for a new entity).
    pub fn change(
        entity: Entity,
        entity_id: Uuid,
        entity_version: i64,
        from: Option<&'static str>,
        to: &'static str,
        actor: ChangedBy,
        at: DateTime<Utc>,
    ) -> Self {
        let mut event = Self::edit(entity, entity_id, entity_version, to, actor, at);
        event.data.insert("from".to_string(), from.map_or(Value::Null, |f| Value::String(f.to_string())));
        event.data.insert("to".to_string(), Value::String(to.to_string()));
        event
    }

    /// A change to `entity` that leaves its status as it was (new details, a review): kind
    /// `{entity}.{what}`, such as `placement.updated`.
    pub fn edit(
        entity: Entity,
        entity_id: Uuid,
        entity_version: i64,
        what: &'static str,
        actor: ChangedBy,
        at: DateTime<Utc>,
    ) -> Self {
        DomainEvent {
            id: Uuid::now_v7(),
            at,
            kind: format!("{}.{what}", entity.code()),
            entity,
            entity_id,
            entity_version,
            actor,
            data: Map::new(),
        }
    }

    /// Adds an id the event refers to, such as the placement of an application.
    pub fn with(mut self, key: &str, id: Uuid) -> Self {
        self.data.insert(key.to_string(), Value::String(id.to_string()));
        self
    }
}

/// An event as stored, with its place in the sequence.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedEvent {
    pub seq: i64,
    pub event: DomainEvent,
}
