//! The query writer the report counts use: text and numbered parameters for either backend.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::backend::Backend;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::HasSqlType;
use diesel::sql_types::{Date, Nullable, SmallInt, Text, Timestamp};
use diesel::{PgConnection, SqliteConnection};
use wex_domain::model::reports::ReportFilter;

use crate::connection::DbConnection;

pub(super) enum Bind {
    Text(String),
    Date(NaiveDate),
    Timestamp(NaiveDateTime),
    OptTimestamp(Option<NaiveDateTime>),
    SmallInt(i16),
}

/// A query being written: its text and its parameters, numbered for PostgreSQL.
pub(super) struct Sql {
    postgres: bool,
    text: String,
    binds: Vec<Bind>,
    /// Where each parameter's placeholder is in `text` (start, end), for [`Sql::execute_prepared`].
    marks: Vec<(usize, usize)>,
}

/// A boxed `sql_query` with its parameters for one backend.
macro_rules! bound_on {
    ($backend:ty, $sql:expr) => {{
        let mut q = diesel::sql_query($sql.text).into_boxed::<$backend>();
        for b in $sql.binds {
            q = match b {
                Bind::Text(v) => q.bind::<Text, _>(v),
                Bind::Date(v) => q.bind::<Date, _>(v),
                Bind::Timestamp(v) => q.bind::<Timestamp, _>(v),
                Bind::OptTimestamp(v) => q.bind::<Nullable<Timestamp>, _>(v),
                Bind::SmallInt(v) => q.bind::<SmallInt, _>(v),
            };
        }
        q
    }};
}

impl Sql {
    pub(super) fn new(conn: &DbConnection) -> Self {
        Sql {
            postgres: matches!(conn, DbConnection::Postgres(_)),
            text: String::new(),
            binds: Vec::new(),
            marks: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }

    pub(super) fn bind(&mut self, b: Bind) -> &mut Self {
        self.binds.push(b);
        let placeholder = if self.postgres { format!("${}", self.binds.len()) } else { "?".to_string() };
        let start = self.text.len();
        self.push(&placeholder);
        self.marks.push((start, self.text.len()));
        self
    }

    /// A parameter PostgreSQL reads as `pg_type` whatever type the client gives it: in a `VALUES`
    /// list nothing else says what a column is, and a statement replayed with literal values (as
    /// `bench/http` replays the server's statements in pgbench) would make it text. On SQLite the
    /// parameter stays bare: its `CAST` would change the value's storage class (a date to a number).
    pub(super) fn typed(&mut self, b: Bind, pg_type: &str) -> &mut Self {
        if self.postgres { self.push("CAST(").bind(b).push(&format!(" AS {pg_type})")) } else { self.bind(b) }
    }

    /// `(column IN (...))` with one parameter per value; an empty set matches no row.
    pub(super) fn one_of<'v>(&mut self, column: &str, values: impl IntoIterator<Item = &'v str>) -> &mut Self {
        let mut values = values.into_iter().peekable();
        if values.peek().is_none() {
            return self.push("(1 = 0)");
        }
        self.push(&format!("({column} IN ("));
        for (i, v) in values.enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.text_param(v);
        }
        self.push("))")
    }

    pub(super) fn text_param(&mut self, v: &str) -> &mut Self {
        self.bind(Bind::Text(v.to_string()))
    }

    /// The calendar date of a timestamp column, as each backend compares it with a date column.
    pub(super) fn date_of(&self, column: &str) -> String {
        if self.postgres { format!("CAST({column} AS DATE)") } else { format!("date({column})") }
    }

    /// `YYYY-MM` of a date column.
    pub(super) fn month_of(&self, column: &str) -> String {
        if self.postgres { format!("to_char({column}, 'YYYY-MM')") } else { format!("substr({column}, 1, 7)") }
    }

    /// `FROM placements p JOIN organisations o`, for the joins that follow.
    pub(super) fn over_placements(&mut self) -> &mut Self {
        self.push(" FROM placements p JOIN organisations o ON o.id = p.organisation_id")
    }

    /// `FROM applications a` joined to its placement and organisation.
    pub(super) fn over_applications(&mut self) -> &mut Self {
        self.push(
            " FROM applications a JOIN placements p ON p.id = a.placement_id JOIN organisations o ON o.id = p.organisation_id",
        )
    }

    /// The filter as a WHERE clause on `p` and `o`; the period selects placements by start date.
    pub(super) fn filtered(&mut self, f: &ReportFilter) -> &mut Self {
        self.push(" WHERE 1 = 1");
        if let Some(from) = f.from {
            self.push(" AND p.start_date >= ").bind(Bind::Date(from));
        }
        if let Some(to) = f.to {
            self.push(" AND p.start_date <= ").bind(Bind::Date(to));
        }
        if let Some(id) = f.organisation_id {
            self.push(" AND p.organisation_id = ").text_param(&id.to_string());
        }
        if let Some(region) = f.region {
            self.push(" AND o.region = ").text_param(region.code());
        }
        if let Some(specialty) = f.specialty {
            self.push(" AND p.specialty = ").text_param(specialty.code());
        }
        if let Some(kind) = f.kind {
            self.push(" AND p.kind = ").text_param(kind.code());
        }
        self
    }

    pub(super) fn load<R>(self, conn: &mut DbConnection) -> QueryResult<Vec<R>>
    where
        R: QueryableByName<diesel::pg::Pg> + QueryableByName<diesel::sqlite::Sqlite> + 'static,
    {
        match conn {
            DbConnection::Postgres(c) => load_pg(c, self),
            DbConnection::Sqlite(c) => load_sqlite(c, self),
        }
    }

    /// Runs a statement that returns no rows; the number of rows it changed.
    pub(super) fn execute(self, conn: &mut DbConnection) -> QueryResult<usize> {
        match conn {
            DbConnection::Postgres(c) => bound_on!(diesel::pg::Pg, self).execute(c),
            DbConnection::Sqlite(c) => bound_on!(diesel::sqlite::Sqlite, self).execute(c),
        }
    }

    /// As [`Sql::execute`], kept prepared on the connection (diesel's statement cache, keyed by the
    /// text), so the database parses and plans it once per connection instead of on every call:
    /// for statements whose text is the same every time (no list of values of varying length),
    /// run on every write. (`sql_query` is never cached, as its text could be anything.)
    pub(super) fn execute_prepared(self, conn: &mut DbConnection) -> QueryResult<usize> {
        match conn {
            DbConnection::Postgres(c) => Prepared(self).execute(c),
            DbConnection::Sqlite(c) => Prepared(self).execute(c),
        }
    }

    /// As [`Sql::load`], kept prepared as [`Sql::execute_prepared`] keeps a statement.
    pub(super) fn load_prepared<R>(self, conn: &mut DbConnection) -> QueryResult<Vec<R>>
    where
        R: QueryableByName<diesel::pg::Pg> + QueryableByName<diesel::sqlite::Sqlite> + 'static,
    {
        match conn {
            DbConnection::Postgres(c) => Prepared(self).load(c),
            DbConnection::Sqlite(c) => Prepared(self).load(c),
        }
    }
}

/// A [`Sql`] that diesel may keep prepared: its text with each placeholder left for the backend
/// to write.
struct Prepared(Sql);

impl<DB> QueryFragment<DB> for Prepared
where
    DB: Backend + HasSqlType<Text> + HasSqlType<Date> + HasSqlType<Timestamp> + HasSqlType<SmallInt>,
    String: ToSql<Text, DB>,
    NaiveDate: ToSql<Date, DB>,
    NaiveDateTime: ToSql<Timestamp, DB>,
    Option<NaiveDateTime>: ToSql<Nullable<Timestamp>, DB>,
    i16: ToSql<SmallInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let Sql { text, binds, marks, .. } = &self.0;
        let mut from = 0;
        for ((start, end), bind) in marks.iter().zip(binds) {
            out.push_sql(&text[from..*start]);
            match bind {
                Bind::Text(v) => out.push_bind_param::<Text, String>(v)?,
                Bind::Date(v) => out.push_bind_param::<Date, NaiveDate>(v)?,
                Bind::Timestamp(v) => out.push_bind_param::<Timestamp, NaiveDateTime>(v)?,
                Bind::OptTimestamp(v) => out.push_bind_param::<Nullable<Timestamp>, Option<NaiveDateTime>>(v)?,
                Bind::SmallInt(v) => out.push_bind_param::<SmallInt, i16>(v)?,
            }
            from = *end;
        }
        out.push_sql(&text[from..]);
        Ok(())
    }
}

impl QueryId for Prepared {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl diesel::query_builder::Query for Prepared {
    type SqlType = diesel::sql_types::Untyped;
}

impl<Conn> RunQueryDsl<Conn> for Prepared {}

fn load_pg<R: QueryableByName<diesel::pg::Pg> + 'static>(c: &mut PgConnection, sql: Sql) -> QueryResult<Vec<R>> {
    bound_on!(diesel::pg::Pg, sql).load(c)
}

fn load_sqlite<R: QueryableByName<diesel::sqlite::Sqlite> + 'static>(
    c: &mut SqliteConnection,
    sql: Sql,
) -> QueryResult<Vec<R>> {
    bound_on!(diesel::sqlite::Sqlite, sql).load(c)
}
