//! The rules of the NHS work experience platform.
//!
//! Everything here is plain Rust: no web framework and no database. The HTTP crate turns requests
//! into calls on these types and the persistence crate implements the [`ports`] traits.
//!
//! Three layers, each importing only those below it: [`model`] (entities and value types, valid by
//! construction, and pure functions over them), [`ports`] (the storage traits), and the use cases,
//! grouped by area ([`placements`], [`applying`], [`selection`], [`offers`], ...), which also use the
//! texts of [`messages`].

pub mod advocacy;
pub mod api_clients;
pub mod applying;
pub mod codes;
pub mod data_protection;
pub mod delivery;
pub mod equality;
pub mod error;
pub mod feed;
pub mod grants;
pub mod messages;
pub mod model;
pub mod offers;
pub mod operations;
pub mod organisations;
pub mod participation;
pub mod placements;
pub mod ports;
pub mod profiles;
pub mod providers;
pub mod rate_limit;
pub mod read;
pub mod readiness;
pub mod reminders;
pub mod reports;
pub mod sandbox;
pub mod selection;
pub mod t_level;
pub mod team_contact;
#[cfg(test)]
pub(crate) mod test_rng;
pub mod unit_of_work;
pub mod use_case_error;
pub mod webhooks;

pub use error::{DomainError, FieldError, StoreError};
pub use use_case_error::UseCaseError;

/// The current time, truncated to microseconds: both databases store microseconds, so values
/// read back equal the values written.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    chrono::Utc::now().trunc_subsecs(6)
}
