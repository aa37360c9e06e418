//! `GET /metrics`: operators' metrics for Prometheus, outside `/v1` like the health checks.

use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::metrics::{Access, CONTENT_TYPE};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::AppState;

/// Metrics for operators.
///
/// Who may call: anyone in sandbox mode; with `WEX_METRICS_TOKEN` set (either mode), only a scraper
/// sending it as a bearer token (401 otherwise); in production without the token the route is not
/// served (404). The Prometheus text format (0.0.4), which every Prometheus reads: requests by method, route
/// pattern (never a path with ids in it) and status with their durations, this process's database
/// pool (connections in use, idle and at most, checkout waits), and, read from the database at each
/// scrape, the outbox and webhook backlogs and how late the scheduler is with draws and offer
/// expiries. When the database cannot be read the scrape still answers 200, with `wex_backlog_up 0`
/// and without the backlog. `docs/deployment.md` lists every metric, with suggested alerts.
#[utoipa::path(tag = "health", operation_id = "getMetrics", security((), ("metrics_token" = [])),
    responses(
        (status = 200, description = "The metrics, in the Prometheus text format (0.0.4).", body = String,
            content_type = "text/plain; version=0.0.4; charset=utf-8",
            example = "# HELP wex_http_requests_total HTTP requests answered, by method, route pattern and status.\n# TYPE wex_http_requests_total counter\nwex_http_requests_total{method=\"GET\",route=\"/v1/placements/{placement_id}\",status=\"200\"} 3\n"),
        (status = 401, description = "`WEX_METRICS_TOKEN` is set and the request does not carry it.", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/metrics")]
pub async fn scrape(state: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
    if let Access::Token(token) = &state.metrics_access
        && !crate::routes::notify::authorised(&req, Some(token))
    {
        return Err(ApiError::unauthorized("Send the token configured as WEX_METRICS_TOKEN."));
    }
    let now = state.now();
    let backlog = match state.run(move |s| Ok(wex_domain::operations::backlog(s, now)?)).await {
        Ok(backlog) => Some(backlog),
        Err(e) => {
            // The pool's and the requests' figures matter most when the database is in trouble.
            log::warn!("metrics: the backlog cannot be read now: {}", e.code);
            None
        }
    };
    let text = state.metrics.render(&state.store.pool_use(), backlog.as_ref()).map_err(|_| ApiError::internal())?;
    Ok(HttpResponse::Ok().content_type(CONTENT_TYPE).body(text))
}
