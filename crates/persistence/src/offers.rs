//! Offers, the waiting list, and giving places without ever over-filling a placement.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;
use wex_domain::StoreError;
use wex_domain::model::allocation::Allocation;
use wex_domain::model::application::{Application, ApplicationEvent, ApplicationStatus};
use wex_domain::model::notification::Notification;
use wex_domain::model::offer::{Offer, OfferStatus};
use wex_domain::model::placement::Placement;
use wex_domain::ports::{OfferStore, StoreResult};

use crate::applications::{ApplicationRow, record, record_all, update_applications};
use crate::bulk::insert_rows;
use crate::connection::DbConnection;
use crate::errors::{code, naive, text, texts, utc, uuid};
use crate::reports::counters::Scope;
use crate::reports::recount::recount;
use crate::schema::{applications as a, offers as o, placements as p};
use crate::store::{DbStore, OrStore, Stop, versioned_update};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = o, treat_none_as_null = true, treat_none_as_default_value = false)]
pub(crate) struct OfferRow {
    id: String,
    application_id: String,
    placement_id: String,
    status: String,
    respond_by: NaiveDateTime,
    created_at: NaiveDateTime,
    responded_at: Option<NaiveDateTime>,
    version: i64,
}

impl OfferRow {
    fn from_domain(x: &Offer) -> Self {
        Self {
            id: text(x.id),
            application_id: text(x.application_id),
            placement_id: text(x.placement_id),
            status: x.status.code().to_string(),
            respond_by: naive(x.respond_by),
            created_at: naive(x.created_at),
            responded_at: x.responded_at.map(naive),
            version: x.version,
        }
    }

    pub(crate) fn into_domain(self) -> StoreResult<Offer> {
        Ok(Offer {
            id: uuid(&self.id)?,
            application_id: uuid(&self.application_id)?,
            placement_id: uuid(&self.placement_id)?,
            status: code("offer status", &self.status, OfferStatus::parse)?,
            respond_by: utc(self.respond_by),
            created_at: utc(self.created_at),
            responded_at: self.responded_at.map(utc),
            version: self.version,
        })
    }
}

/// The codes of the statuses that hold a place, from the domain's own rule.
fn holding_codes() -> Vec<&'static str> {
    OfferStatus::ALL.iter().filter(|s| s.holds_place()).map(|s| s.code()).collect()
}

fn taken(c: &mut DbConnection, placement_id: &str) -> Result<i64, diesel::result::Error> {
    o::table.filter(o::placement_id.eq(placement_id)).filter(o::status.eq_any(holding_codes())).count().get_result(c)
}

fn update_application(c: &mut DbConnection, app: &Application, expected: i64) -> Result<(), Stop> {
    crate::applications::update_row(c, &ApplicationRow::from_domain(app)?, expected)
}

/// Writes an allocation: application changes (each only if unchanged since read), offers, history
/// and messages, in multi-row statements (a draw's allocation has a row or more per entry). Call
/// inside a transaction. The report counters are moved once for the placements it concerns.
pub(crate) fn apply_allocation(c: &mut DbConnection, allocation: &Allocation) -> Result<(), Stop> {
    let placements: std::collections::BTreeSet<String> =
        allocation.applications.iter().map(|(app, _)| text(app.placement_id)).collect();
    let placements: Vec<String> = placements.into_iter().collect();
    recount(c, Scope::Placements(&placements), |c| update_applications(c, &allocation.applications))?;
    let offers: Vec<OfferRow> = allocation.offers.iter().map(OfferRow::from_domain).collect();
    insert_rows!(c, o::table, offers)?;
    for (offer, expected) in &allocation.ended_offers {
        let row = OfferRow::from_domain(offer);
        let done: StoreResult<()> = versioned_update!(c, o, &row, *expected);
        done?;
    }
    record_all(c, &allocation.events, &allocation.notifications)?;
    Ok(())
}

impl OfferStore for DbStore {
    fn offer(&self, id: Uuid) -> StoreResult<Offer> {
        self.with_conn(|c| o::table.find(text(id)).select(OfferRow::as_select()).first(c))?.into_domain()
    }

    fn offer_of_application(&self, application_id: Uuid) -> StoreResult<Option<Offer>> {
        let row = self.with_conn(|c| {
            o::table
                .filter(o::application_id.eq(text(application_id)))
                .select(OfferRow::as_select())
                .first(c)
                .optional()
        })?;
        row.map(OfferRow::into_domain).transpose()
    }

    fn offers_of_applications(&self, application_ids: &[Uuid]) -> StoreResult<Vec<Offer>> {
        if application_ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids = texts(application_ids);
        let rows = self.with_conn(|c| {
            o::table.filter(o::application_id.eq_any(ids)).order(o::id).select(OfferRow::as_select()).load(c)
        })?;
        // Ids are UUIDv7, so in id order the last offer of an application is its latest.
        rows.into_iter().map(OfferRow::into_domain).collect()
    }

    fn waiting_lists(&self, placement_ids: &[Uuid]) -> StoreResult<Vec<(Uuid, Uuid)>> {
        let ids = texts(placement_ids);
        let rows: Vec<(String, String)> = self.with_conn(|c| {
            a::table
                .filter(a::placement_id.eq_any(ids))
                .filter(a::status.eq(ApplicationStatus::Waitlisted.code()))
                .order((a::placement_id, a::draw_position))
                .select((a::placement_id, a::id))
                .load(c)
        })?;
        rows.iter().map(|(p, a)| Ok((uuid(p)?, uuid(a)?))).collect()
    }

    fn places_taken(&self, placement_id: Uuid) -> StoreResult<u32> {
        let n = self.with_conn(|c| taken(c, &text(placement_id)))?;
        u32::try_from(n).map_err(|_| StoreError::Internal(format!("{n} places taken")))
    }

    fn waiting_list(&self, placement_id: Uuid) -> StoreResult<Vec<Application>> {
        let rows = self.with_conn(|c| {
            a::table
                .filter(a::placement_id.eq(text(placement_id)))
                .filter(a::status.eq("waitlisted"))
                .order(a::draw_position)
                .select(ApplicationRow::as_select())
                .load(c)
        })?;
        rows.into_iter().map(ApplicationRow::into_domain).collect()
    }

    fn answer_offer(
        &self,
        offer: &Offer,
        offer_version: i64,
        application: &Application,
        application_version: i64,
        event: &ApplicationEvent,
        notifications: &[Notification],
    ) -> StoreResult<()> {
        let row = OfferRow::from_domain(offer);
        self.with_conn_try(|c| {
            c.transaction::<(), Stop, _>(|c| {
                let done: StoreResult<()> = versioned_update!(c, o, &row, offer_version);
                done?;
                update_application(c, application, application_version)?;
                record(c, event, notifications)?;
                Ok(())
            })
            .map_err(Stop::into_store)
        })
    }

    fn lock_placement(&self, placement_id: Uuid) -> StoreResult<()> {
        self.with_conn(|c| match c {
            DbConnection::Postgres(pg) => {
                p::table.find(text(placement_id)).select(p::id).for_update().load::<String>(pg).map(drop)
            }
            // The unit of work began with BEGIN IMMEDIATE: no other writer runs until it ends.
            DbConnection::Sqlite(_) => Ok(()),
        })
    }

    fn store_allocation(&self, allocation: &Allocation) -> StoreResult<()> {
        self.with_conn_try(|c| {
            c.transaction::<(), Stop, _>(|c| apply_allocation(c, allocation)).map_err(Stop::into_store)
        })
    }

    fn cancel_with(&self, placement: &Placement, expected_version: i64, allocation: &Allocation) -> StoreResult<()> {
        let row = crate::placements::PlacementRow::from_domain(placement)?;
        self.with_conn_try(|c| {
            c.transaction::<(), Stop, _>(|c| {
                let done: StoreResult<()> = versioned_update!(c, p, &row, expected_version);
                done?;
                apply_allocation(c, allocation)
            })
            .map_err(Stop::into_store)
        })
    }

    fn waitlisted_at_start(&self, date: chrono::NaiveDate, limit: u32) -> StoreResult<Vec<Application>> {
        let rows = self.with_conn(|c| {
            let started: Vec<String> =
                p::table.filter(p::status.eq("allocated")).filter(p::start_date.le(date)).select(p::id).load(c)?;
            a::table
                .filter(a::placement_id.eq_any(started))
                .filter(a::status.eq("waitlisted"))
                .order(a::id)
                .limit(i64::from(limit))
                .select(ApplicationRow::as_select())
                .load(c)
        })?;
        rows.into_iter().map(ApplicationRow::into_domain).collect()
    }

    fn offers_past_deadline(&self, now: DateTime<Utc>, limit: u32) -> StoreResult<Vec<Offer>> {
        let rows = self.with_conn(|c| {
            o::table
                .filter(o::status.eq("open"))
                .filter(o::respond_by.lt(naive(now)))
                .order(o::respond_by)
                .limit(i64::from(limit))
                .select(OfferRow::as_select())
                .load(c)
        })?;
        rows.into_iter().map(OfferRow::into_domain).collect()
    }
}
