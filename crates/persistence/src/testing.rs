//! Test databases (feature `testing`): each test gets a database of its own — a fresh SQLite
//! file, or a fresh PostgreSQL schema when `WEX_TEST_DATABASE_URL` names PostgreSQL — removed when
//! the test ends. A set but unreachable PostgreSQL URL fails the test: the suite never skips.

use diesel::connection::SimpleConnection;
use std::path::PathBuf;
use std::time::Duration;
use uuid::Uuid;

use crate::{ConnectionManager, DbStore, PoolOptions, QueryLog, run_migrations};

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

    /// A migrated store over `url` (normally this database's own) with the given pool timeout.
    pub fn store_at(&self, url: &str, timeout: Duration) -> DbStore {
        migrated_store(url, timeout)
    }

    pub fn store(&self) -> DbStore {
        migrated_store(&self.url, Duration::from_secs(5))
    }

    /// A migrated store whose pool logs every statement its connections send.
    pub fn logged_store(&self) -> (DbStore, std::sync::Arc<QueryLog>) {
        let log = std::sync::Arc::new(QueryLog::default());
        // Connections idle for minutes still count as recently used, so that a slow machine
        // does not add health queries to the count.
        let options = PoolOptions {
            max_size: 4,
            query_log: Some(log.clone()),
            check_idle_after: Duration::from_secs(600),
            ..PoolOptions::default()
        };
        (migrated_store_with(&self.url, options), log)
    }
}

/// A migrated store over `url` with a pool of 4 and the given connection timeout.
pub fn migrated_store(url: &str, timeout: Duration) -> DbStore {
    migrated_store_with(url, PoolOptions { max_size: 4, connection_timeout: timeout, ..PoolOptions::default() })
}

/// A migrated store over `url` with these pool options.
pub fn migrated_store_with(url: &str, options: PoolOptions) -> DbStore {
    let store = DbStore::open(url, &options).unwrap_or_else(|e| panic!("cannot build a pool for {url}: {e}"));
    let mut conn = store.pool().get().unwrap_or_else(|e| panic!("cannot connect to {url}: {e}"));
    run_migrations(&mut conn).unwrap_or_else(|e| panic!("cannot migrate {url}: {e}"));
    drop(conn);
    store
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

/// A column the database really has, with the type it declares (lower case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaColumn {
    pub table: String,
    pub column: String,
    pub data_type: String,
}

#[derive(diesel::QueryableByName)]
struct SchemaRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    table_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    column_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    data_type: String,
}

/// Every column of every table the migrated database holds (SQLite's own tables aside).
pub fn schema_columns(store: &DbStore) -> Vec<SchemaColumn> {
    use crate::DbConnection;
    use diesel::RunQueryDsl;
    let mut conn = store.pool().get().unwrap_or_else(|e| panic!("cannot connect: {e}"));
    let rows: Vec<SchemaRow> = match &mut **conn {
        DbConnection::Sqlite(c) => diesel::sql_query(
            "SELECT m.name AS table_name, c.name AS column_name, lower(c.type) AS data_type \
             FROM sqlite_master m, pragma_table_info(m.name) c \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
        )
        .load(c),
        DbConnection::Postgres(c) => diesel::sql_query(
            "SELECT CAST(table_name AS TEXT) AS table_name, CAST(column_name AS TEXT) AS column_name, \
             CAST(data_type AS TEXT) AS data_type FROM information_schema.columns \
             WHERE table_schema = current_schema()",
        )
        .load(c),
    }
    .unwrap_or_else(|e| panic!("cannot read the schema: {e}"));
    rows.into_iter()
        .map(|r| SchemaColumn { table: r.table_name, column: r.column_name, data_type: r.data_type })
        .collect()
}

#[derive(diesel::QueryableByName)]
struct TextValue {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    value: Option<String>,
}

/// The non-null values of `table.column` as text, in rows matching `condition` (SQL the test
/// wrote, with ids only): what a test compares with what an endpoint returned.
pub fn text_values(store: &DbStore, table: &str, column: &str, condition: &str) -> Vec<String> {
    use crate::DbConnection;
    use diesel::RunQueryDsl;
    let sql =
        format!("SELECT CAST({column} AS TEXT) AS value FROM {table} WHERE ({condition}) AND {column} IS NOT NULL");
    let mut conn = store.pool().get().unwrap_or_else(|e| panic!("cannot connect: {e}"));
    let rows: Vec<TextValue> = match &mut **conn {
        DbConnection::Sqlite(c) => diesel::sql_query(&sql).load(c),
        DbConnection::Postgres(c) => diesel::sql_query(&sql).load(c),
    }
    .unwrap_or_else(|e| panic!("cannot run {sql}: {e}"));
    rows.into_iter().filter_map(|r| r.value).collect()
}

#[derive(diesel::QueryableByName)]
struct Found {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// How many rows of `table` hold `needle` anywhere in the text of `column` (a substring search,
/// so values inside JSON or a message body count too).
pub fn rows_containing(store: &DbStore, table: &str, column: &str, needle: &str) -> i64 {
    use crate::DbConnection;
    use diesel::RunQueryDsl;
    use diesel::sql_types::Text;
    let mut conn = store.pool().get().unwrap_or_else(|e| panic!("cannot connect: {e}"));
    let found: Vec<Found> = match &mut **conn {
        DbConnection::Sqlite(c) => {
            diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table} WHERE instr(CAST({column} AS TEXT), ?) > 0"))
                .bind::<Text, _>(needle)
                .load(c)
        }
        DbConnection::Postgres(c) => {
            diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table} WHERE strpos(CAST({column} AS TEXT), $1) > 0"))
                .bind::<Text, _>(needle)
                .load(c)
        }
    }
    .unwrap_or_else(|e| panic!("cannot search {table}.{column}: {e}"));
    found.first().map_or(0, |f| f.n)
}

/// Runs a statement the test wrote (ids, codes and times only) straight on the database: to put
/// rows in a state no endpoint reaches yet, such as a message settled months ago. Returns the
/// rows changed.
pub fn execute(store: &DbStore, sql: &str) -> usize {
    use crate::DbConnection;
    use diesel::RunQueryDsl;
    let mut conn = store.pool().get().unwrap_or_else(|e| panic!("cannot connect: {e}"));
    match &mut **conn {
        DbConnection::Sqlite(c) => diesel::sql_query(sql).execute(c),
        DbConnection::Postgres(c) => diesel::sql_query(sql).execute(c),
    }
    .unwrap_or_else(|e| panic!("cannot run {sql}: {e}"))
}

/// Stores an NHS trust in London named `name`, straight into the table: for storage tests and
/// benches that need an organisation to hang rows on, not the rules of creating one.
pub fn insert_organisation(store: &DbStore, name: &str) -> wex_domain::model::organisation::Organisation {
    use wex_domain::model::organisation::{Organisation, OrganisationInput};
    use wex_domain::model::reference::{OrganisationKind, Region};
    use wex_domain::ports::OrganisationStore;
    let now = wex_domain::now();
    let input = OrganisationInput {
        name: name.into(),
        kind: OrganisationKind::NhsTrust,
        region: Region::London,
        ods_code: None,
        description: None,
    };
    let org = Organisation { id: Uuid::now_v7(), input, version: 1, created_at: now, updated_at: now };
    store.insert_organisation(&org).unwrap_or_else(|e| panic!("cannot store the organisation: {e:?}"));
    org
}
