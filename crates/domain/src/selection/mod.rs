//! Choosing who gets a place: the coordinators' name-blind view of a placement's applications,
//! their review where the placement asks for one, and the draw.

mod applications;
mod draw;
mod review;

pub use applications::{PlacementApplications, placement_applications};
pub use draw::{DrawError, DueReport, draw_due, draw_placement};
pub use review::{ReviewError, review};
