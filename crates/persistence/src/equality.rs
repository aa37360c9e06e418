//! Equality answers, in their own table.

use diesel::prelude::*;
use uuid::Uuid;
use wex_domain::StoreError;
use wex_domain::equality::Response;
use wex_domain::ports::{EqualityStore, StoreResult};

use crate::errors::{json, naive, text, to_json, utc};
use crate::schema::equality_responses as e;
use crate::store::{DbStore, OrStore};

impl EqualityStore for DbStore {
    fn equality_response(&self, profile_id: Uuid) -> StoreResult<Option<Response>> {
        let row: Option<(String, i64, chrono::NaiveDateTime)> = self.with_conn(|c| {
            e::table.find(text(profile_id)).select((e::answers, e::version, e::updated_at)).first(c).optional()
        })?;
        row.map(|(answers, version, at)| {
            Ok(Response { answers: json("equality answers", &answers)?, version, updated_at: utc(at) })
        })
        .transpose()
    }

    fn put_equality_response(&self, profile_id: Uuid, response: &Response) -> StoreResult<()> {
        let answers = to_json(&response.answers)?;
        let id = text(profile_id);
        self.with_conn_try(|c| {
            c.transaction(|c| {
                diesel::delete(e::table.find(&id)).execute(c)?;
                diesel::insert_into(e::table)
                    .values((
                        e::profile_id.eq(&id),
                        e::answers.eq(&answers),
                        e::version.eq(response.version),
                        e::updated_at.eq(naive(response.updated_at)),
                    ))
                    .execute(c)
            })
            .db()
            .map(drop)
        })
    }

    fn delete_equality_response(&self, profile_id: Uuid) -> StoreResult<()> {
        let n = self.with_conn(|c| diesel::delete(e::table.find(text(profile_id))).execute(c))?;
        if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }
}
