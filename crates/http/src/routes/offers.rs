//! `/v1/offers/{offer_id}/accept` and `/decline`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use uuid::Uuid;
use wex_domain::offers;

use crate::auth::SignedIn;
use crate::errors_doc::Errors;
use crate::pagination::versioned;
use crate::problem::ApiResult;
use crate::routes::applications::views::{ApplicationResponse, detail};
use crate::state::AppState;

async fn answer(
    state: web::Data<AppState>,
    actor: wex_domain::model::auth::Actor,
    id: Uuid,
    accepting: bool,
) -> ApiResult<HttpResponse> {
    let now = state.now();
    let v = state
        .run(move |s| {
            let (_, app) =
                if accepting { offers::accept(s, &actor, id, now)? } else { offers::decline(s, &actor, id, now)? };
            detail(s, app)
        })
        .await?;
    let version = v.application.version;
    Ok(versioned(StatusCode::OK, version, &ApplicationResponse::new(v, now)))
}

/// Accept an offered place.
///
/// Who may call: the applicant, and advocates with an active link to them (404 for everyone
/// else), by the offer's `respond_by`. The place is confirmed and the preparation information sent.
#[utoipa::path(tag = "offers", operation_id = "acceptOffer", security(("bearer" = [])),
    params(("offer_id" = Uuid, Path)),
    responses(
        (status = 200, description = "Accepted: the application, now `accepted`.", body = ApplicationResponse, headers(("ETag" = String))),
        Errors<offers::AnswerError>,
    ))]
#[post("/offers/{offer_id}/accept")]
pub async fn accept(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    answer(state, actor, id.into_inner(), true).await
}

/// Decline an offered place.
///
/// Who may call: the applicant, and advocates with an active link to them (404 for everyone
/// else). The place goes at once to the next person on the waiting list.
#[utoipa::path(tag = "offers", operation_id = "declineOffer", security(("bearer" = [])),
    params(("offer_id" = Uuid, Path)),
    responses(
        (status = 200, description = "Declined: the application, now `declined`.", body = ApplicationResponse, headers(("ETag" = String))),
        Errors<offers::AnswerError>,
    ))]
#[post("/offers/{offer_id}/decline")]
pub async fn decline(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    answer(state, actor, id.into_inner(), false).await
}
