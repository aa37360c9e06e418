//! The append-only log of domain events (see `wex_domain::event`).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use wex_domain::model::event::{DomainEvent, Entity, EventActor, RecordedEvent};
use wex_domain::model::feed::{FeedPosition, FeedQuery};
use wex_domain::ports::{EventStore, StoreResult};

use crate::errors::{code, json, naive, text, to_json, utc, uuid};
use crate::schema::events as e;
use crate::store::DbStore;

#[derive(Insertable)]
#[diesel(table_name = e)]
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
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = e)]
pub(crate) struct EventRow {
    seq: i64,
    id: String,
    occurred_at: NaiveDateTime,
    kind: String,
    entity: String,
    entity_id: String,
    entity_version: i64,
    actor: String,
    data: String,
}

impl EventRow {
    pub(crate) fn into_domain(self) -> StoreResult<RecordedEvent> {
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
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        // One statement per event: the multi-backend connection has no batch insert, and a unit
        // of work records one or a few.
        self.with_conn(|c| {
            rows.iter().try_for_each(|row| diesel::insert_into(e::table).values(row).execute(c).map(|_| ()))
        })
    }

    fn feed(&self, query: &FeedQuery) -> StoreResult<Vec<(FeedPosition, RecordedEvent)>> {
        self.with_conn_try(|c| crate::feed::feed(c, query))
    }

    fn feed_end(&self) -> StoreResult<FeedPosition> {
        self.with_conn_try(crate::feed::end)
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
