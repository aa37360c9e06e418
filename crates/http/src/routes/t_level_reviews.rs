//! T-level reviews: the supervisor's mid-point and end reviews, each with the student's reflection.

use actix_web::{HttpResponse, get, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::DomainError;
use wex_domain::model::t_level::{Review, ReviewStage};
use wex_domain::t_level;

use crate::auth::SignedIn;
use crate::errors_doc::Errors;
use crate::extract::Json;
use crate::problem::ApiResult;
use crate::state::AppState;
use crate::wire::codes;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"stage": "mid_point", "on_track": true, "comments": "Reliable and curious; next, lead a sample check."}))]
pub struct ReviewRequest {
    #[schema(value_type = codes::TLevelReviewStage)]
    pub stage: ReviewStage,
    pub on_track: bool,
    /// The supervisor's comments (1 to 4000 characters).
    pub comments: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reflection": "I learned how careful sample labelling has to be."}))]
pub struct ReflectionRequest {
    /// The student's reflection (1 to 4000 characters).
    pub reflection: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReviewResponse {
    pub id: Uuid,
    pub application_id: Uuid,
    #[schema(value_type = codes::TLevelReviewStage)]
    pub stage: ReviewStage,
    pub on_track: bool,
    pub comments: String,
    pub reviewed_by: String,
    pub reviewed_at: DateTime<Utc>,
    pub reflection: Option<String>,
    pub reflected_at: Option<DateTime<Utc>>,
}

impl From<Review> for ReviewResponse {
    fn from(r: Review) -> Self {
        ReviewResponse {
            id: r.id,
            application_id: r.application_id,
            stage: r.stage,
            on_track: r.on_track,
            comments: r.comments,
            reviewed_by: r.reviewed_by,
            reviewed_at: r.reviewed_at,
            reflection: r.reflection,
            reflected_at: r.reflected_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReviewList {
    /// The mid-point review, then the end review, as recorded.
    pub items: Vec<ReviewResponse>,
    pub next_cursor: Option<String>,
}

/// Record a T-level review.
///
/// Who may call: the agreement's supervisor, once all three parties confirmed (other parties get
/// 403 `supervisor_only`; anyone else 404). Once for each stage (`mid_point`, `end`); the end
/// review is needed before the placement can be completed.
#[utoipa::path(tag = "t-level", operation_id = "recordTLevelReview", security(("bearer" = [])),
    params(("application_id" = Uuid, Path)),
    request_body = ReviewRequest,
    responses(
        (status = 201, description = "Recorded.", body = ReviewResponse),
        Errors<t_level::ReviewError>,
    ))]
#[post("/applications/{application_id}/t-level/reviews")]
pub async fn record_review(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    body: Json<ReviewRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    let ReviewRequest { stage, on_track, comments } = body.value;
    let r = state.run(move |s| Ok(t_level::record_review(s, &actor, id, stage, on_track, comments, now)?)).await?;
    Ok(HttpResponse::Created().json(ReviewResponse::from(r)))
}

/// Add the student's reflection to a T-level review.
///
/// Who may call: the student, or their advocate (other parties get 403 `not_a_student`; anyone
/// else 404, as does a review not yet recorded). Once for each review.
#[utoipa::path(tag = "t-level", operation_id = "addTLevelReflection", security(("bearer" = [])),
    params(("application_id" = Uuid, Path), ("stage" = codes::TLevelReviewStage, Path)),
    request_body = ReflectionRequest,
    responses(
        (status = 200, description = "Added.", body = ReviewResponse),
        Errors<t_level::ReflectionError>,
    ))]
#[put("/applications/{application_id}/t-level/reviews/{stage}/reflection")]
pub async fn add_reflection(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    path: web::Path<(Uuid, String)>,
    body: Json<ReflectionRequest>,
) -> ApiResult<HttpResponse> {
    let (id, stage) = path.into_inner();
    let now = state.now();
    // No such stage is no such review.
    let stage = ReviewStage::parse(&stage).ok_or(DomainError::NotFound)?;
    let text = body.value.reflection;
    let r = state.run(move |s| Ok(t_level::add_reflection(s, &actor, id, stage, text, now)?)).await?;
    Ok(HttpResponse::Ok().json(ReviewResponse::from(r)))
}

/// List a T-level place's reviews.
///
/// Who may call: the parties to the place (404 for everyone else).
#[utoipa::path(tag = "t-level", operation_id = "listTLevelReviews", security(("bearer" = [])),
    params(("application_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The reviews.", body = ReviewList),
        Errors<t_level::HiddenPlaceError>,
    ))]
#[get("/applications/{application_id}/t-level/reviews")]
pub async fn list_reviews(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let items = state.run(move |s| Ok(t_level::reviews(s, &actor, id)?)).await?;
    Ok(HttpResponse::Ok().json(ReviewList { items: items.into_iter().map(Into::into).collect(), next_cursor: None }))
}
