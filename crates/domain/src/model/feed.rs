//! The change feed: the events integrators may follow, under public names, each with the ids it
//! concerns and nothing else. Thin on purpose: a reader fetches the resource with its own rights.
//! Name-blind: no event names a profile, so an organisation cannot link one person's
//! applications before the draw.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::model::event::{Entity, RecordedEvent};
use crate::model::reference::code_enum;
use std::fmt;

code_enum! {
    /// The kinds of event the change feed and webhooks carry.
    EventType {
        PlacementPublished => ("placement.published", "Placement published", "A placement was published: it is listed, and takes applications from its opening time."),
        PlacementCancelled => ("placement.cancelled", "Placement cancelled", "The organisation cancelled a placement; its applications and places ended."),
        DrawCompleted => ("draw.completed", "Draw completed", "A placement was drawn: offers and the waiting list follow as their own events."),
        ApplicationSubmitted => ("application.submitted", "Application submitted", "An application was made."),
        ApplicationWithdrawn => ("application.withdrawn", "Application withdrawn", "An application was withdrawn by the applicant or their advocate, or ended because the applicant's account was erased."),
        ApplicationCancelled => ("application.cancelled", "Application cancelled", "An application or place ended because its placement was cancelled."),
        OfferMade => ("offer.made", "Offer made", "The draw or the waiting list offered a place."),
        OfferAccepted => ("offer.accepted", "Offer accepted", "An offer was accepted: the place is taken."),
        OfferDeclined => ("offer.declined", "Offer declined", "An offer was declined; the place passes down the waiting list."),
        OfferExpired => ("offer.expired", "Offer expired", "An offer was not answered in time; the place passes down the waiting list."),
        ParticipantAttended => ("participant.attended", "Participant attended", "Attendance was recorded for someone holding a place."),
        ParticipantCompleted => ("participant.completed", "Participant completed", "A participant completed their placement; a certificate was issued."),
        ApplicantErased => ("applicant.erased", "Applicant erased", "An applicant's personal data was erased: one event for each of their applications, naming only it and its placement. Delete or anonymise what you copied about the applicant."),
    }
}

impl EventType {
    /// The event log's own kind for this type (`None` for a type nothing emits yet).
    pub fn kind(self) -> Option<&'static str> {
        use EventType as T;
        Some(match self {
            T::PlacementPublished => "placement.published",
            T::PlacementCancelled => "placement.cancelled",
            T::DrawCompleted => "placement.allocated",
            T::ApplicationSubmitted => "application.submitted",
            T::ApplicationWithdrawn => "application.withdrawn",
            T::ApplicationCancelled => "application.cancelled",
            T::OfferMade => "offer.open",
            T::OfferAccepted => "offer.accepted",
            T::OfferDeclined => "offer.declined",
            T::OfferExpired => "offer.expired",
            T::ParticipantAttended => "application.attended",
            T::ParticipantCompleted => "application.completed",
            T::ApplicantErased => "application.erased",
        })
    }

    /// The event log kinds of these types (of every type when none is named).
    pub fn kinds(types: &[EventType]) -> Vec<&'static str> {
        let types = if types.is_empty() { EventType::ALL } else { types };
        types.iter().filter_map(|t| t.kind()).collect()
    }

    /// The public type of an event log kind, if the feed carries it.
    pub fn of_kind(kind: &str) -> Option<EventType> {
        EventType::ALL.iter().copied().find(|t| t.kind() == Some(kind))
    }
}

/// A place in the feed: the writing transaction, then the sequence. Ordering by the transaction
/// first is what lets a reader never miss an event whose transaction took its number early and
/// committed late (see docs/integrators.md); on SQLite, with one writer, `txid` is 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FeedPosition {
    pub txid: i64,
    pub seq: i64,
}

impl FeedPosition {
    pub const START: FeedPosition = FeedPosition { txid: 0, seq: 0 };
}

/// Whose events a reader sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedScope {
    /// Platform admins: every event.
    All,
    /// Coordinators: the events of placements of these organisations and of their applications and offers.
    Organisations(Vec<Uuid>),
    /// An applicant: the events of their own applications and offers.
    Applicant(Uuid),
}

/// What a reader asks the store for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedQuery {
    pub after: FeedPosition,
    pub limit: u32,
    /// Event log kinds (never empty).
    pub kinds: Vec<&'static str>,
    pub scope: FeedScope,
}

/// One event as the feed shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedItem {
    pub id: Uuid,
    pub position: FeedPosition,
    pub event_type: EventType,
    pub occurred_at: DateTime<Utc>,
    pub placement_id: Option<Uuid>,
    pub application_id: Option<Uuid>,
    pub offer_id: Option<Uuid>,
}

impl FeedItem {
    /// The feed's view of a logged event, if the feed carries its kind.
    pub fn of(position: FeedPosition, recorded: &RecordedEvent) -> Option<FeedItem> {
        let event = &recorded.event;
        Some(FeedItem {
            id: event.id,
            position,
            event_type: EventType::of_kind(&event.kind)?,
            occurred_at: event.at,
            placement_id: event.placement_id(),
            application_id: event.application_id(),
            offer_id: (event.entity == Entity::Offer).then_some(event.entity_id),
        })
    }
}

impl FeedItem {
    /// Where a reader reads what the event changed: an applicant their application (with its
    /// offer); an organisation the placement's name-blind applications, its participants, its
    /// draw, or the placement itself.
    pub fn link(&self, own_applications: bool) -> String {
        use EventType as T;
        match (self.application_id, self.placement_id) {
            (Some(application), _) if own_applications => format!("/v1/applications/{application}"),
            (_, Some(p)) => match self.event_type {
                T::DrawCompleted => format!("/v1/placements/{p}/draw"),
                T::OfferAccepted | T::ParticipantAttended | T::ParticipantCompleted => {
                    format!("/v1/placements/{p}/participants")
                }
                _ if self.application_id.is_some() => format!("/v1/placements/{p}/applications"),
                _ => format!("/v1/placements/{p}"),
            },
            _ => "/v1/me".to_string(),
        }
    }
}

/// A page of the feed and where to go on from: the last item's position, or where the reader
/// started when nothing new was there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedPage {
    pub items: Vec<FeedItem>,
    pub next: FeedPosition,
    /// Whether the reader follows their own applications (so links lead to them) rather than
    /// organisations' (links lead to the placement's name-blind lists).
    pub own_applications: bool,
}
