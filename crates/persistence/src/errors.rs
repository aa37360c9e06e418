//! Mapping database errors to the domain's [`StoreError`], and conversions between stored text and
//! domain values. A value that does not convert back means corrupt data: an internal error.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::result::{DatabaseErrorKind, Error};
use uuid::Uuid;
use wex_domain::StoreError;

pub(crate) fn store_error(e: Error) -> StoreError {
    match e {
        Error::NotFound => StoreError::NotFound,
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => StoreError::Duplicate,
        Error::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => unavailable(info.message()),
        Error::DatabaseError(DatabaseErrorKind::Unknown, info) if lost_connection(info.message()) => {
            unavailable(info.message())
        }
        Error::BrokenTransactionManager => StoreError::Unavailable("broken transaction".to_string()),
        other => StoreError::Internal(other.to_string()),
    }
}

/// A query that lost its connection (or, on SQLite, its lock): the few requests under way when the
/// database goes are logged here; the requests after them are refused by the breaker, which logs
/// the outage once.
fn unavailable(message: &str) -> StoreError {
    log::warn!("database unavailable during a query: {message}");
    StoreError::Unavailable(message.to_string())
}

/// Whether an `Unavailable` error means the connection itself is gone (rather than, on SQLite,
/// a lock held too long).
pub(crate) fn is_lost_connection(message: &str) -> bool {
    !message.to_ascii_lowercase().contains("database is locked")
}

/// libpq reports a dropped server as an unknown error with one of these messages.
fn lost_connection(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "server closed the connection",
        "connection refused",
        "no connection to the server",
        "terminating connection",
        "could not connect",
        "database is locked",
    ]
    .iter()
    .any(|needle| m.contains(needle))
}

pub(crate) fn pool_error(e: r2d2::Error) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

pub(crate) fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Internal(format!("stored {what} is not valid: {value}"))
}

/// Ids as stored, for `eq_any` over a list of them.
pub(crate) fn texts(ids: &[Uuid]) -> Vec<String> {
    ids.iter().copied().map(text).collect()
}

pub(crate) fn uuid(text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|_| corrupt("id", text))
}

pub(crate) fn opt_uuid(text: Option<&str>) -> Result<Option<Uuid>, StoreError> {
    text.map(uuid).transpose()
}

pub(crate) fn code<T>(what: &str, text: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T, StoreError> {
    parse(text).ok_or_else(|| corrupt(what, text))
}

pub(crate) fn json<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|_| corrupt(what, text))
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Internal(e.to_string()))
}

pub(crate) fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

pub(crate) fn naive(t: DateTime<Utc>) -> NaiveDateTime {
    t.naive_utc()
}

/// Ids as stored: lowercase hyphenated text.
pub(crate) fn text(id: Uuid) -> String {
    id.hyphenated().to_string()
}

/// `expected_version` updates that touched nothing: the row is gone or has moved on.
pub(crate) fn missed_update(exists: bool) -> StoreError {
    if exists { StoreError::VersionConflict } else { StoreError::NotFound }
}
