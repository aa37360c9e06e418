//! The store over a connection pool. Each method takes one pooled connection for its work.

use diesel::connection::SimpleConnection;
use wex_domain::ports::{Store, StoreResult};

use crate::connection::{DbConnection, Pool};
use crate::errors::{pool_error, store_error};

#[derive(Clone)]
pub struct DbStore {
    pool: Pool,
}

impl DbStore {
    pub fn new(pool: Pool) -> Self {
        Self { pool }
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Runs `f` on a pooled connection; a pool timeout means the database is unavailable.
    pub(crate) fn with_conn<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, diesel::result::Error>,
    ) -> StoreResult<T> {
        let mut conn = self.pool.get().map_err(pool_error)?;
        f(&mut conn).map_err(store_error)
    }

    /// Like [`DbStore::with_conn`] for work that also converts rows to domain values.
    pub(crate) fn with_conn_try<T>(&self, f: impl FnOnce(&mut DbConnection) -> StoreResult<T>) -> StoreResult<T> {
        let mut conn = self.pool.get().map_err(pool_error)?;
        f(&mut conn)
    }
}

impl Store for DbStore {
    fn ping(&self) -> StoreResult<()> {
        self.with_conn(|c| c.batch_execute("SELECT 1"))
    }
}

impl From<DbStore> for std::sync::Arc<dyn Store> {
    fn from(store: DbStore) -> Self {
        std::sync::Arc::new(store)
    }
}

/// Lets `?` on diesel errors inside `with_conn_try` closures read naturally.
pub(crate) trait OrStore<T> {
    fn db(self) -> StoreResult<T>;
}

impl<T> OrStore<T> for Result<T, diesel::result::Error> {
    fn db(self) -> StoreResult<T> {
        self.map_err(store_error)
    }
}

/// Writes `$row` over the row with its id and the expected version: `VersionConflict` if the row
/// has moved on, `NotFound` if it is gone. (A macro because diesel's table types differ.)
macro_rules! versioned_update {
    ($conn:expr, $table:ident, $row:expr, $expected:expr) => {{
        use diesel::prelude::*;
        let row = $row;
        let n = diesel::update($table::table.find(&row.id).filter($table::version.eq($expected)))
            .set(row)
            .execute($conn)
            .db()?;
        if n == 1 {
            Ok(())
        } else {
            let exists = $table::table.find(&row.id).count().get_result::<i64>($conn).db()? > 0;
            Err(crate::errors::missed_update(exists))
        }
    }};
}
pub(crate) use versioned_update;

/// Why a write transaction stopped: a database error, a store error decided inside it, or a
/// decision to write nothing (reported as a version conflict, so callers read again).
pub(crate) enum Stop {
    Db(diesel::result::Error),
    Store(wex_domain::StoreError),
    Refused,
}

impl From<diesel::result::Error> for Stop {
    fn from(e: diesel::result::Error) -> Self {
        Stop::Db(e)
    }
}

impl From<wex_domain::StoreError> for Stop {
    fn from(e: wex_domain::StoreError) -> Self {
        Stop::Store(e)
    }
}

impl Stop {
    pub(crate) fn into_store(self) -> wex_domain::StoreError {
        match self {
            Stop::Db(e) => crate::errors::store_error(e),
            Stop::Store(e) => e,
            Stop::Refused => wex_domain::StoreError::VersionConflict,
        }
    }
}
