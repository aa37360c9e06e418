//! The change feed's query: events of the asked kinds after a position, in the scope the domain
//! chose, in (transaction, sequence) order. On PostgreSQL only events older than every transaction
//! still running are served, so none can commit later behind the reader; SQLite has one writer, so
//! its commit order is its sequence order.

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use wex_domain::model::event::RecordedEvent;
use wex_domain::model::feed::{FeedPosition, FeedQuery, FeedScope};
use wex_domain::ports::StoreResult;

use crate::connection::DbConnection;
use crate::errors::{store_error, text, texts};
use crate::events::EventRow;
use crate::schema::{applications as a, events as e, placements as p};

/// The oldest transaction still running: everything before it has committed or rolled back.
const OLDEST_RUNNING: &str = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint";

/// The feed's rows for one backend: the position filter differs, the rest is shared.
macro_rules! feed_rows {
    ($conn:expr, $backend:ty, $q:expr, $after:expr) => {{
        let mut query = e::table
            .left_join(p::table.on(p::id.nullable().eq(e::placement_id)))
            .left_join(a::table.on(a::id.nullable().eq(e::application_id)))
            .filter(e::kind.eq_any($q.kinds.clone()))
            .into_boxed::<$backend>();
        query = query.filter($after);
        query = match &$q.scope {
            FeedScope::All => query,
            FeedScope::Organisations(ids) => query.filter(p::organisation_id.eq_any(texts(ids))),
            FeedScope::Applicant(id) => query.filter(a::profile_id.eq(text(*id))),
        };
        query
            .order((e::txid, e::seq))
            .limit(i64::from($q.limit))
            .select((EventRow::as_select(), e::txid))
            .load::<(EventRow, Option<i64>)>($conn)
            .map_err(store_error)?
    }};
}

pub(crate) fn feed(c: &mut DbConnection, q: &FeedQuery) -> StoreResult<Vec<(FeedPosition, RecordedEvent)>> {
    let FeedPosition { txid, seq } = q.after;
    let rows = match c {
        DbConnection::Postgres(pg) => {
            let after = e::txid.gt(txid).or(e::txid.eq(txid).and(e::seq.gt(seq)));
            let settled = e::txid.lt(sql::<BigInt>(OLDEST_RUNNING).nullable());
            feed_rows!(pg, diesel::pg::Pg, q, after.and(settled))
        }
        DbConnection::Sqlite(lite) => {
            feed_rows!(lite, diesel::sqlite::Sqlite, q, e::seq.gt(seq).nullable())
        }
    };
    rows.into_iter()
        .map(|(row, txid)| {
            let event = row.into_domain()?;
            Ok((FeedPosition { txid: txid.unwrap_or(0), seq: event.seq }, event))
        })
        .collect()
}

/// The newest position the feed has served or may serve now.
pub(crate) fn end(c: &mut DbConnection) -> StoreResult<FeedPosition> {
    let newest = match c {
        DbConnection::Postgres(pg) => e::table
            .filter(e::txid.lt(sql::<BigInt>(OLDEST_RUNNING).nullable()))
            .order((e::txid.desc(), e::seq.desc()))
            .select((e::txid, e::seq))
            .first::<(Option<i64>, i64)>(pg)
            .optional(),
        DbConnection::Sqlite(lite) => {
            e::table.order(e::seq.desc()).select((e::txid, e::seq)).first::<(Option<i64>, i64)>(lite).optional()
        }
    }
    .map_err(store_error)?;
    Ok(newest.map_or(FeedPosition::START, |(txid, seq)| FeedPosition { txid: txid.unwrap_or(0), seq }))
}
