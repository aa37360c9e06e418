//! Applying for a placement, withdrawing, and which applications a caller may see.

mod apply;
mod visible;
mod withdraw;

pub use apply::{ApplyError, Submitted, apply};
pub use visible::{HiddenError, read_application, visible_application};
pub use withdraw::{WithdrawError, withdraw};
