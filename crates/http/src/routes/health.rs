//! Liveness and readiness, outside `/v1`, for load balancers and orchestrators.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::problem::ApiResult;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// Is the process up?
///
/// Always 200 while the process serves requests; it does not touch the database.
#[utoipa::path(tag = "health", operation_id = "checkLiveness", security(()),
    responses((status = 200, description = "The process is serving requests.", body = Health, example = json!({"status": "ok"}))))]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

/// Can the process serve requests?
///
/// 200 when the database answers; 503 problem+json when it does not. The process keeps running and
/// becomes ready again by itself when the database returns.
#[utoipa::path(tag = "health", operation_id = "checkReadiness", security(()),
    responses(
        (status = 200, description = "The database answers.", body = Health, example = json!({"status": "ready"})),
        (status = 503, description = "The database cannot be reached.", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    state.run(|store| Ok(store.ping()?)).await?;
    Ok(HttpResponse::Ok().json(Health { status: "ready" }))
}
