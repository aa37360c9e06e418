//! The placement's organisation decides on the proposals colleges made for its T level placement:
//! it sees who is proposed (name, course, college, the college's note; every view audited) and
//! accepts (the place is offered and accepted at once, so it counts against capacity exactly as an
//! accepted offer does) or declines with a reason.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::codes;
use crate::error::StoreError;
use crate::messages::Advocates;
use crate::model::advocacy::SupportingInformation;
use crate::model::allocation::Allocation;
use crate::model::application::{Application, ApplicationStatus, ChangedBy};
use crate::model::audit::{ActingAs, AuditAction, AuditEntry, AuditRole};
use crate::model::auth::Actor;
use crate::model::event::{DomainEvent, Entity, FIRST_VERSION};
use crate::model::offer::{Offer, OfferStatus};
use crate::model::organisation::Organisation;
use crate::model::page::{Page, PageRequest};
use crate::model::placement::Placement;
use crate::model::profile::Profile;
use crate::model::provider::Student;
use crate::model::reference::SelectionMethod;
use crate::model::validation::has_visible;
use crate::ports::Store;
use crate::unit_of_work::write;
use crate::use_case_error::{Invalid, NotFound};

/// The longest reason for declining a proposal.
pub const MAX_REASON_LEN: usize = 500;

/// A proposal with what the organisation needs to decide on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub application: Application,
    pub student: Student,
    pub profile: Profile,
    pub provider: Organisation,
    /// The college's notes, oldest first.
    pub notes: Vec<SupportingInformation>,
}

crate::use_case_error! {
    /// Why the proposals for a placement could not be listed.
    pub enum PlacementProposalsError {
        /// No such placement of an organisation the caller coordinates.
        NotFound(NotFound),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why a proposal could not be accepted.
    pub enum AcceptProposalError {
        /// Every place is taken (accepted proposals and open or accepted offers).
        NoPlacesLeft(()) = codes::NO_PLACES_LEFT,
        /// Decided already, or withdrawn by the college.
        NotPending(String) = codes::PROPOSAL_NOT_PENDING,
        /// No such proposal on a placement of an organisation the caller coordinates.
        NotFound(NotFound),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why a proposal could not be declined.
    pub enum DeclineProposalError {
        /// Decided already, or withdrawn by the college.
        NotPending(String) = codes::PROPOSAL_NOT_PENDING,
        /// The reason is missing or too long.
        Invalid(Invalid),
        /// No such proposal on a placement of an organisation the caller coordinates.
        NotFound(NotFound),
        Store(StoreError),
    }
}

/// The placement, if the caller coordinates its organisation and it is arranged by agreement.
fn agreement_placement(store: &dyn Store, actor: &Actor, placement_id: Uuid) -> Result<Placement, StoreErrorOr404> {
    let placement = store.placement(placement_id)?;
    if !actor.coordinates(placement.organisation_id)
        || placement.details.selection_method != SelectionMethod::ByAgreement
    {
        return Err(StoreErrorOr404::NotFound);
    }
    Ok(placement)
}

/// The failures every decision shares before it decides anything.
enum StoreErrorOr404 {
    NotFound,
    Store(StoreError),
}

impl From<StoreError> for StoreErrorOr404 {
    fn from(e: StoreError) -> Self {
        StoreErrorOr404::Store(e)
    }
}

macro_rules! from_shared {
    ($($error:ident),*) => {$(
        impl From<StoreErrorOr404> for $error {
            fn from(e: StoreErrorOr404) -> Self {
                match e {
                    StoreErrorOr404::NotFound => NotFound.into(),
                    StoreErrorOr404::Store(s) => s.into(),
                }
            }
        }
    )*};
}
from_shared!(PlacementProposalsError, AcceptProposalError, DeclineProposalError);

/// A proposal on the placement: an application of one of a provider's students.
fn proposal_on(store: &dyn Store, placement: &Placement, application_id: Uuid) -> Result<Application, StoreErrorOr404> {
    let app = match store.application(application_id) {
        Err(StoreError::NotFound) => return Err(StoreErrorOr404::NotFound),
        other => other?,
    };
    if app.placement_id != placement.id || store.students_by_profile_ids(&[app.profile_id])?.is_empty() {
        return Err(StoreErrorOr404::NotFound);
    }
    Ok(app)
}

fn decided(app: &Application) -> String {
    format!("This proposal is {}: only one waiting for a decision can be accepted or declined.", app.status)
}

/// A page of the proposals for a placement, each with the student's name, course and college, and
/// each shown entry audited as a view of the student's identity.
pub fn placement_proposals(
    store: &dyn Store,
    actor: &Actor,
    placement_id: Uuid,
    page: &PageRequest<Uuid>,
    now: DateTime<Utc>,
) -> Result<Page<Proposal, Uuid>, PlacementProposalsError> {
    let placement = agreement_placement(store, actor, placement_id)?;
    let found = store.applications_for_placement(placement_id, page)?;
    let ids: Vec<Uuid> = found.items.iter().map(|a| a.profile_id).collect();
    let students = store.students_by_profile_ids(&ids)?;
    let profiles = store.profiles_by_ids(&ids)?;
    let mut providers: Vec<Organisation> = Vec::new();
    let mut items = Vec::new();
    for app in found.items {
        let student = students.iter().find(|s| s.profile_id == app.profile_id);
        let profile = profiles.iter().find(|p| p.id == app.profile_id);
        let (Some(student), Some(profile)) = (student, profile) else { continue };
        let provider = match providers.iter().find(|o| o.id == student.organisation_id) {
            Some(found) => found.clone(),
            None => {
                let org = store.organisation(student.organisation_id)?;
                providers.push(org.clone());
                org
            }
        };
        let notes = store.supporting_information_of(app.id)?;
        items.push(Proposal { application: app, student: student.clone(), profile: profile.clone(), provider, notes });
    }
    let acting = ActingAs::of(actor, AuditRole::Coordinator, Some(placement.organisation_id));
    let audit: Vec<AuditEntry> = items
        .iter()
        .map(|p| {
            AuditEntry::new(actor, acting, AuditAction::ProposalShown, "application", p.application.id, now)
                .about(p.profile.id)
        })
        .collect();
    if !audit.is_empty() {
        store.record_audit(&audit)?;
    }
    Ok(Page { items, next: found.next })
}

/// The organisation accepts a proposal: the student is offered the place and it is accepted at
/// once. Decided under a lock on the placement, as offers are, so that concurrent acceptances never
/// give more places than the placement has.
pub fn accept_proposal(
    store: &dyn Store,
    actor: &Actor,
    placement_id: Uuid,
    application_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Application, AcceptProposalError> {
    let placement = agreement_placement(store, actor, placement_id)?;
    proposal_on(store, &placement, application_id)?;
    let capacity = u32::try_from(placement.details.capacity).unwrap_or(0);
    write(store, |tx| -> Result<_, AcceptProposalError> {
        tx.lock_placement(placement_id)?;
        // Read again under the lock: another decision or a withdrawal may have come first.
        let app = tx.application(application_id)?;
        if app.status != ApplicationStatus::Submitted {
            return Err(AcceptProposalError::NotPending(decided(&app)));
        }
        if tx.places_taken(placement_id)? >= capacity {
            return Err(AcceptProposalError::NoPlacesLeft(()));
        }
        let mut change = app
            .transition(ApplicationStatus::Accepted, (&actor.subject, ChangedBy::Coordinator), None, now)
            .map_err(|_| AcceptProposalError::NotPending(decided(&app)))?;
        change.application.outcome_at = Some(now);
        let offer = Offer {
            id: Uuid::now_v7(),
            application_id: app.id,
            placement_id,
            status: OfferStatus::Accepted,
            respond_by: now,
            created_at: now,
            responded_at: Some(now),
            version: FIRST_VERSION,
        };
        let offered = DomainEvent::change(
            Entity::Offer,
            offer.id,
            offer.version,
            None,
            OfferStatus::Accepted.code(),
            ChangedBy::Coordinator,
            now,
        )
        .with("application_id", app.id)
        .with("placement_id", placement_id);
        let mut allocation = Allocation::default();
        let accepted = change.application.clone();
        let profile = tx.profile(app.profile_id)?;
        let advocates = Advocates::from_pairs(tx.advocate_addresses(&[profile.id])?);
        allocation.notifications =
            crate::messages::proposals::accepted(&accepted, advocates.audience(&profile), &placement, now);
        allocation.moves(change, app.version);
        allocation.offers.push(offer);
        allocation.recorded.push(offered);
        match tx.store_allocation(&allocation) {
            Err(StoreError::VersionConflict) => return Err(AcceptProposalError::NotPending(decided(&app))),
            other => other?,
        }
        tx.append_events(&allocation.recorded)?;
        Ok(accepted)
    })
}

fn checked_reason(reason: &str) -> Result<String, Invalid> {
    let reason = reason.trim();
    if has_visible(reason) && reason.chars().count() <= MAX_REASON_LEN {
        Ok(reason.to_string())
    } else {
        Err(Invalid::one(
            "/reason",
            "invalid_reason",
            "Say why the proposal is declined, in 1 to 500 characters: the college sees it.",
        ))
    }
}

/// The organisation declines a proposal, with a reason the college sees.
pub fn decline_proposal(
    store: &dyn Store,
    actor: &Actor,
    placement_id: Uuid,
    application_id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Application, DeclineProposalError> {
    let placement = agreement_placement(store, actor, placement_id)?;
    let app = proposal_on(store, &placement, application_id)?;
    let reason = checked_reason(reason)?;
    if app.status != ApplicationStatus::Submitted {
        return Err(DeclineProposalError::NotPending(decided(&app)));
    }
    let mut change = app
        .transition(ApplicationStatus::NotSelected, (&actor.subject, ChangedBy::Coordinator), Some(reason), now)
        .map_err(|_| DeclineProposalError::NotPending(decided(&app)))?;
    change.application.outcome_at = Some(now);
    write(store, |tx| -> Result<_, DeclineProposalError> {
        let profile = tx.profile(app.profile_id)?;
        let advocates = Advocates::from_pairs(tx.advocate_addresses(&[profile.id])?);
        let told = crate::messages::proposals::declined(&app, advocates.audience(&profile), &placement, now);
        match tx.transition_application(&change.application, app.version, &change.history, &told) {
            Err(StoreError::VersionConflict) => return Err(DeclineProposalError::NotPending(decided(&app))),
            other => other?,
        }
        Ok(tx.append_events(std::slice::from_ref(&change.event))?)
    })?;
    Ok(change.application)
}
