//! The rules of the NHS work experience platform.
//!
//! Everything here is plain Rust: no web framework and no database. The HTTP crate turns requests
//! into calls on these types and the persistence crate implements the [`ports`] traits.

pub mod advocacy;
pub mod application;
pub mod application_read;
pub mod auth;
pub mod disclosure;
pub mod draw;
pub mod equality;
pub mod error;
pub mod event;
pub mod form;
pub mod grants;
pub mod lottery;
pub mod notification;
pub mod offer;
pub mod organisation;
pub mod page;
pub mod participation;
pub mod placement;
pub mod placement_read;
pub mod ports;
pub mod postcode;
pub mod privacy;
pub mod profile;
pub mod reference;
pub mod reports;
pub mod suppression;
#[cfg(test)]
pub(crate) mod test_rng;
pub mod unit_of_work;
pub mod validation;

pub use error::{DomainError, FieldError, StoreError};

/// The current time, truncated to microseconds: both databases store microseconds, so values
/// read back equal the values written.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    chrono::Utc::now().trunc_subsecs(6)
}
