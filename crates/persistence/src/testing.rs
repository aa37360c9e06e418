//! Test databases (feature `testing`): each test gets a database of its own — a fresh SQLite
//! file, or a fresh PostgreSQL schema when `WEX_TEST_DATABASE_URL` names PostgreSQL — removed when
//! the test ends. A set but unreachable PostgreSQL URL fails the test: the suite never skips.

use diesel::connection::SimpleConnection;
use std::path::PathBuf;
use std::time::Duration;
use uuid::Uuid;

use crate::{ConnectionManager, DbStore, PoolOptions, build_pool, run_migrations};

pub const TEST_DATABASE_URL: &str = "WEX_TEST_DATABASE_URL";

/// A database for one test.
pub struct TestDb {
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Files(PathBuf),
    Schema { admin_url: String, schema: String },
}

fn with_search_path(url: &str, schema: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}options=-csearch_path%3D{schema}")
}

impl TestDb {
    pub fn new() -> Self {
        match std::env::var(TEST_DATABASE_URL) {
            Ok(admin_url) if admin_url.starts_with("postgres") => Self::postgres(&admin_url),
            Ok(other) if !other.is_empty() => panic!("{TEST_DATABASE_URL} must be a postgres:// URL, got {other}"),
            _ => Self::sqlite(),
        }
    }

    /// A fresh SQLite file in a temporary directory.
    pub fn sqlite() -> Self {
        let dir = std::env::temp_dir().join(format!("wex-test-{}", Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        let url = format!("sqlite://{}", dir.join("wex.db").display());
        TestDb { url, cleanup: Cleanup::Files(dir) }
    }

    /// A fresh schema in the PostgreSQL database `admin_url` names.
    pub fn postgres(admin_url: &str) -> Self {
        let schema = format!("t_{}", Uuid::new_v4().simple());
        let mut conn = ConnectionManager::new(admin_url)
            .and_then(|m| m.establish())
            .unwrap_or_else(|e| panic!("PostgreSQL at {admin_url} is unreachable: {e}"));
        conn.batch_execute(&format!("CREATE SCHEMA {schema}"))
            .unwrap_or_else(|e| panic!("cannot create test schema {schema}: {e}"));
        TestDb {
            url: with_search_path(admin_url, &schema),
            cleanup: Cleanup::Schema { admin_url: admin_url.to_string(), schema },
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self.cleanup, Cleanup::Schema { .. })
    }

    /// For PostgreSQL: the same schema reached through another server address.
    pub fn url_via(&self, host_port: &str) -> String {
        self.url.replacen("127.0.0.1:5432", host_port, 1).replacen("localhost:5432", host_port, 1)
    }

    /// A migrated store over `url` (this database's own, or [`TestDb::url_via`] a proxy).
    pub fn store_at(&self, url: &str, timeout: Duration) -> DbStore {
        let pool = build_pool(url, &PoolOptions { max_size: 4, connection_timeout: timeout })
            .unwrap_or_else(|e| panic!("cannot build a pool for {url}: {e}"));
        let mut conn = pool.get().unwrap_or_else(|e| panic!("cannot connect to {url}: {e}"));
        run_migrations(&mut conn).unwrap_or_else(|e| panic!("cannot migrate {url}: {e}"));
        drop(conn);
        DbStore::new(pool)
    }

    pub fn store(&self) -> DbStore {
        self.store_at(&self.url, Duration::from_secs(5))
    }
}

impl Default for TestDb {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Files(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Schema { admin_url, schema } => {
                if let Ok(mut conn) = ConnectionManager::new(admin_url).and_then(|m| m.establish()) {
                    let _ = conn.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"));
                }
            }
        }
    }
}
