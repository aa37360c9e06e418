//! The store over a connection pool. A store either lends one pooled connection per call (the
//! pool's own store) or holds one connection for a whole unit of work (a session, see
//! [`Store::session`] and [`Store::atomically`]): one checkout per request, and one transaction per
//! use case that writes.

use diesel::connection::{AnsiTransactionManager, Connection, SimpleConnection, TransactionManager};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wex_domain::model::api_client::Attribution;
use wex_domain::model::audit::Stamp;
use wex_domain::ports::{Store, StoreResult, Work};
use wex_domain::{DomainError, StoreError};

use crate::breaker::Breaker;
use crate::connection::{ConnectionManager, DbConnection, DbError, Pool, PoolOptions, build_pool};
use crate::errors::{pool_error, store_error};
use crate::pool_waits::WaitStats;

type Lent = r2d2::PooledConnection<ConnectionManager>;

/// How often a request waiting for a connection looks whether the breaker has opened meanwhile:
/// the request that finds the database gone answers this soon after, not at the pool's timeout.
const WATCH_BREAKER_EVERY: Duration = Duration::from_millis(50);

#[derive(Clone)]
pub struct DbStore {
    pool: Pool,
    breaker: Arc<Breaker>,
    /// The pool's manager, to report connections found lost (it opens the breaker and probes).
    watcher: ConnectionManager,
    /// The connection a session holds; `None` for the pool's own store.
    held: Option<Arc<Mutex<Lent>>>,
    /// The request, and the API client and who it acts for, that every audit entry this store
    /// records is stamped with, and every event attributed to (see [`Store::stamped`]).
    stamp: Option<Arc<Stamp>>,
    /// How long checkouts from the pool waited, for operators' metrics; shared by every session.
    waits: Arc<WaitStats>,
}

impl DbStore {
    /// A store over a new pool for `url`, without connecting yet (see [`DbStore::pool`] to
    /// migrate first).
    pub fn open(url: &str, options: &PoolOptions) -> Result<Self, DbError> {
        let (pool, watcher) = build_pool(url, options)?;
        let breaker = watcher.breaker().cloned().unwrap_or_default();
        Ok(Self { pool, breaker, watcher, held: None, stamp: None, waits: Arc::default() })
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Whether the database is known to be unreachable, and how many requests were refused.
    pub fn breaker(&self) -> &Breaker {
        &self.breaker
    }

    /// Which database the store is on.
    pub(crate) fn backend(&self) -> crate::connection::Backend {
        self.watcher.backend()
    }

    pub(crate) fn waits(&self) -> &WaitStats {
        &self.waits
    }

    /// A store that holds one connection for all its calls until dropped.
    fn hold(&self) -> StoreResult<DbStore> {
        let conn = self.checkout()?;
        Ok(DbStore {
            pool: self.pool.clone(),
            breaker: Arc::clone(&self.breaker),
            watcher: self.watcher.clone(),
            held: Some(Arc::new(Mutex::new(conn))),
            stamp: self.stamp.clone(),
            waits: Arc::clone(&self.waits),
        })
    }

    /// Who the events and audit entries this store records are attributed to, if anyone.
    pub(crate) fn attribution(&self) -> Option<&Attribution> {
        self.stamp.as_deref().and_then(|s| s.attribution.as_ref())
    }

    /// The request the audit entries this store records were written in, if any.
    pub(crate) fn request_id(&self) -> Option<uuid::Uuid> {
        self.stamp.as_deref().and_then(|s| s.request_id)
    }

    /// A pooled connection, or `Unavailable` at once while the breaker is open. Otherwise it waits
    /// up to the pool's timeout, but gives up as soon as a connection attempt fails.
    fn checkout(&self) -> StoreResult<Lent> {
        if !self.breaker.admit() {
            // Counted by the breaker as refused, not as a wait.
            return Err(StoreError::Unavailable("the database is unreachable (circuit open)".to_string()));
        }
        let started = Instant::now();
        let deadline = started + self.pool.connection_timeout();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.pool.get_timeout(left.min(WATCH_BREAKER_EVERY)) {
                Ok(conn) => {
                    self.waits.record(started.elapsed());
                    return Ok(conn);
                }
                Err(_) if self.breaker.is_open() => {
                    self.waits.record_failure();
                    return Err(StoreError::Unavailable("the database has become unreachable".to_string()));
                }
                Err(e) if left <= WATCH_BREAKER_EVERY => {
                    // Reachable but no connection free in time: the pool is too small for the load,
                    // or queries are slow. Worth a line each time, unlike an outage.
                    log::warn!(
                        "no database connection free within {} s (pool of {}): {e}",
                        self.pool.connection_timeout().as_secs_f64(),
                        self.pool.max_size()
                    );
                    self.waits.record_failure();
                    return Err(pool_error(e));
                }
                Err(_) => {}
            }
        }
    }

    /// Runs `f` on the held connection, or on a pooled one; no connection in time means the
    /// database is unavailable.
    pub(crate) fn with_conn<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, diesel::result::Error>,
    ) -> StoreResult<T> {
        self.with_conn_try(|c| f(c).map_err(store_error))
    }

    /// Like [`DbStore::with_conn`] for work that also converts rows to domain values.
    pub(crate) fn with_conn_try<T>(&self, f: impl FnOnce(&mut DbConnection) -> StoreResult<T>) -> StoreResult<T> {
        match &self.held {
            Some(held) => {
                // A store method never calls another while it holds the connection; if one did,
                // waiting here would wait forever.
                let mut conn = held
                    .try_lock()
                    .map_err(|_| StoreError::Internal("a store call re-entered its session".to_string()))?;
                let result = f(&mut conn);
                self.after(&mut conn, &result);
                result
            }
            None => {
                let mut conn = self.checkout()?;
                let result = f(&mut conn);
                self.after(&mut conn, &result);
                result
            }
        }
    }

    /// A connection that lost its server is dropped when it goes back to the pool, and tells the
    /// breaker, so the requests after this one are refused at once instead of each finding
    /// another dead connection.
    fn after<T>(&self, conn: &mut crate::connection::Pooled, result: &StoreResult<T>) {
        if let Err(StoreError::Unavailable(message)) = result
            && crate::errors::is_lost_connection(message)
        {
            conn.broken = true;
            self.watcher.connection_lost(message);
        }
    }

    /// Begins a transaction on the held connection: `BEGIN IMMEDIATE` on SQLite, so a writer takes
    /// the database's write lock at once instead of failing to upgrade a read lock later; a
    /// savepoint when a transaction is already open.
    fn begin(&self) -> StoreResult<()> {
        self.with_conn(|c| {
            if let DbConnection::Sqlite(s) = c
                && AnsiTransactionManager::transaction_manager_status_mut(s).transaction_depth()?.is_none()
            {
                return AnsiTransactionManager::begin_transaction_sql(s, "BEGIN IMMEDIATE");
            }
            <DbConnection as Connection>::TransactionManager::begin_transaction(c)
        })
    }

    fn finish(&self, commit: bool) -> StoreResult<()> {
        self.with_conn(|c| {
            if commit {
                <DbConnection as Connection>::TransactionManager::commit_transaction(c)
            } else {
                <DbConnection as Connection>::TransactionManager::rollback_transaction(c)
            }
        })
    }
}

impl Store for DbStore {
    fn ping(&self) -> StoreResult<()> {
        self.with_conn(|c| c.batch_execute("SELECT 1"))
    }

    fn session(&self, work: Work<'_>) -> Result<(), DomainError> {
        if self.held.is_some() {
            return work(self);
        }
        work(&self.hold()?)
    }

    fn atomically(&self, work: Work<'_>) -> Result<(), DomainError> {
        if self.held.is_none() {
            return self.hold()?.atomically(work);
        }
        self.begin()?;
        match work(self) {
            Ok(()) => Ok(self.finish(true)?),
            Err(e) => {
                // The work's own error is the one to report; a failed rollback leaves the
                // connection broken, and the pool drops it.
                if let Err(rollback) = self.finish(false) {
                    log::warn!("rollback failed: {rollback:?}");
                }
                Err(e)
            }
        }
    }

    fn stamped(&self, stamp: &Stamp, work: Work<'_>) -> Result<(), DomainError> {
        let mut session = if self.held.is_some() { self.clone() } else { self.hold()? };
        session.stamp = Some(Arc::new(stamp.clone()));
        work(&session)
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

/// Why a write transaction stopped: a database error, or a store error (such as a version
/// conflict) found inside it. Deciding whether to write is the domain's, not the store's.
pub(crate) enum Stop {
    Db(diesel::result::Error),
    Store(wex_domain::StoreError),
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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On SQLite a database path that is a directory cannot be opened: an outage without a server.
    /// Removing the directory lets SQLite create the file, and the database is back.
    #[test]
    fn an_unreachable_database_is_refused_at_once_until_a_connection_succeeds() {
        let dir = std::env::temp_dir().join(format!("wex-breaker-{}", uuid::Uuid::new_v4().simple()));
        let path = dir.join("wex.db");
        std::fs::create_dir_all(&path).unwrap();
        let url = format!("sqlite://{}", path.display());
        let options = PoolOptions { connection_timeout: Duration::from_secs(30), ..PoolOptions::default() };
        let store = DbStore::open(&url, &options).unwrap();

        // The first request's connection attempt fails and opens the breaker.
        assert!(matches!(store.ping(), Err(StoreError::Unavailable(_))));
        assert!(store.breaker().is_open());
        // Then every request is refused before the pool, without waiting for a connection.
        for _ in 0..5 {
            assert!(matches!(store.ping(), Err(StoreError::Unavailable(_))));
        }
        assert_eq!(store.breaker().refused_total(), 5);

        std::fs::remove_dir(&path).unwrap();
        assert!(store.breaker().wait_closed(Duration::from_secs(60)), "the prober closes it");
        store.ping().unwrap();
        assert_eq!(store.breaker().refused_total(), 5);
        drop(store);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
