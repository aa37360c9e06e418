//! `POST /v1/notify/callbacks`: GOV.UK Notify's delivery receipts.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::delivery::{self, ReceiptError};
use wex_domain::model::delivery::Receipt;

use crate::errors_doc::Errors;
use crate::extract::Json;
use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::AppState;
use crate::wire::codes;

/// A delivery receipt as Notify sends it; fields wex does not use (the recipient among them) are
/// accepted and dropped unread.
#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"id": "740e5834-3a29-46b4-9a6f-16142fde533a", "reference": "0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b", "status": "delivered", "notification_type": "email"}))]
pub struct NotifyReceipt {
    /// Notify's id for the message.
    pub id: Option<String>,
    /// The `reference` wex sent: the message's id.
    pub reference: Uuid,
    #[schema(value_type = codes::Receipt)]
    pub status: Receipt,
}

/// Whether the request carries the configured token. Digests are compared, so the time taken says
/// nothing about how much of a guess was right.
pub(crate) fn authorised(req: &HttpRequest, expected: Option<&str>) -> bool {
    let given =
        req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    match (given, expected) {
        (Some(given), Some(expected)) => Sha256::digest(given.as_bytes()) == Sha256::digest(expected.as_bytes()),
        _ => false,
    }
}

/// Receive a delivery receipt from GOV.UK Notify.
///
/// Who may call: GOV.UK Notify, with the bearer token configured as `WEX_NOTIFY_CALLBACK_TOKEN`
/// (in Notify's settings as the callback's token); anyone else gets 401. `delivered` settles the
/// message; `permanent-failure` fails it and marks the address as not working, which the applicant
/// (and a participant's coordinator) sees; `temporary-failure` and `technical-failure` fail it.
/// A receipt may come more than once: the latest wins.
#[utoipa::path(tag = "notify", operation_id = "receiveNotifyReceipt", security(("notify_callback" = [])),
    request_body = NotifyReceipt,
    responses(
        (status = 204, description = "Recorded."),
        (status = 401, description = "No token, or not the configured one.", body = Problem, content_type = "application/problem+json"),
        Errors<ReceiptError>,
    ))]
#[post("/notify/callbacks")]
pub async fn receipt(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<NotifyReceipt>,
) -> ApiResult<HttpResponse> {
    if !authorised(&req, state.notify_callback_token.as_deref()) {
        return Err(ApiError::unauthorized("Send the callback token configured for GOV.UK Notify."));
    }
    let NotifyReceipt { reference, status, .. } = body.value;
    let now = state.now();
    state.run(move |s| Ok(delivery::record_receipt(s, reference, status, now)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}
