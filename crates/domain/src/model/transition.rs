//! The transition tables of applications, offers and placements: which status may follow which,
//! and who may make each change. `transition` is the one way a status changes: it checks the table,
//! moves the version on by one and returns the domain event that records the change (and, for an
//! application, the entry of its own history). Use cases decide everything else (deadlines,
//! dates, what is told to whom); the tables decide legality.

use chrono::{DateTime, Utc};

use crate::codes::{self, Code};
use crate::error::DomainError;
use crate::model::application::{Application, ApplicationEvent, ApplicationStatus, ChangedBy};
use crate::model::event::{DomainEvent, Entity, next_version};
use crate::model::lottery::DrawSeed;
use crate::model::offer::{Offer, OfferStatus};
use crate::model::placement::Placement;
use crate::model::reference::PlacementStatus;
use crate::use_case_error::UseCaseError;

use ChangedBy::{Advocate, Applicant, Coordinator, Host, Platform, Provider};

/// A change the tables do not allow: a defect in the caller, or a request that raced another
/// change. Use cases that can be asked for it say why in their own words (see each use case);
/// anywhere else it is a 409.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Illegal {
    pub entity: Entity,
    pub from: &'static str,
    pub to: &'static str,
    pub by: ChangedBy,
}

impl std::fmt::Display for Illegal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} cannot become {} by {}.", self.entity.code(), self.from, self.to, self.by.code())
    }
}

impl From<Illegal> for DomainError {
    fn from(e: Illegal) -> Self {
        DomainError::rule(&codes::INVALID_TRANSITION, e.to_string())
    }
}

/// Reached by a path with no code of its own, an illegal change is `invalid_transition`. Declared
/// here rather than beside the other failures so that `use_case_error` need not know the tables.
impl UseCaseError for Illegal {
    fn codes() -> Vec<&'static Code> {
        vec![&codes::INVALID_TRANSITION]
    }
    fn code(&self) -> &'static Code {
        &codes::INVALID_TRANSITION
    }
    fn message(&self) -> Option<String> {
        Some(self.to_string())
    }
}

const APPLICANT_SIDE: &[ChangedBy] = &[Applicant, Advocate];
const ON_SITE: &[ChangedBy] = &[Host, Coordinator];

impl ApplicationStatus {
    /// Who may move an application from `self` to `to`: no one when the change is not allowed.
    pub fn movers(self, to: ApplicationStatus) -> &'static [ChangedBy] {
        use ApplicationStatus as S;
        match (self, to) {
            // Before an outcome the applicant may step back.
            (S::Submitted, S::Withdrawn) => &[Applicant, Advocate, Platform, Provider],
            (S::Waitlisted, S::Withdrawn) => &[Applicant, Advocate, Platform],
            // A college's proposal for a placement arranged by agreement (the use cases admit no
            // other): the organisation accepts it (a place offered and accepted at once) or
            // declines it with a reason.
            (S::Submitted, S::Accepted | S::NotSelected) => &[Coordinator],
            // The draw, the waiting list and the deadlines belong to the platform.
            (S::Submitted, S::Offered | S::Waitlisted | S::NotEntered) => &[Platform],
            (S::Waitlisted, S::Offered | S::NotSelected) => &[Platform],
            (S::Offered, S::Expired) => &[Platform],
            (S::Offered, S::Accepted | S::Declined) => APPLICANT_SIDE,
            // Cancelling a placement ends everything still in play on it.
            (S::Submitted | S::Waitlisted | S::Offered | S::Accepted, S::Cancelled) => &[Coordinator],
            // Erasing an account ends everything still in play as a withdrawal (the use case
            // keeps an accepted place whose placement has started).
            (S::Offered | S::Accepted, S::Withdrawn) => &[Platform],
            // Attendance is recorded, and can be corrected, until the placement is completed.
            (S::Accepted | S::Attended | S::DidNotAttend, S::Attended | S::DidNotAttend) => ON_SITE,
            (S::Attended, S::Completed) => ON_SITE,
            _ => &[],
        }
    }
}

/// A change of an application, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ApplicationChange {
    pub application: Application,
    /// The entry in the application's own history, which may carry the reason a person gave.
    pub history: ApplicationEvent,
    pub event: DomainEvent,
}

impl Application {
    /// The application moved to `to` by `by` (subject and kind), if the table allows it.
    pub fn transition(
        &self,
        to: ApplicationStatus,
        by: (&str, ChangedBy),
        reason: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<ApplicationChange, Illegal> {
        if !self.status.movers(to).contains(&by.1) {
            return Err(Illegal { entity: Entity::Application, from: self.status.code(), to: to.code(), by: by.1 });
        }
        let application =
            Application { status: to, version: next_version(self.version), updated_at: now, ..self.clone() };
        let history = ApplicationEvent::new(&application, Some(self.status), by, reason, now);
        let event = DomainEvent::change(
            Entity::Application,
            self.id,
            application.version,
            Some(self.status.code()),
            to.code(),
            by.1,
            now,
        )
        .with("placement_id", self.placement_id);
        Ok(ApplicationChange { application, history, event })
    }

    /// The event recording a new application.
    pub fn submitted_event(&self, by: ChangedBy) -> DomainEvent {
        DomainEvent::change(Entity::Application, self.id, self.version, None, self.status.code(), by, self.created_at)
            .with("placement_id", self.placement_id)
    }
}

impl OfferStatus {
    /// Who may move an offer from `self` to `to`: no one when the change is not allowed.
    pub fn movers(self, to: OfferStatus) -> &'static [ChangedBy] {
        use OfferStatus as S;
        match (self, to) {
            (S::Open, S::Accepted) => APPLICANT_SIDE,
            // The platform gives a place up when the applicant's account is erased.
            (S::Open, S::Declined) => &[Applicant, Advocate, Platform],
            (S::Accepted, S::Declined) => &[Platform],
            (S::Open, S::Expired) => &[Platform],
            (S::Open | S::Accepted, S::Cancelled) => &[Coordinator],
            _ => &[],
        }
    }
}

impl Offer {
    /// The offer answered or ended (`to`) by `by`, if the table allows it.
    pub fn transition(
        &self,
        to: OfferStatus,
        by: ChangedBy,
        now: DateTime<Utc>,
    ) -> Result<(Offer, DomainEvent), Illegal> {
        if !self.status.movers(to).contains(&by) {
            return Err(Illegal { entity: Entity::Offer, from: self.status.code(), to: to.code(), by });
        }
        let offer = Offer { status: to, responded_at: Some(now), version: next_version(self.version), ..self.clone() };
        let event =
            DomainEvent::change(Entity::Offer, self.id, offer.version, Some(self.status.code()), to.code(), by, now)
                .with("application_id", self.application_id)
                .with("placement_id", self.placement_id);
        Ok((offer, event))
    }

    /// The event recording a new offer.
    pub fn made_event(&self) -> DomainEvent {
        DomainEvent::change(Entity::Offer, self.id, self.version, None, self.status.code(), Platform, self.created_at)
            .with("application_id", self.application_id)
            .with("placement_id", self.placement_id)
    }
}

impl PlacementStatus {
    /// Who may move a placement's stored status from `self` to `to` (`completed` is never stored:
    /// a placement is completed when its last day has passed, see `Placement::status_at`).
    pub fn movers(self, to: PlacementStatus) -> &'static [ChangedBy] {
        use PlacementStatus as S;
        match (self, to) {
            (S::Draft, S::Published) => &[Coordinator],
            (S::Published, S::Closed) => &[Coordinator],
            // Drawn means allocated: offers and the waiting list exist from then on.
            (S::Published | S::Closed, S::Allocated) => &[Platform],
            (S::Draft | S::Published | S::Closed | S::Allocated, S::Cancelled) => &[Coordinator],
            _ => &[],
        }
    }
}

impl Placement {
    /// The placement moved to `to` by `by`, if the table allows it. The caller sets what else the
    /// change records (the seed's commitment when publishing, the reason when cancelling).
    pub fn transition(
        &self,
        to: PlacementStatus,
        by: ChangedBy,
        now: DateTime<Utc>,
    ) -> Result<(Placement, DomainEvent), Illegal> {
        if !self.status.movers(to).contains(&by) {
            return Err(Illegal { entity: Entity::Placement, from: self.status.code(), to: to.code(), by });
        }
        let placement = Placement { status: to, version: next_version(self.version), updated_at: now, ..self.clone() };
        let event = DomainEvent::change(
            Entity::Placement,
            self.id,
            placement.version,
            Some(self.status.code()),
            to.code(),
            by,
            now,
        )
        .with("organisation_id", self.organisation_id);
        Ok((placement, event))
    }

    /// This draft as published by a coordinator: committed to `seed`, one version on, with the
    /// event that records it.
    pub fn published(&self, seed: &DrawSeed, now: DateTime<Utc>) -> Result<(Placement, DomainEvent), Illegal> {
        let (placement, event) = self.transition(PlacementStatus::Published, Coordinator, now)?;
        Ok((Placement { draw_commitment: Some(seed.commitment()), published_at: Some(now), ..placement }, event))
    }
}

#[cfg(test)]
mod tests;
