//! Bringing a database up to this release: its migrations, then the report counters if this
//! release counts differently from the one that kept them.

use crate::connection::{DbConnection, DbError, migrate};

/// Runs the pending migrations for the backend and returns how many ran; then rebuilds the report
/// counters when they follow another definition than this release's. On SQLite it also turns on
/// write-ahead logging, which is a property of the database file.
pub fn run_migrations(conn: &mut DbConnection) -> Result<usize, DbError> {
    let ran = migrate(conn)?;
    crate::reports::counters::rebuild_if_stale(conn).map_err(|e| DbError::Migration(e.to_string()))?;
    Ok(ran)
}
