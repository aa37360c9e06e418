//! Entities and value types, valid by construction, and pure functions over them. Nothing here
//! reads or writes storage: the model imports no port and no use case.

pub mod advocacy;
pub mod allocation;
pub mod api_client;
pub mod application;
pub mod audit;
pub mod auth;
pub mod dates;
pub mod delivery;
pub mod draw;
pub mod eligibility;
pub mod email;
pub mod equality;
pub mod event;
pub mod feed;
pub mod form;
pub mod lottery;
pub mod name_blind;
pub mod notification;
pub mod ods_code;
pub mod offer;
pub mod organisation;
pub mod page;
pub mod participation;
pub mod placement;
pub mod postcode;
pub mod privacy;
pub mod profile;
pub mod reach;
pub mod reference;
pub mod reports;
pub mod t_level;
pub mod test_data;
pub mod transition;
pub mod validation;
pub mod webhook;
