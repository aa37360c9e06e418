//! Applications: applying (with every eligibility check), withdrawing, what the applicant is told,
//! and the name-blind view coordinators get.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::advocacy::{AdvocateLink, LinkStatus, Relationship, is_advocate_for, pending_link};
use crate::error::{DomainError, FieldError};
use crate::model::auth::{Actor, Role};
use crate::model::notification::{Notification, Template};
use crate::model::placement::Placement;
use crate::model::privacy::PRIVACY_NOTICE_VERSION;
use crate::model::profile::{Profile, age_on};
use crate::model::reference::code_enum;
use crate::ports::{AdvocacyStore, ApplicationStore, PlacementStore, ProfileStore, Submission};
use std::fmt;

/// How many applications a person may have waiting for an outcome at once, unless configured.
pub const DEFAULT_ACTIVE_CAP: u32 = 10;

code_enum! {
    ApplicationStatus {
        Submitted => ("submitted", "Submitted", "Received; it will be in the draw when applications close."),
        Withdrawn => ("withdrawn", "Withdrawn", "Withdrawn before the outcome."),
        Offered => ("offered", "Offered a place", "Drawn for a place: accept or decline it by the date given."),
        Waitlisted => ("waitlisted", "On the waiting list", "Drawn after the places ran out: offered a place, in order, if one comes free."),
        Accepted => ("accepted", "Place accepted", "The applicant accepted the place."),
        Declined => ("declined", "Place declined", "The applicant declined the place; it went to the next person waiting."),
        Expired => ("expired", "Offer expired", "The offer was not answered in time; it went to the next person waiting."),
        Cancelled => ("cancelled", "Placement cancelled", "The organisation cancelled the placement; the reason is in the history."),
        Attended => ("attended", "Attended", "The participant came to the placement."),
        DidNotAttend => ("did_not_attend", "Did not attend", "The participant did not come to the placement."),
        Completed => ("completed", "Completed", "The participant completed the placement; a certificate was issued."),
        NotEntered => ("not_entered", "Not entered in the draw", "A name-blind review found it did not meet the placement's criteria."),
        NotSelected => ("not_selected", "Not selected", "The waiting list did not reach this application before the placement started."),
    }
}

impl ApplicationStatus {
    /// Still waiting for an outcome: counts towards the cap on active applications.
    pub fn is_active(self) -> bool {
        matches!(self, ApplicationStatus::Submitted | ApplicationStatus::Waitlisted | ApplicationStatus::Offered)
    }
}

/// The stages of the selection funnel, in order: reports count how many applications reached each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Stage {
    #[default]
    Applied,
    Entered,
    Offered,
    Accepted,
    Attended,
    Completed,
}

impl Stage {
    pub const ALL: [Stage; 6] =
        [Stage::Applied, Stage::Entered, Stage::Offered, Stage::Accepted, Stage::Attended, Stage::Completed];

    pub fn code(self) -> &'static str {
        match self {
            Stage::Applied => "applied",
            Stage::Entered => "entered",
            Stage::Offered => "offered",
            Stage::Accepted => "accepted",
            Stage::Attended => "attended",
            Stage::Completed => "completed",
        }
    }

    /// The stage's place in the funnel, from 0 (as stored).
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_index(i: usize) -> Option<Stage> {
        Stage::ALL.get(i).copied()
    }

    /// The stage an application's current state shows it reached. Withdrawn and cancelled
    /// applications show nothing beyond the draw, so the furthest stage is also kept as it passes.
    fn shown_by(status: ApplicationStatus, drawn: bool) -> Stage {
        use ApplicationStatus as S;
        match status {
            S::Completed => Stage::Completed,
            S::Attended => Stage::Attended,
            S::Accepted | S::DidNotAttend => Stage::Accepted,
            S::Offered | S::Declined | S::Expired => Stage::Offered,
            S::Waitlisted | S::NotSelected => Stage::Entered,
            S::Submitted | S::Withdrawn | S::NotEntered | S::Cancelled if drawn => Stage::Entered,
            S::Submitted | S::Withdrawn | S::NotEntered | S::Cancelled => Stage::Applied,
        }
    }
}

code_enum! {
    /// Who made a change to an application.
    ChangedBy {
        Applicant => ("applicant", "The applicant", "The applicant themselves."),
        Advocate => ("advocate", "An advocate", "An advocate acting for the applicant."),
        Coordinator => ("coordinator", "A coordinator", "A coordinator of the placement's organisation."),
        Host => ("host", "A host", "A host named for the placement."),
        Platform => ("platform", "The platform", "The platform by itself: the draw, expiries and the waiting list."),
    }
}

impl From<Role> for ChangedBy {
    fn from(role: Role) -> Self {
        match role {
            Role::Advocate => ChangedBy::Advocate,
            Role::Host => ChangedBy::Host,
            Role::Coordinator | Role::Admin | Role::Analyst => ChangedBy::Coordinator,
            Role::Applicant => ChangedBy::Applicant,
        }
    }
}

/// An answer to one of the placement's own questions, by its position (from 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Answer {
    #[cfg_attr(feature = "openapi", schema(example = 0))]
    pub question: usize,
    #[cfg_attr(feature = "openapi", schema(example = "How they help children walk again after an operation."))]
    pub answer: String,
}

/// What an applicant (or an advocate for them) sends to apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApplyRequest {
    /// The version of the privacy notice the applicant read and accepted: it must be the current one.
    #[cfg_attr(feature = "openapi", schema(example = "2026-11-29"))]
    pub privacy_notice_version: String,
    #[serde(default)]
    pub answers: Vec<Answer>,
    /// For applicants with no fixed address applying to a placement with a local area: confirms
    /// they can travel there.
    #[serde(default)]
    pub can_travel: Option<bool>,
    /// For advocates: the profile of the applicant they apply for (one they have an active link to).
    #[serde(default)]
    pub on_behalf_of: Option<Uuid>,
}

/// Who sent an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitter {
    pub subject: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub id: Uuid,
    pub placement_id: Uuid,
    pub profile_id: Uuid,
    pub status: ApplicationStatus,
    /// The lottery ticket: random, never reused, shown to the applicant.
    pub ticket: Uuid,
    pub privacy_notice_version: String,
    pub submitted_by: Submitter,
    pub answers: Vec<Answer>,
    pub can_travel: Option<bool>,
    /// Whether the applicant lives in the placement's area; `None` with no area or no fixed address.
    pub in_catchment: Option<bool>,
    pub outcome_expected_by: NaiveDate,
    /// When the outcome (a place or a waiting-list number) was given: for timeliness reports.
    pub outcome_at: Option<DateTime<Utc>>,
    /// Tier and position in the draw, once drawn.
    pub draw_tier: Option<u32>,
    pub draw_position: Option<u32>,
    /// For name-blind review placements: a coordinator's judgement (`None` until reviewed).
    pub meets_criteria: Option<bool>,
    /// The applicant's age on the day they applied (reports band it).
    pub applicant_age: u32,
    /// The furthest stage reached as last stored; `stage_reached` adds the current state.
    pub stage_recorded: Stage,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One change of an application's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationEvent {
    pub id: Uuid,
    pub application_id: Uuid,
    pub at: DateTime<Utc>,
    pub from: Option<ApplicationStatus>,
    pub to: ApplicationStatus,
    pub actor_subject: String,
    pub actor_role: ChangedBy,
    pub reason: Option<String>,
}

/// The subject recorded for changes the platform makes by itself.
pub const PLATFORM_SUBJECT: &str = "wex";

impl Application {
    /// The furthest stage of the funnel this application has reached.
    pub fn stage_reached(&self) -> Stage {
        self.stage_recorded.max(Stage::shown_by(self.status, self.draw_position.is_some()))
    }
}

impl ApplicationEvent {
    /// The change that made `app` what it is now, `by` whom (subject and kind).
    pub fn new(
        app: &Application,
        from: Option<ApplicationStatus>,
        by: (&str, ChangedBy),
        reason: Option<String>,
        now: DateTime<Utc>,
    ) -> Self {
        ApplicationEvent {
            id: Uuid::now_v7(),
            application_id: app.id,
            at: now,
            from,
            to: app.status,
            actor_subject: by.0.to_string(),
            actor_role: by.1,
            reason,
        }
    }
}

fn refused(code: &'static str, field: &str, message: String) -> DomainError {
    DomainError::Refused { code, message: message.clone(), errors: vec![FieldError::new(field, code, message)] }
}

fn long_date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

fn meets_age_rule(placement: &Placement, profile: &Profile) -> bool {
    let e = &placement.details.eligibility;
    let age = age_on(profile.input.date_of_birth, placement.details.start_date);
    e.min_age.is_none_or(|m| age >= u32::from(m)) && e.max_age.is_none_or(|m| age <= u32::from(m))
}

fn meets_user_group_rule(placement: &Placement, profile: &Profile) -> bool {
    placement
        .details
        .eligibility
        .user_groups
        .as_ref()
        .is_none_or(|gs| gs.iter().any(|g| profile.input.user_groups.contains(g)))
}

/// Whether the applicant lives in the placement's area: `None` when it has none, or when the
/// applicant has no fixed address (they are never refused for it).
fn in_catchment(placement: &Placement, profile: &Profile) -> Option<bool> {
    let area = placement.details.eligibility.catchment.as_ref()?;
    let district = profile.input.district()?;
    Some(area.iter().any(|a| a == district.as_str()))
}

/// Checks an applicant against a placement's rules, in the order the applicant can act on them.
fn check_eligibility(
    placement: &Placement,
    profile: &Profile,
    request: &ApplyRequest,
) -> Result<Option<bool>, DomainError> {
    let d = &placement.details;
    if !meets_age_rule(placement, profile) {
        let range = match (d.eligibility.min_age, d.eligibility.max_age) {
            (Some(a), Some(b)) => format!("aged {a} to {b}"),
            (Some(a), None) => format!("aged {a} or over"),
            (None, Some(b)) => format!("aged {b} or under"),
            (None, None) => String::new(),
        };
        return Err(refused(
            "age_not_eligible",
            "/profile/date_of_birth",
            format!("This placement is for people {range} on its start date, {}.", long_date(d.start_date)),
        ));
    }
    if !meets_user_group_rule(placement, profile) {
        let names: Vec<String> = d.eligibility.user_groups.iter().flatten().map(|g| g.label().to_lowercase()).collect();
        return Err(refused(
            "user_group_not_eligible",
            "/profile/user_groups",
            format!(
                "This placement is only for: {}. Add a group to your profile if it applies to you.",
                names.join(", ")
            ),
        ));
    }
    let area = d.eligibility.catchment.as_deref().unwrap_or_default();
    match in_catchment(placement, profile) {
        Some(false) => Err(refused(
            "outside_catchment",
            "/profile/postcode",
            format!("This placement is for people living in {}.", area.join(", ")),
        )),
        None if !area.is_empty() && profile.input.no_fixed_address && request.can_travel != Some(true) => Err(refused(
            "travel_confirmation_required",
            "/can_travel",
            "This placement is for a local area. As you have no fixed address you can still apply: set can_travel to true to confirm you can get there.".to_string(),
        )),
        other => Ok(other),
    }
}

fn check_answers(placement: &Placement, answers: &[Answer]) -> Result<(), DomainError> {
    let questions = &placement.details.questions;
    let mut errors = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (i, a) in answers.iter().enumerate() {
        match questions.get(a.question) {
            None => errors.push(FieldError::new(
                format!("/answers/{i}/question"),
                "unknown_question",
                "This placement has no question with this number.",
            )),
            Some(_) if !seen.insert(a.question) => errors.push(FieldError::new(
                format!("/answers/{i}/question"),
                "duplicate_answer",
                "Answer each question once.",
            )),
            Some(q) if a.answer.chars().count() > usize::from(q.max_length) => errors.push(FieldError::new(
                format!("/answers/{i}/answer"),
                "too_long",
                format!("Keep this answer to {} characters.", q.max_length),
            )),
            Some(_) if !a.answer.is_empty() && !crate::model::validation::has_visible(&a.answer) => {
                errors.push(FieldError::new(format!("/answers/{i}/answer"), "required", "This answer shows nothing."))
            }
            Some(_) => {}
        }
    }
    for (n, q) in questions.iter().enumerate() {
        let answered = answers.iter().any(|a| a.question == n && crate::model::validation::has_visible(&a.answer));
        if q.required && !answered {
            errors.push(FieldError::new(
                "/answers",
                "answer_required",
                format!("Question {} needs an answer: {}", n + 1, q.text),
            ));
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(DomainError::Invalid(errors)) }
}

fn submitted_notifications(
    app: &Application,
    placement: &Placement,
    profile: &Profile,
    invitation: Option<(&AdvocateLink, &str)>,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    let title = &placement.details.title;
    let outcome = long_date(app.outcome_expected_by);
    let opening = if app.submitted_by.role == Role::Advocate {
        format!("Your advocate has applied for \"{title}\" for you.")
    } else {
        format!("Thank you for applying for \"{title}\".")
    };
    let mut out = vec![Notification::new(
        &profile.input.email,
        Template::ApplicationReceived,
        format!("We have your application: {title}"),
        format!(
            "{opening} Applications close on {}. Places are given by a fair draw, and you will hear by {outcome}. Your ticket for the draw is {}.",
            long_date(placement.details.closes_at.date_naive()),
            app.ticket
        ),
        Some(app.id),
        now,
    )];
    if let Some(worker) = &profile.input.support_worker {
        let how = match invitation {
            Some((link, code)) => format!(
                " To see it and add supporting information, sign in and accept with POST /v1/advocate-links/{}/accept and the code {code}.",
                link.id
            ),
            None => {
                " Once you have accepted the invitation you were sent, you can read it and add supporting information."
                    .to_string()
            }
        };
        out.push(Notification::new(
            &worker.email,
            Template::SupportWorkerNamed,
            format!("You are named as a support worker on an application: {title}"),
            format!("An application for \"{title}\" names you as a support worker.{how} The applicant will hear by {outcome}, and so will you."),
            Some(app.id),
            now,
        ));
    }
    out
}

/// A pending link for the support worker a profile names, unless they are linked already.
fn support_worker_invitation<S: AdvocacyStore + ?Sized>(
    store: &S,
    profile: &Profile,
    now: DateTime<Utc>,
) -> Result<Option<(AdvocateLink, String)>, DomainError> {
    let Some(worker) = &profile.input.support_worker else { return Ok(None) };
    let linked = store.links_of_profile(profile.id)?.iter().any(|l| {
        l.status != LinkStatus::Revoked
            && l.advocate_email.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(&worker.email))
    });
    if linked { Ok(None) } else { pending_link(profile.id, &worker.email, Relationship::SupportWorker, now).map(Some) }
}

/// Applies for a placement with the caller's own profile.
pub fn apply<S: PlacementStore + ProfileStore + ApplicationStore + AdvocacyStore + ?Sized>(
    store: &S,
    actor: &Actor,
    placement_id: Uuid,
    request: ApplyRequest,
    active_cap: u32,
    now: DateTime<Utc>,
) -> Result<Application, DomainError> {
    let placement = store.placement(placement_id)?;
    if !placement.visible_to(Some(actor)) {
        return Err(DomainError::NotFound);
    }
    if !placement.is_open_at(now) {
        return Err(if placement.status_at(now) == crate::model::reference::PlacementStatus::Published {
            DomainError::conflict(
                "applications_not_open",
                format!("Applications open on {}.", long_date(placement.details.opens_at.date_naive())),
            )
        } else {
            DomainError::conflict("applications_closed", "This placement is not taking applications.")
        });
    }
    let (profile, role) = match request.on_behalf_of {
        Some(profile_id) => {
            let profile = store.profile(profile_id)?;
            if !is_advocate_for(store, actor, &profile)? {
                return Err(DomainError::NotFound);
            }
            (profile, Role::Advocate)
        }
        None => (crate::profiles::required_profile(store, actor)?, Role::Applicant),
    };
    if request.privacy_notice_version != PRIVACY_NOTICE_VERSION {
        return Err(refused(
            "privacy_notice_not_accepted",
            "/privacy_notice_version",
            format!("Read and accept the current privacy notice (version {PRIVACY_NOTICE_VERSION}) before applying."),
        ));
    }
    let in_catchment = check_eligibility(&placement, &profile, &request)?;
    check_answers(&placement, &request.answers)?;
    let submitter = Submitter { subject: actor.subject.clone(), role };
    let app = Application {
        id: Uuid::now_v7(),
        placement_id,
        profile_id: profile.id,
        status: ApplicationStatus::Submitted,
        ticket: Uuid::new_v4(),
        privacy_notice_version: request.privacy_notice_version,
        submitted_by: submitter.clone(),
        answers: request.answers,
        can_travel: request.can_travel,
        in_catchment,
        outcome_expected_by: placement.details.outcome_by,
        outcome_at: None,
        draw_tier: None,
        draw_position: None,
        meets_criteria: None,
        applicant_age: age_on(profile.input.date_of_birth, now.date_naive()),
        stage_recorded: Stage::Applied,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let event = ApplicationEvent::new(&app, None, (&submitter.subject, submitter.role.into()), None, now);
    let invitation = support_worker_invitation(store, &profile, now)?;
    let notifications =
        submitted_notifications(&app, &placement, &profile, invitation.as_ref().map(|(l, c)| (l, c.as_str())), now);
    match store.submit_application(&app, &event, &notifications, invitation.as_ref().map(|(l, _)| l), active_cap)? {
        Submission::Created => Ok(app),
        Submission::AlreadyApplied => {
            Err(DomainError::conflict("already_applied", "You have already applied for this placement."))
        }
        Submission::TooManyActive => Err(DomainError::conflict(
            "too_many_active_applications",
            format!(
                "You can have {active_cap} applications waiting for an outcome at once. Withdraw one, or wait for an outcome, to apply for more."
            ),
        )),
    }
}

/// An application the caller may see: their own, or one of someone they act for as an advocate.
/// Returns the role they see it in.
pub fn visible_application<S: ProfileStore + ApplicationStore + AdvocacyStore + ?Sized>(
    store: &S,
    actor: &Actor,
    id: Uuid,
) -> Result<(Application, Profile, Role), DomainError> {
    let app = store.application(id)?;
    let profile = store.profile(app.profile_id)?;
    if profile.subject.as_deref() == Some(actor.subject.as_str()) {
        Ok((app, profile, Role::Applicant))
    } else if store.has_active_link(profile.id, &actor.subject)? {
        Ok((app, profile, Role::Advocate))
    } else {
        Err(DomainError::NotFound)
    }
}

/// Withdraws an application that has no outcome yet.
pub fn withdraw<S: PlacementStore + ProfileStore + ApplicationStore + AdvocacyStore + ?Sized>(
    store: &S,
    actor: &Actor,
    id: Uuid,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> Result<Application, DomainError> {
    let (current, profile, role) = visible_application(store, actor, id)?;
    if !matches!(current.status, ApplicationStatus::Submitted | ApplicationStatus::Waitlisted) {
        return Err(DomainError::conflict(
            "not_withdrawable",
            format!("An application that is {} cannot be withdrawn.", current.status),
        ));
    }
    let reason = reason.map(|r| r.trim().to_string()).filter(|r| crate::model::validation::has_visible(r));
    if reason.as_ref().is_some_and(|r| r.chars().count() > 1000) {
        return Err(DomainError::invalid("/reason", "too_long", "Keep the reason to 1000 characters."));
    }
    let placement = store.placement(current.placement_id)?;
    let version = current.version;
    let from = current.status;
    let app = Application { status: ApplicationStatus::Withdrawn, version: version + 1, updated_at: now, ..current };
    let event = ApplicationEvent::new(&app, Some(from), (&actor.subject, role.into()), reason, now);
    let title = &placement.details.title;
    let notifications = tell(
        &profile,
        Template::ApplicationWithdrawn,
        &format!("Application withdrawn: {title}"),
        &format!("The application for \"{title}\" has been withdrawn. It will not be in the draw."),
        app.id,
        now,
    );
    store.transition_application(&app, version, &event, &notifications)?;
    Ok(app)
}

/// Who hears about an application: the applicant and any support worker the profile names.
pub fn applicant_and_worker(profile: &Profile) -> Vec<String> {
    let mut to = vec![profile.input.email.clone()];
    to.extend(profile.input.support_worker.iter().map(|w| w.email.clone()));
    to
}

/// The same message about an application to the applicant and any support worker.
pub fn tell(
    profile: &Profile,
    template: Template,
    subject: &str,
    body: &str,
    application_id: Uuid,
    now: DateTime<Utc>,
) -> Vec<Notification> {
    applicant_and_worker(profile)
        .iter()
        .map(|to| Notification::new(to, template, subject.to_string(), body.to_string(), Some(application_id), now))
        .collect()
}

/// What happens next and what the applicant must do, in plain words.
pub fn next_steps(
    app: &Application,
    placement: &Placement,
    offer: Option<&crate::offer::Offer>,
    waiting: Option<u32>,
) -> (String, String) {
    let respond_by = offer.map(|o| o.respond_by.format("%-d %B %Y at %H:%M UTC").to_string()).unwrap_or_default();
    match app.status {
        ApplicationStatus::Offered => (
            format!("You have been offered a place on \"{}\".", placement.details.title),
            format!(
                "Accept or decline the offer by {respond_by}. If you do not answer, the place goes to the next person waiting."
            ),
        ),
        ApplicationStatus::Waitlisted => (
            format!(
                "The places have been given, and you are number {} on the waiting list. If someone declines, the next person waiting is offered their place.",
                waiting.unwrap_or(0)
            ),
            "Nothing for now. We will tell you at once if you are offered a place.".to_string(),
        ),
        ApplicationStatus::Accepted => (
            format!(
                "You have a place on \"{}\", starting on {}.",
                placement.details.title,
                long_date(placement.details.start_date)
            ),
            "Read the preparation information: what to wear, where to go and who to ask for.".to_string(),
        ),
        ApplicationStatus::Declined => {
            ("You declined the place; it was offered to the next person waiting.".to_string(), "Nothing.".to_string())
        }
        ApplicationStatus::Expired => (
            "The offer was not answered in time, so the place went to the next person waiting.".to_string(),
            "Nothing.".to_string(),
        ),
        ApplicationStatus::Attended => (
            format!(
                "You attended \"{}\". Once the host marks it complete you will get a certificate.",
                placement.details.title
            ),
            "Nothing.".to_string(),
        ),
        ApplicationStatus::DidNotAttend => (
            "The host recorded that you did not attend. If that is wrong, contact the placement's coordinator."
                .to_string(),
            "Nothing.".to_string(),
        ),
        ApplicationStatus::Completed => (
            format!(
                "You completed \"{}\": well done. Your certificate can be checked by anyone with its code.",
                placement.details.title
            ),
            format!("Please tell us how it went: POST /v1/applications/{}/feedback.", app.id),
        ),
        ApplicationStatus::NotEntered => (
            "This placement chooses among applications that meet its criteria, and a review (without your name) found this one did not, so it was not in the draw.".to_string(),
            "Nothing. You can apply for other placements.".to_string(),
        ),
        ApplicationStatus::NotSelected => (
            "The placement has started and the waiting list did not reach you this time. We are sorry.".to_string(),
            "Nothing. You can apply for other placements.".to_string(),
        ),
        ApplicationStatus::Cancelled => (
            format!(
                "The organisation cancelled this placement: {}",
                placement.cancellation_reason.as_deref().unwrap_or("no reason was given.")
            ),
            "Nothing. You can apply for other placements.".to_string(),
        ),
        ApplicationStatus::Submitted => (
            format!(
                "Applications close on {}. Then a fair draw decides who gets the {} place(s), and you will hear by {}.",
                long_date(placement.details.closes_at.date_naive()),
                placement.details.capacity,
                long_date(app.outcome_expected_by)
            ),
            format!(
                "Nothing for now. Keep your ticket, {}: once the draw is published you can check it yourself.",
                app.ticket
            ),
        ),
        ApplicationStatus::Withdrawn => {
            ("This application was withdrawn and will not be in the draw.".to_string(), "Nothing.".to_string())
        }
    }
}

/// An application as a coordinator sees it: no name, contact details, date of birth, postcode,
/// school, support worker or equality data; eligibility only as yes or no.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameBlind {
    pub id: Uuid,
    pub ticket: Uuid,
    pub status: ApplicationStatus,
    pub submitted_at: DateTime<Utc>,
    pub meets_age_rule: bool,
    pub meets_user_group_rule: bool,
    /// `None` when the placement has no local area, or the applicant has no fixed address and
    /// confirmed they can travel.
    pub in_catchment: Option<bool>,
    pub submitted_by_role: Role,
    pub answers: Vec<Answer>,
    /// For name-blind review placements: the review so far (`None` until reviewed).
    pub meets_criteria: Option<bool>,
}

impl NameBlind {
    /// Judged now, against the applicant's current profile: it may have changed since applying.
    pub fn of(app: Application, profile: &Profile, placement: &Placement) -> Self {
        NameBlind {
            id: app.id,
            ticket: app.ticket,
            status: app.status,
            submitted_at: app.created_at,
            meets_age_rule: meets_age_rule(placement, profile),
            meets_user_group_rule: meets_user_group_rule(placement, profile),
            in_catchment: in_catchment(placement, profile),
            submitted_by_role: app.submitted_by.role,
            meets_criteria: app.meets_criteria,
            answers: app.answers,
        }
    }
}

/// A page of a placement's applications, name-blind, with the counts by status of all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacementApplications {
    pub page: crate::model::page::Page<NameBlind, Uuid>,
    pub counts: Vec<(ApplicationStatus, i64)>,
}

/// The coordinator's view of a placement's applications.
pub fn placement_applications<S: PlacementStore + ProfileStore + ApplicationStore + ?Sized>(
    store: &S,
    actor: &Actor,
    placement_id: Uuid,
    page: &crate::model::page::PageRequest<Uuid>,
) -> Result<PlacementApplications, DomainError> {
    let placement = store.placement(placement_id)?;
    actor.require_owner_of(placement.organisation_id)?;
    let page = store.applications_for_placement(placement_id, page)?;
    let ids: Vec<Uuid> = page.items.iter().map(|a| a.profile_id).collect();
    let found = store.profiles_by_ids(&ids)?;
    let mut items = Vec::with_capacity(page.items.len());
    for app in page.items {
        let profile = found.iter().find(|p| p.id == app.profile_id).ok_or(DomainError::Store(
            crate::StoreError::Internal(format!("application {} names a missing profile", app.id)),
        ))?;
        items.push(NameBlind::of(app, profile, &placement));
    }
    let counts = store.application_counts(placement_id)?;
    Ok(PlacementApplications { page: crate::model::page::Page { items, next: page.next }, counts })
}
