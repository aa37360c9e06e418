//! RFC 9457 problem details: every error the API returns, in one shape.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;
use wex_domain::codes::{self, Code, Status};
use wex_domain::{DomainError, FieldError, StoreError, UseCaseError};

use crate::request_scope::current_request_id;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// An RFC 9457 problem. `code` is stable; `title` and `detail` are plain English.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "/problems/validation_failed",
    "title": "Some fields are not valid",
    "status": 422,
    "detail": "Correct the fields listed in errors and try again.",
    "code": "validation_failed",
    "request_id": "0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b",
    "errors": [{"field": "/closes_at", "code": "must_be_after_opens_at", "message": "Applications must close after they open."}]
}))]
pub struct Problem {
    /// A URI reference naming the problem type: `/problems/{code}`.
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The stable code of the problem, to branch on or localise.
    pub code: String,
    /// The request id, also in the `X-Request-ID` response header: quote it when reporting a fault.
    pub request_id: String,
    /// Every invalid field, for validation failures.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<WireFieldError>,
}

/// One problem with one field of the input, located by a JSON pointer (`/eligibility/min_age`).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = FieldError)]
pub struct WireFieldError {
    /// JSON pointer to the field in the request (RFC 6901).
    #[schema(example = "/closes_at")]
    pub field: String,
    /// Stable machine-readable code a front end can localise.
    #[schema(example = "must_be_after_opens_at")]
    pub code: String,
    /// Plain-language explanation.
    #[schema(example = "The closing time must be after the opening time.")]
    pub message: String,
}

impl From<&FieldError> for WireFieldError {
    fn from(e: &FieldError) -> Self {
        Self { field: e.field.clone(), code: e.code.clone(), message: e.message.clone() }
    }
}

/// The one place a kind of failure becomes an HTTP status.
pub fn status_of(status: Status) -> StatusCode {
    match status {
        Status::Forbidden => StatusCode::FORBIDDEN,
        Status::NotFound => StatusCode::NOT_FOUND,
        Status::Conflict => StatusCode::CONFLICT,
        Status::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
        Status::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
        Status::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
        Status::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        Status::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// Marks an error response that follows another standard's shape on purpose (RFC 6749's token
/// errors), which the request-id middleware must not rewrite as a problem.
#[derive(Debug, Clone, Copy)]
pub struct NotAProblem;

/// An error on its way to becoming a problem response.
#[derive(Debug, thiserror::Error)]
#[error("{status} {code}: {detail}")]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub title: String,
    pub detail: String,
    pub errors: Vec<FieldError>,
    /// Seconds the client should wait before retrying (429, 503).
    pub retry_after: Option<u32>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, title: &str, detail: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_string(),
            title: title.to_string(),
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }

    pub fn bad_request(code: &str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, "The request is malformed", detail)
    }

    /// A malformed part of the request, located by a pointer (`/limit`, `/body/title`).
    pub fn bad_field(status: StatusCode, field: &str, code: &str, message: &str) -> Self {
        let title =
            if status == StatusCode::BAD_REQUEST { "The request is malformed" } else { "Some fields are not valid" };
        Self::new(status, code, title, message.to_string()).with_errors(vec![FieldError::new(field, code, message)])
    }

    pub fn not_found() -> Self {
        Self::for_code(&codes::NOT_FOUND)
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", "Sign-in needed", detail)
    }

    pub fn internal() -> Self {
        Self::for_code(&codes::INTERNAL_ERROR)
    }

    pub fn unavailable() -> Self {
        let mut e = Self::for_code(&codes::DATABASE_UNAVAILABLE);
        e.retry_after = Some(5);
        e
    }

    /// The generic problem for an HTTP status produced outside our handlers (405, 413 ...).
    pub fn for_status(status: StatusCode) -> Self {
        match status {
            StatusCode::NOT_FOUND => Self::not_found(),
            StatusCode::METHOD_NOT_ALLOWED => Self::new(
                status,
                "method_not_allowed",
                "Method not allowed",
                "This address does not accept this method.",
            ),
            StatusCode::PAYLOAD_TOO_LARGE => Self::payload_too_large(),
            StatusCode::UNAUTHORIZED => Self::unauthorized("Send a valid bearer token."),
            s if s.is_server_error() => Self::internal(),
            s => {
                Self::new(s, "http_error", s.canonical_reason().unwrap_or("Error"), "The request could not be handled.")
            }
        }
    }

    pub fn precondition_required() -> Self {
        Self::for_code(&codes::PRECONDITION_REQUIRED)
    }

    pub fn payload_too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "Request body too large",
            "The request body is larger than this service accepts.",
        )
    }

    pub fn problem(&self) -> Problem {
        Problem {
            problem_type: format!("/problems/{}", self.code),
            title: self.title.clone(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            code: self.code.clone(),
            request_id: current_request_id().map(|id| id.to_string()).unwrap_or_default(),
            errors: self.errors.iter().map(WireFieldError::from).collect(),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        // A 503 means the database is unavailable: the store logs that once per outage, not here
        // once per request.
        if self.status.is_server_error() && self.status != StatusCode::SERVICE_UNAVAILABLE {
            log::error!("{} {}: {}", self.status.as_u16(), self.code, self.detail);
        }
        let mut res = HttpResponse::build(self.status);
        res.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        if let Some(secs) = self.retry_after {
            res.insert_header((header::RETRY_AFTER, secs.to_string()));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            res.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        res.body(serde_json::to_string(&self.problem()).unwrap_or_default())
    }
}

impl ApiError {
    /// A code from the domain's table, with its own title and detail.
    pub fn for_code(code: &'static Code) -> Self {
        Self::new(status_of(code.status), code.code, code.title, code.detail)
    }

    /// Any use case's failure: status, title and default detail come from its code's entry in the
    /// table; the failure adds its own message and fields. The causes of store failures go to the
    /// log, never to the client.
    pub fn from_use_case(e: &impl UseCaseError) -> Self {
        match e.store_error() {
            Some(StoreError::Unavailable(detail)) => {
                // The store logs the outage once, when it starts and ends (and a lost connection or
                // an exhausted pool as they happen); one line per refused request would bury it.
                log::debug!("database unavailable: {detail}");
            }
            Some(StoreError::Internal(detail)) => {
                // The cause goes to the log with the request id, never to the client.
                log::error!("storage failure: {detail}");
            }
            _ => {}
        }
        let code = e.code();
        let mut out = Self::for_code(code).with_errors(e.field_errors());
        if let Some(message) = e.message() {
            out.detail = message;
        }
        if code.status == Status::Unavailable {
            out.retry_after = Self::unavailable().retry_after;
        }
        out
    }
}

/// `From` for each error a handler meets with `?`: every use case's enum, through
/// [`ApiError::from_use_case`]. (One blanket impl over `UseCaseError` is not allowed beside the
/// other `From` impls, so each enum is named here.)
macro_rules! from_use_case {
    ($($t:ty),+ $(,)?) => {
        $(impl From<$t> for ApiError {
            fn from(e: $t) -> Self {
                Self::from_use_case(&e)
            }
        })+
    };
}

from_use_case!(DomainError);

/// A store failure met directly (not through `?` in a use case, which makes a version clash a
/// 412): a broken uniqueness rule or a version clash is `409 conflict`.
impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        Self::from_use_case(&DomainError::Store(e))
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        log::error!("blocking task failed: {e}");
        Self::internal()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
