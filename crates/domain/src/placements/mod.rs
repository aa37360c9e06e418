//! Placements: creating (one at a time or imported in bulk), changing, publishing, closing early, cancelling and finding them.

mod cancel;
mod checks;
mod close;
mod create;
mod import;
mod publish;
mod search;
mod update;

pub use cancel::{CancelError, cancel_placement};
pub use close::{CloseError, close_placement};
pub use create::{CreatePlacementError, create_placement};
pub use import::{ImportPlacementsError, ImportRow, MAX_IMPORT_ROWS, import_placements};
pub use publish::{PublishError, publish_placement};
pub use search::{PlacementReadError, SearchPlacementsError, get_placement, search_placements};
pub use update::{UpdatePlacementError, placement_to_edit, update_placement};
