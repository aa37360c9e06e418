//! Request ids: accepted from `X-Request-ID` (a UUID) or generated, echoed with any
//! `X-Correlation-ID`, and available to log lines and problem bodies for the whole request.
//! The same middleware turns any error response that is not yet a problem (a 404 from routing,
//! a 405) into problem+json, so no error leaves without that shape.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError};
use uuid::Uuid;

use crate::problem::{ApiError, PROBLEM_JSON};
pub use crate::request_scope::current_request_id;
use crate::request_scope::{ATTRIBUTION, CURRENT};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
pub const CORRELATION_ID: HeaderName = HeaderName::from_static("x-correlation-id");

fn incoming_id(req: &ServiceRequest) -> Uuid {
    req.headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| Uuid::parse_str(v.trim()).ok())
        .unwrap_or_else(Uuid::now_v7)
}

/// A correlation id is echoed only if it is short printable ASCII.
fn correlation_id(req: &ServiceRequest) -> Option<HeaderValue> {
    req.headers().get(&CORRELATION_ID).filter(|v| v.len() <= 200 && v.to_str().is_ok()).cloned()
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let id = incoming_id(&req);
    let correlation = correlation_id(&req);
    let result = CURRENT.scope(id, ATTRIBUTION.scope(std::cell::RefCell::new(None), next.call(req))).await;
    let mut res = match result {
        Ok(res) => CURRENT.sync_scope(id, || as_problem(res.map_into_boxed_body())),
        Err(e) => return Err(e),
    };
    let headers = res.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&id.to_string()) {
        headers.insert(REQUEST_ID, value);
    }
    if let Some(value) = correlation {
        headers.insert(CORRELATION_ID, value);
    }
    Ok(res)
}

fn as_problem(res: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    let status = res.status();
    let is_problem =
        res.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    let other_standard = res.response().extensions().get::<crate::problem::NotAProblem>().is_some();
    if !status.is_client_error() && !status.is_server_error() || is_problem || other_standard {
        return res;
    }
    let (req, old) = res.into_parts();
    let mut new = ApiError::for_status(status).error_response();
    // Keep headers such as Allow and Retry-After that the original response carried.
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            new.headers_mut().insert(name.clone(), value.clone());
        }
    }
    ServiceResponse::new(req, new)
}
