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
    Organisation,
    Site,
    Department,
    Membership,
    PlatformRole,
    Profile,
    AdvocateLink,
    SupportingInformation,
    /// A profile's equality monitoring answers, identified by the profile's id.
    EqualityAnswers,
    /// A completion certificate, identified by the application it completes: its public code is
    /// what lets anyone read it, so it stays out of the event log.
    Certificate,
    /// A message to someone: its delivery moves on as the worker sends it and receipts arrive.
    /// Events say only its id and status, never its recipient or words.
    Message,
    /// An organisation's webhook endpoint (never its URL or secret in an event).
    Webhook,
    /// One event's delivery to one webhook endpoint.
    WebhookDelivery,
    /// An organisation's API client (never its keys in an event).
    ApiClient,
    /// A batch of sandbox test data (sandbox mode only).
    TestData,
    /// One run of the retention policy, identified by an id of its own: each batch it stores is
    /// an event carrying counts only (`retention.purged`).
    Retention,
    /// The three-way agreement of an accepted T-level place, identified by its application.
    TLevelAgreement,
    /// One day's T-level hours, identified by its own id (kept through corrections).
    TLevelHours,
    /// A T-level review, identified by its own id.
    TLevelReview,
}

impl Entity {
    pub const ALL: &'static [Entity] = &[
        Entity::Application,
        Entity::Offer,
        Entity::Placement,
        Entity::Organisation,
        Entity::Site,
        Entity::Department,
        Entity::Membership,
        Entity::PlatformRole,
        Entity::Profile,
        Entity::AdvocateLink,
        Entity::SupportingInformation,
        Entity::EqualityAnswers,
        Entity::Certificate,
        Entity::Message,
        Entity::Webhook,
        Entity::WebhookDelivery,
        Entity::ApiClient,
        Entity::TestData,
        Entity::Retention,
        Entity::TLevelAgreement,
        Entity::TLevelHours,
        Entity::TLevelReview,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Entity::Application => "application",
            Entity::Offer => "offer",
            Entity::Placement => "placement",
            Entity::Organisation => "organisation",
            Entity::Site => "site",
            Entity::Department => "department",
            Entity::Membership => "membership",
            Entity::PlatformRole => "platform_role",
            Entity::Profile => "profile",
            Entity::AdvocateLink => "advocate_link",
            Entity::SupportingInformation => "supporting_information",
            Entity::EqualityAnswers => "equality_answers",
            Entity::Certificate => "certificate",
            Entity::Message => "message",
            Entity::Webhook => "webhook",
            Entity::WebhookDelivery => "webhook_delivery",
            Entity::ApiClient => "api_client",
            Entity::TestData => "test_data",
            Entity::Retention => "retention",
            Entity::TLevelAgreement => "t_level_agreement",
            Entity::TLevelHours => "t_level_hours",
            Entity::TLevelReview => "t_level_review",
        }
    }

    pub fn parse(code: &str) -> Option<Entity> {
        Entity::ALL.iter().copied().find(|e| e.code() == code)
    }
}

/// Who made a change, as the event log records it: the kinds an application's history knows
/// ([`ChangedBy`]) and the platform's administrators, who grant roles and keep organisations.
/// Kept apart from `ChangedBy` because that one is on the wire and no application is ever
/// changed by an administrator as such.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventActor {
    Applicant,
    Advocate,
    Coordinator,
    Host,
    Admin,
    Platform,
    /// A provider coordinator of an education provider (a college).
    Provider,
}

impl EventActor {
    pub const ALL: &'static [EventActor] = &[
        EventActor::Applicant,
        EventActor::Advocate,
        EventActor::Coordinator,
        EventActor::Host,
        EventActor::Admin,
        EventActor::Platform,
        EventActor::Provider,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EventActor::Applicant => "applicant",
            EventActor::Advocate => "advocate",
            EventActor::Coordinator => "coordinator",
            EventActor::Host => "host",
            EventActor::Admin => "admin",
            EventActor::Platform => "platform",
            EventActor::Provider => "provider",
        }
    }

    pub fn parse(code: &str) -> Option<EventActor> {
        EventActor::ALL.iter().copied().find(|a| a.code() == code)
    }
}

impl EventActor {
    /// How `actor` acts on an organisation's own settings (its team address, its webhooks, its
    /// API clients): as its coordinator, as a platform admin, or not at all. An API client never
    /// does, whatever its scopes: a leaked client key must not be able to redirect webhooks or
    /// mint itself more access.
    pub fn keeping(actor: &crate::model::auth::Actor, organisation_id: Uuid) -> Option<EventActor> {
        if actor.is_client() {
            None
        } else if actor.coordinates(organisation_id) {
            Some(EventActor::Coordinator)
        } else if actor.is_admin() {
            Some(EventActor::Admin)
        } else {
            None
        }
    }
}

impl From<ChangedBy> for EventActor {
    fn from(by: ChangedBy) -> Self {
        match by {
            ChangedBy::Applicant => EventActor::Applicant,
            ChangedBy::Advocate => EventActor::Advocate,
            ChangedBy::Coordinator => EventActor::Coordinator,
            ChangedBy::Host => EventActor::Host,
            ChangedBy::Platform => EventActor::Platform,
            ChangedBy::Provider => EventActor::Provider,
        }
    }
}

// So that what the transition tables record compares with the `ChangedBy` they were given.
impl PartialEq<ChangedBy> for EventActor {
    fn eq(&self, other: &ChangedBy) -> bool {
        *self == EventActor::from(*other)
    }
}

/// The version every entity starts at.
pub const FIRST_VERSION: i64 = 1;

/// The version an entity has after one more change. Every change moves the version through here,
/// status changes (the transition tables) and edits ([`DomainEvent::edited`]) alike, so an
/// entity's events name its versions in order.
pub const fn next_version(current: i64) -> i64 {
    current + 1
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
    pub actor: EventActor,
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
        actor: impl Into<EventActor>,
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
        actor: impl Into<EventActor>,
        at: DateTime<Utc>,
    ) -> Self {
        DomainEvent {
            id: Uuid::now_v7(),
            at,
            kind: format!("{}.{what}", entity.code()),
            entity,
            entity_id,
            entity_version,
            actor: actor.into(),
            data: Map::new(),
        }
    }

    /// A change to an entity now at `current_version` that is not a status change (new details,
    /// a link accepted): returns the version the change leaves, for the caller to store, with its
    /// event `{entity}.{what}`. Every edit takes its new version from here.
    pub fn edited(
        entity: Entity,
        entity_id: Uuid,
        current_version: i64,
        what: &'static str,
        actor: impl Into<EventActor>,
        at: DateTime<Utc>,
    ) -> (i64, Self) {
        let version = next_version(current_version);
        (version, Self::edit(entity, entity_id, version, what, actor, at))
    }

    /// A new entity: its first version, with its event `{entity}.{what}` (`created`, `granted`).
    pub fn created(
        entity: Entity,
        entity_id: Uuid,
        what: &'static str,
        actor: impl Into<EventActor>,
        at: DateTime<Utc>,
    ) -> (i64, Self) {
        (FIRST_VERSION, Self::edit(entity, entity_id, FIRST_VERSION, what, actor, at))
    }

    /// Adds an id the event refers to, such as the placement of an application.
    pub fn with(mut self, key: &str, id: Uuid) -> Self {
        self.data.insert(key.to_string(), Value::String(id.to_string()));
        self
    }

    /// Adds a code the event refers to, such as the role a membership grants. Only the domain's
    /// own codes go here (a `&'static str`), never text a person typed.
    pub fn with_code(mut self, key: &str, code: &'static str) -> Self {
        self.data.insert(key.to_string(), Value::String(code.to_string()));
        self
    }
}

impl DomainEvent {
    /// The placement the event concerns: itself, or the one its application or offer is for.
    pub fn placement_id(&self) -> Option<Uuid> {
        match self.entity {
            Entity::Placement => Some(self.entity_id),
            _ => self.id_in_data("placement_id"),
        }
    }

    /// The application the event concerns: itself, or the one its offer was made on.
    pub fn application_id(&self) -> Option<Uuid> {
        match self.entity {
            Entity::Application => Some(self.entity_id),
            _ => self.id_in_data("application_id"),
        }
    }

    fn id_in_data(&self, key: &str) -> Option<Uuid> {
        self.data.get(key).and_then(Value::as_str).and_then(|s| Uuid::parse_str(s).ok())
    }
}

/// An event as stored, with its place in the sequence.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedEvent {
    pub seq: i64,
    pub event: DomainEvent,
    /// The API client that made the change and who it acted for, if a client made it.
    pub attribution: Option<crate::model::api_client::Attribution>,
}
