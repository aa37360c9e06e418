//! The sandbox's own rules (sandbox mode only): how long a minted token lives, with the grant it
//! needs, and how far the service's clock may be moved; and [`test_data`], batches of generated
//! organisations, placements, applicants and applications.

mod content;
pub mod test_data;

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use crate::codes;
use crate::error::FieldError;
use crate::grants::{SandboxGrantError, ensure_sandbox_grant};
use crate::model::auth::Role;
use crate::ports::Store;
use crate::use_case_error::Detail;

/// A token's lifetime when none is asked for: eight hours.
pub const DEFAULT_TOKEN_SECONDS: i64 = 8 * 60 * 60;
/// The shortest and longest lifetimes a token may be asked for: a minute to 30 days.
pub const MIN_TOKEN_SECONDS: i64 = 60;
pub const MAX_TOKEN_SECONDS: i64 = 30 * 24 * 60 * 60;
/// The furthest the clock moves in one change, either way: 100 years of 366 days.
pub const MAX_CLOCK_STEP_SECONDS: u64 = 100 * 366 * 24 * 3600;

crate::use_case_error! {
    /// Why a sandbox token could not be minted.
    pub enum TokenError {
        /// `expires_in` is outside a minute to 30 days.
        OutOfRange(()) = codes::OUT_OF_RANGE,
        /// The grant the token needs could not be recorded.
        Grant(SandboxGrantError),
    }
}

/// Checks the lifetime asked for and records the grant a token for `role` needs, so that it
/// works at once. Returns the lifetime in seconds.
pub fn grant_for_token(
    store: &dyn Store,
    subject: &str,
    role: Role,
    organisation_id: Option<Uuid>,
    expires_in: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, TokenError> {
    let ttl = expires_in.unwrap_or(DEFAULT_TOKEN_SECONDS);
    if !(MIN_TOKEN_SECONDS..=MAX_TOKEN_SECONDS).contains(&ttl) {
        return Err(TokenError::OutOfRange(()));
    }
    ensure_sandbox_grant(store, subject, role, organisation_id, now)?;
    Ok(ttl)
}

/// A refused clock change: what was wrong, and the field it was wrong in (the empty pointer for
/// the whole body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockRefusal {
    pub field: &'static str,
    pub message: &'static str,
}

impl Detail for ClockRefusal {
    fn message(&self) -> Option<String> {
        Some(self.message.to_string())
    }
    fn errors(&self) -> Vec<FieldError> {
        vec![FieldError::new(self.field, codes::INVALID_CLOCK_CHANGE.code, self.message)]
    }
}

crate::use_case_error! {
    /// Why the clock could not be moved.
    pub enum ClockError {
        /// Both or neither of a time and a step, or a step of more than 100 years.
        InvalidChange(ClockRefusal) = codes::INVALID_CLOCK_CHANGE,
    }
}

/// The time a clock change asks for, from `now`: a time to set, or a step in seconds (negative
/// moves it back). Exactly one must be given, and the clock moves at most 100 years either way.
pub fn clock_change(
    now: DateTime<Utc>,
    set: Option<DateTime<Utc>>,
    advance_seconds: Option<i64>,
) -> Result<DateTime<Utc>, ClockError> {
    let refused = |field, message| ClockError::InvalidChange(ClockRefusal { field, message });
    let too_far = |field| refused(field, "Move the clock by at most 100 years either way.");
    // Checked arithmetic throughout: a step of i64::MIN seconds must be refused, not overflow.
    let (to, field) = match (set, advance_seconds) {
        (Some(at), None) => (at, "/set"),
        (None, Some(secs)) => {
            let to = TimeDelta::try_seconds(secs).and_then(|step| now.checked_add_signed(step));
            (to.ok_or_else(|| too_far("/advance_seconds"))?, "/advance_seconds")
        }
        (Some(_), Some(_)) => return Err(refused("", "Send either set or advance_seconds, not both.")),
        (None, None) => return Err(refused("", "Send set (a time) or advance_seconds (a number).")),
    };
    if (to - now).num_seconds().unsigned_abs() > MAX_CLOCK_STEP_SECONDS {
        return Err(too_far(field));
    }
    Ok(to)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::TimeZone;

    use super::*;
    use crate::use_case_error::UseCaseError;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap()
    }

    #[test]
    fn a_step_moves_the_clock_and_one_too_far_is_refused_at_its_field() {
        assert_eq!(clock_change(now(), None, Some(60)).unwrap(), now() + TimeDelta::seconds(60));
        let refused = clock_change(now(), None, Some(i64::MIN)).unwrap_err();
        assert_eq!(refused.code().code, "invalid_clock_change");
        assert_eq!(refused.field_errors()[0].field, "/advance_seconds");
        let far = now() + TimeDelta::days(200 * 366);
        assert_eq!(clock_change(now(), Some(far), None).unwrap_err().field_errors()[0].field, "/set");
    }

    #[test]
    fn both_or_neither_is_refused_for_the_whole_body() {
        for (set, step) in [(Some(now()), Some(1)), (None, None)] {
            let refused = clock_change(now(), set, step).unwrap_err();
            assert_eq!(refused.field_errors()[0].field, "");
            assert!(refused.message().is_some());
        }
    }
}
