//! Placements: creating, changing, publishing, closing early, cancelling and finding them.

mod cancel;
mod checks;
mod close;
mod create;
mod publish;
mod search;
mod update;

pub use cancel::cancel_placement;
pub use close::{CloseError, close_placement};
pub use create::create_placement;
pub use publish::publish_placement;
pub use search::{get_placement, search_placements};
pub use update::{placement_to_edit, update_placement};
