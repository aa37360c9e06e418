//! Applying for placements, the applicant's dashboard, withdrawing, and the coordinators'
//! name-blind view.
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::advocacy;
use wex_domain::applying;
use wex_domain::model::form;
use wex_domain::selection;

use crate::auth::{Caller, SignedIn};
use crate::errors_doc::Errors;
use crate::extract::{Json, OptionalJson, Query};
use crate::idempotency::{self, Created};
use crate::pagination::{encode_cursor, id_page_request, list_response, next_link, versioned};
use crate::problem::ApiResult;
use crate::routes::organisations::PageQuery;
use crate::state::AppState;
use crate::wire::applications::ApplyRequest;

pub(crate) mod views;

use views::{
    ApplicationFormResponse, ApplicationResponse, ApplicationView, NameBlindApplication, PlacementApplicationsResponse,
    SupportingInformationResponse, detail,
};

/// Read what the application form asks, and why.
///
/// Who may call: anyone, for a published placement (drafts: its coordinators only). Every field
/// the application uses, from the profile and the placement, with whether it is required, why it is
/// asked, who sees it and how long it is kept.
#[utoipa::path(tag = "applications", operation_id = "getApplicationForm", security((), ("bearer" = [])),
    params(("placement_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The form, explained.", body = ApplicationFormResponse),
        Errors<wex_domain::placements::PlacementReadError>,
    ))]
#[get("/placements/{placement_id}/application-form")]
pub async fn application_form(
    state: web::Data<AppState>,
    Caller(actor): Caller,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let placement = state.run(move |s| Ok(wex_domain::placements::get_placement(s, actor.as_ref(), id)?)).await?;
    Ok(HttpResponse::Ok().json(ApplicationFormResponse::new(id, form::application_form(&placement))))
}

/// Apply for a placement.
///
/// Who may call: anyone signed in with a profile (`PUT /v1/me/profile`), or an advocate for an
/// applicant they have an active link to (`on_behalf_of`; 404 otherwise). Each refusal has its own
/// code: `applications_not_open` or `applications_closed` (409), `profile_required`,
/// `privacy_notice_not_accepted`, `age_not_eligible`, `user_group_not_eligible`,
/// `outside_catchment`, `travel_confirmation_required` (422), `already_applied` and
/// `too_many_active_applications` (409). Accepts `Idempotency-Key`.
#[utoipa::path(tag = "applications", operation_id = "applyForPlacement", security(("bearer" = [])),
    params(("placement_id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe.")),
    request_body(content = ApplyRequest, example = json!({"privacy_notice_version": "2026-11-30", "answers": [{"question": 0, "answer": "How they help children walk again after an operation."}]})),
    responses(
        (status = 201, description = "Submitted: the response holds your ticket and the date you will hear by.", body = ApplicationResponse, headers(("Location" = String), ("ETag" = String))),
        Errors<applying::ApplyError>,
    ))]
#[post("/placements/{placement_id}/applications")]
pub async fn apply(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    placement_id: web::Path<Uuid>,
    body: Json<ApplyRequest>,
) -> ApiResult<HttpResponse> {
    let subject = actor.subject.clone();
    let placement_id = placement_id.into_inner();
    let cap = state.active_application_cap;
    idempotency::create(&state, &req, &subject, &body.raw, || async {
        let now = state.now();
        let submitted =
            state.run(move |s| Ok(applying::apply(s, &actor, placement_id, body.value.into(), cap, now)?)).await?;
        let v = ApplicationView::submitted(submitted);
        let (id, version) = (v.application.id, v.application.version);
        Created::new(&ApplicationResponse::new(v, now), format!("/v1/applications/{id}"), Some(version))
    })
    .await
}

/// List my applications (my dashboard).
///
/// Who may call: anyone signed in; only their own applications. In the order they were sent.
#[utoipa::path(tag = "applications", operation_id = "listMyApplications", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, description = "A page of your applications.", body = crate::pagination::List<ApplicationResponse>, headers(("Link" = String)))))]
#[get("/me/applications")]
pub async fn list_mine(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    Query(q): Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let page = id_page_request(q.limit.as_deref(), q.cursor.as_deref())?;
    let now = state.now();
    let (items, next) = state
        .run(move |s| {
            let page = wex_domain::read::applications::mine(s, &actor, &page)?;
            Ok((page.items.into_iter().map(ApplicationView::from).collect(), page.next))
        })
        .await?;
    Ok(list_response(
        &req,
        wex_domain::model::page::Page { items, next },
        |k| k.to_string(),
        |v| ApplicationResponse::new(v, now),
    ))
}

/// Read an application, with its full history and supporting information.
///
/// Who may call: the applicant, and advocates with an active link to them (404 for everyone else).
#[utoipa::path(tag = "applications", operation_id = "getApplication", security(("bearer" = [])),
    params(("application_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The application.", body = ApplicationResponse, headers(("ETag" = String))),
        Errors<applying::HiddenError>,
    ))]
#[get("/applications/{application_id}")]
pub async fn get(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    let v = state
        .run(move |s| {
            let app = applying::read_application(s, &actor, id, now)?;
            detail(s, app)
        })
        .await?;
    let version = v.application.version;
    Ok(versioned(StatusCode::OK, version, &ApplicationResponse::new(v, now)))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "I have found another placement."}))]
pub struct WithdrawRequest {
    /// Optional: why, in a few words (at most 1000 characters).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Withdraw an application.
///
/// Who may call: the applicant, and advocates with an active link to them (404 for everyone
/// else), while it has no outcome. The history
/// records it, and the applicant and any support worker are told.
#[utoipa::path(tag = "applications", operation_id = "withdrawApplication", security(("bearer" = [])),
    params(("application_id" = Uuid, Path)),
    request_body(content = Option<WithdrawRequest>, description = "Optional: send no body at all, or a reason."),
    responses(
        (status = 200, description = "Withdrawn.", body = ApplicationResponse, headers(("ETag" = String))),
        Errors<applying::WithdrawError>,
    ))]
#[post("/applications/{application_id}/withdraw")]
pub async fn withdraw(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    body: OptionalJson<WithdrawRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    let reason = body.0.reason;
    let v = state
        .run(move |s| {
            let app = applying::withdraw(s, &actor, id, reason, now)?;
            detail(s, app)
        })
        .await?;
    let version = v.application.version;
    Ok(versioned(StatusCode::OK, version, &ApplicationResponse::new(v, now)))
}

/// List a placement's applications, name-blind.
///
/// Who may call: coordinators of the placement's organisation (404 for everyone else).
#[utoipa::path(tag = "applications", operation_id = "listPlacementApplications", security(("bearer" = [])),
    params(("placement_id" = Uuid, Path), PageQuery),
    responses(
        (status = 200, description = "A page of applications, with counts by status.", body = PlacementApplicationsResponse, headers(("Link" = String))),
        Errors<wex_domain::placements::PlacementReadError>,
    ))]
#[get("/placements/{placement_id}/applications")]
pub async fn list_for_placement(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    placement_id: web::Path<Uuid>,
    Query(q): Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let page = id_page_request(q.limit.as_deref(), q.cursor.as_deref())?;
    let placement_id = placement_id.into_inner();
    let result = state.run(move |s| Ok(selection::placement_applications(s, &actor, placement_id, &page)?)).await?;
    let next_cursor = result.page.next.map(|k| encode_cursor(&k.to_string()));
    let body = PlacementApplicationsResponse {
        items: result.page.items.into_iter().map(NameBlindApplication::from).collect(),
        counts: result.counts.into_iter().map(|(s, n)| (s.code().to_string(), n)).collect(),
        next_cursor,
    };
    let mut res = HttpResponse::Ok();
    if let Some(c) = &body.next_cursor {
        res.insert_header((header::LINK, next_link(&req, c)));
    }
    Ok(res.json(body))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"text": "Jo has been volunteering at a care home on Saturdays and is keen to see nursing in a hospital."}))]
pub struct SupportingInformationRequest {
    /// 1 to 4000 characters. Avoid the applicant's name: coordinators may read it later.
    pub text: String,
}

/// Add supporting information to an application.
///
/// Who may call: advocates with an active link to the applicant, such as the support worker the
/// application names once they have accepted their invitation (404 for everyone else).
#[utoipa::path(tag = "advocates", operation_id = "addSupportingInformation", security(("bearer" = [])),
    params(("application_id" = Uuid, Path)),
    request_body = SupportingInformationRequest,
    responses(
        (status = 201, description = "Added.", body = SupportingInformationResponse),
        Errors<advocacy::SupportingInformationError>,
    ))]
#[post("/applications/{application_id}/supporting-information")]
pub async fn add_supporting_information(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    body: Json<SupportingInformationRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let text = body.value.text;
    let now = state.now();
    let info = state.run(move |s| Ok(advocacy::add_supporting_information(s, &actor, id, &text, now)?)).await?;
    Ok(HttpResponse::Created().json(SupportingInformationResponse::from(info)))
}
