//! Entities and value types, valid by construction, and pure functions over them. Nothing here
//! reads or writes storage: the model imports no port and no use case.

pub mod auth;
pub mod lottery;
pub mod notification;
pub mod organisation;
pub mod page;
pub mod placement;
pub mod postcode;
pub mod privacy;
pub mod profile;
pub mod reference;
pub mod validation;
