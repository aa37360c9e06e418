//! The subject access export: `GET /v1/me/export` for the applicant, and
//! `GET /v1/advocacy/applicants/{profile_id}/export` for an advocate acting for them. One JSON
//! document of everything held about the person; each export is written to the audit log.

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::data_protection::{self, ExportError, ExportedApplication, SubjectAccessExport};
use wex_domain::model::advocacy::{AdvocateLink, LinkStatus, Relationship};
use wex_domain::model::application::{ApplicationEvent, ApplicationStatus, ChangedBy};
use wex_domain::model::auth::Role;
use wex_domain::model::notification::{Notification, Template};
use wex_domain::model::participation::Likelihood;
use wex_domain::model::profile::Profile;
use wex_domain::model::reference::UserGroup;
use wex_domain::ports::FrozenCharacteristics;

use crate::auth::SignedIn;
use crate::errors_doc::Errors;
use crate::problem::ApiResult;
use crate::routes::applications::views::OfferResponse;
use crate::routes::equality::EqualityResponse;
use crate::routes::export_places::{ExportedReadinessItem, ExportedTLevel};
use crate::state::AppState;
use crate::wire::applications::Answer;
use crate::wire::audit::AuditEntryResponse;
use crate::wire::codes;
use crate::wire::profiles::{Consent, ProfileInput};

/// Everything the platform holds about one applicant.
#[derive(Serialize, ToSchema)]
pub struct SubjectAccessExportResponse {
    pub generated_at: DateTime<Utc>,
    pub profile: ExportedProfile,
    /// Every application, with its history (attendance included), offer, supporting
    /// information, certificate and feedback.
    pub applications: Vec<ExportedApplicationResponse>,
    /// The equality monitoring answers (for an advocate's export: only answers they gave).
    pub equality: Option<EqualityResponse>,
    /// Advocates linked to act for the applicant.
    pub advocate_links: Vec<ExportedLink>,
    /// Links in which the applicant acts for someone else (empty in an advocate's export).
    pub links_as_advocate: Vec<ExportedLink>,
    /// Every message written to the applicant, and every message about their applications (the
    /// copies to their advocates and support worker), with its text.
    pub messages: Vec<ExportedMessage>,
    /// Every recorded look at the applicant's personal data by staff, and every earlier export.
    pub audit_entries: Vec<AuditEntryResponse>,
    /// For an education provider's student: the provider and the course it recorded.
    pub student: Option<ExportedStudent>,
}

#[derive(Serialize, ToSchema)]
pub struct ExportedStudent {
    /// The education provider (college) that holds the profile.
    pub organisation_id: Uuid,
    pub course: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct ExportedProfile {
    pub id: Uuid,
    /// The account the profile belongs to (`null` for a profile an advocate manages).
    pub subject: Option<String>,
    #[serde(flatten)]
    pub input: ProfileInput,
    /// The advocate who manages the profile for someone without an account.
    pub managed_by: Option<String>,
    pub consent: Option<Consent>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct ExportedApplicationResponse {
    pub id: Uuid,
    pub placement_id: Uuid,
    pub placement_title: String,
    pub organisation_name: String,
    #[schema(value_type = codes::ApplicationStatus)]
    pub status: ApplicationStatus,
    pub ticket: Uuid,
    pub privacy_notice_version: String,
    pub submitted_by_subject: String,
    #[schema(value_type = codes::Role)]
    pub submitted_by_role: Role,
    pub answers: Vec<Answer>,
    pub can_travel: Option<bool>,
    /// Whether the postcode was within the placement's local area.
    pub in_catchment: Option<bool>,
    /// Age on the placement's start date, when applying.
    pub applicant_age: u32,
    pub meets_criteria: Option<bool>,
    pub outcome_expected_by: NaiveDate,
    pub outcome_at: Option<DateTime<Utc>>,
    pub draw_tier: Option<u32>,
    pub draw_position: Option<u32>,
    pub waiting_list_number: Option<u32>,
    pub offer: Option<OfferResponse>,
    pub history: Vec<ExportedHistoryEntry>,
    pub supporting_information: Vec<ExportedSupportingInformation>,
    pub certificate: Option<ExportedCertificate>,
    pub feedback: Option<ExportedFeedback>,
    /// For an accepted T-level place: its agreement, hours and reviews.
    pub t_level: Option<ExportedTLevel>,
    /// What reports count the application by, copied when its placement was drawn; `null` before
    /// the draw. Kept in anonymous counts when you change or delete your answers later.
    pub characteristics_at_draw: Option<ExportedCharacteristics>,
    /// The readiness checklist items done or overridden before the placement, with the emergency
    /// contact and who gave consent.
    pub readiness: Vec<ExportedReadinessItem>,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ExportedHistoryEntry {
    pub at: DateTime<Utc>,
    #[schema(value_type = Option<codes::ApplicationStatus>)]
    pub from: Option<ApplicationStatus>,
    #[schema(value_type = codes::ApplicationStatus)]
    pub to: ApplicationStatus,
    /// The account that made the change: the applicant, an advocate or staff.
    pub actor_subject: String,
    #[schema(value_type = codes::ChangedBy)]
    pub actor_role: ChangedBy,
    pub reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ExportedSupportingInformation {
    pub id: Uuid,
    pub author_subject: String,
    pub text: String,
    pub added_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct ExportedCertificate {
    pub code: String,
    pub initials: String,
    pub issued_at: DateTime<Utc>,
    /// For a T-level place: the hours the certificate states, in quarter hours.
    pub t_level_quarter_hours: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct ExportedFeedback {
    #[schema(value_type = codes::Likelihood)]
    pub more_likely_to_consider: Likelihood,
    /// Statement code to agreement code.
    #[schema(value_type = BTreeMap<String, codes::Agreement>)]
    pub agreement: BTreeMap<String, String>,
    pub comments: Option<String>,
    pub completed_pre_module: Option<bool>,
    pub given_at: DateTime<Utc>,
}

/// The applicant's characteristics as reports hold them for one application, from the draw on.
#[derive(Serialize, ToSchema)]
pub struct ExportedCharacteristics {
    #[schema(value_type = Vec<codes::UserGroup>)]
    pub user_groups: Vec<UserGroup>,
    pub care_experienced: Option<bool>,
    /// Equality monitoring answers, question code to answer code (a question left out was not
    /// answered). `null` in an advocate's export unless they manage the profile: answers the
    /// applicant gave are theirs alone.
    #[schema(value_type = Option<BTreeMap<String, String>>)]
    pub answers: Option<BTreeMap<String, String>>,
    pub frozen_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct ExportedLink {
    pub id: Uuid,
    pub profile_id: Uuid,
    pub advocate_email: Option<String>,
    pub advocate_subject: Option<String>,
    #[schema(value_type = codes::Relationship)]
    pub relationship: Relationship,
    #[schema(value_type = codes::LinkStatus)]
    pub status: LinkStatus,
    pub created_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct ExportedMessage {
    pub id: Uuid,
    pub recipient: String,
    #[schema(value_type = codes::Template)]
    pub template: Template,
    pub subject: String,
    pub body: String,
    pub link: Option<String>,
    pub application_id: Option<Uuid>,
    pub written_at: DateTime<Utc>,
}

impl From<Profile> for ExportedProfile {
    fn from(p: Profile) -> Self {
        Self {
            id: p.id,
            subject: p.subject,
            input: p.input.into(),
            managed_by: p.managed_by,
            consent: p.consent.map(Into::into),
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

impl From<ApplicationEvent> for ExportedHistoryEntry {
    fn from(e: ApplicationEvent) -> Self {
        Self {
            at: e.at,
            from: e.from,
            to: e.to,
            actor_subject: e.actor_subject,
            actor_role: e.actor_role,
            reason: e.reason,
        }
    }
}

impl From<ExportedApplication> for ExportedApplicationResponse {
    fn from(x: ExportedApplication) -> Self {
        let a = x.record.application;
        Self {
            id: a.id,
            placement_id: a.placement_id,
            placement_title: x.record.placement.details.title,
            organisation_name: x.record.organisation_name,
            status: a.status,
            ticket: a.ticket,
            privacy_notice_version: a.privacy_notice_version,
            submitted_by_subject: a.submitted_by.subject,
            submitted_by_role: a.submitted_by.role,
            answers: a.answers.into_iter().map(Into::into).collect(),
            can_travel: a.can_travel,
            in_catchment: a.in_catchment,
            applicant_age: a.applicant_age,
            meets_criteria: a.meets_criteria,
            outcome_expected_by: a.outcome_expected_by,
            outcome_at: a.outcome_at,
            draw_tier: a.draw_tier,
            draw_position: a.draw_position,
            waiting_list_number: x.record.waiting,
            offer: x.record.offer.map(Into::into),
            history: x.history.into_iter().map(Into::into).collect(),
            supporting_information: x
                .supporting_information
                .into_iter()
                .map(|i| ExportedSupportingInformation {
                    id: i.id,
                    author_subject: i.author_subject,
                    text: i.text,
                    added_at: i.created_at,
                })
                .collect(),
            certificate: x.certificate.map(|c| ExportedCertificate {
                code: c.code,
                initials: c.initials,
                issued_at: c.issued_at,
                t_level_quarter_hours: c.t_level_hours.map(|q| q.0),
            }),
            t_level: x.t_level.map(Into::into),
            feedback: x.feedback.map(|f| ExportedFeedback {
                more_likely_to_consider: f.feedback.more_likely_to_consider,
                agreement: f
                    .feedback
                    .agreement
                    .iter()
                    .map(|(s, a)| (s.code().to_string(), a.code().to_string()))
                    .collect(),
                comments: f.feedback.comments,
                completed_pre_module: f.feedback.completed_pre_module,
                given_at: f.given_at,
            }),
            characteristics_at_draw: x.characteristics_at_draw.map(Into::into),
            readiness: x.readiness.into_iter().map(Into::into).collect(),
            submitted_at: a.created_at,
            updated_at: a.updated_at,
            version: a.version,
        }
    }
}

impl From<FrozenCharacteristics> for ExportedCharacteristics {
    fn from(f: FrozenCharacteristics) -> Self {
        Self {
            user_groups: f.user_groups,
            care_experienced: f.care_experienced,
            answers: f.answers,
            frozen_at: f.frozen_at,
        }
    }
}

impl From<AdvocateLink> for ExportedLink {
    fn from(l: AdvocateLink) -> Self {
        Self {
            id: l.id,
            profile_id: l.profile_id,
            advocate_email: l.advocate_email,
            advocate_subject: l.advocate_subject,
            relationship: l.relationship,
            status: l.status,
            created_at: l.created_at,
            accepted_at: l.accepted_at,
            revoked_at: l.revoked_at,
        }
    }
}

impl From<Notification> for ExportedMessage {
    fn from(n: Notification) -> Self {
        Self {
            id: n.id,
            recipient: n.recipient,
            template: n.template,
            subject: n.subject,
            body: n.body,
            link: n.link,
            application_id: n.application_id,
            written_at: n.created_at,
        }
    }
}

impl From<SubjectAccessExport> for SubjectAccessExportResponse {
    fn from(x: SubjectAccessExport) -> Self {
        Self {
            generated_at: x.generated_at,
            profile: x.profile.into(),
            applications: x.applications.into_iter().map(Into::into).collect(),
            equality: x.equality.map(Into::into),
            advocate_links: x.advocate_links.into_iter().map(Into::into).collect(),
            links_as_advocate: x.links_as_advocate.into_iter().map(Into::into).collect(),
            messages: x.messages.into_iter().map(Into::into).collect(),
            audit_entries: x.audit_entries.into_iter().map(Into::into).collect(),
            student: x.student.map(|s| ExportedStudent {
                organisation_id: s.organisation_id,
                course: s.course,
                created_at: s.created_at,
            }),
        }
    }
}

/// The document, never kept by a cache on the way: it holds everything about a person.
fn render(export: SubjectAccessExport) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(SubjectAccessExportResponse::from(export))
}

/// Download everything held about me.
///
/// Who may call: anyone signed in with a profile, for themselves (404 without one). One JSON
/// document: the profile, every application with its history, offer, supporting information,
/// certificate and feedback, the equality answers, advocate links both ways, every message
/// written about you, and every recorded look at your data by staff. Each export is itself
/// written to the audit log. Sent with `Cache-Control: no-store`.
#[utoipa::path(tag = "me", operation_id = "exportMyData", security(("bearer" = [])),
    responses(
        (status = 200, description = "Everything held about you.", body = SubjectAccessExportResponse,
            headers(("Cache-Control" = String, description = "Always `no-store`."))),
        Errors<ExportError>,
    ))]
#[get("/me/export")]
pub async fn export_mine(state: web::Data<AppState>, SignedIn(actor): SignedIn) -> ApiResult<HttpResponse> {
    let now = state.now();
    let export = state.run(move |s| Ok(data_protection::export_mine(s, &actor, now)?)).await?;
    Ok(render(export))
}

/// Download everything held about an applicant I act for.
///
/// Who may call: an advocate with an active link to the applicant (which the applicant made by
/// inviting them, or which records a parent's or carer's consent for a profile the advocate
/// manages); 404 for everyone else. The same document as `GET /v1/me/export`, except that
/// equality answers are included only when this advocate gave them, and the applicant's own
/// links as an advocate are left out. Written to the audit log; sent with `Cache-Control: no-store`.
#[utoipa::path(tag = "advocates", operation_id = "exportApplicantData", security(("bearer" = [])),
    params(("profile_id" = Uuid, Path, description = "The applicant's profile.")),
    responses(
        (status = 200, description = "Everything held about the applicant.", body = SubjectAccessExportResponse,
            headers(("Cache-Control" = String, description = "Always `no-store`."))),
        Errors<ExportError>,
    ))]
#[get("/advocacy/applicants/{profile_id}/export")]
pub async fn export_for_applicant(
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    SignedIn(actor): SignedIn,
) -> ApiResult<HttpResponse> {
    let (id, now) = (path.into_inner(), state.now());
    let export = state.run(move |s| Ok(data_protection::export_for_applicant(s, &actor, id, now)?)).await?;
    Ok(render(export))
}

/// Download everything held about one of my college's students.
///
/// Who may call: provider coordinators of the student's education provider, which recorded the
/// consent when it added the student (404 for everyone else). The same document as
/// `GET /v1/me/export`, except that equality answers are included only when this coordinator gave
/// them. Written to the audit log; sent with `Cache-Control: no-store`.
#[utoipa::path(tag = "providers", operation_id = "exportStudentData", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), ("profile_id" = Uuid, Path, description = "The student's profile.")),
    responses(
        (status = 200, description = "Everything held about the student.", body = SubjectAccessExportResponse,
            headers(("Cache-Control" = String, description = "Always `no-store`."))),
        Errors<ExportError>,
    ))]
#[get("/organisations/{organisation_id}/students/{profile_id}/export")]
pub async fn export_for_student(
    state: web::Data<AppState>,
    path: web::Path<(Uuid, Uuid)>,
    SignedIn(actor): SignedIn,
) -> ApiResult<HttpResponse> {
    let ((organisation_id, profile_id), now) = (path.into_inner(), state.now());
    let export = state
        .run(move |s| Ok(data_protection::export_for_student(s, &actor, organisation_id, profile_id, now)?))
        .await?;
    Ok(render(export))
}
