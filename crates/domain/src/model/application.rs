//! Applications: their lifecycle (`ApplicationStatus`), the stages of the selection funnel, who
//! made each change, and what an applicant sends to apply.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::model::auth::Role;
use crate::model::reference::code_enum;
use std::fmt;

/// How many applications a person may have waiting for an outcome at once, unless configured.
pub const DEFAULT_ACTIVE_CAP: u32 = 10;

code_enum! {
    ApplicationStatus {
        Submitted => ("submitted", "Submitted", "Received; it will be in the draw when applications close."),
        Withdrawn => ("withdrawn", "Withdrawn", "Withdrawn before the outcome, or ended when the applicant's account was deleted."),
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
        Provider => ("provider", "The education provider", "A provider coordinator of the student's college, which arranges T level placements by agreement."),
        Platform => ("platform", "The platform", "The platform by itself: the draw, expiries and the waiting list."),
    }
}

impl From<Role> for ChangedBy {
    fn from(role: Role) -> Self {
        match role {
            Role::Advocate => ChangedBy::Advocate,
            Role::Host => ChangedBy::Host,
            Role::ProviderCoordinator => ChangedBy::Provider,
            Role::Coordinator | Role::Admin | Role::Analyst | Role::DataProtectionOfficer => ChangedBy::Coordinator,
            Role::Applicant => ChangedBy::Applicant,
        }
    }
}

/// An answer to one of the placement's own questions, by its position (from 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub question: usize,
    pub answer: String,
}

/// What an applicant (or an advocate for them) sends to apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyRequest {
    /// The version of the privacy notice the applicant read and accepted: it must be the current one.
    pub privacy_notice_version: String,
    pub answers: Vec<Answer>,
    /// For applicants with no fixed address applying to a placement with a local area: confirms
    /// they can travel there.
    pub can_travel: Option<bool>,
    /// For advocates: the profile of the applicant they apply for (one they have an active link to).
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

/// What a new application holds beyond the placement and the person: who sends it and what they
/// send with it.
#[derive(Debug, Clone)]
pub struct Submission {
    pub submitted_by: Submitter,
    pub privacy_notice_version: String,
    pub answers: Vec<Answer>,
    pub can_travel: Option<bool>,
    pub in_catchment: Option<bool>,
}

impl Application {
    /// A new application to `placement`, submitted now: a fresh lottery ticket, the outcome promised
    /// by the placement's date, the applicant's age today, nothing drawn or decided yet.
    pub fn submitted(
        placement: &crate::model::placement::Placement,
        profile: &crate::model::profile::Profile,
        submission: Submission,
        now: DateTime<Utc>,
    ) -> Self {
        Application {
            id: Uuid::now_v7(),
            placement_id: placement.id,
            profile_id: profile.id,
            status: ApplicationStatus::Submitted,
            ticket: Uuid::new_v4(),
            privacy_notice_version: submission.privacy_notice_version,
            submitted_by: submission.submitted_by,
            answers: submission.answers,
            can_travel: submission.can_travel,
            in_catchment: submission.in_catchment,
            outcome_expected_by: placement.details.outcome_by,
            outcome_at: None,
            draw_tier: None,
            draw_position: None,
            meets_criteria: None,
            applicant_age: crate::model::profile::age_on(profile.input.date_of_birth, now.date_naive()),
            stage_recorded: Stage::Applied,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

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
