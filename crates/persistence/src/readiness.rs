//! Readiness checklists: one row per application and item, replaced as it changes, and the
//! placements due for the team's readiness reminder.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use uuid::Uuid;
use wex_domain::model::application::ChangedBy;
use wex_domain::model::placement::Placement;
use wex_domain::model::readiness::{Item, ItemRecord, ItemState, PersonDetails};
use wex_domain::model::reference::PlacementStatus;
use wex_domain::ports::{ReadinessStore, StoreResult};

use crate::errors::{code, naive, store_error, text, texts, utc, uuid};
use crate::placements::PlacementRow;
use crate::schema::{placements as p, readiness_items as r, reminders};
use crate::store::{DbStore, OrStore};

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = r)]
struct ItemRow {
    application_id: String,
    item: String,
    state: String,
    by_subject: String,
    by_role: String,
    at: NaiveDateTime,
    person_name: Option<String>,
    relationship: Option<String>,
    phone: Option<String>,
    override_reason: Option<String>,
}

impl ItemRow {
    fn from_domain(record: &ItemRecord) -> Self {
        let d = record.details.as_ref();
        ItemRow {
            application_id: text(record.application_id),
            item: record.item.code(),
            state: record.state.code().to_string(),
            by_subject: record.by_subject.clone(),
            by_role: record.by_role.code().to_string(),
            at: naive(record.at),
            person_name: d.map(|d| d.name.clone()),
            relationship: d.map(|d| d.relationship.clone()),
            phone: d.and_then(|d| d.phone.clone()),
            override_reason: record.override_reason.clone(),
        }
    }

    fn into_domain(self) -> StoreResult<ItemRecord> {
        // Retention empties the names once the placement is long over: the item stays done.
        let details = match (self.person_name, self.relationship) {
            (Some(name), Some(relationship)) => Some(PersonDetails { name, relationship, phone: self.phone }),
            _ => None,
        };
        Ok(ItemRecord {
            application_id: uuid(&self.application_id)?,
            item: code("readiness item", &self.item, Item::parse)?,
            state: code("readiness state", &self.state, ItemState::parse)?,
            by_subject: self.by_subject,
            by_role: code("readiness role", &self.by_role, ChangedBy::parse)?,
            at: utc(self.at),
            details,
            override_reason: self.override_reason,
        })
    }
}

impl ReadinessStore for DbStore {
    fn readiness_items(&self, application_ids: &[Uuid]) -> StoreResult<Vec<ItemRecord>> {
        let ids = texts(application_ids);
        let rows: Vec<ItemRow> = self.with_conn(|c| {
            r::table
                .filter(r::application_id.eq_any(&ids))
                .order((r::application_id, r::item))
                .select(ItemRow::as_select())
                .load(c)
        })?;
        rows.into_iter().map(ItemRow::into_domain).collect()
    }

    fn put_readiness_item(&self, record: &ItemRecord) -> StoreResult<()> {
        let row = ItemRow::from_domain(record);
        // Delete then insert: upserts do not compile on the connection over both backends.
        self.with_conn_try(|c| {
            c.transaction(|c| {
                diesel::delete(
                    r::table.filter(r::application_id.eq(&row.application_id)).filter(r::item.eq(&row.item)),
                )
                .execute(c)?;
                diesel::insert_into(r::table).values(&row).execute(c)
            })
            .db()
            .map(drop)
        })
    }

    fn starting_unreminded(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        kind: &str,
        limit: u32,
    ) -> StoreResult<Vec<Placement>> {
        let rows: Vec<PlacementRow> = self.with_conn_try(|c| {
            let reminded = reminders::table.filter(reminders::kind.eq(kind)).select(reminders::subject_id);
            p::table
                .filter(p::start_date.between(from, to))
                .filter(p::status.ne(PlacementStatus::Cancelled.code()))
                .filter(p::published_at.is_not_null())
                .filter(diesel::dsl::not(p::id.eq_any(reminded)))
                .order((p::start_date, p::id))
                .limit(i64::from(limit))
                .select(PlacementRow::as_select())
                .load(c)
                .map_err(store_error)
        })?;
        rows.into_iter().map(PlacementRow::into_domain).collect()
    }
}
