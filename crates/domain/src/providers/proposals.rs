//! A provider coordinator proposes one of their students for a T level industry placement arranged
//! by agreement, and may withdraw the proposal while the organisation has not decided. The proposal
//! is an application the college submits on the student's behalf (the note, if any, is its
//! supporting information), so that everything after an acceptance is the ordinary lifecycle.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::access::{StudentAccessError, student_of};
use crate::codes;
use crate::error::StoreError;
use crate::model::advocacy::SupportingInformation;
use crate::model::application::{
    Application, ApplicationEvent, ApplicationStatus, ApplyRequest, ChangedBy, Submission, Submitter,
};
use crate::model::auth::{Actor, Role};
use crate::model::dates::long_date;
use crate::model::eligibility::{Ineligible, check_eligibility};
use crate::model::event::{DomainEvent, Entity};
use crate::model::privacy::PRIVACY_NOTICE_VERSION;
use crate::model::reference::{PlacementStatus, SelectionMethod};
use crate::model::validation::has_visible;
use crate::ports::Store;
use crate::unit_of_work::write;
use crate::use_case_error::{Invalid, NotFound};

/// The longest note a provider may add to a proposal.
pub const MAX_NOTE_LEN: usize = 2000;

/// What a provider coordinator sends to propose a student.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposeRequest {
    pub placement_id: Uuid,
    /// What the organisation should know about the match, such as the course unit it serves.
    pub note: Option<String>,
}

crate::use_case_error! {
    /// Why a student could not be proposed.
    pub enum ProposeError {
        /// The placement is not one arranged by agreement (a lottery or a review decides it).
        NotArrangedByAgreement(()) = codes::NOT_ARRANGED_BY_AGREEMENT,
        /// The placement is published but takes proposals later (the message gives the date).
        NotOpenYet(String) = codes::APPLICATIONS_NOT_OPEN,
        /// The placement is not taking proposals.
        Closed(String) = codes::APPLICATIONS_CLOSED,
        AgeNotEligible(String) = codes::AGE_NOT_ELIGIBLE,
        UserGroupNotEligible(String) = codes::USER_GROUP_NOT_ELIGIBLE,
        OutsideCatchment(String) = codes::OUTSIDE_CATCHMENT,
        /// The student has been proposed for (or applied to) this placement already.
        AlreadyApplied(String) = codes::ALREADY_APPLIED,
        /// The note, or a placement that does not exist.
        Invalid(Invalid),
        /// No such student of a provider the caller coordinates.
        NotFound(NotFound),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why a proposal could not be withdrawn.
    pub enum WithdrawProposalError {
        /// The organisation has decided already, or it was withdrawn.
        NotPending(String) = codes::PROPOSAL_NOT_PENDING,
        /// No such proposal for a student of a provider the caller coordinates.
        NotFound(NotFound),
        Store(StoreError),
    }
}

impl From<StudentAccessError> for ProposeError {
    fn from(e: StudentAccessError) -> Self {
        match e {
            StudentAccessError::NotFound(n) => n.into(),
            StudentAccessError::Store(s) => s.into(),
        }
    }
}

impl From<StudentAccessError> for WithdrawProposalError {
    fn from(e: StudentAccessError) -> Self {
        match e {
            StudentAccessError::NotFound(n) => n.into(),
            StudentAccessError::Store(s) => s.into(),
        }
    }
}

fn checked_note(note: Option<String>) -> Result<Option<String>, Invalid> {
    let Some(note) = note.map(|n| n.trim().to_string()) else { return Ok(None) };
    if has_visible(&note) && note.chars().count() <= MAX_NOTE_LEN {
        Ok(Some(note))
    } else {
        Err(Invalid::one("/note", "invalid_note", "A note is 1 to 2000 characters, or left out."))
    }
}

fn unknown_placement() -> Invalid {
    Invalid::one("/placement_id", "unknown_placement", "There is no published placement with this id.")
}

/// A provider coordinator proposes their student for a T level placement arranged by agreement.
pub fn propose(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    profile_id: Uuid,
    request: ProposeRequest,
    now: DateTime<Utc>,
) -> Result<Application, ProposeError> {
    let (_, profile) = student_of(store, actor, organisation_id, profile_id)?;
    let note = checked_note(request.note)?;
    let placement = match store.placement(request.placement_id) {
        Err(StoreError::NotFound) => return Err(unknown_placement().into()),
        other => other?,
    };
    if !placement.visible_to(Some(actor)) {
        return Err(unknown_placement().into());
    }
    if placement.details.selection_method != SelectionMethod::ByAgreement {
        return Err(ProposeError::NotArrangedByAgreement(()));
    }
    if !placement.is_open_at(now) {
        return Err(if placement.status_at(now) == PlacementStatus::Published {
            ProposeError::NotOpenYet(format!(
                "Proposals open on {}.",
                long_date(placement.details.opens_at.date_naive())
            ))
        } else {
            ProposeError::Closed("This placement is not taking proposals.".to_string())
        });
    }
    // The college arranges how the student gets there, so a local area never turns them away for
    // want of a fixed address; age and user groups still apply.
    let eligibility = ApplyRequest {
        privacy_notice_version: PRIVACY_NOTICE_VERSION.to_string(),
        answers: Vec::new(),
        can_travel: Some(true),
        on_behalf_of: Some(profile.id),
    };
    let in_catchment = check_eligibility(&placement, &profile, &eligibility).map_err(|e| match e {
        Ineligible::Age(m) => ProposeError::AgeNotEligible(m),
        Ineligible::UserGroup(m) => ProposeError::UserGroupNotEligible(m),
        Ineligible::OutsideCatchment(m) | Ineligible::TravelConfirmationRequired(m) => {
            ProposeError::OutsideCatchment(m)
        }
    })?;
    let submitter = Submitter { subject: actor.subject.clone(), role: Role::ProviderCoordinator };
    let submission = Submission {
        submitted_by: submitter.clone(),
        // The consent the college recorded covers the notice current when it proposes.
        privacy_notice_version: PRIVACY_NOTICE_VERSION.to_string(),
        answers: Vec::new(),
        can_travel: None,
        in_catchment,
    };
    let app = Application::submitted(&placement, &profile, submission, now);
    let history = ApplicationEvent::new(&app, None, (&submitter.subject, ChangedBy::Provider), None, now);
    let mut events = vec![app.submitted_event(ChangedBy::Provider).with("organisation_id", organisation_id)];
    let info = note.map(|text| SupportingInformation {
        id: Uuid::now_v7(),
        application_id: app.id,
        author_subject: actor.subject.clone(),
        text,
        created_at: now,
    });
    if let Some(info) = &info {
        let (_, added) =
            DomainEvent::created(Entity::SupportingInformation, info.id, "added", ChangedBy::Provider, now);
        events.push(added.with("application_id", app.id));
    }
    write(store, |tx| -> Result<_, ProposeError> {
        tx.lock_applicant(profile.id)?;
        let already =
            || ProposeError::AlreadyApplied("This student has been proposed for this placement already.".into());
        if tx.application_statuses(profile.id)?.iter().any(|(p, _)| *p == placement.id) {
            return Err(already());
        }
        match tx.insert_application(&app, &history, &[], None) {
            Err(StoreError::Duplicate) => return Err(already()),
            other => other?,
        }
        if let Some(info) = &info {
            tx.insert_supporting_information(info)?;
        }
        Ok(tx.append_events(&events)?)
    })?;
    Ok(app)
}

fn not_pending(app: &Application) -> WithdrawProposalError {
    WithdrawProposalError::NotPending(format!(
        "This proposal is {}: only one waiting for the organisation's decision can be withdrawn.",
        app.status
    ))
}

/// A provider coordinator withdraws a proposal the organisation has not decided yet.
pub fn withdraw_proposal(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    profile_id: Uuid,
    application_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Application, WithdrawProposalError> {
    student_of(store, actor, organisation_id, profile_id)?;
    let app = store.application(application_id)?;
    if app.profile_id != profile_id {
        return Err(NotFound.into());
    }
    if app.status != ApplicationStatus::Submitted {
        return Err(not_pending(&app));
    }
    let change = app
        .transition(ApplicationStatus::Withdrawn, (&actor.subject, ChangedBy::Provider), None, now)
        .map_err(|_| not_pending(&app))?;
    write(store, |tx| -> Result<_, WithdrawProposalError> {
        match tx.transition_application(&change.application, app.version, &change.history, &[]) {
            // Decided (or withdrawn) meanwhile.
            Err(StoreError::VersionConflict) => return Err(not_pending(&app)),
            other => other?,
        }
        Ok(tx.append_events(std::slice::from_ref(&change.event))?)
    })?;
    Ok(change.application)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_optional_visible_and_bounded() {
        assert_eq!(checked_note(None), Ok(None));
        assert_eq!(checked_note(Some(" Unit 3 ".into())), Ok(Some("Unit 3".into())));
        assert!(checked_note(Some("  ".into())).is_err());
        assert!(checked_note(Some("x".repeat(2001))).is_err());
        let Err(Invalid(errors)) = checked_note(Some(String::new())) else { panic!("accepted") };
        assert_eq!(errors.first().map(|e: &crate::error::FieldError| e.field.as_str()), Some("/note"));
    }
}
