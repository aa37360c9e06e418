//! After places are accepted: hosts named for placements, participants (revealed to coordinators
//! and hosts, each reveal audited), attendance, completion certificates, and feedback.

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::model::application::ApplicationStatus;
use wex_domain::model::reference::{UserGroup, host_guidance};
use wex_domain::participation;

use crate::auth::SignedIn;
use crate::errors_doc::Errors;
use crate::extract::Json;
use crate::problem::ApiResult;
use crate::routes::applications::views::{ApplicationResponse, detail};
use crate::state::AppState;
use crate::wire::codes;
use crate::wire::participation::{HostFeedback, ParticipantFeedback};
use crate::wire::placements::Preparation;
use crate::wire::profiles::SupportWorker;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"subject": "host-ward-7"}))]
pub struct HostRequest {
    /// The subject of a person who holds the host role in the placement's organisation.
    pub subject: String,
}

#[derive(Serialize, ToSchema)]
pub struct Hosts {
    pub items: Vec<String>,
}

/// Name a host for a placement.
///
/// Who may call: coordinators of the placement's organisation (404 for everyone else). The host
/// must already hold the host role in the organisation (granted by an administrator).
#[utoipa::path(tag = "participation", operation_id = "addPlacementHost", security(("bearer" = [])),
    params(("placement_id" = Uuid, Path)),
    request_body = HostRequest,
    responses(
        (status = 201, description = "Named.", body = Hosts),
        Errors<participation::AddHostError>,
    ))]
#[post("/placements/{placement_id}/hosts")]
pub async fn add_host(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    body: Json<HostRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    let subject = body.value.subject;
    let items = state
        .run(move |s| {
            participation::add_host(s, &actor, id, &subject, now)?;
            Ok(participation::hosts(s, &actor, id)?)
        })
        .await?;
    Ok(HttpResponse::Created().json(Hosts { items }))
}

/// List a placement's hosts.
///
/// Who may call: coordinators of the placement's organisation (404 for everyone else).
#[utoipa::path(tag = "participation", operation_id = "listPlacementHosts", security(("bearer" = [])),
    params(("placement_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The hosts' subjects.", body = Hosts),
        Errors<participation::HiddenPlacementError>,
    ))]
#[get("/placements/{placement_id}/hosts")]
pub async fn list_hosts(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let items = state.run(move |s| Ok(participation::hosts(s, &actor, id)?)).await?;
    Ok(HttpResponse::Ok().json(Hosts { items }))
}

/// Remove a host from a placement.
///
/// Who may call: coordinators of the placement's organisation (404 for everyone else).
#[utoipa::path(tag = "participation", operation_id = "removePlacementHost", security(("bearer" = [])),
    params(("placement_id" = Uuid, Path), ("subject" = String, Path)),
    responses(
        (status = 204, description = "Removed."),
        Errors<participation::HiddenPlacementError>,
    ))]
#[delete("/placements/{placement_id}/hosts/{subject}")]
pub async fn remove_host(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    path: web::Path<(Uuid, String)>,
) -> ApiResult<HttpResponse> {
    let (id, subject) = path.into_inner();
    let now = state.now();
    state.run(move |s| Ok(participation::remove_host(s, &actor, id, &subject, now)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Serialize, ToSchema)]
pub struct ParticipantResponse {
    pub application_id: Uuid,
    #[schema(value_type = codes::ApplicationStatus)]
    pub status: ApplicationStatus,
    pub preferred_name: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    /// What the participant asked for to take part.
    pub adjustments: Option<String>,
    pub support_worker: Option<SupportWorker>,
    #[schema(value_type = Vec<codes::UserGroup>)]
    pub user_groups: Vec<UserGroup>,
    /// True when email to the participant's address has failed for good: reach them another
    /// way (their support worker, their school) until they give another address.
    pub email_unreachable: bool,
    /// Since when, if `email_unreachable`.
    pub email_unreachable_since: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct GuidanceItem {
    #[schema(value_type = codes::UserGroup)]
    pub user_group: UserGroup,
    pub guidance: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct ParticipantsResponse {
    pub placement_id: Uuid,
    pub title: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub preparation: Preparation,
    pub participants: Vec<ParticipantResponse>,
    /// Guidance for the user groups of these participants.
    pub host_guidance: Vec<GuidanceItem>,
}

/// List a placement's participants.
///
/// Who may call: coordinators of the placement's organisation and its named hosts (404 for
/// everyone else). Only applications holding an accepted place are listed; before acceptance
/// everything stays name-blind. Every participant shown is written to the audit log.
#[utoipa::path(tag = "participation", operation_id = "listParticipants", security(("bearer" = [])),
    params(("placement_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The participants, the preparation information and host guidance.", body = ParticipantsResponse),
        Errors<participation::HiddenPlacementError>,
    ))]
#[get("/placements/{placement_id}/participants")]
pub async fn participants(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    let (placement, people) = state.run(move |s| Ok(participation::participants(s, &actor, id, now)?)).await?;
    let mut groups: Vec<UserGroup> = people.iter().flat_map(|p| p.user_groups.iter().copied()).collect();
    groups.sort();
    groups.dedup();
    Ok(HttpResponse::Ok().json(ParticipantsResponse {
        placement_id: placement.id,
        title: placement.details.title,
        start_date: placement.details.start_date,
        end_date: placement.details.end_date,
        preparation: placement.details.preparation.into(),
        participants: people
            .into_iter()
            .map(|p| ParticipantResponse {
                application_id: p.application_id,
                status: p.status,
                preferred_name: p.preferred_name,
                email: p.email,
                phone: p.phone,
                adjustments: p.adjustments,
                support_worker: p.support_worker.map(Into::into),
                user_groups: p.user_groups,
                email_unreachable: p.email_problem.is_some(),
                email_unreachable_since: p.email_problem.map(|e| e.since),
            })
            .collect(),
        host_guidance: groups.into_iter().map(|g| GuidanceItem { user_group: g, guidance: host_guidance(g) }).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"attended": true}))]
pub struct AttendanceRequest {
    pub attended: bool,
}

/// Record whether a participant attended.
///
/// Who may call: the placement's named hosts and its organisation's coordinators (404 for
/// everyone else), once the placement has started, for an accepted place.
#[utoipa::path(tag = "participation", operation_id = "recordAttendance", security(("bearer" = [])),
    params(("application_id" = Uuid, Path)),
    request_body = AttendanceRequest,
    responses(
        (status = 200, description = "Recorded: `attended` or `did_not_attend`.", body = StatusResponse),
        Errors<participation::AttendanceError>,
    ))]
#[post("/applications/{application_id}/attendance")]
pub async fn attendance(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    body: Json<AttendanceRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    let attended = body.value.attended;
    let app = state.run(move |s| Ok(participation::record_attendance(s, &actor, id, attended, now)?)).await?;
    Ok(HttpResponse::Ok().json(StatusResponse { application_id: app.id, status: app.status }))
}

#[derive(Serialize, ToSchema)]
pub struct StatusResponse {
    pub application_id: Uuid,
    #[schema(value_type = codes::ApplicationStatus)]
    pub status: ApplicationStatus,
}

#[derive(Serialize, ToSchema)]
pub struct CompletionResponse {
    pub application_id: Uuid,
    #[schema(value_type = codes::ApplicationStatus)]
    pub status: ApplicationStatus,
    /// Anyone can check it at `GET /v1/certificates/{code}`.
    pub certificate_code: String,
}

/// Mark a placement completed for a participant.
///
/// Who may call: the placement's named hosts and its organisation's coordinators (404 for
/// everyone else), for a participant who attended. Issues a certificate and asks for feedback.
#[utoipa::path(tag = "participation", operation_id = "completePlacement", security(("bearer" = [])),
    params(("application_id" = Uuid, Path)),
    responses(
        (status = 200, description = "Completed, with the certificate code.", body = CompletionResponse),
        Errors<participation::CompleteError>,
    ))]
#[post("/applications/{application_id}/complete")]
pub async fn complete(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    let (app, issued) = state.run(move |s| Ok(participation::complete(s, &actor, id, now)?)).await?;
    Ok(HttpResponse::Ok().json(CompletionResponse {
        application_id: app.id,
        status: app.status,
        certificate_code: issued.code,
    }))
}

/// What a certificate proves, to anyone: the placement, organisation, dates and initials only.
#[derive(Serialize, ToSchema)]
pub struct CertificateResponse {
    pub code: String,
    pub placement_title: String,
    pub organisation_name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// The participant's initials: empty when they gave no name, or when their account was
    /// erased (the certificate still proves the placement and dates).
    pub participant_initials: String,
    pub issued_at: DateTime<Utc>,
    /// For a T-level industry placement: the hours logged for the place, signed off by its
    /// supervisor (absent for other placements).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub t_level_hours: Option<f64>,
}

/// Verify a completion certificate.
///
/// Who may call: anyone with the code (an employer, a university, a college).
#[utoipa::path(tag = "participation", operation_id = "verifyCertificate", security(()),
    params(("code" = String, Path)),
    responses(
        (status = 200, description = "The certificate is genuine.", body = CertificateResponse),
        Errors<participation::CertificateError>,
    ))]
#[get("/certificates/{code}")]
pub async fn certificate(state: web::Data<AppState>, code: web::Path<String>) -> ApiResult<HttpResponse> {
    let code = code.into_inner();
    let participation::VerifiedCertificate { certificate: c, placement, organisation_name } =
        state.run(move |s| Ok(participation::verify_certificate(s, &code)?)).await?;
    Ok(HttpResponse::Ok().json(CertificateResponse {
        code: c.code,
        placement_title: placement.details.title,
        organisation_name,
        start_date: placement.details.start_date,
        end_date: placement.details.end_date,
        participant_initials: c.initials,
        issued_at: c.issued_at,
        t_level_hours: c.t_level_hours.map(|q| q.as_hours()),
    }))
}

/// Give feedback on a completed placement.
///
/// Who may call: the participant, and advocates with an active link to them (404 for everyone
/// else), once the placement is completed; once only. The survey of the Discovery Report's
/// Appendix B.
#[utoipa::path(tag = "participation", operation_id = "giveFeedback", security(("bearer" = [])),
    params(("application_id" = Uuid, Path)),
    request_body(content = ParticipantFeedback, example = json!({"more_likely_to_consider": "a_lot_more_likely", "agreement": {"better_able_to_decide": "agree", "realistic_insights": "strongly_agree"}})),
    responses(
        (status = 201, description = "Thank you.", body = ApplicationResponse),
        Errors<participation::FeedbackError>,
    ))]
#[post("/applications/{application_id}/feedback")]
pub async fn feedback(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    body: Json<ParticipantFeedback>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    let answers: wex_domain::model::participation::ParticipantFeedback = body.value.into();
    let v = state
        .run(move |s| {
            participation::give_feedback(s, &actor, id, &answers, now)?;
            detail(s, s.application(id)?)
        })
        .await?;
    Ok(HttpResponse::Created().json(ApplicationResponse::new(v, now)))
}

/// Give host feedback for a placement.
///
/// Who may call: the placement's named hosts (404 for everyone else); once each.
#[utoipa::path(tag = "participation", operation_id = "giveHostFeedback", security(("bearer" = [])),
    params(("placement_id" = Uuid, Path)),
    request_body(content = HostFeedback, example = json!({"would_host_again": true, "felt_recognised": "partly"})),
    responses(
        (status = 204, description = "Thank you."),
        Errors<participation::HostFeedbackError>,
    ))]
#[post("/placements/{placement_id}/host-feedback")]
pub async fn host_feedback(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    body: Json<HostFeedback>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    let answers: wex_domain::model::participation::HostFeedback = body.value.into();
    state.run(move |s| Ok(participation::give_host_feedback(s, &actor, id, &answers, now)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}
