//! Webhook endpoints and their deliveries: rows in, rows out, and the lease that keeps workers
//! from posting one delivery twice at once.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};
use uuid::Uuid;
use wex_domain::error::StoreError;
use wex_domain::model::delivery::Lease;
use wex_domain::model::feed::{EventType, FeedPosition};
use wex_domain::model::page::{Page, PageRequest};
use wex_domain::model::webhook::{
    AfterPost, PostResult, PreviousSecret, WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint, WebhookStatus,
};
use wex_domain::ports::{StoreResult, WebhookStore};

use crate::connection::DbConnection;
use crate::errors::{code, naive, text, utc, uuid};
use crate::organisations::{after_text, fetch_limit, id_page};
use crate::schema::{webhook_deliveries as d, webhook_endpoints as w};
use crate::store::{DbStore, OrStore, versioned_update};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = w)]
pub(crate) struct EndpointRow {
    id: String,
    organisation_id: String,
    url: String,
    event_types: String,
    secret: String,
    status: String,
    cursor_txid: i64,
    cursor_seq: i64,
    version: i64,
    created_at: NaiveDateTime,
    disabled_at: Option<NaiveDateTime>,
    previous_secret: Option<String>,
    previous_secret_until: Option<NaiveDateTime>,
}

impl EndpointRow {
    fn from_domain(e: &WebhookEndpoint) -> Self {
        EndpointRow {
            id: text(e.id),
            organisation_id: text(e.organisation_id),
            url: e.url.clone(),
            event_types: e.event_types.iter().map(|t| t.code()).collect::<Vec<_>>().join(","),
            secret: e.secret.clone(),
            status: e.status.code().to_string(),
            cursor_txid: e.cursor.txid,
            cursor_seq: e.cursor.seq,
            version: e.version,
            created_at: naive(e.created_at),
            disabled_at: e.disabled_at.map(naive),
            previous_secret: e.previous_secret.as_ref().map(|p| p.secret.clone()),
            previous_secret_until: e.previous_secret.as_ref().map(|p| naive(p.until)),
        }
    }

    fn into_domain(self) -> StoreResult<WebhookEndpoint> {
        let event_types = self
            .event_types
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| code("event type", c, EventType::parse))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(WebhookEndpoint {
            id: uuid(&self.id)?,
            organisation_id: uuid(&self.organisation_id)?,
            url: self.url,
            event_types,
            secret: self.secret,
            previous_secret: match (self.previous_secret, self.previous_secret_until) {
                (Some(secret), Some(until)) => Some(PreviousSecret { secret, until: utc(until) }),
                _ => None,
            },
            status: code("webhook status", &self.status, WebhookStatus::parse)?,
            cursor: FeedPosition { txid: self.cursor_txid, seq: self.cursor_seq },
            version: self.version,
            created_at: utc(self.created_at),
            disabled_at: self.disabled_at.map(utc),
        })
    }
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = d)]
struct DeliveryRow {
    id: String,
    endpoint_id: String,
    event_id: String,
    event_type: String,
    body: String,
    status: String,
    attempts: i32,
    next_attempt_at: Option<NaiveDateTime>,
    last_status: Option<i32>,
    last_error: Option<String>,
    created_at: NaiveDateTime,
}

impl DeliveryRow {
    fn from_domain(x: &WebhookDelivery) -> Self {
        DeliveryRow {
            id: text(x.id),
            endpoint_id: text(x.endpoint_id),
            event_id: text(x.event_id),
            event_type: x.event_type.code().to_string(),
            body: x.body.clone(),
            status: x.status.code().to_string(),
            attempts: i32::try_from(x.attempts).unwrap_or(i32::MAX),
            next_attempt_at: x.next_attempt_at.map(naive),
            last_status: x.last_status.map(i32::from),
            last_error: x.last_error.clone(),
            created_at: naive(x.created_at),
        }
    }

    fn into_domain(self) -> StoreResult<WebhookDelivery> {
        Ok(WebhookDelivery {
            id: uuid(&self.id)?,
            endpoint_id: uuid(&self.endpoint_id)?,
            event_id: uuid(&self.event_id)?,
            event_type: code("event type", &self.event_type, EventType::parse)?,
            body: self.body,
            status: code("webhook delivery status", &self.status, WebhookDeliveryStatus::parse)?,
            attempts: u32::try_from(self.attempts).unwrap_or(0),
            next_attempt_at: self.next_attempt_at.map(utc),
            last_status: self.last_status.and_then(|s| u16::try_from(s).ok()),
            last_error: self.last_error,
            created_at: utc(self.created_at),
        })
    }
}

/// Leases due deliveries of active endpoints in one statement, counting an attempt on each. On
/// PostgreSQL `FOR UPDATE SKIP LOCKED` lets racing workers take different rows; SQLite has one
/// writer at a time, so the statement alone is atomic there.
const LEASE_PG: &str = "UPDATE webhook_deliveries SET lease_token = $1, lease_until = $2, attempts = attempts + 1 \
     WHERE id IN (SELECT webhook_deliveries.id FROM webhook_deliveries JOIN webhook_endpoints \
     ON webhook_endpoints.id = webhook_deliveries.endpoint_id WHERE webhook_endpoints.status = 'active' \
     AND webhook_deliveries.status = 'pending' AND next_attempt_at <= $3 AND (lease_until IS NULL OR lease_until <= $3) \
     ORDER BY next_attempt_at, webhook_deliveries.id LIMIT $4 FOR UPDATE OF webhook_deliveries SKIP LOCKED) RETURNING id";
const LEASE_SQLITE: &str = "UPDATE webhook_deliveries SET lease_token = ?, lease_until = ?, attempts = attempts + 1 \
     WHERE id IN (SELECT webhook_deliveries.id FROM webhook_deliveries JOIN webhook_endpoints \
     ON webhook_endpoints.id = webhook_deliveries.endpoint_id WHERE webhook_endpoints.status = 'active' \
     AND webhook_deliveries.status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?) \
     ORDER BY next_attempt_at, webhook_deliveries.id LIMIT ?) RETURNING id";

#[derive(QueryableByName)]
struct LeasedId {
    #[diesel(sql_type = Text)]
    id: String,
}

fn lease(c: &mut DbConnection, now: DateTime<Utc>, lease: &Lease, limit: u32) -> QueryResult<Vec<LeasedId>> {
    let (token, until, now, limit) = (text(lease.token), naive(lease.until), naive(now), i64::from(limit));
    match c {
        DbConnection::Postgres(pg) => diesel::sql_query(LEASE_PG)
            .bind::<Text, _>(token)
            .bind::<Timestamp, _>(until)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(limit)
            .load(pg),
        DbConnection::Sqlite(lite) => diesel::sql_query(LEASE_SQLITE)
            .bind::<Text, _>(token)
            .bind::<Timestamp, _>(until)
            .bind::<Timestamp, _>(now)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(limit)
            .load(lite),
    }
}

impl WebhookStore for DbStore {
    fn insert_endpoint(&self, endpoint: &WebhookEndpoint) -> StoreResult<()> {
        let row = EndpointRow::from_domain(endpoint);
        self.with_conn(|c| diesel::insert_into(w::table).values(&row).execute(c).map(drop))
    }

    fn endpoint(&self, id: Uuid) -> StoreResult<WebhookEndpoint> {
        self.with_conn(|c| w::table.find(text(id)).select(EndpointRow::as_select()).first(c))?.into_domain()
    }

    fn endpoints_of(&self, organisation_id: Uuid) -> StoreResult<Vec<WebhookEndpoint>> {
        let rows = self.with_conn(|c| {
            w::table
                .filter(w::organisation_id.eq(text(organisation_id)))
                .order(w::id)
                .select(EndpointRow::as_select())
                .load(c)
        })?;
        rows.into_iter().map(EndpointRow::into_domain).collect()
    }

    fn rotate_secret(&self, rotated: &WebhookEndpoint, replaced: &str) -> StoreResult<()> {
        let row = EndpointRow::from_domain(rotated);
        let updated = self.with_conn(|c| {
            diesel::update(w::table.find(&row.id).filter(w::secret.eq(replaced)))
                .set((
                    w::secret.eq(&row.secret),
                    w::previous_secret.eq(&row.previous_secret),
                    w::previous_secret_until.eq(row.previous_secret_until),
                    w::version.eq(w::version + 1),
                ))
                .execute(c)
        })?;
        if updated == 0 { Err(StoreError::VersionConflict) } else { Ok(()) }
    }

    fn delete_endpoint(&self, id: Uuid) -> StoreResult<()> {
        self.with_conn_try(|c| {
            let id = text(id);
            diesel::delete(d::table.filter(d::endpoint_id.eq(&id))).execute(c).db()?;
            match diesel::delete(w::table.find(&id)).execute(c).db()? {
                0 => Err(StoreError::NotFound),
                _ => Ok(()),
            }
        })
    }

    fn active_endpoints(&self, limit: u32) -> StoreResult<Vec<WebhookEndpoint>> {
        let rows = self.with_conn(|c| {
            w::table
                .filter(w::status.eq(WebhookStatus::Active.code()))
                .order(w::id)
                .limit(i64::from(limit))
                .select(EndpointRow::as_select())
                .load(c)
        })?;
        rows.into_iter().map(EndpointRow::into_domain).collect()
    }

    fn queue_deliveries(
        &self,
        endpoint: &WebhookEndpoint,
        expected_version: i64,
        deliveries: &[WebhookDelivery],
    ) -> StoreResult<()> {
        let row = EndpointRow::from_domain(endpoint);
        let rows: Vec<DeliveryRow> = deliveries.iter().map(DeliveryRow::from_domain).collect();
        self.with_conn_try(|c| {
            versioned_update!(c, w, &row, expected_version)?;
            rows.iter().try_for_each(|r| diesel::insert_into(d::table).values(r).execute(c).map(drop).db())
        })
    }

    fn lease_deliveries(
        &self,
        now: DateTime<Utc>,
        lease_: &Lease,
        limit: u32,
    ) -> StoreResult<Vec<(WebhookDelivery, WebhookEndpoint)>> {
        let rows = self.with_conn(|c| {
            let ids: Vec<String> = lease(c, now, lease_, limit)?.into_iter().map(|l| l.id).collect();
            d::table
                .inner_join(w::table.on(w::id.eq(d::endpoint_id)))
                .filter(d::id.eq_any(ids))
                .order((d::next_attempt_at, d::id))
                .select((DeliveryRow::as_select(), EndpointRow::as_select()))
                .load::<(DeliveryRow, EndpointRow)>(c)
        })?;
        rows.into_iter().map(|(x, e)| Ok((x.into_domain()?, e.into_domain()?))).collect()
    }

    fn record_post(
        &self,
        delivery_id: Uuid,
        lease: &Lease,
        result: &PostResult,
        after: &AfterPost,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.with_conn(|c| {
            let id = text(delivery_id);
            let updated = diesel::update(d::table.filter(d::id.eq(&id)).filter(d::lease_token.eq(text(lease.token))))
                .set((
                    d::status.eq(after.status.code()),
                    d::next_attempt_at.eq(after.next_attempt_at.map(naive)),
                    d::last_status.eq(result.status.map(i32::from)),
                    d::last_error.eq(result.error.clone()),
                    d::lease_token.eq(None::<String>),
                    d::lease_until.eq(None::<NaiveDateTime>),
                ))
                .execute(c)?;
            if updated == 0 {
                return Ok(false);
            }
            if after.endpoint_gone {
                let endpoint = d::table.find(&id).select(d::endpoint_id).first::<String>(c)?;
                // The version moves on, so that a dispatcher holding the endpoint from before cannot
                // write it back as active when it moves the cursor.
                diesel::update(w::table.find(endpoint))
                    .set((
                        w::status.eq(WebhookStatus::Disabled.code()),
                        w::disabled_at.eq(Some(naive(at))),
                        w::version.eq(w::version + 1),
                    ))
                    .execute(c)?;
            }
            Ok(true)
        })
    }

    fn delivery(&self, id: Uuid) -> StoreResult<WebhookDelivery> {
        self.with_conn(|c| d::table.find(text(id)).select(DeliveryRow::as_select()).first(c))?.into_domain()
    }

    fn deliveries_of(
        &self,
        endpoint_id: Uuid,
        status: Option<WebhookDeliveryStatus>,
        page: &PageRequest<Uuid>,
    ) -> StoreResult<Page<WebhookDelivery, Uuid>> {
        let rows = self.with_conn(|c| {
            let mut query =
                d::table.filter(d::endpoint_id.eq(text(endpoint_id))).filter(d::id.gt(after_text(page))).into_boxed();
            if let Some(status) = status {
                query = query.filter(d::status.eq(status.code()));
            }
            query.order(d::id).limit(fetch_limit(page)).select(DeliveryRow::as_select()).load(c)
        })?;
        id_page(rows, page, DeliveryRow::into_domain, |x| x.id)
    }

    fn replay_delivery(&self, id: Uuid, now: DateTime<Utc>) -> StoreResult<()> {
        let updated = self.with_conn(|c| {
            diesel::update(d::table.find(text(id)))
                .set((
                    d::status.eq(WebhookDeliveryStatus::Pending.code()),
                    d::attempts.eq(0),
                    d::next_attempt_at.eq(Some(naive(now))),
                    d::lease_token.eq(None::<String>),
                    d::lease_until.eq(None::<NaiveDateTime>),
                ))
                .execute(c)
        })?;
        if updated == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }
}
