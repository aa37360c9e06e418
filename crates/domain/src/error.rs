//! Errors the domain reports, each mapped to one HTTP status at the edge.

use serde::Serialize;

/// One problem with one field of the input, located by a JSON pointer (`/eligibility/min_age`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// JSON pointer to the field in the request (RFC 6901).
    #[cfg_attr(feature = "openapi", schema(example = "/closes_at"))]
    pub field: String,
    /// Stable machine-readable code a front end can localise.
    #[cfg_attr(feature = "openapi", schema(example = "must_be_after_opens_at"))]
    pub code: String,
    /// Plain-language explanation.
    #[cfg_attr(feature = "openapi", schema(example = "The closing time must be after the opening time."))]
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), code: code.into(), message: message.into() }
    }
}

/// What a repository can fail with. Each port documents when it returns which.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StoreError {
    /// The object does not exist.
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken (for example a second membership with the same role).
    #[error("duplicate")]
    Duplicate,
    /// The stored version differs from the one the caller expected (optimistic concurrency).
    #[error("version conflict")]
    VersionConflict,
    /// The database cannot be reached now; the request may be retried later.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Anything else: a defect or corrupt data. Details go to the log, never to the client.
    #[error("database error: {0}")]
    Internal(String),
}

/// The outcome of a use case that did not succeed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DomainError {
    /// Well-formed input that breaks a rule; every broken rule is listed.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// A request refused for one reason with its own code (for example `age_not_eligible`).
    #[error("refused: {code}")]
    Refused { code: &'static str, message: String, errors: Vec<FieldError> },
    /// The object does not exist or the caller may not know that it exists.
    #[error("not found")]
    NotFound,
    /// The caller is known but their role does not allow this.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// The request conflicts with the object's current state; `errors` names the fields involved.
    #[error("conflict: {code}")]
    Conflict { code: &'static str, message: String, errors: Vec<FieldError> },
    /// A change to an existing object must say which version it changes (`If-Match`).
    #[error("precondition required")]
    PreconditionRequired,
    /// The caller's `If-Match` version is stale.
    #[error("precondition failed")]
    PreconditionFailed,
    #[error(transparent)]
    Store(StoreError),
}

impl DomainError {
    pub fn invalid(field: &str, code: &str, message: &str) -> Self {
        DomainError::Invalid(vec![FieldError::new(field, code, message)])
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        DomainError::Conflict { code, message: message.into(), errors: Vec::new() }
    }
}

impl From<StoreError> for DomainError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => DomainError::NotFound,
            StoreError::VersionConflict => DomainError::PreconditionFailed,
            other => DomainError::Store(other),
        }
    }
}
