//! Proposals: a provider coordinator proposes a student for a T level placement arranged by
//! agreement, follows it and may withdraw it; the placement's coordinators see the proposals and
//! accept or decline them.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::model::application::{Application, ApplicationStatus};
use wex_domain::providers::{self, Proposal, StudentPlacement};

use crate::auth::SignedIn;
use crate::errors_doc::Errors;
use crate::extract::{Json, Query};
use crate::idempotency::{self, Created};
use crate::pagination::{List, id_page_request, list_response};
use crate::problem::ApiResult;
use crate::routes::organisations::PageQuery;
use crate::state::AppState;
use crate::wire::codes;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"placement_id": "019360a0-0000-7000-8000-000000000001", "note": "Covers the occupational specialism's patient-care unit."}))]
pub struct ProposeRequest {
    /// A published T level industry placement arranged by agreement.
    pub placement_id: Uuid,
    /// What the organisation should know about the match (1 to 2000 characters); optional.
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Our ward cannot supervise a second student in that week."}))]
pub struct DeclineRequest {
    /// Why the proposal is declined (1 to 500 characters): the college sees it. Name no one.
    pub reason: String,
}

/// A proposal or placement of a student, as their provider follows it.
#[derive(Serialize, ToSchema)]
pub struct StudentProposalResponse {
    /// The application the proposal is.
    pub id: Uuid,
    pub profile_id: Uuid,
    pub placement_id: Uuid,
    pub placement_title: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// `submitted` while the organisation decides; `accepted` (and then `attended`, `completed`)
    /// once it accepted; `not_selected` when it declined; `withdrawn` when the college withdrew it.
    #[schema(value_type = codes::ApplicationStatus)]
    pub status: ApplicationStatus,
    pub proposed_at: DateTime<Utc>,
    /// When the organisation decided.
    pub decided_at: Option<DateTime<Utc>>,
    /// Why the organisation declined, when it did.
    pub decline_reason: Option<String>,
    pub version: i64,
}

impl StudentProposalResponse {
    fn new(s: StudentPlacement) -> Self {
        let StudentPlacement { application: a, placement: p, decline_reason } = s;
        Self {
            id: a.id,
            profile_id: a.profile_id,
            placement_id: p.id,
            placement_title: p.details.title,
            start_date: p.details.start_date,
            end_date: p.details.end_date,
            status: a.status,
            proposed_at: a.created_at,
            decided_at: a.outcome_at,
            decline_reason,
            version: a.version,
        }
    }

    /// A proposal just changed by the caller, who knows the placement.
    fn changed(a: Application, placement: (String, NaiveDate, NaiveDate)) -> Self {
        Self {
            id: a.id,
            profile_id: a.profile_id,
            placement_id: a.placement_id,
            placement_title: placement.0,
            start_date: placement.1,
            end_date: placement.2,
            status: a.status,
            proposed_at: a.created_at,
            decided_at: a.outcome_at,
            decline_reason: None,
            version: a.version,
        }
    }
}

/// The college's education provider, as the organisation deciding sees it.
#[derive(Serialize, ToSchema)]
pub struct ProviderBrief {
    pub id: Uuid,
    pub name: String,
}

/// A proposal with what the organisation needs to decide on it.
#[derive(Serialize, ToSchema)]
pub struct ProposalResponse {
    /// The application the proposal is.
    pub id: Uuid,
    #[schema(value_type = codes::ApplicationStatus)]
    pub status: ApplicationStatus,
    pub profile_id: Uuid,
    /// What the student likes to be called, if the college gave it.
    pub student_name: Option<String>,
    pub course: String,
    pub provider: ProviderBrief,
    /// The college's notes on the match, oldest first.
    pub notes: Vec<String>,
    pub proposed_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub version: i64,
}

impl From<Proposal> for ProposalResponse {
    fn from(p: Proposal) -> Self {
        Self {
            id: p.application.id,
            status: p.application.status,
            profile_id: p.profile.id,
            student_name: p.profile.input.preferred_name,
            course: p.student.course,
            provider: ProviderBrief { id: p.provider.id, name: p.provider.input.name },
            notes: p.notes.into_iter().map(|n| n.text).collect(),
            proposed_at: p.application.created_at,
            decided_at: p.application.outcome_at,
            version: p.application.version,
        }
    }
}

/// A decision on a proposal: the application as it now stands.
#[derive(Serialize, ToSchema)]
pub struct DecisionResponse {
    pub id: Uuid,
    pub placement_id: Uuid,
    #[schema(value_type = codes::ApplicationStatus)]
    pub status: ApplicationStatus,
    pub decided_at: Option<DateTime<Utc>>,
    pub version: i64,
}

impl From<Application> for DecisionResponse {
    fn from(a: Application) -> Self {
        Self { id: a.id, placement_id: a.placement_id, status: a.status, decided_at: a.outcome_at, version: a.version }
    }
}

/// Propose a student for a T level placement.
///
/// Who may call: provider coordinators of the student's education provider (404 for everyone
/// else). The placement must be a published T level industry placement arranged by agreement
/// (`422 not_arranged_by_agreement` otherwise) taking proposals now. The organisation then accepts
/// or declines. Accepts `Idempotency-Key`.
#[utoipa::path(tag = "providers", operation_id = "proposeStudent", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), ("profile_id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe.")),
    request_body = ProposeRequest,
    responses(
        (status = 201, description = "Proposed: waiting for the organisation's decision.", body = StudentProposalResponse, headers(("Location" = String))),
        Errors<providers::ProposeError>,
    ))]
#[post("/organisations/{organisation_id}/students/{profile_id}/proposals")]
pub async fn propose(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<ProposeRequest>,
) -> ApiResult<HttpResponse> {
    let (organisation_id, profile_id) = path.into_inner();
    let subject = actor.subject.clone();
    idempotency::create(&state, &req, &subject, &body.raw, || async {
        let now = state.now();
        let request = providers::ProposeRequest { placement_id: body.value.placement_id, note: body.value.note };
        let (app, placement) = state
            .run(move |s| {
                let app = providers::propose(s, &actor, organisation_id, profile_id, request, now)?;
                let p = s.placement(app.placement_id)?;
                Ok((app, (p.details.title, p.details.start_date, p.details.end_date)))
            })
            .await?;
        let location = format!("/v1/organisations/{organisation_id}/students/{profile_id}/proposals");
        Created::new(&StudentProposalResponse::changed(app, placement), location, None)
    })
    .await
}

/// List a student's proposals and placements.
///
/// Who may call: provider coordinators of the student's education provider (404 for everyone
/// else). Each proposal with its status and, when declined, the organisation's reason. The read
/// is written to the audit trail.
#[utoipa::path(tag = "providers", operation_id = "listStudentProposals", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), ("profile_id" = Uuid, Path), PageQuery),
    responses(
        (status = 200, description = "A page of proposals.", body = List<StudentProposalResponse>, headers(("Link" = String))),
        Errors<providers::StudentAccessError>,
    ))]
#[get("/organisations/{organisation_id}/students/{profile_id}/proposals")]
pub async fn list_student_proposals(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    path: web::Path<(Uuid, Uuid)>,
    Query(q): Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let page = id_page_request(q.limit.as_deref(), q.cursor.as_deref())?;
    let (organisation_id, profile_id) = path.into_inner();
    let now = state.now();
    let result = state
        .run(move |s| Ok(providers::student_applications(s, &actor, organisation_id, profile_id, &page, now)?))
        .await?;
    Ok(list_response(&req, result, |k| k.to_string(), StudentProposalResponse::new))
}

/// Withdraw a proposal.
///
/// Who may call: provider coordinators of the student's education provider (404 for everyone
/// else), while the organisation has not decided (`409 proposal_not_pending` after).
#[utoipa::path(tag = "providers", operation_id = "withdrawProposal", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), ("profile_id" = Uuid, Path), ("application_id" = Uuid, Path)),
    responses(
        (status = 200, description = "Withdrawn.", body = DecisionResponse),
        Errors<providers::WithdrawProposalError>,
    ))]
#[post("/organisations/{organisation_id}/students/{profile_id}/proposals/{application_id}/withdraw")]
pub async fn withdraw(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    path: web::Path<(Uuid, Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (organisation_id, profile_id, application_id) = path.into_inner();
    let now = state.now();
    let app = state
        .run(move |s| Ok(providers::withdraw_proposal(s, &actor, organisation_id, profile_id, application_id, now)?))
        .await?;
    Ok(HttpResponse::Ok().json(DecisionResponse::from(app)))
}

/// List the proposals for a placement.
///
/// Who may call: coordinators of the placement's organisation, for a T level placement arranged
/// by agreement (404 for everyone else). Each proposal shows the student's name, course and
/// college and the college's note, so each one shown is written to the audit trail.
#[utoipa::path(tag = "providers", operation_id = "listPlacementProposals", security(("bearer" = [])),
    params(("placement_id" = Uuid, Path), PageQuery),
    responses(
        (status = 200, description = "A page of proposals.", body = List<ProposalResponse>, headers(("Link" = String))),
        Errors<providers::PlacementProposalsError>,
    ))]
#[get("/placements/{placement_id}/proposals")]
pub async fn list_for_placement(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    Query(q): Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let page = id_page_request(q.limit.as_deref(), q.cursor.as_deref())?;
    let placement_id = id.into_inner();
    let now = state.now();
    let result = state.run(move |s| Ok(providers::placement_proposals(s, &actor, placement_id, &page, now)?)).await?;
    Ok(list_response(&req, result, |k| k.to_string(), ProposalResponse::from))
}

/// Accept a proposal.
///
/// Who may call: coordinators of the placement's organisation (404 for everyone else). The
/// student is offered the place and it is accepted at once: it counts against the placement's
/// capacity like any accepted place (`409 no_places_left` when every place is taken), and hosts,
/// attendance, completion and the certificate follow as for anyone else.
#[utoipa::path(tag = "providers", operation_id = "acceptProposal", security(("bearer" = [])),
    params(("placement_id" = Uuid, Path), ("application_id" = Uuid, Path)),
    responses(
        (status = 200, description = "Accepted: the student has the place.", body = DecisionResponse),
        Errors<providers::AcceptProposalError>,
    ))]
#[post("/placements/{placement_id}/proposals/{application_id}/accept")]
pub async fn accept(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (placement_id, application_id) = path.into_inner();
    let now = state.now();
    let app = state.run(move |s| Ok(providers::accept_proposal(s, &actor, placement_id, application_id, now)?)).await?;
    Ok(HttpResponse::Ok().json(DecisionResponse::from(app)))
}

/// Decline a proposal.
///
/// Who may call: coordinators of the placement's organisation (404 for everyone else). The
/// reason is shown to the college.
#[utoipa::path(tag = "providers", operation_id = "declineProposal", security(("bearer" = [])),
    params(("placement_id" = Uuid, Path), ("application_id" = Uuid, Path)),
    request_body = DeclineRequest,
    responses(
        (status = 200, description = "Declined.", body = DecisionResponse),
        Errors<providers::DeclineProposalError>,
    ))]
#[post("/placements/{placement_id}/proposals/{application_id}/decline")]
pub async fn decline(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<DeclineRequest>,
) -> ApiResult<HttpResponse> {
    let (placement_id, application_id) = path.into_inner();
    let now = state.now();
    let reason = body.value.reason;
    let app = state
        .run(move |s| Ok(providers::decline_proposal(s, &actor, placement_id, application_id, &reason, now)?))
        .await?;
    Ok(HttpResponse::Ok().json(DecisionResponse::from(app)))
}
