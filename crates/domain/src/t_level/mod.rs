//! T-level industry placements on an accepted place: the three-way agreement, hours logged by the
//! supervisor within the working-time limits, progress against the 315 hours, and the two reviews.
//! Everything is keyed by the application that holds the place.

mod access;
mod agreement;
mod hours;
mod reviews;

pub use access::{HiddenPlaceError, Parts, acts_as_provider};
pub use agreement::{ConfirmError, RecordAgreementError, agreement, confirm_agreement, record_agreement};
pub use hours::{LogHoursError, Logged, hours_of, log_hours, progress};
pub use reviews::{ReflectionError, ReviewError, add_reflection, record_review, reviews};
