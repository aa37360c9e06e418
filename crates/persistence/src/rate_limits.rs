//! The write rate limit's one row per caller, advanced by one conditional upsert (the rule is
//! `wex_domain::rate_limit`'s; the statement only applies it atomically). Not an event: it records
//! no change to anything the service is about, only how fast a caller is writing, and it is
//! forgotten as soon as the caller's bucket is full again.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};
use wex_domain::ports::StoreResult;
use wex_domain::ports::rate_limits::{RateLimitStore, Taken};

use crate::connection::DbConnection;
use crate::schema::rate_limits as r;
use crate::store::DbStore;

/// `$1` caller, `$2` now, `$3` interval, `$4` tolerance. A new caller's first write is allowed
/// (one interval is within a full bucket); otherwise every expression reads the row as it was.
const TAKE_PG: &str = "INSERT INTO rate_limits AS r (caller, tat, allowed) VALUES ($1, $2 + $3, $3 <= $4) \
     ON CONFLICT (caller) DO UPDATE SET \
     tat = CASE WHEN GREATEST(r.tat, $2) + $3 - $2 <= $4 THEN GREATEST(r.tat, $2) + $3 ELSE r.tat END, \
     allowed = GREATEST(r.tat, $2) + $3 - $2 <= $4 \
     RETURNING tat, allowed";
/// The same with SQLite's numbered parameters and two-argument `MAX`.
const TAKE_SQLITE: &str = "INSERT INTO rate_limits AS r (caller, tat, allowed) VALUES (?1, ?2 + ?3, ?3 <= ?4) \
     ON CONFLICT (caller) DO UPDATE SET \
     tat = CASE WHEN MAX(r.tat, ?2) + ?3 - ?2 <= ?4 THEN MAX(r.tat, ?2) + ?3 ELSE r.tat END, \
     allowed = MAX(r.tat, ?2) + ?3 - ?2 <= ?4 \
     RETURNING tat, allowed";

#[derive(QueryableByName)]
struct TakenRow {
    #[diesel(sql_type = BigInt)]
    tat: i64,
    #[diesel(sql_type = Bool)]
    allowed: bool,
}

fn take(c: &mut DbConnection, caller: &str, now: i64, interval: i64, tolerance: i64) -> QueryResult<TakenRow> {
    let sql = match c {
        DbConnection::Postgres(_) => TAKE_PG,
        DbConnection::Sqlite(_) => TAKE_SQLITE,
    };
    let query = diesel::sql_query(sql)
        .bind::<Text, _>(caller)
        .bind::<BigInt, _>(now)
        .bind::<BigInt, _>(interval)
        .bind::<BigInt, _>(tolerance);
    match c {
        DbConnection::Postgres(pg) => query.get_result(pg),
        DbConnection::Sqlite(lite) => query.get_result(lite),
    }
}

impl RateLimitStore for DbStore {
    fn take_write(&self, caller: &str, now: i64, interval: i64, tolerance: i64) -> StoreResult<Taken> {
        self.with_conn(|c| take(c, caller, now, interval, tolerance))
            .map(|row| Taken { allowed: row.allowed, tat_micros: row.tat })
    }

    fn forget_full_buckets(&self, now: i64) -> StoreResult<usize> {
        self.with_conn(|c| diesel::delete(r::table.filter(r::tat.lt(now))).execute(c))
    }
}
