//! Storage for wex on SQLite (embedded default) and PostgreSQL (production), from one code base.

mod advocacy;
mod api_clients;
mod applications;
mod breaker;
mod bulk;
mod connection;
mod delivery;
mod draws;
mod equality;
mod erasure;
mod errors;
mod events;
#[cfg(feature = "testing")]
pub mod fixtures;
mod idempotency;
mod identity;
mod migrate;
mod offers;
mod operations;
mod organisations;
mod outbox;
mod participation;
pub mod personal_data;
mod placement_forms;
mod placements;
mod pool_waits;
mod profiles;
mod providers;
mod rate_limits;
mod readiness;
mod reminders;
mod reports;
mod retention;
mod sandbox;
mod schema;
mod store;
mod subject_access;
#[cfg(feature = "testing")]
pub mod synthetic;
mod t_level;
mod team_contacts;
mod test_data;
#[cfg(feature = "testing")]
pub mod testing;
mod webhooks;

pub use breaker::Breaker;
pub use connection::{
    Backend, ConnectionManager, DEFAULT_CHECK_IDLE_AFTER, DEFAULT_PROBE_INTERVAL_MS, DbConnection, DbError,
    POSTGRES_MIGRATIONS, Pool, PoolOptions, Pooled, QueryLog, SQLITE_MIGRATIONS, backend_of, sqlite_path,
};
pub use migrate::run_migrations;
pub use reports::FromScratch;
pub use store::DbStore;
