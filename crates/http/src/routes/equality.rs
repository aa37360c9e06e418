//! The equality monitoring form and the applicant's own answers. No other endpoint returns an
//! individual's answers.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::equality;
use wex_domain::model::equality::{QUESTIONS, Response};

use crate::auth::SignedIn;
use crate::errors_doc::Errors;
use crate::extract::{Json, if_match};
use crate::pagination::versioned;
use crate::problem::ApiResult;
use crate::state::AppState;
use crate::wire::profiles::Consent;

#[derive(Serialize, ToSchema)]
pub struct AnswerOption {
    pub code: &'static str,
    /// The Government Statistical Service's harmonised wording.
    pub label: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct FormQuestion {
    pub code: &'static str,
    pub text: &'static str,
    pub why_we_ask: &'static str,
    /// Asked only of people aged 16 or over.
    pub sixteen_plus_only: bool,
    pub options: Vec<AnswerOption>,
}

#[derive(Serialize, ToSchema)]
pub struct EqualityForm {
    /// Every question is optional, and so is the whole form.
    pub questions: Vec<FormQuestion>,
}

/// Read the equality monitoring form.
///
/// Who may call: anyone. Optional as a whole and per question; every question offers
/// `prefer_not_to_say`; answers are never seen by anyone who chooses.
#[utoipa::path(tag = "equality", operation_id = "getEqualityForm", security(()),
    responses((status = 200, description = "The questions, their answer codes and why each is asked.", body = EqualityForm)))]
#[get("/equality-monitoring/form")]
pub async fn form() -> HttpResponse {
    HttpResponse::Ok().json(EqualityForm {
        questions: QUESTIONS
            .iter()
            .map(|q| FormQuestion {
                code: q.code,
                text: q.text,
                why_we_ask: q.why_we_ask,
                sixteen_plus_only: q.sixteen_plus,
                options: q.options.iter().map(|(code, label)| AnswerOption { code, label }).collect(),
            })
            .collect(),
    })
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"answers": {"sex": "female", "ethnicity": "prefer_not_to_say"}}))]
pub struct EqualityAnswers {
    /// Question code to answer code; leave out any question.
    #[schema(value_type = BTreeMap<String, String>)]
    pub answers: BTreeMap<String, String>,
}

#[derive(Serialize, ToSchema)]
pub struct EqualityResponse {
    #[schema(value_type = BTreeMap<String, String>)]
    pub answers: BTreeMap<String, String>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
    /// Set when an advocate gave the answers for the applicant, with the consent they recorded.
    pub recorded_by_advocate: Option<RecordedByAdvocate>,
}

#[derive(Serialize, ToSchema)]
pub struct RecordedByAdvocate {
    pub advocate_subject: String,
    pub consent: Consent,
}

impl From<Response> for EqualityResponse {
    fn from(r: Response) -> Self {
        Self {
            answers: r.answers,
            version: r.version,
            updated_at: r.updated_at,
            recorded_by_advocate: r
                .recorded_by
                .map(|b| RecordedByAdvocate { advocate_subject: b.advocate_subject, consent: b.consent.into() }),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"answers": {"sex": "male", "free_school_meals": "yes"}, "consent": {"given_by": "applicant"}}))]
pub struct AdvocateEqualityAnswers {
    /// Question code to answer code; leave out any question.
    #[schema(value_type = BTreeMap<String, String>)]
    pub answers: BTreeMap<String, String>,
    /// The consent the applicant (or, under 16, a parent or carer) gave for you to answer for them.
    #[serde(default)]
    pub consent: Option<Consent>,
}

/// Read my equality monitoring answers.
///
/// Who may call: anyone signed in, for their own answers only (404 until given).
#[utoipa::path(tag = "equality", operation_id = "getMyEqualityAnswers", security(("bearer" = [])),
    responses(
        (status = 200, description = "Your answers.", body = EqualityResponse, headers(("ETag" = String))),
        Errors<equality::AnswersError>,
    ))]
#[get("/me/equality-monitoring")]
pub async fn get_mine(state: web::Data<AppState>, SignedIn(actor): SignedIn) -> ApiResult<HttpResponse> {
    let r = state.run(move |s| Ok(equality::my_answers(s, &actor)?)).await?;
    Ok(versioned(StatusCode::OK, r.version, &EqualityResponse::from(r)))
}

/// Give or change my equality monitoring answers.
///
/// Who may call: anyone signed in with a profile, for their own answers only. Replaces all the
/// answers; `If-Match` is optional (412 when stale). Unknown questions or answers are refused with
/// the field named; the questions for people aged 16 or over are refused for younger applicants.
#[utoipa::path(tag = "equality", operation_id = "putMyEqualityAnswers", security(("bearer" = [])),
    params(("If-Match" = Option<String>, Header, description = "The ETag you read.")),
    request_body = EqualityAnswers,
    responses(
        (status = 200, description = "Replaced.", body = EqualityResponse, headers(("ETag" = String))),
        (status = 201, description = "Given.", body = EqualityResponse, headers(("ETag" = String))),
        Errors<equality::PutMyAnswersError>,
    ))]
#[put("/me/equality-monitoring")]
pub async fn put_mine(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    body: Json<EqualityAnswers>,
) -> ApiResult<HttpResponse> {
    let expected = if_match(&req)?;
    let now = state.now();
    let answers = body.value.answers;
    let (r, created) = state.run(move |s| Ok(equality::put_my_answers(s, &actor, answers, expected, now)?)).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok(versioned(status, r.version, &EqualityResponse::from(r)))
}

/// Delete my equality monitoring answers.
///
/// Who may call: anyone signed in, for their own answers only (404 when there are none).
#[utoipa::path(tag = "equality", operation_id = "deleteMyEqualityAnswers", security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted."),
        Errors<equality::AnswersError>,
    ))]
#[delete("/me/equality-monitoring")]
pub async fn delete_mine(state: web::Data<AppState>, SignedIn(actor): SignedIn) -> ApiResult<HttpResponse> {
    let now = state.now();
    state.run(move |s| Ok(equality::delete_my_answers(s, &actor, now)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Read the equality answers I gave for an applicant.
///
/// Who may call: an advocate with an active link to the applicant, for answers they gave with
/// the applicant's consent. Answers the applicant gave themselves are theirs alone (404).
#[utoipa::path(tag = "equality", operation_id = "getAdvocateEqualityAnswers", security(("bearer" = [])),
    params(("profile_id" = Uuid, Path, description = "The applicant's profile.")),
    responses(
        (status = 200, description = "The answers you gave.", body = EqualityResponse, headers(("ETag" = String))),
        Errors<equality::AnswersError>,
    ))]
#[get("/advocacy/applicants/{profile_id}/equality-monitoring")]
pub async fn get_for(
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    SignedIn(actor): SignedIn,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let now = state.now();
    let r = state.run(move |s| Ok(equality::answers_for(s, &actor, id, now)?)).await?;
    Ok(versioned(StatusCode::OK, r.version, &EqualityResponse::from(r)))
}

/// Give or change an applicant's equality answers for them.
///
/// Who may call: an advocate with an active link to the applicant, recording the consent the
/// applicant (or, under 16, a parent or carer) gave. Never replaces answers the applicant gave
/// themselves (404). `If-Match` is optional (412 when stale).
#[utoipa::path(tag = "equality", operation_id = "putAdvocateEqualityAnswers", security(("bearer" = [])),
    params(("profile_id" = Uuid, Path, description = "The applicant's profile."),
        ("If-Match" = Option<String>, Header, description = "The ETag you read.")),
    request_body = AdvocateEqualityAnswers,
    responses(
        (status = 200, description = "Replaced.", body = EqualityResponse, headers(("ETag" = String))),
        (status = 201, description = "Given.", body = EqualityResponse, headers(("ETag" = String))),
        Errors<equality::PutAnswersForError>,
    ))]
#[put("/advocacy/applicants/{profile_id}/equality-monitoring")]
pub async fn put_for(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<Uuid>,
    SignedIn(actor): SignedIn,
    body: Json<AdvocateEqualityAnswers>,
) -> ApiResult<HttpResponse> {
    let expected = if_match(&req)?;
    let (id, now) = (path.into_inner(), state.now());
    let AdvocateEqualityAnswers { answers, consent } = body.value;
    let consent = consent.map(Into::into);
    let (r, created) =
        state.run(move |s| Ok(equality::put_answers_for(s, &actor, id, answers, consent, expected, now)?)).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok(versioned(status, r.version, &EqualityResponse::from(r)))
}

/// Delete the equality answers I gave for an applicant.
///
/// Who may call: an advocate with an active link to the applicant, for answers they gave.
#[utoipa::path(tag = "equality", operation_id = "deleteAdvocateEqualityAnswers", security(("bearer" = [])),
    params(("profile_id" = Uuid, Path, description = "The applicant's profile.")),
    responses(
        (status = 204, description = "Deleted."),
        Errors<equality::AnswersError>,
    ))]
#[delete("/advocacy/applicants/{profile_id}/equality-monitoring")]
pub async fn delete_for(
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    SignedIn(actor): SignedIn,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let now = state.now();
    state.run(move |s| Ok(equality::delete_answers_for(s, &actor, id, now)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}
