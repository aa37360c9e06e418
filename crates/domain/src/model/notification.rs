//! Notifications: every message the platform owes someone, written to an outbox in the same
//! transaction as the change that causes it, and delivered later by a worker.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::model::reference::code_enum;
use std::fmt;

code_enum! {
    /// What a notification is about; front ends and the delivery worker may localise by code.
    Template {
        ApplicationReceived => ("application_received", "Application received",
            "Sent to the applicant, and to the advocates acting for them, when an application is submitted, by them or by an advocate for them."),
        SupportWorkerNamed => ("support_worker_named", "You are named as a support worker",
            "Sent to the support worker named on an application when it is submitted."),
        ApplicationWithdrawn => ("application_withdrawn", "Application withdrawn",
            "Sent to the applicant and any named support worker when an application is withdrawn."),
        AdvocateInvitation => ("advocate_invitation", "Invitation to act for an applicant",
            "Sent to an advocate an applicant named, with the code to accept."),
        OfferMade => ("offer_made", "A place is offered",
            "Sent to the applicant and any support worker or advocate when the draw or the waiting list offers a place, with the date to answer by."),
        Waitlisted => ("waitlisted", "On the waiting list",
            "Sent to the applicant and any support worker or advocate with their number on the waiting list."),
        PlaceConfirmed => ("place_confirmed", "Place confirmed",
            "Sent when an offer is accepted, with what to wear, where to go and who to ask for."),
        OfferDeclined => ("offer_declined", "Place declined", "Sent when an offer is declined."),
        OfferExpired => ("offer_expired", "Offer expired", "Sent when an offer was not answered in time."),
        Unsuccessful => ("unsuccessful", "No place this time",
            "Sent when an application ends without a place (not entered after review, or the waiting list did not reach it), with why."),
        FeedbackRequest => ("feedback_request", "How did it go?",
            "Sent when a placement is completed, with the certificate code and a request for feedback."),
        PlacementCancelled => ("placement_cancelled", "Placement cancelled",
            "Sent to everyone whose application or place ended because the placement was cancelled; the reason is on the application's page."),
        StartingSoon => ("starting_soon", "Your placement starts soon",
            "Sent a week before a placement starts to everyone holding a place (and their support worker and advocates), with what to wear, where to go and who to ask for."),
        StartingTomorrow => ("starting_tomorrow", "Your placement starts tomorrow",
            "Sent the day before a placement starts to everyone holding a place (and their support worker and advocates), with where to go."),
        OfferExpiring => ("offer_expiring", "Your offer ends soon",
            "Sent two days before an offer's answer-by time to the applicant (and their support worker and advocates), if it is still unanswered."),
        OutcomesDue => ("outcomes_due", "Outcomes due soon",
            "Sent to an organisation's work experience team two days before the outcome date of a placement chosen by name-blind review that is not drawn yet."),
        ParticipantUnreachable => ("participant_unreachable", "A participant cannot be emailed",
            "Sent to an organisation's work experience team when email to someone holding a place fails because the address does not work."),
        NotReady => ("not_ready", "Things to do before your placement",
            "Sent a week before a placement starts to a participant (and their advocates) whose readiness checklist is not complete, listing what is missing."),
        ParticipantsNotReady => ("participants_not_ready", "Participants not ready",
            "Sent a week before a placement starts to the organisation's work experience team when participants' readiness checklists are not complete: how many, and which items, by application reference."),
        ProposalAccepted => ("proposal_accepted", "Your T level placement is agreed",
            "Sent to a student (and those acting for them, their college's coordinator among them) when the NHS organisation accepts their college's proposal for a T level placement."),
        ProposalDeclined => ("proposal_declined", "Your college's proposal was not taken",
            "Sent to a student (and those acting for them) when the NHS organisation declines their college's proposal for a T level placement; the college sees the organisation's reason."),
        AccountInactive => ("account_inactive", "Your account will be deleted",
            "Sent to an applicant whose account has not been used for the retention period (24 months by default): it will be deleted after the notice period (30 days by default) unless they sign in."),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: Uuid,
    /// Where it goes: an email address.
    pub recipient: String,
    pub template: Template,
    pub subject: String,
    pub body: String,
    pub application_id: Option<Uuid>,
    /// A path in the front end where the recipient can act on it (`/applications/{id}`); the
    /// deployment's `WEX_FRONTEND_BASE_URL` goes before it when the message is sent.
    pub link: Option<String>,
    /// The applicant whose own address `recipient` is, so that an address that stops working can
    /// be shown to them; `None` for advocates, support workers and staff.
    pub profile_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl Notification {
    pub fn new(
        recipient: &str,
        template: Template,
        subject: String,
        body: String,
        application_id: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Self {
        Notification {
            id: Uuid::now_v7(),
            recipient: recipient.to_string(),
            template,
            subject,
            body,
            application_id,
            link: None,
            profile_id: None,
            created_at: now,
        }
    }

    /// Links the message to a page of the front end.
    pub fn linking(mut self, path: String) -> Self {
        self.link = Some(path);
        self
    }

    /// Marks the recipient as this applicant themselves.
    pub fn to_applicant(mut self, profile_id: Uuid) -> Self {
        self.profile_id = Some(profile_id);
        self
    }
}
