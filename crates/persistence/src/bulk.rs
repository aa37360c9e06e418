//! Multi-row writes: a draw stores one row per entry in several tables, and a statement per row
//! made its cost a database round trip per entry. Rows go in statements of [`ROWS`] rows, well
//! under both databases' limits on parameters (SQLite 32,766, PostgreSQL 65,535) for the widest
//! row written this way (12 columns), and applications change in one `UPDATE ... FROM (VALUES
//! ...)` per chunk, each row only where its version is still the one read.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date, Integer, Nullable, SmallInt, Text, Timestamp};

use crate::connection::DbConnection;
use crate::errors::missed_update;
use crate::store::Stop;

/// Rows per multi-row statement.
pub(crate) const ROWS: usize = 1000;

/// Ids per `IN (...)` list when reading rows by many ids.
pub(crate) const IDS: usize = 10_000;

/// Inserts `$rows` (a slice of `Insertable` rows of `$table`) in statements of [`ROWS`] rows.
/// On the concrete connection, because the multi-backend connection writes one statement per
/// row. The row types must be derived with `treat_none_as_default_value = false`, even without
/// optional fields: otherwise diesel writes each row in a statement of its own on SQLite, whose
/// multi-row VALUES has no DEFAULT (`tests/draw_writes.rs` counts the statements).
macro_rules! insert_rows {
    ($conn:expr, $table:path, $rows:expr) => {{
        use diesel::prelude::*;
        let mut written = 0usize;
        for chunk in $rows.chunks($crate::bulk::ROWS) {
            written += match &mut *$conn {
                $crate::connection::DbConnection::Postgres(pg) => {
                    diesel::insert_into($table).values(chunk).execute(pg)?
                }
                $crate::connection::DbConnection::Sqlite(lite) => {
                    diesel::insert_into($table).values(chunk).execute(lite)?
                }
            };
        }
        Ok::<usize, diesel::result::Error>(written)
    }};
}
pub(crate) use insert_rows;

/// A value of one column of a row written by [`versioned_update_all`], typed as its column is.
pub(crate) enum Value {
    Text(String),
    BigInt(i64),
    SmallInt(i16),
    OptInt(Option<i32>),
    OptBool(Option<bool>),
    Date(NaiveDate),
    Timestamp(NaiveDateTime),
    OptTimestamp(Option<NaiveDateTime>),
}

/// A boxed `sql_query` with its parameters for one backend.
macro_rules! bound_on {
    ($backend:ty, $text:expr, $values:expr) => {{
        let mut q = diesel::sql_query($text).into_boxed::<$backend>();
        for v in $values {
            q = match v {
                Value::Text(v) => q.bind::<Text, _>(v),
                Value::BigInt(v) => q.bind::<BigInt, _>(v),
                Value::SmallInt(v) => q.bind::<SmallInt, _>(v),
                Value::OptInt(v) => q.bind::<Nullable<Integer>, _>(v),
                Value::OptBool(v) => q.bind::<Nullable<Bool>, _>(v),
                Value::Date(v) => q.bind::<Date, _>(v),
                Value::Timestamp(v) => q.bind::<Timestamp, _>(v),
                Value::OptTimestamp(v) => q.bind::<Nullable<Timestamp>, _>(v),
            };
        }
        q
    }};
}

/// One row to update: its id, the version it must still have, and its new values in the order
/// of the columns given to [`versioned_update_all`].
pub(crate) struct Change {
    pub(crate) id: String,
    pub(crate) expected: i64,
    pub(crate) values: Vec<Value>,
}

/// Writes every change over its row of `table` (keyed by `id`, versioned by `version`), in one
/// statement per chunk: `VersionConflict` if any row has moved on since it was read, `NotFound` if
/// any is gone; the caller's transaction then stores nothing. `columns` are the columns each
/// change's values are for (`id` not among them).
pub(crate) fn versioned_update_all(
    conn: &mut DbConnection,
    table: &str,
    columns: &[&str],
    changes: Vec<Change>,
) -> Result<(), Stop> {
    // Two changes of one row in one statement would update it once and look like a conflict:
    // a repeated id starts a new statement, so the second sees the first's version.
    let mut chunk: Vec<Change> = Vec::new();
    let mut ids = std::collections::HashSet::new();
    let per_statement = ROWS.min(30_000 / (columns.len() + 2));
    for change in changes {
        if chunk.len() == per_statement || !ids.insert(change.id.clone()) {
            update_chunk(conn, table, columns, std::mem::take(&mut chunk))?;
            ids.clear();
            ids.insert(change.id.clone());
        }
        chunk.push(change);
    }
    if !chunk.is_empty() {
        update_chunk(conn, table, columns, chunk)?;
    }
    Ok(())
}

fn update_chunk(conn: &mut DbConnection, table: &str, columns: &[&str], chunk: Vec<Change>) -> Result<(), Stop> {
    let postgres = matches!(conn, DbConnection::Postgres(_));
    let width = columns.len() + 2;
    let mut n = 0;
    let mut placeholder = || {
        n += 1;
        if postgres { format!("${n}") } else { "?".to_string() }
    };
    let rows: Vec<String> = chunk
        .iter()
        .map(|_| format!("({})", (0..width).map(|_| placeholder()).collect::<Vec<_>>().join(", ")))
        .collect();
    // The same text on both databases: SQLite names a VALUES list's columns only through a
    // common table expression, and has UPDATE ... FROM since 3.33.
    let sql = format!(
        "WITH v (id, expected, {names}) AS (VALUES {rows}) UPDATE {table} SET {sets} FROM v \
         WHERE {table}.id = v.id AND {table}.version = v.expected",
        names = columns.join(", "),
        rows = rows.join(", "),
        sets = columns.iter().map(|c| format!("{c} = v.{c}")).collect::<Vec<_>>().join(", "),
    );
    let expected = chunk.len();
    let ids: Vec<String> = chunk.iter().map(|c| c.id.clone()).collect();
    let values = chunk.into_iter().flat_map(|c| {
        let mut row = vec![Value::Text(c.id), Value::BigInt(c.expected)];
        row.extend(c.values);
        row
    });
    let updated = match conn {
        DbConnection::Postgres(c) => bound_on!(diesel::pg::Pg, sql, values).execute(c)?,
        DbConnection::Sqlite(c) => bound_on!(diesel::sqlite::Sqlite, sql, values).execute(c)?,
    };
    if updated == expected {
        return Ok(());
    }
    Err(Stop::Store(missed_update(count_existing(conn, table, &ids)? == ids.len())))
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// How many of `ids` are rows of `table`, after an update missed some.
fn count_existing(conn: &mut DbConnection, table: &str, ids: &[String]) -> QueryResult<usize> {
    let postgres = matches!(conn, DbConnection::Postgres(_));
    let marks: Vec<String> =
        (1..=ids.len()).map(|i| if postgres { format!("${i}") } else { "?".to_string() }).collect();
    let sql = format!("SELECT COUNT(*) AS n FROM {table} WHERE id IN ({})", marks.join(", "));
    let values = ids.iter().cloned().map(Value::Text);
    let rows: Vec<Count> = match conn {
        DbConnection::Postgres(c) => bound_on!(diesel::pg::Pg, sql, values).load(c)?,
        DbConnection::Sqlite(c) => bound_on!(diesel::sqlite::Sqlite, sql, values).load(c)?,
    };
    Ok(rows.first().map_or(0, |r| usize::try_from(r.n).unwrap_or(0)))
}
