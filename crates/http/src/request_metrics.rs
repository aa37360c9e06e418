//! The middleware that counts and times requests for [`crate::metrics`]: apart from it so that the
//! metrics themselves need nothing of the application's state, which holds them.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, web};
use std::time::Instant;

use crate::metrics::{InFlight, UNMATCHED, method_label};
use crate::state::AppState;

/// Counts and times every request, by method, route pattern and status, when metrics are served.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let state = match req.app_data::<web::Data<AppState>>() {
        Some(state) if state.metrics_access.served() => web::Data::clone(state),
        _ => return next.call(req).await,
    };
    let metrics = &state.metrics;
    let method = method_label(req.method());
    let started = Instant::now();
    metrics.in_flight.inc();
    let _in_flight = InFlight(&metrics.in_flight);
    let result = next.call(req).await;
    match &result {
        Ok(res) => {
            // After routing this is a lookup, not a second match of the path.
            let route = res.request().match_pattern().unwrap_or_else(|| UNMATCHED.to_string());
            metrics.observe(method, route, res.status(), started);
        }
        // Handlers' and the inner middleware's errors are responses by now; one that still
        // escapes has no request left to name its route (cloning the request before routing
        // would stop the router, which needs it unshared).
        Err(e) => metrics.observe(method, UNMATCHED.to_string(), e.as_response_error().status_code(), started),
    }
    result
}
