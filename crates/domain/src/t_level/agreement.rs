//! The three-way agreement: recorded by the employer's coordinator, confirmed by each party;
//! changing its terms clears the confirmations.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::access::{HiddenPlaceError, Parts, Place, visible_place};
use crate::codes;
use crate::error::{NotFound, StoreError};
use crate::model::auth::{Actor, MembershipRole};
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::model::t_level::{Agreement, Confirmations, MAX_EMPLOYERS, Party, Terms};
use crate::ports::Store;
use crate::unit_of_work::{read, write};
use crate::use_case_error::Invalid;

crate::use_case_error! {
    /// Why an agreement could not be recorded.
    pub enum RecordAgreementError {
        /// A party other than the employer's coordinator.
        NotCoordinator(()) = codes::COORDINATOR_ROLE_REQUIRED,
        /// The student has two agreements (employers) already.
        EmployerLimit(()) = codes::T_LEVEL_EMPLOYER_LIMIT,
        Completed(()) = codes::PLACE_COMPLETED,
        /// Replacing terms without `If-Match`.
        Unversioned(()) = codes::PRECONDITION_REQUIRED,
        Stale(()) = codes::VERSION_MISMATCH,
        Hidden(HiddenPlaceError),
        Invalid(Invalid),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why a party could not confirm the agreement.
    pub enum ConfirmError {
        NotAParty(()) = codes::NOT_A_PARTY,
        Completed(()) = codes::PLACE_COMPLETED,
        Stale(()) = codes::VERSION_MISMATCH,
        Hidden(HiddenPlaceError),
        Store(StoreError),
    }
}

fn agreement_event(agreement: &Agreement, what: &'static str, actor: EventActor, now: DateTime<Utc>) -> DomainEvent {
    DomainEvent::edit(Entity::TLevelAgreement, agreement.application_id, agreement.version, what, actor, now)
        .with("application_id", agreement.application_id)
        .with("placement_id", agreement.placement_id)
}

/// The employer's coordinator records the terms of a place's agreement, or replaces them (naming
/// the version read); a change clears every confirmation. The supervisor must be a host of the
/// organisation, and is named a host of the placement if not already.
pub fn record_agreement(
    store: &dyn Store,
    actor: &Actor,
    application_id: Uuid,
    terms: Terms,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Agreement, RecordAgreementError> {
    write(store, |tx| {
        let (place, parts) = visible_place(tx, actor, application_id)?;
        if !parts.employer {
            return Err(RecordAgreementError::NotCoordinator(()));
        }
        if place.completed() {
            return Err(RecordAgreementError::Completed(()));
        }
        let terms = Terms { supervisor: terms.supervisor.trim().to_string(), ..terms };
        let organisation_id = place.placement.organisation_id;
        terms.check(place.placement.details.start_date, place.placement.details.end_date)?;
        if !tx.grants_of(&terms.supervisor)?.memberships.contains(&(organisation_id, MembershipRole::Host)) {
            return Err(Invalid::one(
                "/supervisor",
                "not_a_host",
                "The supervisor must be a host of the organisation: an administrator grants the host role first.",
            )
            .into());
        }
        let mut events = Vec::new();
        let agreement = match place.agreement.clone() {
            None => {
                if expected_version.is_some() {
                    return Err(RecordAgreementError::Stale(()));
                }
                // One agreement at a time per student, so that two employers recording at once
                // cannot both pass the limit.
                tx.lock_applicant(place.profile.id)?;
                let others = tx.t_level_agreements_of_profile(place.profile.id)?;
                if others.iter().filter(|a| a.application_id != application_id).count() >= MAX_EMPLOYERS {
                    return Err(RecordAgreementError::EmployerLimit(()));
                }
                let (version, _) = DomainEvent::created(
                    Entity::TLevelAgreement,
                    application_id,
                    "recorded",
                    EventActor::Coordinator,
                    now,
                );
                let agreement = Agreement {
                    application_id,
                    placement_id: place.placement.id,
                    profile_id: place.profile.id,
                    terms,
                    confirmations: Confirmations::default(),
                    version,
                    created_at: now,
                    updated_at: now,
                };
                tx.insert_t_level_agreement(&agreement).map_err(|e| match e {
                    // Recorded by someone else meanwhile: read again.
                    StoreError::Duplicate => RecordAgreementError::Stale(()),
                    other => other.into(),
                })?;
                events.push(agreement_event(&agreement, "recorded", EventActor::Coordinator, now));
                agreement
            }
            Some(current) => {
                let expected = expected_version.ok_or(RecordAgreementError::Unversioned(()))?;
                if expected != current.version {
                    return Err(RecordAgreementError::Stale(()));
                }
                if current.terms == terms {
                    // The same terms again: nothing changes, and the confirmations stand.
                    return Ok(current);
                }
                let (version, _) = DomainEvent::edited(
                    Entity::TLevelAgreement,
                    application_id,
                    current.version,
                    "terms_changed",
                    EventActor::Coordinator,
                    now,
                );
                let agreement =
                    Agreement { terms, confirmations: Confirmations::default(), version, updated_at: now, ..current };
                tx.update_t_level_agreement(&agreement, expected)?;
                events.push(agreement_event(&agreement, "terms_changed", EventActor::Coordinator, now));
                agreement
            }
        };
        if !tx.is_host(place.placement.id, &agreement.terms.supervisor)? {
            tx.add_host(place.placement.id, &agreement.terms.supervisor, &actor.subject, now)?;
            // As naming a host does: the placement at its version, never the host's subject.
            events.push(
                DomainEvent::edit(
                    Entity::Placement,
                    place.placement.id,
                    place.placement.version,
                    "host_named",
                    EventActor::Coordinator,
                    now,
                )
                .with("organisation_id", organisation_id),
            );
        }
        tx.append_events(&events)?;
        Ok(agreement)
    })
}

/// Who a party's confirmation is recorded as, in the event log.
fn confirmer(party: Party, parts: Parts) -> Option<EventActor> {
    match party {
        Party::Employer if parts.employer => Some(EventActor::Coordinator),
        Party::Provider if parts.provider => Some(EventActor::Advocate),
        Party::Student if parts.student => {
            Some(if parts.provider { EventActor::Advocate } else { EventActor::Applicant })
        }
        _ => None,
    }
}

/// A party confirms the terms of the version they read. Confirming again changes nothing.
pub fn confirm_agreement(
    store: &dyn Store,
    actor: &Actor,
    application_id: Uuid,
    party: Party,
    expected_version: i64,
    now: DateTime<Utc>,
) -> Result<Agreement, ConfirmError> {
    write(store, |tx| {
        let (place, parts) = visible_place(tx, actor, application_id)?;
        let current = place.agreement.clone().ok_or(HiddenPlaceError::NotFound(NotFound))?;
        let by = confirmer(party, parts).ok_or(ConfirmError::NotAParty(()))?;
        if place.completed() {
            return Err(ConfirmError::Completed(()));
        }
        if expected_version != current.version {
            return Err(ConfirmError::Stale(()));
        }
        if current.confirmations.of(party).is_some() {
            return Ok(current);
        }
        let (version, _) =
            DomainEvent::edited(Entity::TLevelAgreement, application_id, current.version, "confirmed", by, now);
        let mut agreement = Agreement { version, updated_at: now, ..current };
        agreement.confirmations.set(party, now);
        tx.update_t_level_agreement(&agreement, expected_version)?;
        let event = agreement_event(&agreement, "confirmed", by, now).with_code("party", party.code());
        tx.append_events(&[event])?;
        Ok(agreement)
    })
}

/// The agreement of a place, for any party to it.
pub fn agreement(
    store: &dyn Store,
    actor: &Actor,
    application_id: Uuid,
) -> Result<(Agreement, Parts), HiddenPlaceError> {
    read(store, |s| {
        let (Place { agreement, .. }, parts) = visible_place(s, actor, application_id)?;
        Ok((agreement.ok_or(NotFound)?, parts))
    })
}
