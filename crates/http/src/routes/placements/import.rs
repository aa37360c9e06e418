//! `POST /v1/organisations/{organisation_id}/placement-imports`: a season's drafts at once, from a
//! JSON array of `createPlacement` bodies or a CSV file, all or nothing.
//!
//! The edge only reads the rows. Whatever it cannot read in a row (a wrong type, an unknown code)
//! travels to the use case with the row, so that one answer lists the errors of every row: those
//! the edge found and those the domain's rules found.

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest, HttpResponse, post, web};
use futures_util::future::LocalBoxFuture;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::placements::{self, ImportRow};

use super::csv_rows;
use super::import_row::row;
use crate::auth::SignedIn;
use crate::errors_doc::Errors;
use crate::extract::{DEFAULT_IMPORT_BODY_LIMIT, ImportBodyLimit, declared_length, is_json, media_type};
use crate::idempotency::{self, Created};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::AppState;
use crate::wire::placements::PlacementDetails;

/// The rows of an import, with the raw body kept for idempotency fingerprints.
pub struct ImportBody {
    pub rows: Vec<ImportRow>,
    pub raw: Bytes,
}

fn too_large(limit: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "Request body too large",
        format!("An import may be at most {limit} bytes. Split it into several imports."),
    )
}

/// The rows of a JSON body: an array of `createPlacement` bodies.
fn json_rows(raw: &[u8]) -> ApiResult<Vec<ImportRow>> {
    let value = crate::extract::json_value(raw)?;
    match value {
        Value::Array(items) => Ok(items.into_iter().map(row).collect()),
        _ => Err(ApiError::bad_field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "",
            "invalid_value",
            "Send a JSON array of placements, each as createPlacement takes it.",
        )),
    }
}

impl FromRequest for ImportBody {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req.app_data::<ImportBodyLimit>().map_or(DEFAULT_IMPORT_BODY_LIMIT, |l| l.0);
        let declared = declared_length(req);
        let csv = media_type(req).as_deref() == Some("text/csv");
        let json = is_json(req);
        let payload = payload.take();
        Box::pin(async move {
            if declared.is_some_and(|n| n > limit) {
                return Err(too_large(limit));
            }
            if !csv && !json {
                return Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "Send JSON or CSV",
                    "Send a JSON array with Content-Type: application/json, or a CSV file with Content-Type: text/csv.",
                ));
            }
            let raw = crate::extract::read_body(payload, limit, || too_large(limit)).await?;
            let rows = if csv { csv_rows::rows(&raw)? } else { json_rows(&raw)? };
            Ok(ImportBody { rows, raw })
        })
    }
}

/// The drafts an import created.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"placement_ids": ["0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b", "0193a5c2-8d4e-7f01-8c2d-3e4f5a6b7c8d"]}))]
pub struct ImportResponse {
    /// The new drafts' ids, in the order of the rows; each is at `/v1/placements/{id}`.
    pub placement_ids: Vec<Uuid>,
}

/// Import draft placements.
///
/// Who may call: coordinators of the organisation (403 `coordinator_role_required` for everyone
/// else, as `createPlacement`). Creates many drafts in one transaction, from either a JSON array of
/// `createPlacement` bodies (`application/json`) or a CSV file (`text/csv`; columns in
/// docs/hosts-and-coordinators.md, "Importing placements"). Every row is checked as
/// `createPlacement` checks it; if any row fails, nothing is created and the 422 lists every error
/// of every row, each pointer starting with the row counted from 0 (`/3/title`; in CSV the header is
/// not a row, and header problems point at `/header/{column position}` or `/header`). At most
/// 5,000 rows, and a body of at most 5 MiB unless the operator changed
/// `WEX_IMPORT_BODY_LIMIT_BYTES`. Accepts `Idempotency-Key`. The 201 has no `Location`: it names
/// every new draft, in row order, in its body.
#[utoipa::path(tag = "placements", operation_id = "importPlacements", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: a retried upload creates nothing twice.")),
    request_body(content(
        (Vec<PlacementDetails> = "application/json", example = json!([{
            "kind": "work_experience", "delivery": "in_person", "specialty": "allied_health_professions",
            "title": "Children's physiotherapy: a week on the ward",
            "description": "See how physiotherapists help children recover from illness and injury.",
            "site_id": "0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b",
            "start_date": "2027-07-05", "end_date": "2027-07-09", "daily_hours": {"start": "09:00", "end": "15:30"},
            "capacity": 4, "opens_at": "2027-03-01T09:00:00Z", "closes_at": "2027-04-01T17:00:00Z",
            "outcome_by": "2027-04-15"
        }])),
        (String = "text/csv", example = json!(csv_rows::EXAMPLE)),
    )),
    responses(
        (status = 201, description = "Every row created as a draft.", body = ImportResponse),
        Errors<placements::ImportPlacementsError>,
        (status = 413, description = "The body is larger than the import limit (5 MiB by default, `WEX_IMPORT_BODY_LIMIT_BYTES`): `payload_too_large`. Nothing is created.",
            body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is neither JSON nor CSV: `unsupported_media_type`.",
            body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/organisations/{organisation_id}/placement-imports")]
pub async fn import(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    organisation_id: web::Path<Uuid>,
    body: ImportBody,
) -> ApiResult<HttpResponse> {
    let subject = actor.subject.clone();
    let organisation_id = organisation_id.into_inner();
    let ImportBody { rows, raw } = body;
    idempotency::create(&state, &req, &subject, &raw, || async {
        let now = state.now();
        let placement_ids =
            state.run(move |s| Ok(placements::import_placements(s, &actor, organisation_id, rows, now)?)).await?;
        Created::many(&ImportResponse { placement_ids })
    })
    .await
}
