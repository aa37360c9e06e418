use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::advocacy::is_advocate_for;
use crate::codes;
use crate::error::StoreError;
use crate::messages::Advocates;
use crate::messages::applying::submitted_notifications;
use crate::model::advocacy::{AdvocateLink, LinkStatus, Relationship, pending_link};
use crate::model::application::{Application, ApplicationEvent, ApplyRequest, ChangedBy, Submission, Submitter};
use crate::model::auth::{Actor, Role};
use crate::model::dates::long_date;
use crate::model::eligibility::{Ineligible, check_answers, check_eligibility};
use crate::model::privacy::PRIVACY_NOTICE_VERSION;
use crate::model::profile::Profile;
use crate::model::reference::SelectionMethod;
use crate::ports::{AdvocacyStore, Store};
use crate::profiles::RequiredProfileError;
use crate::read::applications::ApplicationRecord;
use crate::unit_of_work::write;
use crate::use_case_error::{Invalid, NotFound};

crate::use_case_error! {
    /// Why an application could not be made.
    pub enum ApplyError {
        /// The placement is a T level placement arranged by the student's college.
        ArrangedByProvider(()) = codes::ARRANGED_BY_PROVIDER,
        /// The placement is published but applications open later (the message gives the date).
        NotOpenYet(String) = codes::APPLICATIONS_NOT_OPEN,
        /// The placement is not taking applications.
        Closed(String) = codes::APPLICATIONS_CLOSED,
        /// The caller has no profile of their own.
        Profile(RequiredProfileError),
        /// The privacy notice accepted is not the current one.
        PrivacyNoticeNotAccepted(String) = codes::PRIVACY_NOTICE_NOT_ACCEPTED,
        AgeNotEligible(String) = codes::AGE_NOT_ELIGIBLE,
        UserGroupNotEligible(String) = codes::USER_GROUP_NOT_ELIGIBLE,
        OutsideCatchment(String) = codes::OUTSIDE_CATCHMENT,
        TravelConfirmationRequired(String) = codes::TRAVEL_CONFIRMATION_REQUIRED,
        /// The answers to the placement's questions.
        Invalid(Invalid),
        /// This applicant has applied for the placement already.
        AlreadyApplied(String) = codes::ALREADY_APPLIED,
        /// This applicant has as many applications waiting for an outcome as allowed.
        TooManyActive(String) = codes::TOO_MANY_ACTIVE_APPLICATIONS,
        /// No such placement the caller may see, or no such profile they act for.
        NotFound(NotFound),
        Store(StoreError),
    }
}

impl From<Ineligible> for ApplyError {
    fn from(e: Ineligible) -> Self {
        match e {
            Ineligible::Age(m) => ApplyError::AgeNotEligible(m),
            Ineligible::UserGroup(m) => ApplyError::UserGroupNotEligible(m),
            Ineligible::OutsideCatchment(m) => ApplyError::OutsideCatchment(m),
            Ineligible::TravelConfirmationRequired(m) => ApplyError::TravelConfirmationRequired(m),
        }
    }
}

/// An application just made, with what its applicant is shown of it: the placement it is for and
/// its history (the submission).
#[derive(Debug)]
pub struct Submitted {
    pub record: ApplicationRecord,
    pub history: Vec<ApplicationEvent>,
}

/// A pending link for the support worker a profile names, unless they are linked already.
fn support_worker_invitation<S: AdvocacyStore + ?Sized>(
    store: &S,
    profile: &Profile,
    now: DateTime<Utc>,
) -> Result<Option<(AdvocateLink, String)>, StoreError> {
    let Some(worker) = &profile.input.support_worker else { return Ok(None) };
    let linked = store.links_of_profile(profile.id)?.iter().any(|l| {
        l.status != LinkStatus::Revoked
            && l.advocate_email.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(worker.email.as_str()))
    });
    if linked {
        Ok(None)
    } else {
        pending_link(profile.id, worker.email.as_str(), Relationship::SupportWorker, now).map(Some)
    }
}

/// Applies for a placement with the caller's own profile.
pub fn apply(
    store: &dyn Store,
    actor: &Actor,
    placement_id: Uuid,
    request: ApplyRequest,
    active_cap: u32,
    now: DateTime<Utc>,
) -> Result<Submitted, ApplyError> {
    let (placement, organisation_name) = store
        .placement_records(&[placement_id])?
        .pop()
        .map(|r| (r.placement, r.organisation.input.name))
        .ok_or(NotFound)?;
    if !placement.visible_to(Some(actor)) {
        return Err(NotFound.into());
    }
    if placement.details.selection_method == SelectionMethod::ByAgreement {
        return Err(ApplyError::ArrangedByProvider(()));
    }
    if !placement.is_open_at(now) {
        return Err(if placement.status_at(now) == crate::model::reference::PlacementStatus::Published {
            ApplyError::NotOpenYet(format!(
                "Applications open on {}.",
                long_date(placement.details.opens_at.date_naive())
            ))
        } else {
            ApplyError::Closed("This placement is not taking applications.".to_string())
        });
    }
    let (profile, role) = match request.on_behalf_of {
        Some(profile_id) => {
            let profile = store.profile(profile_id)?;
            if !is_advocate_for(store, actor, &profile)? {
                return Err(NotFound.into());
            }
            (profile, Role::Advocate)
        }
        None => (crate::profiles::required_profile(store, actor)?, Role::Applicant),
    };
    if request.privacy_notice_version != PRIVACY_NOTICE_VERSION {
        return Err(ApplyError::PrivacyNoticeNotAccepted(format!(
            "Read and accept the current privacy notice (version {PRIVACY_NOTICE_VERSION}) before applying."
        )));
    }
    let in_catchment = check_eligibility(&placement, &profile, &request)?;
    check_answers(&placement, &request.answers).map_err(Invalid)?;
    let submitter = Submitter { subject: actor.subject.clone(), role };
    let submission = Submission {
        submitted_by: submitter.clone(),
        privacy_notice_version: request.privacy_notice_version,
        answers: request.answers,
        can_travel: request.can_travel,
        in_catchment,
    };
    let app = Application::submitted(&placement, &profile, submission, now);
    let event = ApplicationEvent::new(&app, None, (&submitter.subject, submitter.role.into()), None, now);
    let invitation = support_worker_invitation(store, &profile, now)?;
    let advocates = Advocates::from_pairs(store.advocate_addresses(&[profile.id])?);
    let notifications = submitted_notifications(
        &app,
        &placement,
        advocates.audience(&profile),
        invitation.as_ref().map(|(l, c)| (l, c.as_str())),
        now,
    );
    let submitted = app.submitted_event(submitter.role.into());
    let link = invitation.as_ref().map(|(l, _)| l);
    // The support worker the profile names is invited by whoever applies.
    let invited = link.map(|l| l.created_event("invited", ChangedBy::from(submitter.role)));
    write(store, |tx| -> Result<_, ApplyError> {
        // One applicant's submissions are decided one at a time, so neither rule below can be
        // overrun by two requests at once.
        tx.lock_applicant(profile.id)?;
        let mine = tx.application_statuses(profile.id)?;
        let already = || ApplyError::AlreadyApplied("You have already applied for this placement.".to_string());
        if mine.iter().any(|(placement, _)| *placement == placement_id) {
            return Err(already());
        }
        if mine.iter().filter(|(_, status)| status.is_active()).count() >= active_cap as usize {
            return Err(ApplyError::TooManyActive(format!(
                "You can have {active_cap} applications waiting for an outcome at once. Withdraw one, or wait for an outcome, to apply for more."
            )));
        }
        match tx.insert_application(&app, &event, &notifications, link) {
            Err(StoreError::Duplicate) => return Err(already()),
            other => other?,
        }
        tx.append_events(std::slice::from_ref(&submitted))?;
        tx.append_events(invited.as_slice())?;
        Ok(())
    })?;
    // Applications open until the placement closes and it is drawn after, so a new application
    // has no offer, waiting list place or outcome yet: all that is shown of it is known here.
    Ok(Submitted {
        record: ApplicationRecord { application: app, placement, organisation_name, offer: None, waiting: None },
        history: vec![event],
    })
}
