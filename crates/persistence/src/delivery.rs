//! The outbox as the delivery worker uses it: leases, attempts, receipts, reminders sent once, and
//! the sandbox clock every process shares.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text, Timestamp};
use uuid::Uuid;
use wex_domain::model::application::{Application, ApplicationStatus};
use wex_domain::model::delivery::{
    AfterAttempt, Attempt, AttemptOutcome, Delivery, DeliveryStatus, Lease, Leased, SendResult,
};
use wex_domain::model::offer::{Offer, OfferStatus};
use wex_domain::model::placement::Placement;
use wex_domain::model::reach::SettledMessage;
use wex_domain::model::reference::{PlacementStatus, SelectionMethod};
use wex_domain::ports::{DeliveryStore, StoreResult};

use crate::connection::DbConnection;
use crate::errors::{code, naive, text, texts, utc, uuid};
use crate::outbox::NotificationRow;
use crate::schema::{delivery_attempts as da, notifications as n, reminders, service_clock};
use crate::store::DbStore;

/// Leases due messages in one statement. On PostgreSQL `FOR UPDATE SKIP LOCKED` lets workers
/// racing for the same rows each take different ones instead of queueing; SQLite runs one writer
/// at a time, so the statement alone is atomic there.
const LEASE_DUE_PG: &str = "UPDATE notifications SET lease_token = $1, lease_until = $2, attempts = attempts + 1 \
     WHERE id IN (SELECT id FROM notifications WHERE status = $3 AND next_attempt_at <= $4 \
     AND (lease_until IS NULL OR lease_until <= $4) ORDER BY next_attempt_at, id LIMIT $5 FOR UPDATE SKIP LOCKED) \
     RETURNING id, recipient, template, subject, body, application_id, link, profile_id, created_at, next_attempt_at, attempts";
const LEASE_DUE_SQLITE: &str = "UPDATE notifications SET lease_token = ?, lease_until = ?, attempts = attempts + 1 \
     WHERE id IN (SELECT id FROM notifications WHERE status = ? AND next_attempt_at <= ? \
     AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_attempt_at, id LIMIT ?) \
     RETURNING id, recipient, template, subject, body, application_id, link, profile_id, created_at, next_attempt_at, attempts";

#[derive(QueryableByName)]
struct LeasedRow {
    #[diesel(embed)]
    message: NotificationRow,
    #[diesel(sql_type = Integer)]
    attempts: i32,
}

impl LeasedRow {
    fn into_domain(self) -> StoreResult<Leased> {
        Ok(Leased { message: self.message.into_domain()?, attempt: u32::try_from(self.attempts).unwrap_or(0) })
    }
}

fn lease_due(c: &mut DbConnection, now: DateTime<Utc>, lease: &Lease, limit: u32) -> QueryResult<Vec<LeasedRow>> {
    let (token, until, pending, now, limit) =
        (text(lease.token), naive(lease.until), DeliveryStatus::Pending.code(), naive(now), i64::from(limit));
    match c {
        DbConnection::Postgres(pg) => diesel::sql_query(LEASE_DUE_PG)
            .bind::<Text, _>(token)
            .bind::<Timestamp, _>(until)
            .bind::<Text, _>(pending)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(limit)
            .load(pg),
        DbConnection::Sqlite(lite) => diesel::sql_query(LEASE_DUE_SQLITE)
            .bind::<Text, _>(token)
            .bind::<Timestamp, _>(until)
            .bind::<Text, _>(pending)
            .bind::<Timestamp, _>(now)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(limit)
            .load(lite),
    }
}

#[derive(Queryable)]
struct AttemptRow {
    notification_id: String,
    number: i32,
    attempted_at: NaiveDateTime,
    transport: String,
    outcome: String,
    detail: Option<String>,
}

impl AttemptRow {
    fn into_domain(self) -> StoreResult<Attempt> {
        Ok(Attempt {
            message_id: uuid(&self.notification_id)?,
            number: u32::try_from(self.number).unwrap_or(0),
            at: utc(self.attempted_at),
            transport: self.transport,
            result: SendResult {
                outcome: code("attempt outcome", &self.outcome, AttemptOutcome::parse)?,
                detail: self.detail,
            },
        })
    }
}

fn status(stored: &str) -> StoreResult<DeliveryStatus> {
    code("delivery status", stored, DeliveryStatus::parse)
}

impl DeliveryStore for DbStore {
    fn lease_due(&self, now: DateTime<Utc>, lease: &Lease, limit: u32) -> StoreResult<Vec<Leased>> {
        let rows = self.with_conn(|c| lease_due(c, now, lease, limit))?;
        let mut leased = rows.into_iter().map(LeasedRow::into_domain).collect::<StoreResult<Vec<_>>>()?;
        // RETURNING keeps no order: send the oldest first.
        leased.sort_by_key(|l| (l.message.created_at, l.message.id));
        Ok(leased)
    }

    fn record_attempt(&self, attempt: &Attempt, lease: &Lease, after: &AfterAttempt) -> StoreResult<bool> {
        let failure = match after.status {
            DeliveryStatus::Pending | DeliveryStatus::Failed => Some(match &attempt.result.detail {
                Some(detail) => format!("{}: {detail}", attempt.result.outcome.code()),
                None => attempt.result.outcome.code().to_string(),
            }),
            DeliveryStatus::Sent | DeliveryStatus::Delivered => None,
        };
        let delivered_at = (after.status == DeliveryStatus::Delivered).then(|| naive(attempt.at));
        self.with_conn(|c| {
            let id = text(attempt.message_id);
            let updated = diesel::update(n::table.filter(n::id.eq(&id)).filter(n::lease_token.eq(text(lease.token))))
                .set((
                    n::status.eq(after.status.code()),
                    n::next_attempt_at.eq(after.next_attempt_at.map(naive)),
                    n::failure.eq(failure),
                    n::delivered_at.eq(delivered_at),
                    n::settled_at.eq(after.settled_at.map(naive)),
                    n::lease_token.eq(None::<String>),
                    n::lease_until.eq(None::<NaiveDateTime>),
                ))
                .execute(c)?;
            if updated == 0 {
                return Ok(false);
            }
            diesel::insert_into(da::table)
                .values((
                    da::notification_id.eq(id),
                    da::number.eq(i32::try_from(attempt.number).unwrap_or(i32::MAX)),
                    da::attempted_at.eq(naive(attempt.at)),
                    da::transport.eq(&attempt.transport),
                    da::outcome.eq(attempt.result.outcome.code()),
                    da::detail.eq(&attempt.result.detail),
                ))
                .execute(c)?;
            Ok(true)
        })
    }

    fn release(&self, ids: &[Uuid], lease: &Lease) -> StoreResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        self.with_conn(|c| {
            diesel::update(n::table.filter(n::id.eq_any(texts(ids))).filter(n::lease_token.eq(text(lease.token))))
                .set((
                    n::attempts.eq(n::attempts - 1),
                    n::lease_token.eq(None::<String>),
                    n::lease_until.eq(None::<NaiveDateTime>),
                ))
                .execute(c)
                .map(drop)
        })
    }

    fn delivery_status(&self, id: Uuid) -> StoreResult<(DeliveryStatus, u32)> {
        let (stored, attempts) =
            self.with_conn(|c| n::table.find(text(id)).select((n::status, n::attempts)).first::<(String, i32)>(c))?;
        Ok((status(&stored)?, u32::try_from(attempts).unwrap_or(0)))
    }

    fn record_receipt(
        &self,
        id: Uuid,
        status: DeliveryStatus,
        failure: Option<&str>,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let delivered_at = (status == DeliveryStatus::Delivered).then(|| naive(at));
        self.with_conn(|c| {
            diesel::update(n::table.find(text(id)))
                .set((
                    n::status.eq(status.code()),
                    n::failure.eq(failure),
                    n::delivered_at.eq(delivered_at),
                    n::settled_at.eq(naive(at)),
                ))
                .execute(c)
        })
        .and_then(|updated| if updated == 0 { Err(wex_domain::StoreError::NotFound) } else { Ok(()) })
    }

    fn deliveries(&self, ids: &[Uuid]) -> StoreResult<Vec<Delivery>> {
        let (states, attempts) = self.with_conn(|c| {
            let states = n::table
                .filter(n::id.eq_any(texts(ids)))
                .select((n::id, n::status, n::next_attempt_at, n::failure))
                .load::<(String, String, Option<NaiveDateTime>, Option<String>)>(c)?;
            let attempts = da::table
                .filter(da::notification_id.eq_any(texts(ids)))
                .order((da::notification_id, da::number))
                .load::<AttemptRow>(c)?;
            Ok((states, attempts))
        })?;
        let attempts = attempts.into_iter().map(AttemptRow::into_domain).collect::<StoreResult<Vec<_>>>()?;
        states
            .into_iter()
            .map(|(id, stored, next, failure)| {
                let message_id = uuid(&id)?;
                Ok(Delivery {
                    message_id,
                    status: status(&stored)?,
                    next_attempt_at: next.map(utc),
                    failure,
                    attempts: attempts.iter().filter(|a| a.message_id == message_id).cloned().collect(),
                })
            })
            .collect()
    }

    fn latest_settled_to_profiles(&self, profile_ids: &[Uuid]) -> StoreResult<Vec<SettledMessage>> {
        if profile_ids.is_empty() {
            return Ok(Vec::new());
        }
        // One query for every profile: newest first within each, so the first row per profile is
        // its latest. Messages to one applicant are few, so reading their settled history is
        // cheaper than a correlated subquery written twice, once per backend.
        let rows = self.with_conn(|c| {
            n::table
                .filter(n::profile_id.eq_any(texts(profile_ids)))
                .filter(n::settled_at.is_not_null())
                .order((n::profile_id, n::settled_at.desc(), n::id.desc()))
                .select((n::profile_id, n::recipient, n::status, n::failure, n::settled_at))
                .load::<(Option<String>, String, String, Option<String>, Option<NaiveDateTime>)>(c)
        })?;
        let mut latest: Vec<SettledMessage> = Vec::new();
        for (profile_id, recipient, stored, failure, settled_at) in rows {
            let (Some(profile_id), Some(settled_at)) = (profile_id, settled_at) else { continue };
            let profile_id = uuid(&profile_id)?;
            if latest.last().is_some_and(|m| m.profile_id == profile_id) {
                continue;
            }
            latest.push(SettledMessage {
                profile_id,
                recipient,
                status: status(&stored)?,
                failure,
                settled_at: utc(settled_at),
            });
        }
        Ok(latest)
    }

    fn claim_reminder(&self, kind: &str, subject_id: Uuid, now: DateTime<Utc>) -> StoreResult<bool> {
        let row =
            (reminders::kind.eq(kind), reminders::subject_id.eq(text(subject_id)), reminders::sent_at.eq(naive(now)));
        // Upserts are per backend: the connection over both has none.
        self.with_conn(|c| match c {
            DbConnection::Postgres(pg) => {
                diesel::insert_into(reminders::table).values(row).on_conflict_do_nothing().execute(pg)
            }
            DbConnection::Sqlite(lite) => {
                diesel::insert_into(reminders::table).values(row).on_conflict_do_nothing().execute(lite)
            }
        })
        .map(|inserted| inserted == 1)
    }

    fn due_for_start_reminder(
        &self,
        statuses: &[ApplicationStatus],
        from: NaiveDate,
        to: NaiveDate,
        kind: &str,
        limit: u32,
    ) -> StoreResult<Vec<Application>> {
        self.with_conn_try(|c| crate::reminders::due_for_start(c, statuses, from, to, kind, limit))
    }

    fn due_for_offer_reminder(
        &self,
        statuses: &[OfferStatus],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        kind: &str,
        limit: u32,
    ) -> StoreResult<Vec<Offer>> {
        self.with_conn_try(|c| crate::reminders::due_for_offer(c, statuses, from, to, kind, limit))
    }

    fn due_for_outcome_reminder(
        &self,
        statuses: &[PlacementStatus],
        method: SelectionMethod,
        window: (NaiveDate, NaiveDate),
        now: DateTime<Utc>,
        kind: &str,
        limit: u32,
    ) -> StoreResult<Vec<Placement>> {
        let forms: Vec<_> = statuses.iter().flat_map(|s| s.stored_forms()).collect();
        self.with_conn_try(|c| crate::reminders::due_for_outcome(c, &forms, method, window, now, kind, limit))
    }

    fn clock_offset(&self) -> StoreResult<i64> {
        self.with_conn(|c| {
            service_clock::table.find(1_i64).select(service_clock::offset_micros).first::<i64>(c).optional()
        })
        .map(|offset| offset.unwrap_or(0))
    }

    fn set_clock_offset(&self, micros: i64) -> StoreResult<()> {
        let row = (service_clock::id.eq(1_i64), service_clock::offset_micros.eq(micros));
        let to = service_clock::offset_micros.eq(micros);
        self.with_conn(|c| match c {
            DbConnection::Postgres(pg) => diesel::insert_into(service_clock::table)
                .values(row)
                .on_conflict(service_clock::id)
                .do_update()
                .set(to)
                .execute(pg),
            DbConnection::Sqlite(lite) => diesel::insert_into(service_clock::table)
                .values(row)
                .on_conflict(service_clock::id)
                .do_update()
                .set(to)
                .execute(lite),
        })
        .map(drop)
    }
}
