//! One connection type over SQLite and PostgreSQL, its r2d2 pool, and the embedded migrations.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use std::path::Path;
use std::time::Duration;

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
/// `establish` hides it), and sets SQLite's per-connection pragmas.
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: String,
    backend: Backend,
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
        Ok(Self { url: url.to_string(), backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn establish(&self) -> Result<DbConnection, DbError> {
        match self.backend {
            Backend::Postgres => Ok(DbConnection::Postgres(PgConnection::establish(&self.url)?)),
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

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = DbError;

    fn connect(&self) -> Result<DbConnection, DbError> {
        self.establish()
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), DbError> {
        conn.batch_execute("SELECT 1")?;
        Ok(())
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

pub type Pool = r2d2::Pool<ConnectionManager>;

/// Pool settings.
#[derive(Debug, Clone)]
pub struct PoolOptions {
    pub max_size: u32,
    /// How long a request waits for a connection before it is answered 503.
    pub connection_timeout: Duration,
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self { max_size: 8, connection_timeout: Duration::from_secs(5) }
    }
}

/// Builds a pool without connecting: the service starts, reports not ready and recovers by itself
/// when the database comes back.
pub fn build_pool(url: &str, options: &PoolOptions) -> Result<Pool, DbError> {
    let manager = ConnectionManager::new(url)?;
    Ok(r2d2::Pool::builder()
        .max_size(options.max_size)
        .min_idle(Some(0))
        .connection_timeout(options.connection_timeout)
        .test_on_check_out(true)
        .build_unchecked(manager))
}

/// Runs the pending migrations for the backend; returns how many ran. On SQLite it also turns on
/// write-ahead logging, which is a property of the database file.
pub fn run_migrations(conn: &mut DbConnection) -> Result<usize, DbError> {
    let ran = match conn {
        DbConnection::Postgres(c) => {
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
