//! Applying for placements, the applicant's dashboard, withdrawing, and the coordinators'
//! name-blind view.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::DomainError;
use wex_domain::advocacy;
use wex_domain::applying;
use wex_domain::messages::outcome;
use wex_domain::model::advocacy::SupportingInformation;
use wex_domain::model::application::{
    Answer, Application, ApplicationEvent, ApplicationStatus, ApplyRequest, ChangedBy,
};
use wex_domain::model::auth::Role;
use wex_domain::model::form;
use wex_domain::model::form::ApplicationForm;
use wex_domain::model::name_blind::NameBlind;
use wex_domain::model::offer::{Offer, OfferStatus};
use wex_domain::model::placement::Placement;
use wex_domain::model::reference::PlacementStatus;
use wex_domain::offers;
use wex_domain::ports::Store;
use wex_domain::selection;

use crate::auth::{Caller, SignedIn};
use crate::extract::{Json, OptionalJson, Query};
use crate::idempotency::{self, Created};
use crate::pagination::{encode_cursor, id_page_request, list_response, next_link, versioned};
use crate::problem::{ApiResult, Problem};
use crate::routes::organisations::PageQuery;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct FormFieldResponse {
    /// Where the value goes: `profile/...` in your profile, `application/...` when you apply.
    #[schema(example = "profile/care_experienced")]
    pub field: String,
    pub label: String,
    pub required: bool,
    /// When the field is required only in some cases, which.
    pub required_when: Option<String>,
    pub why_we_ask: String,
    pub who_sees_it: String,
    pub kept_for: String,
    pub guidance: Option<String>,
    pub max_length: Option<u16>,
}

#[derive(Serialize, ToSchema)]
pub struct ApplicationFormResponse {
    pub placement_id: Uuid,
    /// Send this as `privacy_notice_version` when applying.
    pub privacy_notice_version: &'static str,
    pub who_can_apply: String,
    pub fields: Vec<FormFieldResponse>,
    /// What the form never asks.
    pub not_asked: Vec<&'static str>,
}

impl ApplicationFormResponse {
    fn new(placement_id: Uuid, f: ApplicationForm) -> Self {
        Self {
            placement_id,
            privacy_notice_version: f.privacy_notice_version,
            who_can_apply: f.who_can_apply,
            fields: f
                .fields
                .into_iter()
                .map(|x| FormFieldResponse {
                    field: x.field,
                    label: x.label,
                    required: x.required,
                    required_when: x.required_when,
                    why_we_ask: x.why_we_ask,
                    who_sees_it: x.who_sees_it,
                    kept_for: x.kept_for,
                    guidance: x.guidance,
                    max_length: x.max_length,
                })
                .collect(),
            not_asked: f.not_asked,
        }
    }
}

/// Read what the application form asks, and why.
///
/// Who may call: anyone, for a published placement (drafts: its coordinators only). Every field
/// the application uses, from the profile and the placement, with whether it is required, why it is
/// asked, who sees it and how long it is kept.
#[utoipa::path(tag = "applications", operation_id = "getApplicationForm", security((), ("bearer" = [])),
    params(("placement_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The form, explained.", body = ApplicationFormResponse),
        (status = 404, description = "No such placement, or a draft you may not see.", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/placements/{placement_id}/application-form")]
pub async fn application_form(
    state: web::Data<AppState>,
    Caller(actor): Caller,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let placement = state.run(move |s| wex_domain::placements::get_placement(s, actor.as_ref(), id)).await?;
    Ok(HttpResponse::Ok().json(ApplicationFormResponse::new(id, form::application_form(&placement))))
}

#[derive(Serialize, ToSchema)]
pub struct PlacementBrief {
    pub id: Uuid,
    pub title: String,
    pub organisation_name: String,
    pub status: PlacementStatus,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub closes_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    pub from: Option<ApplicationStatus>,
    pub to: ApplicationStatus,
    /// Who made the change.
    pub by: ChangedBy,
    pub reason: Option<String>,
}

impl From<ApplicationEvent> for HistoryEntry {
    fn from(e: ApplicationEvent) -> Self {
        Self { at: e.at, from: e.from, to: e.to, by: e.actor_role, reason: e.reason }
    }
}

/// An application as its applicant sees it.
#[derive(Serialize, ToSchema)]
pub struct ApplicationResponse {
    pub id: Uuid,
    pub status: ApplicationStatus,
    /// Your ticket in the draw: check it in the public draw record.
    pub ticket: Uuid,
    /// The date by which you will hear the outcome.
    pub outcome_expected_by: NaiveDate,
    pub placement: PlacementBrief,
    /// What happens next, in plain words.
    pub what_happens_next: String,
    /// What you need to do now, if anything.
    pub what_you_need_to_do: String,
    pub submitted_at: DateTime<Utc>,
    /// Who sent it: the applicant, or an advocate on their behalf.
    pub submitted_by: Role,
    pub privacy_notice_version: String,
    pub answers: Vec<Answer>,
    pub can_travel: Option<bool>,
    /// Every change of status, oldest first (on `GET /v1/applications/{application_id}` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<HistoryEntry>>,
    /// What advocates added to support it (on `GET /v1/applications/{application_id}` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supporting_information: Option<Vec<SupportingInformationResponse>>,
    /// The offer of a place, once one is made.
    pub offer: Option<OfferResponse>,
    /// The applicant's number on the waiting list (1 = next), while on it.
    pub waiting_list_number: Option<u32>,
    /// When the outcome was given; `outcome_on_time` says whether it was by `outcome_expected_by`.
    pub outcome_at: Option<DateTime<Utc>>,
    pub outcome_on_time: Option<bool>,
    /// The outcome in plain words: entries and places, tier and why, position (on
    /// `GET /v1/applications/{application_id}` once drawn).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome_explained: Option<String>,
    pub version: i64,
}

/// An application with what its response names.
pub(crate) struct ApplicationView {
    pub(crate) application: Application,
    placement: Placement,
    organisation_name: String,
    offer: Option<Offer>,
    waiting: Option<u32>,
    history: Option<Vec<ApplicationEvent>>,
    supporting: Option<Vec<SupportingInformation>>,
    outcome: Option<String>,
}

/// The offer of a place on an application.
#[derive(Serialize, ToSchema)]
pub struct OfferResponse {
    pub id: Uuid,
    pub status: OfferStatus,
    /// Answer by this time, or the place goes to the next person waiting.
    pub respond_by: DateTime<Utc>,
    pub responded_at: Option<DateTime<Utc>>,
}

impl From<Offer> for OfferResponse {
    fn from(o: Offer) -> Self {
        Self { id: o.id, status: o.status, respond_by: o.respond_by, responded_at: o.responded_at }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SupportingInformationResponse {
    pub id: Uuid,
    pub text: String,
    pub added_at: DateTime<Utc>,
}

impl From<SupportingInformation> for SupportingInformationResponse {
    fn from(i: SupportingInformation) -> Self {
        Self { id: i.id, text: i.text, added_at: i.created_at }
    }
}

pub(crate) fn views(store: &dyn Store, apps: Vec<Application>) -> Result<Vec<ApplicationView>, DomainError> {
    let ids: Vec<Uuid> = apps.iter().map(|a| a.placement_id).collect();
    let placements = store.placements_by_ids(&ids)?;
    let org_ids: Vec<Uuid> = placements.iter().map(|p| p.organisation_id).collect();
    let orgs = store.organisations_by_ids(&org_ids)?;
    apps.into_iter()
        .map(|application| {
            let placement =
                placements.iter().find(|p| p.id == application.placement_id).cloned().ok_or(DomainError::NotFound)?;
            let organisation_name = orgs
                .iter()
                .find(|o| o.id == placement.organisation_id)
                .map(|o| o.input.name.clone())
                .unwrap_or_default();
            let offer = store.offer_of_application(application.id)?;
            let waiting = offers::waiting_number(store, &application)?;
            Ok(ApplicationView {
                application,
                placement,
                organisation_name,
                offer,
                waiting,
                history: None,
                supporting: None,
                outcome: None,
            })
        })
        .collect()
}

impl ApplicationResponse {
    pub(crate) fn new(v: ApplicationView, now: DateTime<Utc>) -> Self {
        let (next, todo) = outcome::next_steps(&v.application, &v.placement, v.offer.as_ref(), v.waiting);
        let a = v.application;
        let p = v.placement;
        Self {
            id: a.id,
            status: a.status,
            ticket: a.ticket,
            outcome_expected_by: a.outcome_expected_by,
            placement: PlacementBrief {
                id: p.id,
                status: p.status_at(now),
                title: p.details.title,
                organisation_name: v.organisation_name,
                start_date: p.details.start_date,
                end_date: p.details.end_date,
                closes_at: p.details.closes_at,
            },
            what_happens_next: next,
            what_you_need_to_do: todo,
            submitted_at: a.created_at,
            submitted_by: a.submitted_by.role,
            privacy_notice_version: a.privacy_notice_version,
            answers: a.answers,
            can_travel: a.can_travel,
            history: v.history.map(|h| h.into_iter().map(HistoryEntry::from).collect()),
            supporting_information: v
                .supporting
                .map(|x| x.into_iter().map(SupportingInformationResponse::from).collect()),
            offer: v.offer.map(OfferResponse::from),
            waiting_list_number: v.waiting,
            outcome_at: a.outcome_at,
            outcome_on_time: a.outcome_at.map(|t| t.date_naive() <= a.outcome_expected_by),
            outcome_explained: v.outcome,
            version: a.version,
        }
    }
}

pub(crate) fn detail(store: &dyn Store, application: Application) -> Result<ApplicationView, DomainError> {
    let history = store.events_of(application.id)?;
    let supporting = store.supporting_information_of(application.id)?;
    let drawn = store.draw(application.placement_id)?;
    let mut view = views(store, vec![application])?.pop().ok_or(DomainError::NotFound)?;
    view.outcome = drawn.and_then(|d| outcome::explain_outcome(&view.application, &view.placement, &d, view.waiting));
    view.history = Some(history);
    view.supporting = Some(supporting);
    Ok(view)
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
    request_body(content = ApplyRequest, example = json!({"privacy_notice_version": "2026-11-29", "answers": [{"question": 0, "answer": "How they help children walk again after an operation."}]})),
    responses(
        (status = 201, description = "Submitted: the response holds your ticket and the date you will hear by.", body = ApplicationResponse, headers(("Location" = String), ("ETag" = String))),
        (status = 404, description = "No such placement.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not open, closed, already applied, or too many active applications.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not eligible, no profile, privacy notice not accepted, or invalid answers.", body = Problem, content_type = "application/problem+json"),
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
        let v = state
            .run(move |s| {
                let app = applying::apply(s, &actor, placement_id, body.value, cap, now)?;
                detail(s, app)
            })
            .await?;
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
            let profile = match s.profile_by_subject(&actor.subject) {
                Ok(p) => p,
                Err(wex_domain::StoreError::NotFound) => return Ok((Vec::new(), None)),
                Err(e) => return Err(e.into()),
            };
            let page = s.applications_of_profile(profile.id, &page)?;
            Ok((views(s, page.items)?, page.next))
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
        (status = 404, description = "No such application of yours.", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/applications/{application_id}")]
pub async fn get(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let v = state
        .run(move |s| {
            let (app, _, _) = applying::visible_application(s, &actor, id)?;
            detail(s, app)
        })
        .await?;
    let version = v.application.version;
    Ok(versioned(StatusCode::OK, version, &ApplicationResponse::new(v, state.now())))
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
        (status = 404, description = "No such application of yours.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already withdrawn or decided.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The reason is too long.", body = Problem, content_type = "application/problem+json"),
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

/// An application as coordinators see it: no name, contact details, date of birth, postcode,
/// school, support worker or equality data.
#[derive(Serialize, ToSchema)]
pub struct NameBlindApplication {
    pub id: Uuid,
    pub ticket: Uuid,
    pub status: ApplicationStatus,
    pub submitted_at: DateTime<Utc>,
    /// Meets the placement's age rule on its start date.
    pub meets_age_rule: bool,
    /// Belongs to one of the placement's user groups (always true when it has none).
    pub meets_user_group_rule: bool,
    /// Lives in the placement's area; `null` when it has none, or for applicants with no fixed address.
    pub in_catchment: Option<bool>,
    pub submitted_by: Role,
    /// Free-text answers, as written.
    pub answers: Vec<Answer>,
    /// For name-blind review placements: the review so far (`null` until reviewed).
    pub meets_criteria: Option<bool>,
}

impl From<NameBlind> for NameBlindApplication {
    fn from(n: NameBlind) -> Self {
        Self {
            id: n.id,
            ticket: n.ticket,
            status: n.status,
            submitted_at: n.submitted_at,
            meets_age_rule: n.meets_age_rule,
            meets_user_group_rule: n.meets_user_group_rule,
            in_catchment: n.in_catchment,
            submitted_by: n.submitted_by_role,
            answers: n.answers,
            meets_criteria: n.meets_criteria,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PlacementApplicationsResponse {
    pub items: Vec<NameBlindApplication>,
    pub next_cursor: Option<String>,
    /// How many applications the placement has in each status (all pages).
    #[schema(example = json!({"submitted": 12, "withdrawn": 1}))]
    pub counts: BTreeMap<String, i64>,
}

/// List a placement's applications, name-blind.
///
/// Who may call: coordinators of the placement's organisation (404 for everyone else).
#[utoipa::path(tag = "applications", operation_id = "listPlacementApplications", security(("bearer" = [])),
    params(("placement_id" = Uuid, Path), PageQuery),
    responses(
        (status = 200, description = "A page of applications, with counts by status.", body = PlacementApplicationsResponse, headers(("Link" = String))),
        (status = 404, description = "No such placement among those you manage.", body = Problem, content_type = "application/problem+json"),
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
    let result = state.run(move |s| selection::placement_applications(s, &actor, placement_id, &page)).await?;
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
        (status = 404, description = "No such application of someone you act for.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The application is no longer waiting for an outcome.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty or too long.", body = Problem, content_type = "application/problem+json"),
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
    let info = state.run(move |s| advocacy::add_supporting_information(s, &actor, id, &text, now)).await?;
    Ok(HttpResponse::Created().json(SupportingInformationResponse::from(info)))
}
