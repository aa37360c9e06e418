//! Errors the domain reports, each mapped to one HTTP status at the edge.

use serde::Serialize;

use crate::codes::Code;

/// One problem with one field of the input, located by a JSON pointer (`/eligibility/min_age`).
/// (Its schema in the OpenAPI document is `wex-http`'s: the domain knows nothing of the wire.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// JSON pointer to the field in the request (RFC 6901).
    pub field: String,
    /// Stable machine-readable code a front end can localise.
    pub code: String,
    /// Plain-language explanation.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), code: code.into(), message: message.into() }
    }
}

/// What a repository can fail with. Each port documents when it returns which.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
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
    /// A rule refused the request, with a code of its own from [`crate::codes`] that says which
    /// (`age_not_eligible`, `offer_expired`); `errors` names the fields involved.
    #[error("refused: {}", code.code)]
    Rule { code: &'static Code, message: String, errors: Vec<FieldError> },
    /// The object does not exist or the caller may not know that it exists.
    #[error("not found")]
    NotFound,
    /// The caller is known but their role does not allow this (a [`crate::codes`] role code).
    #[error("forbidden: {}", .0.code)]
    Forbidden(&'static Code),
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

    /// A rule's refusal in the use case's words; a code that names a field lists it in `errors`.
    pub fn rule(code: &'static Code, message: impl Into<String>) -> Self {
        let message = message.into();
        let errors = code.field.map(|f| vec![FieldError::new(f, code.code, message.clone())]).unwrap_or_default();
        DomainError::Rule { code, message, errors }
    }
}

/// The object does not exist, or the caller may not know that it exists: the one failure of a
/// lookup that hides what the caller may not see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotFound;

impl From<NotFound> for DomainError {
    fn from(_: NotFound) -> Self {
        DomainError::NotFound
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
