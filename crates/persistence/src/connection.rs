//! One connection type over SQLite and PostgreSQL, its r2d2 pool, and the embedded migrations.

use diesel::connection::{CacheSize, SimpleConnection};
use diesel::prelude::*;
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::breaker::Breaker;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// A connection to whichever database the URL names.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL (expected sqlite://PATH or postgres://...): {0}")]
    UnsupportedUrl(String),
    #[error("cannot create the database directory {0}: {1}")]
    Directory(String, std::io::Error),
    #[error(transparent)]
    Connection(#[from] diesel::ConnectionError),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error(transparent)]
    Pool(#[from] r2d2::Error),
    #[error("migration failed: {0}")]
    Migration(String),
}

/// Parses a database URL: `sqlite://PATH` (relative or absolute) or `postgres://` / `postgresql://`.
pub fn backend_of(url: &str) -> Result<Backend, DbError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else if let Some(path) = url.strip_prefix("sqlite://") {
        // An in-memory database would be a different database on every pooled connection.
        if path.is_empty() || path.contains(":memory:") {
            Err(DbError::UnsupportedUrl(url.to_string()))
        } else {
            Ok(Backend::Sqlite)
        }
    } else {
        Err(DbError::UnsupportedUrl(url.to_string()))
    }
}

/// The file path of a `sqlite://` URL.
pub fn sqlite_path(url: &str) -> Option<&str> {
    url.strip_prefix("sqlite://")
}

/// Opens connections by URL scheme, showing the real connection error (the derive's own
/// `establish` hides it), and sets SQLite's per-connection pragmas. In a pool it also tells the
/// pool's [`Breaker`] whether the database can be reached.
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: String,
    backend: Backend,
    watch: Option<Watch>,
    query_log: Option<Arc<QueryLog>>,
    check_idle_after: Duration,
    /// Whether PostgreSQL connections keep their statements prepared (see
    /// [`PoolOptions::statement_cache`]).
    statement_cache: bool,
}

/// The breaker a pool's manager reports to, and how it probes while the breaker is open.
#[derive(Debug, Clone)]
struct Watch {
    breaker: Arc<Breaker>,
    probe_interval: Duration,
    /// The longest a pool thread waits for the prober before trying again itself.
    patience: Duration,
}

impl ConnectionManager {
    pub fn new(url: &str) -> Result<Self, DbError> {
        let backend = backend_of(url)?;
        if backend == Backend::Sqlite
            && let Some(dir) = sqlite_path(url).and_then(|p| Path::new(p).parent())
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|e| DbError::Directory(dir.display().to_string(), e))?;
        }
        Ok(Self {
            url: url.to_string(),
            backend,
            watch: None,
            query_log: None,
            check_idle_after: DEFAULT_CHECK_IDLE_AFTER,
            statement_cache: true,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn establish(&self) -> Result<DbConnection, DbError> {
        match self.backend {
            Backend::Postgres => {
                let mut conn = PgConnection::establish(&self.url)?;
                if !self.statement_cache {
                    // Behind PgBouncer's transaction pooling, a statement prepared under a name on
                    // one server connection is missing on the next; uncached statements are sent
                    // with their parameters in one message, which any server connection can run.
                    conn.set_prepared_statement_cache_size(CacheSize::Disabled);
                }
                Ok(DbConnection::Postgres(conn))
            }
            Backend::Sqlite => {
                let path = sqlite_path(&self.url).unwrap_or_default();
                let mut conn = SqliteConnection::establish(path)?;
                // One statement each: busy_timeout first so the others wait for a lock.
                conn.batch_execute("PRAGMA busy_timeout = 5000;")?;
                conn.batch_execute("PRAGMA foreign_keys = ON;")?;
                conn.batch_execute("PRAGMA synchronous = NORMAL;")?;
                // Reports read large tables at random: map the file into memory (reads without
                // a system call each) and keep a bigger page cache than the 2 MB default.
                conn.batch_execute("PRAGMA mmap_size = 1073741824;")?;
                conn.batch_execute("PRAGMA cache_size = -32768;")?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

impl ConnectionManager {
    /// Tries the database every `every` until a connection succeeds and closes the breaker, or
    /// the outage is over anyway, or the pool is gone. One prober per outage.
    fn spawn_prober(&self, mut outage: u64, breaker: &Arc<Breaker>, every: Duration) {
        let connector = Self {
            url: self.url.clone(),
            backend: self.backend,
            watch: None,
            query_log: None,
            check_idle_after: DEFAULT_CHECK_IDLE_AFTER,
            statement_cache: self.statement_cache,
        };
        // Weak, so that dropping the pool during an outage ends the prober.
        let breaker = Arc::downgrade(breaker);
        let spawned = std::thread::Builder::new().name("wex-db-probe".into()).spawn(move || {
            loop {
                std::thread::sleep(every);
                let Some(breaker) = breaker.upgrade() else { return };
                if breaker.open_outage() != Some(outage) {
                    return;
                }
                match connector.establish() {
                    Ok(_) => return breaker.success(),
                    Err(e) => {
                        // If the pool closed the breaker meanwhile and this failure reopened it,
                        // the new outage is this prober's to serve.
                        if let Some(reopened) = breaker.failure(&e.to_string()) {
                            outage = reopened;
                        }
                    }
                }
            }
        });
        if let Err(e) = spawned {
            log::error!("cannot start the database prober ({e}): the pool's own attempts will find the database");
        }
    }
}

/// A pooled connection with what the pool needs to know about it.
pub struct Pooled {
    conn: DbConnection,
    /// When it last went back to the pool in good order.
    last_ok: Instant,
    /// Set when a query found the connection lost: the pool drops it instead of lending it again.
    pub(crate) broken: bool,
}

impl std::ops::Deref for Pooled {
    type Target = DbConnection;
    fn deref(&self) -> &DbConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for Pooled {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.conn
    }
}

/// A connection back in the pool within this long of its last use is lent again without a health
/// query: a busy service checks out thousands of times a second, and a `SELECT 1` before each would
/// double its round trips. One idle for longer is checked first, so after a database restart the
/// pool drops dead connections instead of failing requests with them.
pub const DEFAULT_CHECK_IDLE_AFTER: Duration = Duration::from_secs(1);

/// Every statement sent to the database by a pool's connections (feature `testing` and
/// benchmarks): tests count a request's queries with it.
#[derive(Debug, Default)]
pub struct QueryLog {
    statements: Mutex<Vec<String>>,
}

impl QueryLog {
    /// The statements logged since the last call, oldest first, and forgets them.
    pub fn take(&self) -> Vec<String> {
        self.statements.lock().map(|mut s| std::mem::take(&mut *s)).unwrap_or_default()
    }

    fn push(&self, statement: String) {
        if let Ok(mut s) = self.statements.lock() {
            s.push(statement);
        }
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = Pooled;
    type Error = DbError;

    fn connect(&self) -> Result<Pooled, DbError> {
        let mut conn = self.connect_watched()?;
        if let Some(log) = &self.query_log {
            let log = Arc::clone(log);
            conn.set_instrumentation(move |event: diesel::connection::InstrumentationEvent<'_>| {
                if let diesel::connection::InstrumentationEvent::StartQuery { query, .. } = event {
                    log.push(query.to_string());
                }
            });
        }
        Ok(Pooled { conn, last_ok: Instant::now(), broken: false })
    }

    fn is_valid(&self, conn: &mut Pooled) -> Result<(), DbError> {
        if conn.last_ok.elapsed() < self.check_idle_after {
            return Ok(());
        }
        conn.conn.batch_execute("SELECT 1")?;
        Ok(())
    }

    fn has_broken(&self, conn: &mut Pooled) -> bool {
        use diesel::connection::TransactionManager;
        let broken = conn.broken
            || <DbConnection as Connection>::TransactionManager::is_broken_transaction_manager(&mut conn.conn);
        if !broken {
            conn.last_ok = Instant::now();
        }
        broken
    }
}

impl ConnectionManager {
    /// A query found its connection lost: the database may be gone, so the breaker opens (and
    /// probes) as if a connection attempt had failed. If only that one connection was lost, the
    /// first probe closes it again.
    pub(crate) fn connection_lost(&self, message: &str) {
        log::debug!("connection lost: {message}");
        if let Some(watch) = &self.watch
            && let Some(outage) = watch.breaker.failure(message)
        {
            self.spawn_prober(outage, &watch.breaker, watch.probe_interval);
        }
    }

    /// The breaker this manager's pool reports to.
    pub(crate) fn breaker(&self) -> Option<&Arc<Breaker>> {
        self.watch.as_ref().map(|w| &w.breaker)
    }

    fn connect_watched(&self) -> Result<DbConnection, DbError> {
        let Some(watch) = &self.watch else { return self.establish() };
        // The pool retries a failed connection on its own threads, forever; while the breaker is
        // open those retries wait for the prober's verdict instead of hammering a database that is
        // down. When it closes they connect at once, so the pool refills without a back-off delay.
        watch.breaker.wait_closed(watch.patience);
        let result = self.establish();
        match &result {
            Ok(_) => watch.breaker.success(),
            Err(e) => {
                if let Some(outage) = watch.breaker.failure(&e.to_string()) {
                    self.spawn_prober(outage, &watch.breaker, watch.probe_interval);
                }
            }
        }
        result
    }
}

pub type Pool = r2d2::Pool<ConnectionManager>;

/// Pool settings.
#[derive(Debug, Clone)]
pub struct PoolOptions {
    pub max_size: u32,
    /// How long a request waits for a connection before it is answered 503, while the database is
    /// believed reachable (all connections busy, or a connection attempt under way).
    pub connection_timeout: Duration,
    /// While the database is unreachable, how often to try connecting again: the longest the
    /// service stays unavailable after the database returns.
    pub probe_interval: Duration,
    /// Logs every statement the pool's connections send (tests and benchmarks count them).
    pub query_log: Option<Arc<QueryLog>>,
    /// A connection idle for longer than this is checked with a health query before it is lent.
    pub check_idle_after: Duration,
    /// PostgreSQL: keep each connection's statements prepared, by name, for reuse (diesel's
    /// cache). Turn it off behind a pooler in transaction mode (PgBouncer before 1.21, or without
    /// `max_prepared_statements`), which hands each transaction a different server connection.
    pub statement_cache: bool,
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self {
            max_size: 8,
            connection_timeout: Duration::from_secs(5),
            probe_interval: Duration::from_millis(DEFAULT_PROBE_INTERVAL_MS),
            query_log: None,
            check_idle_after: DEFAULT_CHECK_IDLE_AFTER,
            statement_cache: true,
        }
    }
}

/// Ten connection attempts a second cost a database that is down nothing, and keep the service
/// unavailable for at most about a tenth of a second after it returns.
pub const DEFAULT_PROBE_INTERVAL_MS: u64 = 100;

/// The pool logs every failed connection attempt as an error (149 lines in 20 s of outage); the
/// breaker reports the outage once instead, with the cause, so the attempts go to the debug log.
#[derive(Debug)]
struct QuietErrors;

impl r2d2::HandleError<DbError> for QuietErrors {
    fn handle_error(&self, error: DbError) {
        log::debug!("database connection attempt failed: {error}");
    }
}

/// Builds a pool without connecting, with the breaker its connection attempts report to: the
/// service starts, reports not ready and recovers by itself when the database comes back.
pub(crate) fn build_pool(url: &str, options: &PoolOptions) -> Result<(Pool, ConnectionManager), DbError> {
    let breaker = Arc::new(Breaker::default());
    let mut manager = ConnectionManager::new(url)?;
    manager.query_log = options.query_log.clone();
    manager.check_idle_after = options.check_idle_after;
    manager.statement_cache = options.statement_cache;
    manager.watch = Some(Watch {
        breaker: Arc::clone(&breaker),
        probe_interval: options.probe_interval,
        patience: options.connection_timeout,
    });
    let watcher = manager.clone();
    let pool = r2d2::Pool::builder()
        .max_size(options.max_size)
        .min_idle(Some(0))
        .connection_timeout(options.connection_timeout)
        // Only connections idle for a while are checked (see `ConnectionManager::is_valid`).
        .test_on_check_out(true)
        .error_handler(Box::new(QuietErrors))
        .build_unchecked(manager);
    Ok((pool, watcher))
}

/// Runs the pending migrations for the backend; returns how many ran. On SQLite it also turns on
/// write-ahead logging, which is a property of the database file. (`crate::run_migrations` is what
/// callers use: it also brings the report counters up to date.)
pub(crate) fn migrate(conn: &mut DbConnection) -> Result<usize, DbError> {
    let ran = match conn {
        DbConnection::Postgres(c) => {
            // A session's advisory lock and its unlock must reach the same server connection,
            // which PgBouncer in transaction mode does not promise: a lock left on a connection
            // nobody owns would stop every later start. So the lock is taken only when something
            // is pending, which is never the case behind a pooler once `wex migrate` has run
            // directly against PostgreSQL (docs/deployment.md). Reading what is applied needs no
            // lock: migrations are only ever added.
            let pending = c.pending_migrations(POSTGRES_MIGRATIONS).map_err(|e| DbError::Migration(e.to_string()))?;
            if pending.is_empty() {
                return Ok(0);
            }
            // Many identical processes may start at once: one migrates, the others wait and find
            // nothing left to do.
            c.batch_execute("SELECT pg_advisory_lock(7305017371)")?;
            let ran = c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|v| v.len());
            c.batch_execute("SELECT pg_advisory_unlock(7305017371)")?;
            ran
        }
        DbConnection::Sqlite(c) => {
            c.batch_execute("PRAGMA journal_mode = WAL;")?;
            c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len())
        }
    };
    ran.map_err(|e| DbError::Migration(e.to_string()))
}
