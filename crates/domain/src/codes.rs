//! Every problem code a use case can return, each with its kind (which the edge maps to an HTTP
//! status), its title, the detail sent when the failure carries no message of its own, and the
//! field it points at. One table, so that the wire, the OpenAPI document and the API guide read the
//! same codes: a use case names these constants, never a string.

/// What kind of failure a code is. The domain knows no HTTP: `wex-http` maps each kind to one
/// status in one place (`problem.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// The caller may not do this (403).
    Forbidden,
    /// No such object, or one the caller may not know exists (404).
    NotFound,
    /// The request conflicts with the object's current state (409).
    Conflict,
    /// The caller's `If-Match` version is stale (412).
    PreconditionFailed,
    /// Well-formed input that breaks a rule, or a refusal with a code of its own (422).
    Unprocessable,
    /// A change to an existing object must say which version it changes (428).
    PreconditionRequired,
    /// A defect or corrupt data (500).
    Internal,
    /// The database cannot be reached now (503).
    Unavailable,
}

/// One problem code and what is said with it.
#[derive(Debug, PartialEq, Eq)]
pub struct Code {
    /// The stable, machine-readable code (`offer_expired`).
    pub code: &'static str,
    pub status: Status,
    /// Plain-language title of the problem.
    pub title: &'static str,
    /// The detail sent when the failure carries no message of its own.
    pub detail: &'static str,
    /// The field (a JSON pointer into the request) a refusal points at, listed in `errors`.
    pub field: Option<&'static str>,
}

const CONFLICTS: &str = "Conflicts with the current state";
const REFUSED: &str = "Cannot be accepted";
const NOT_ALLOWED: &str = "Not allowed";

const fn conflict(code: &'static str, detail: &'static str) -> Code {
    Code { code, status: Status::Conflict, title: CONFLICTS, detail, field: None }
}

const fn refused(code: &'static str, field: Option<&'static str>, detail: &'static str) -> Code {
    Code { code, status: Status::Unprocessable, title: REFUSED, detail, field }
}

const fn forbidden(code: &'static str, detail: &'static str) -> Code {
    Code { code, status: Status::Forbidden, title: NOT_ALLOWED, detail, field: None }
}

// Shared by many use cases.
pub const NOT_FOUND: Code = Code {
    code: "not_found",
    status: Status::NotFound,
    title: "Not found",
    detail: "There is nothing here, or you may not see it.",
    field: None,
};
pub const VALIDATION_FAILED: Code = Code {
    code: "validation_failed",
    status: Status::Unprocessable,
    title: "Some fields are not valid",
    detail: "Correct the fields listed in errors and try again.",
    field: None,
};
pub const PRECONDITION_REQUIRED: Code = Code {
    code: "precondition_required",
    status: Status::PreconditionRequired,
    title: "Say which version you are changing",
    detail: "Send If-Match with the ETag from your last read, so that you do not overwrite someone else's change.",
    field: None,
};
pub const VERSION_MISMATCH: Code = Code {
    code: "version_mismatch",
    status: Status::PreconditionFailed,
    title: "The resource has changed",
    detail: "Someone changed this since you read it. Read it again (for a new ETag) and retry.",
    field: None,
};
pub const CONFLICT: Code = conflict("conflict", "Try again.");
pub const INVALID_TRANSITION: Code =
    conflict("invalid_transition", "This change is not allowed in the object's current status.");
pub const DATABASE_UNAVAILABLE: Code = Code {
    code: "database_unavailable",
    status: Status::Unavailable,
    title: "Service temporarily unavailable",
    detail: "The service cannot reach its database just now. Try again shortly.",
    field: None,
};
pub const INTERNAL_ERROR: Code = Code {
    code: "internal_error",
    status: Status::Internal,
    title: "Something went wrong",
    detail: "The service failed to handle this request. Quote the request id if you report it.",
    field: None,
};

// Roles.
pub const ADMIN_ROLE_REQUIRED: Code = forbidden("admin_role_required", "Only platform administrators may do this.");
pub const COORDINATOR_ROLE_REQUIRED: Code =
    forbidden("coordinator_role_required", "Only this organisation's coordinators may do this.");
pub const REPORT_ROLE_REQUIRED: Code = forbidden("report_role_required", "Your role does not allow this.");
pub const AUDIT_READER_ROLE_REQUIRED: Code = forbidden(
    "audit_reader_role_required",
    "Only platform administrators and data protection officers may read the audit trail.",
);
pub const DRAFTS_NEED_OWN_ORGANISATION: Code = forbidden(
    "drafts_need_own_organisation",
    "Drafts are only listed for an organisation you coordinate: add its organisation_id.",
);

// Organisations and grants.
pub const ODS_CODE_TAKEN: Code = conflict("ods_code_taken", "Another organisation already has this ODS code.");
pub const ALREADY_GRANTED: Code = conflict("already_granted", "This person already has this role.");

// Placements.
pub const NOT_A_DRAFT: Code = conflict("not_a_draft", "Only a draft can be published.");
pub const FROZEN_ONCE_OPEN: Code = conflict(
    "frozen_once_open",
    "Applications have opened, so eligibility, priority rules, selection method, questions, requirements and all dates are fixed.",
);
pub const PLACEMENT_NOT_EDITABLE: Code = conflict("placement_not_editable", "This placement can no longer be edited.");
pub const PLACEMENT_NOT_CANCELLABLE: Code =
    conflict("placement_not_cancellable", "This placement cannot be cancelled.");
pub const NOT_OPEN: Code = conflict("not_open", "Only a placement taking applications now can be closed early.");

// The draw and review.
pub const NOT_CLOSED: Code = conflict("not_closed", "A placement is drawn once applications close.");
pub const REVIEW_NOT_FINISHED: Code =
    conflict("review_not_finished", "Some applications still need a name-blind review before the draw.");
pub const NOT_REPLAYABLE: Code =
    conflict("not_replayable", "Only a failed webhook delivery to an active endpoint is replayed.");
pub const CLIENT_REVOKED: Code =
    conflict("client_revoked", "This API client is revoked and stays so: register a new one.");
pub const DRAW_INTERRUPTED: Code =
    conflict("draw_interrupted", "An application changed while the draw ran, so nothing was stored. Draw again.");
pub const NOT_A_REVIEW_PLACEMENT: Code =
    conflict("not_a_review_placement", "This placement is a plain lottery: there is nothing to review.");
pub const REVIEW_CLOSED: Code =
    conflict("review_closed", "Reviews are made before the draw, on submitted applications.");

// Offers.
pub const OFFER_NOT_OPEN: Code = conflict("offer_not_open", "This offer can no longer be answered.");
pub const OFFER_EXPIRED: Code = conflict("offer_expired", "The time to answer this offer has passed.");
pub const BUSY: Code = conflict("busy", "The waiting list is changing; try again.");

// Participation.
pub const ALREADY_NAMED: Code = conflict("already_named", "This host is already named for the placement.");
pub const NOT_A_PARTICIPANT: Code =
    conflict("not_a_participant", "Attendance is recorded for participants holding a place.");
pub const NOT_STARTED: Code = conflict("not_started", "This can be recorded once the placement has started.");
pub const NOT_READY: Code = conflict(
    "not_ready",
    "The participant is not ready to start: items of their readiness checklist are missing (the message lists them by code).",
);
pub const READINESS_NOT_YOURS: Code = forbidden(
    "readiness_item_not_yours",
    "Someone else completes this item: the participant (or their advocate), a parent or carer through their advocate's account, or the organisation.",
);
pub const OVERRIDE_NOT_ALLOWED: Code = conflict(
    "override_not_allowed",
    "A parent's or carer's consent and the emergency contact of someone under 16 can never be overridden.",
);
pub const NOT_ATTENDED: Code = conflict("not_attended", "Only an attended placement can be completed.");
pub const NOT_COMPLETED: Code = conflict("not_completed", "Feedback is asked for once the placement is completed.");
pub const FEEDBACK_ALREADY_GIVEN: Code =
    conflict("feedback_already_given", "Feedback has already been given for this placement.");

// Applying and withdrawing.
pub const APPLICATIONS_NOT_OPEN: Code = conflict("applications_not_open", "Applications have not opened yet.");
pub const APPLICATIONS_CLOSED: Code = conflict("applications_closed", "This placement is not taking applications.");
pub const ALREADY_APPLIED: Code = conflict("already_applied", "You have already applied for this placement.");
pub const TOO_MANY_ACTIVE_APPLICATIONS: Code =
    conflict("too_many_active_applications", "You have the most applications waiting for an outcome allowed.");
pub const NOT_WITHDRAWABLE: Code = conflict("not_withdrawable", "This application cannot be withdrawn.");
pub const PROFILE_REQUIRED: Code = refused("profile_required", Some("/profile"), "Set up your profile first.");
pub const PRIVACY_NOTICE_NOT_ACCEPTED: Code = refused(
    "privacy_notice_not_accepted",
    Some("/privacy_notice_version"),
    "Read and accept the current privacy notice.",
);
pub const AGE_NOT_ELIGIBLE: Code = refused(
    "age_not_eligible",
    Some("/profile/date_of_birth"),
    "The applicant is outside the placement's age limits on its start date.",
);
pub const USER_GROUP_NOT_ELIGIBLE: Code = refused(
    "user_group_not_eligible",
    Some("/profile/user_groups"),
    "The placement is only for user groups the applicant is not in.",
);
pub const OUTSIDE_CATCHMENT: Code = refused(
    "outside_catchment",
    Some("/profile/postcode"),
    "The applicant does not live in the placement's local area.",
);
pub const TRAVEL_CONFIRMATION_REQUIRED: Code = refused(
    "travel_confirmation_required",
    Some("/can_travel"),
    "An applicant with no fixed address must confirm they can travel to a local placement.",
);

// Advocacy.
pub const APPLICATION_NOT_ACTIVE: Code = conflict(
    "application_not_active",
    "Supporting information can only be added while the application is waiting for an outcome.",
);
pub const ALREADY_REVOKED: Code = conflict("already_revoked", "This link has already been ended.");
pub const OWN_INVITATION: Code =
    refused("own_invitation", None, "Only someone else can accept an invitation to act for you.");

// Education providers and T level placements by agreement.
pub const ARRANGED_BY_PROVIDER: Code = conflict(
    "arranged_by_provider",
    "This T level industry placement is arranged by agreement between the organisation and the student's college: it takes no applications and is never drawn. Ask your college's placement coordinator.",
);
pub const PROVIDER_COORDINATOR_ROLE_REQUIRED: Code = forbidden(
    "provider_coordinator_role_required",
    "Only this education provider's provider coordinators may do this.",
);
pub const ALREADY_A_STUDENT: Code =
    conflict("already_a_student", "This person is already a student of an education provider.");
pub const NOT_ARRANGED_BY_AGREEMENT: Code = refused(
    "not_arranged_by_agreement",
    Some("/placement_id"),
    "Only T level industry placements arranged by agreement take proposals from an education provider.",
);
pub const PROPOSAL_NOT_PENDING: Code = conflict(
    "proposal_not_pending",
    "Only a proposal waiting for the organisation's decision can be accepted, declined or withdrawn.",
);
pub const NO_PLACES_LEFT: Code =
    conflict("no_places_left", "Every place on this placement is taken: decline the proposal, or add places first.");

// Data protection.
pub const MANAGES_PROFILES: Code = conflict(
    "manages_profiles",
    "You manage the profiles of people you act for. Delete those profiles first, or ask the service team to hand them to another advocate.",
);
pub const ERASURE_NOT_ALLOWED: Code = forbidden(
    "erasure_not_allowed",
    "Only the applicant, or the advocate who manages their profile with the consent they recorded, may delete it.",
);

// Reports.
pub const POPULATION_TOO_SMALL: Code = refused(
    "population_too_small",
    None,
    "An equality table about so few people is not published. Widen the period or the filters.",
);

// T-level placements.
pub const SUPERVISOR_ONLY: Code =
    forbidden("supervisor_only", "Only the agreement's supervisor logs hours and records reviews.");
pub const NOT_A_PARTY: Code = forbidden(
    "not_a_party",
    "You may not confirm for this party: the coordinator confirms for the employer, the student's provider for the provider, and the student or their advocate for the student.",
);
pub const NOT_A_STUDENT: Code =
    forbidden("not_a_student", "Only the student, or their advocate, adds the student's reflection.");
pub const AGREEMENT_NOT_CONFIRMED: Code = conflict(
    "agreement_not_confirmed",
    "Hours and reviews are recorded once the employer, the provider and the student have all confirmed the agreement.",
);
pub const OUTSIDE_AGREEMENT: Code =
    refused("outside_agreement", Some("/date"), "Hours are logged for days within the agreement's dates.");
pub const WORKING_TIME_DAY_LIMIT: Code = refused(
    "working_time_day_limit",
    Some("/hours"),
    "This would take the student over the daily working-time limit: 8 hours under 18, 12 hours otherwise, counting every employer.",
);
pub const WORKING_TIME_WEEK_LIMIT: Code = refused(
    "working_time_week_limit",
    Some("/hours"),
    "This would take a student under 18 over 40 hours in the week (Monday to Sunday), counting every employer.",
);
pub const T_LEVEL_EMPLOYER_LIMIT: Code = conflict(
    "t_level_employer_limit",
    "A student's T-level industry placement is spread over at most two employers: this student has two agreements already.",
);
pub const REVIEW_ALREADY_RECORDED: Code =
    conflict("review_already_recorded", "This review has been recorded already; each is recorded once.");
pub const REFLECTION_ALREADY_ADDED: Code =
    conflict("reflection_already_added", "The student's reflection on this review has been added already.");
pub const PLACE_COMPLETED: Code =
    conflict("place_completed", "The placement is completed: its agreement, hours and reviews are final.");
pub const END_REVIEW_REQUIRED: Code = conflict(
    "end_review_required",
    "A T-level placement is completed once its supervisor has recorded the end review.",
);

// The sandbox.
pub const OUT_OF_RANGE: Code = Code {
    code: "out_of_range",
    status: Status::Unprocessable,
    title: "Some fields are not valid",
    detail: "expires_in must be from 60 to 2592000 seconds.",
    field: Some("/expires_in"),
};
pub const INVALID_CLOCK_CHANGE: Code = Code {
    code: "invalid_clock_change",
    status: Status::Unprocessable,
    title: "Some fields are not valid",
    detail: "Send either set or advance_seconds, and move the clock by at most 100 years either way.",
    field: None,
};

/// Every code above, for the API guide's check and for the errors that may be any of them.
pub const ALL: &[&Code] = &[
    &NOT_FOUND,
    &VALIDATION_FAILED,
    &PRECONDITION_REQUIRED,
    &VERSION_MISMATCH,
    &CONFLICT,
    &INVALID_TRANSITION,
    &DATABASE_UNAVAILABLE,
    &INTERNAL_ERROR,
    &ADMIN_ROLE_REQUIRED,
    &COORDINATOR_ROLE_REQUIRED,
    &REPORT_ROLE_REQUIRED,
    &AUDIT_READER_ROLE_REQUIRED,
    &DRAFTS_NEED_OWN_ORGANISATION,
    &ODS_CODE_TAKEN,
    &ALREADY_GRANTED,
    &NOT_A_DRAFT,
    &FROZEN_ONCE_OPEN,
    &PLACEMENT_NOT_EDITABLE,
    &PLACEMENT_NOT_CANCELLABLE,
    &NOT_OPEN,
    &NOT_CLOSED,
    &REVIEW_NOT_FINISHED,
    &DRAW_INTERRUPTED,
    &NOT_REPLAYABLE,
    &CLIENT_REVOKED,
    &NOT_A_REVIEW_PLACEMENT,
    &REVIEW_CLOSED,
    &OFFER_NOT_OPEN,
    &OFFER_EXPIRED,
    &MANAGES_PROFILES,
    &ARRANGED_BY_PROVIDER,
    &PROVIDER_COORDINATOR_ROLE_REQUIRED,
    &ALREADY_A_STUDENT,
    &NOT_ARRANGED_BY_AGREEMENT,
    &PROPOSAL_NOT_PENDING,
    &NO_PLACES_LEFT,
    &ERASURE_NOT_ALLOWED,
    &BUSY,
    &ALREADY_NAMED,
    &NOT_A_PARTICIPANT,
    &NOT_STARTED,
    &NOT_ATTENDED,
    &NOT_READY,
    &READINESS_NOT_YOURS,
    &OVERRIDE_NOT_ALLOWED,
    &NOT_COMPLETED,
    &FEEDBACK_ALREADY_GIVEN,
    &APPLICATIONS_NOT_OPEN,
    &APPLICATIONS_CLOSED,
    &ALREADY_APPLIED,
    &TOO_MANY_ACTIVE_APPLICATIONS,
    &NOT_WITHDRAWABLE,
    &PROFILE_REQUIRED,
    &PRIVACY_NOTICE_NOT_ACCEPTED,
    &AGE_NOT_ELIGIBLE,
    &USER_GROUP_NOT_ELIGIBLE,
    &OUTSIDE_CATCHMENT,
    &TRAVEL_CONFIRMATION_REQUIRED,
    &APPLICATION_NOT_ACTIVE,
    &ALREADY_REVOKED,
    &OWN_INVITATION,
    &POPULATION_TOO_SMALL,
    &OUT_OF_RANGE,
    &INVALID_CLOCK_CHANGE,
    &SUPERVISOR_ONLY,
    &NOT_A_PARTY,
    &NOT_A_STUDENT,
    &AGREEMENT_NOT_CONFIRMED,
    &OUTSIDE_AGREEMENT,
    &WORKING_TIME_DAY_LIMIT,
    &WORKING_TIME_WEEK_LIMIT,
    &T_LEVEL_EMPLOYER_LIMIT,
    &REVIEW_ALREADY_RECORDED,
    &REFLECTION_ALREADY_ADDED,
    &PLACE_COMPLETED,
    &END_REVIEW_REQUIRED,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for code in ALL {
            assert!(seen.insert(code.code), "{} is listed twice", code.code);
        }
    }
}
