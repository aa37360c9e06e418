//! The append-only log of domain events (see `wex_domain::event`).
//!
//! The change feed's query: events of the asked kinds after a position, in the scope the domain
//! chose, in (transaction, sequence) order. On PostgreSQL only events older than every transaction
//! still running are served, so none can commit later behind the reader; SQLite has one writer, so
//! its commit order is its sequence order.

use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use wex_domain::model::event::{DomainEvent, Entity, EventActor, RecordedEvent};
use wex_domain::model::feed::{FeedPosition, FeedQuery, FeedScope};
use wex_domain::ports::{EventStore, StoreResult};

use crate::api_clients::attribution;
use crate::connection::DbConnection;
use crate::errors::{code, json, naive, store_error, text, texts, to_json, utc, uuid};
use crate::schema::{applications as a, events as e, placements as p};
use crate::store::DbStore;

#[derive(Insertable)]
#[diesel(table_name = e, treat_none_as_default_value = false)]
struct NewEvent {
    id: String,
    occurred_at: NaiveDateTime,
    kind: String,
    entity: String,
    entity_id: String,
    entity_version: i64,
    actor: String,
    data: String,
    placement_id: Option<String>,
    application_id: Option<String>,
    client_id: Option<String>,
    attribution: Option<String>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = e)]
struct EventRow {
    seq: i64,
    id: String,
    occurred_at: NaiveDateTime,
    kind: String,
    entity: String,
    entity_id: String,
    entity_version: i64,
    actor: String,
    data: String,
    client_id: Option<String>,
    attribution: Option<String>,
}

impl EventRow {
    fn into_domain(self) -> StoreResult<RecordedEvent> {
        Ok(RecordedEvent {
            seq: self.seq,
            event: DomainEvent {
                id: uuid(&self.id)?,
                at: utc(self.occurred_at),
                kind: self.kind,
                entity: code("entity", &self.entity, Entity::parse)?,
                entity_id: uuid(&self.entity_id)?,
                entity_version: self.entity_version,
                actor: code("actor", &self.actor, EventActor::parse)?,
                data: json("event data", &self.data)?,
            },
            attribution: attribution(self.client_id, self.attribution)?,
        })
    }
}

impl EventStore for DbStore {
    fn append_events(&self, events: &[DomainEvent]) -> StoreResult<()> {
        let rows = events
            .iter()
            .map(|ev| {
                Ok(NewEvent {
                    id: text(ev.id),
                    occurred_at: naive(ev.at),
                    kind: ev.kind.clone(),
                    entity: ev.entity.code().to_string(),
                    entity_id: text(ev.entity_id),
                    entity_version: ev.entity_version,
                    actor: ev.actor.code().to_string(),
                    data: to_json(&ev.data)?,
                    placement_id: ev.placement_id().map(text),
                    application_id: ev.application_id().map(text),
                    client_id: self.attribution().map(|a| text(a.client_id)),
                    attribution: self.attribution().map(|a| a.on_behalf_of.clone()),
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        // Multi-row statements: a draw records an event or two per entry.
        self.with_conn(|c| crate::bulk::insert_rows!(c, e::table, rows).map(drop))
    }

    fn feed(&self, query: &FeedQuery) -> StoreResult<Vec<(FeedPosition, RecordedEvent)>> {
        self.with_conn_try(|c| feed(c, query))
    }

    fn feed_end(&self) -> StoreResult<FeedPosition> {
        self.with_conn_try(end)
    }

    fn events_after(&self, after: i64, limit: u32) -> StoreResult<Vec<RecordedEvent>> {
        let rows = self.with_conn(|c| {
            e::table
                .filter(e::seq.gt(after))
                .order(e::seq)
                .limit(i64::from(limit))
                .select(EventRow::as_select())
                .load(c)
        })?;
        rows.into_iter().map(EventRow::into_domain).collect()
    }
}

/// The oldest transaction still running: everything before it has committed or rolled back.
const OLDEST_RUNNING: &str = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint";

/// The feed's rows for one backend: the position filter differs, the rest is shared.
macro_rules! feed_rows {
    ($conn:expr, $backend:ty, $q:expr, $after:expr) => {{
        let mut query = e::table.filter(e::kind.eq_any($q.kinds.clone())).into_boxed::<$backend>();
        query = query.filter($after);
        // Scopes are semi-joins, so that reading everything joins nothing.
        query = match &$q.scope {
            FeedScope::All => query,
            FeedScope::Organisations(ids) => query.filter(
                e::placement_id.eq_any(p::table.filter(p::organisation_id.eq_any(texts(ids))).select(p::id.nullable())),
            ),
            FeedScope::Applicant(id) => query.filter(
                e::application_id.eq_any(a::table.filter(a::profile_id.eq(text(*id))).select(a::id.nullable())),
            ),
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
            // `txid >= ` first, so that the index on (txid, seq) starts the scan at the cursor
            // instead of filtering every earlier row.
            let after = e::txid.ge(txid).and(e::txid.gt(txid).or(e::txid.eq(txid).and(e::seq.gt(seq))));
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
