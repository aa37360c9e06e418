//! T-level industry placements on an accepted place: the three-way agreement and its
//! confirmations, the supervisor's hours logs, progress against the 315 hours, and the reviews.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::model::t_level::{Agreement, HoursEntry, Party, Pattern, Progress, TARGET_HOURS, Terms};
use wex_domain::t_level::{self, Parts};

use crate::auth::SignedIn;
use crate::errors_doc::Errors;
use crate::extract::{Json, if_match, require_if_match};
use crate::pagination::versioned;
use crate::problem::{ApiResult, Problem};
use crate::state::AppState;
use crate::wire::codes;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "objectives": "Take part in running a pathology laboratory: sample reception, quality checks, and reporting.",
    "pattern": "day_release", "supervisor": "host-pathology-3", "planned_hours": 315,
    "start_date": "2027-01-11", "end_date": "2027-06-25"}))]
pub struct AgreementRequest {
    /// What the student will learn and do (1 to 4000 characters).
    pub objectives: String,
    #[schema(value_type = codes::TLevelPattern)]
    pub pattern: Pattern,
    /// The account subject of the supervisor: a host of the organisation. Naming them makes them
    /// a host of the placement if they are not already.
    pub supervisor: String,
    /// The hours planned at this employer (1 to 630).
    pub planned_hours: u32,
    /// Within the placement's dates.
    pub start_date: NaiveDate,
    /// On or after `start_date`, within the placement's dates.
    pub end_date: NaiveDate,
}

#[derive(Serialize, ToSchema)]
pub struct Confirmations {
    pub employer: Option<DateTime<Utc>>,
    pub provider: Option<DateTime<Utc>>,
    pub student: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct AgreementResponse {
    pub application_id: Uuid,
    pub placement_id: Uuid,
    pub objectives: String,
    #[schema(value_type = codes::TLevelPattern)]
    pub pattern: Pattern,
    pub supervisor: String,
    pub planned_hours: u32,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// When each party confirmed these terms (`null`: not yet). Changing the terms clears them.
    pub confirmations: Confirmations,
    /// All three confirmed: hours and reviews may be recorded.
    pub confirmed: bool,
    /// The parties the caller may confirm for.
    #[schema(value_type = Vec<codes::TLevelParty>)]
    pub you_may_confirm_as: Vec<Party>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl AgreementResponse {
    fn new(a: Agreement, parts: Parts) -> Self {
        let mut you_may_confirm_as = Vec::new();
        for (party, may) in
            [(Party::Employer, parts.employer), (Party::Provider, parts.provider), (Party::Student, parts.student)]
        {
            if may {
                you_may_confirm_as.push(party);
            }
        }
        AgreementResponse {
            application_id: a.application_id,
            placement_id: a.placement_id,
            objectives: a.terms.objectives,
            pattern: a.terms.pattern,
            supervisor: a.terms.supervisor,
            planned_hours: a.terms.planned_hours,
            start_date: a.terms.start_date,
            end_date: a.terms.end_date,
            confirmed: a.confirmations.all(),
            confirmations: Confirmations {
                employer: a.confirmations.employer,
                provider: a.confirmations.provider,
                student: a.confirmations.student,
            },
            you_may_confirm_as,
            version: a.version,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

/// Record or replace a T-level placement agreement.
///
/// Who may call: coordinators of the placement's organisation (the employer); the other parties
/// get 403 `coordinator_role_required`, everyone else 404, as does an application that is not an
/// accepted place on a `t_level_industry_placement`. Without `If-Match` it records the first
/// terms (201); replacing them needs `If-Match` (428 without), and a change clears every
/// confirmation. A student's places have at most two agreements (employers).
#[utoipa::path(tag = "t-level", operation_id = "putTLevelAgreement", security(("bearer" = [])),
    params(("application_id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The ETag you read; required to replace terms.")),
    request_body = AgreementRequest,
    responses(
        (status = 201, description = "Recorded.", body = AgreementResponse, headers(("ETag" = String))),
        (status = 200, description = "Replaced (confirmations cleared if the terms changed).", body = AgreementResponse, headers(("ETag" = String))),
        (status = 428, description = "Replacing terms without If-Match.", body = Problem, content_type = "application/problem+json"),
        Errors<t_level::RecordAgreementError>,
    ))]
#[put("/applications/{application_id}/t-level/agreement")]
pub async fn put_agreement(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    body: Json<AgreementRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let expected = if_match(&req)?;
    let now = state.now();
    let b = body.value;
    let terms = Terms {
        objectives: b.objectives,
        pattern: b.pattern,
        supervisor: b.supervisor,
        planned_hours: b.planned_hours,
        start_date: b.start_date,
        end_date: b.end_date,
    };
    let (a, parts) = state
        .run(move |s| {
            t_level::record_agreement(s, &actor, id, terms, expected, now)?;
            Ok(t_level::agreement(s, &actor, id)?)
        })
        .await?;
    let status = if expected.is_some() { StatusCode::OK } else { StatusCode::CREATED };
    Ok(versioned(status, a.version, &AgreementResponse::new(a, parts)))
}

/// Read a T-level placement agreement.
///
/// Who may call: the parties: coordinators of the placement's organisation, the supervisor, the
/// student (or their advocate) and the student's education provider (404 for everyone else, and
/// before an agreement is recorded).
#[utoipa::path(tag = "t-level", operation_id = "getTLevelAgreement", security(("bearer" = [])),
    params(("application_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The agreement.", body = AgreementResponse, headers(("ETag" = String))),
        Errors<t_level::HiddenPlaceError>,
    ))]
#[get("/applications/{application_id}/t-level/agreement")]
pub async fn get_agreement(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let (a, parts) = state.run(move |s| Ok(t_level::agreement(s, &actor, id)?)).await?;
    Ok(versioned(StatusCode::OK, a.version, &AgreementResponse::new(a, parts)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"party": "student"}))]
pub struct ConfirmRequest {
    /// The party you confirm for: `employer` (a coordinator), `provider` (the student's
    /// education provider) or `student` (the student or their advocate).
    #[schema(value_type = codes::TLevelParty)]
    pub party: Party,
}

/// Confirm a T-level placement agreement for one party.
///
/// Who may call: a party, for itself (403 `not_a_party` for another party; 404 for anyone with no
/// part in the place). `If-Match` is required: you confirm the terms you read. Confirming again
/// changes nothing.
#[utoipa::path(tag = "t-level", operation_id = "confirmTLevelAgreement", security(("bearer" = [])),
    params(("application_id" = Uuid, Path), ("If-Match" = String, Header, description = "The ETag you read.")),
    request_body = ConfirmRequest,
    responses(
        (status = 200, description = "Confirmed.", body = AgreementResponse, headers(("ETag" = String))),
        (status = 428, description = "If-Match is missing.", body = Problem, content_type = "application/problem+json"),
        Errors<t_level::ConfirmError>,
    ))]
#[post("/applications/{application_id}/t-level/agreement/confirmations")]
pub async fn confirm(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    body: Json<ConfirmRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let viewer = actor.clone();
    // Someone with no part in the place learns nothing, not even that If-Match is missing.
    state.run(move |s| Ok(t_level::agreement(s, &viewer, id)?)).await?;
    let expected = require_if_match(&req)?;
    let now = state.now();
    let party = body.value.party;
    let (a, parts) = state
        .run(move |s| {
            t_level::confirm_agreement(s, &actor, id, party, expected, now)?;
            Ok(t_level::agreement(s, &actor, id)?)
        })
        .await?;
    Ok(versioned(StatusCode::OK, a.version, &AgreementResponse::new(a, parts)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date": "2027-01-11", "hours": 7.5}))]
pub struct HoursRequest {
    /// The day worked: within the agreement's dates, not in the future.
    pub date: NaiveDate,
    /// Hours worked that day, in quarter hours (7.25, not 7.3), more than 0 and at most 24.
    pub hours: f64,
}

#[derive(Serialize, ToSchema)]
pub struct HoursEntryResponse {
    pub id: Uuid,
    pub application_id: Uuid,
    pub date: NaiveDate,
    pub hours: f64,
    /// The supervisor who logged (signed off) the hours.
    pub logged_by: String,
    pub logged_at: DateTime<Utc>,
    /// 1 for the day's first log; each correction adds one.
    pub version: i64,
}

impl From<HoursEntry> for HoursEntryResponse {
    fn from(e: HoursEntry) -> Self {
        HoursEntryResponse {
            id: e.id,
            application_id: e.application_id,
            date: e.day,
            hours: e.hours.as_hours(),
            logged_by: e.logged_by,
            logged_at: e.logged_at,
            version: e.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct HoursList {
    /// Every logged day of the place, oldest first (a place's days are few enough for one page).
    pub items: Vec<HoursEntryResponse>,
    pub next_cursor: Option<String>,
}

/// Log a day's T-level hours.
///
/// Who may call: the agreement's supervisor (a host of the organisation). Other parties to the
/// place (coordinators included) get 403 `supervisor_only`; anyone else 404. The log is the
/// supervisor's sign-off; logging the same day again corrects it (200). Refused: before all three
/// parties confirmed (409), a day outside the agreement's dates or in the future (422 `/date`),
/// and over the working-time limits counting every employer (422 `/hours`): under 18 on the day,
/// 8 hours a day and 40 a week (Monday to Sunday); otherwise 12 hours a day.
#[utoipa::path(tag = "t-level", operation_id = "logTLevelHours", security(("bearer" = [])),
    params(("application_id" = Uuid, Path)),
    request_body = HoursRequest,
    responses(
        (status = 201, description = "Logged.", body = HoursEntryResponse),
        (status = 200, description = "The day's entry corrected.", body = HoursEntryResponse),
        Errors<t_level::LogHoursError>,
    ))]
#[post("/applications/{application_id}/t-level/hours")]
pub async fn log_hours(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    body: Json<HoursRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    let HoursRequest { date, hours } = body.value;
    let logged = state.run(move |s| Ok(t_level::log_hours(s, &actor, id, date, hours, now)?)).await?;
    let status = if logged.first { StatusCode::CREATED } else { StatusCode::OK };
    Ok(HttpResponse::build(status).json(HoursEntryResponse::from(logged.entry)))
}

/// List a T-level place's logged hours.
///
/// Who may call: the parties to the place (404 for everyone else).
#[utoipa::path(tag = "t-level", operation_id = "listTLevelHours", security(("bearer" = [])),
    params(("application_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The logged days.", body = HoursList),
        Errors<t_level::HiddenPlaceError>,
    ))]
#[get("/applications/{application_id}/t-level/hours")]
pub async fn list_hours(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let entries = state.run(move |s| Ok(t_level::hours_of(s, &actor, id)?)).await?;
    Ok(HttpResponse::Ok().json(HoursList { items: entries.into_iter().map(Into::into).collect(), next_cursor: None }))
}

#[derive(Serialize, ToSchema)]
pub struct PlaceProgress {
    pub application_id: Uuid,
    pub placement_id: Uuid,
    pub planned_hours: u32,
    pub logged_hours: f64,
}

#[derive(Serialize, ToSchema)]
pub struct ProgressResponse {
    /// The hours a T level requires: 315.
    pub target_hours: u32,
    /// Logged across all the student's T-level places (at most two employers).
    pub total_hours: f64,
    pub remaining_hours: f64,
    pub reached: bool,
    pub places: Vec<PlaceProgress>,
}

impl From<Progress> for ProgressResponse {
    fn from(p: Progress) -> Self {
        ProgressResponse {
            target_hours: TARGET_HOURS,
            total_hours: p.total().as_hours(),
            remaining_hours: p.remaining().as_hours(),
            reached: p.reached(),
            places: p
                .places
                .iter()
                .map(|x| PlaceProgress {
                    application_id: x.application_id,
                    placement_id: x.placement_id,
                    planned_hours: x.planned_hours,
                    logged_hours: x.logged.as_hours(),
                })
                .collect(),
        }
    }
}

/// Read a T-level student's progress against the 315 hours.
///
/// Who may call: the parties to the place (404 for everyone else). Counts every T-level place of
/// the student (at most two employers).
#[utoipa::path(tag = "t-level", operation_id = "getTLevelProgress", security(("bearer" = [])),
    params(("application_id" = Uuid, Path)),
    responses(
        (status = 200, description = "Progress.", body = ProgressResponse),
        Errors<t_level::HiddenPlaceError>,
    ))]
#[get("/applications/{application_id}/t-level/progress")]
pub async fn progress(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let p = state.run(move |s| Ok(t_level::progress(s, &actor, id)?)).await?;
    Ok(HttpResponse::Ok().json(ProgressResponse::from(p)))
}
