//! RFC 9457 problem details: every error the API returns, in one shape.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;
use wex_domain::{DomainError, FieldError, StoreError};

use crate::request_id::current_request_id;

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
    pub errors: Vec<FieldError>,
}

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
        Self::new(StatusCode::NOT_FOUND, "not_found", "Not found", "There is nothing here, or you may not see it.")
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", "Sign-in needed", detail)
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "Something went wrong",
            "The service failed to handle this request. Quote the request id if you report it.",
        )
    }

    pub fn unavailable() -> Self {
        let mut e = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "database_unavailable",
            "Service temporarily unavailable",
            "The service cannot reach its database just now. Try again shortly.",
        );
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
        Self::new(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition_required",
            "Say which version you are changing",
            "Send If-Match with the ETag from your last read, so that you do not overwrite someone else's change.",
        )
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
            errors: self.errors.clone(),
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

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Invalid(errors) => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "Some fields are not valid",
                "Correct the fields listed in errors and try again.",
            )
            .with_errors(errors),
            DomainError::Refused { code, message, errors } => {
                Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, "Cannot be accepted", message).with_errors(errors)
            }
            DomainError::NotFound => Self::not_found(),
            DomainError::Forbidden(code) => Self::new(
                StatusCode::FORBIDDEN,
                code,
                "Not allowed",
                match code {
                    "admin_role_required" => "Only platform administrators may do this.",
                    "coordinator_role_required" => "Only this organisation's coordinators may do this.",
                    "drafts_need_own_organisation" => {
                        "Drafts are only listed for an organisation you coordinate: add its organisation_id."
                    }
                    _ => "Your role does not allow this.",
                },
            ),
            DomainError::Conflict { code, message, errors } => {
                Self::new(StatusCode::CONFLICT, code, "Conflicts with the current state", message).with_errors(errors)
            }
            DomainError::PreconditionRequired => Self::precondition_required(),
            DomainError::PreconditionFailed => Self::new(
                StatusCode::PRECONDITION_FAILED,
                "version_mismatch",
                "The resource has changed",
                "Someone changed this since you read it. Read it again (for a new ETag) and retry.",
            ),
            DomainError::Store(e) => e.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::not_found(),
            StoreError::Unavailable(detail) => {
                // The store logs the outage once, when it starts and ends (and a lost connection or
                // an exhausted pool as they happen); one line per refused request would bury it.
                log::debug!("database unavailable: {detail}");
                Self::unavailable()
            }
            StoreError::Duplicate | StoreError::VersionConflict => {
                Self::new(StatusCode::CONFLICT, "conflict", "Conflicts with the current state", "Try again.")
            }
            StoreError::Internal(detail) => {
                // The cause goes to the log with the request id, never to the client.
                log::error!("storage failure: {detail}");
                Self::internal()
            }
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        log::error!("blocking task failed: {e}");
        Self::internal()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
