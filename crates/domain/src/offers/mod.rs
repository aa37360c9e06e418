//! Offers: after the draw, the first `capacity` entries are offered a place to accept or decline by
//! a date; declines and expiries pass the place down the waiting list, in draw order. No placement
//! is ever over-filled: places are given only where the store confirms, under a lock, that one is
//! free.

mod allocate;
mod answer;
mod expire;
mod waiting;

pub use allocate::{FillError, allocation_after_draw, fill_places};
pub use answer::{AnswerError, accept, decline};
pub use expire::expire_due;
pub use waiting::close_waiting_lists;
