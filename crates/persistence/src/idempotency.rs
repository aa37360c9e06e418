//! Idempotency keys: a create request reserves its key first, so two concurrent retries cannot
//! both create.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use wex_domain::StoreError;
use wex_domain::ports::{IdempotencyStore, Reservation, StoreResult, StoredResponse};

use crate::errors::naive;
use crate::schema::idempotency_keys as k;
use crate::store::{DbStore, OrStore};

type KeyRow = (String, Option<i32>, Option<String>, Option<String>, Option<String>);

/// How long a key is remembered: long enough for any client's retries, short enough to stay small.
const KEY_LIFETIME_HOURS: i64 = 24;

impl IdempotencyStore for DbStore {
    fn reserve_key(
        &self,
        subject: &str,
        key: &str,
        request_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Reservation> {
        self.with_conn_try(|c| {
            // Forget this caller's expired keys first, so that the table stays bounded.
            let expired = naive(now - chrono::Duration::hours(KEY_LIFETIME_HOURS));
            diesel::delete(k::table.filter(k::subject.eq(subject)).filter(k::created_at.lt(expired)))
                .execute(c)
                .db()?;
            let inserted = diesel::insert_into(k::table)
                .values((
                    k::subject.eq(subject),
                    k::idempotency_key.eq(key),
                    k::request_hash.eq(request_hash),
                    k::created_at.eq(naive(now)),
                ))
                .execute(c)
                .db();
            match inserted {
                Ok(_) => Ok(Reservation::Reserved),
                Err(StoreError::Duplicate) => {
                    let (hash, status, body, location, etag): KeyRow = k::table
                        .find((subject, key))
                        .select((k::request_hash, k::status_code, k::response_body, k::location, k::etag))
                        .first(c)
                        .db()?;
                    let response = match (status, body) {
                        (Some(status), Some(body)) => {
                            Some(StoredResponse { status: u16::try_from(status).unwrap_or(500), body, location, etag })
                        }
                        _ => None,
                    };
                    Ok(Reservation::Existing { request_hash: hash, response })
                }
                Err(e) => Err(e),
            }
        })
    }

    fn complete_key(&self, subject: &str, key: &str, response: &StoredResponse) -> StoreResult<()> {
        self.with_conn(|c| {
            diesel::update(k::table.find((subject, key)))
                .set((
                    k::status_code.eq(i32::from(response.status)),
                    k::response_body.eq(&response.body),
                    k::location.eq(&response.location),
                    k::etag.eq(&response.etag),
                ))
                .execute(c)
                .map(drop)
        })
    }

    fn release_key(&self, subject: &str, key: &str) -> StoreResult<()> {
        self.with_conn(|c| diesel::delete(k::table.find((subject, key))).execute(c).map(drop))
    }
}
