//! Read models: what the API shows beside each object, loaded in a fixed number of queries
//! whatever a list's length.

pub mod applications;
pub mod placements;
