//! Organisation API clients: registering them (`manage`) and giving them access tokens (`token`).

pub mod manage;
pub mod token;
