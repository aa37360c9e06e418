//! Erasure in the database: the statements the register's erasure rules write
//! ([`crate::personal_data::erasure`]), plus the messages to stop and the profile's mark.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel::{PgConnection, SqliteConnection};
use uuid::Uuid;
use wex_domain::model::delivery::DeliveryStatus;
use wex_domain::ports::{ErasureStore, StoreResult};

use crate::connection::DbConnection;
use crate::errors::{naive, text};
use crate::personal_data::erasure::{Statement, statements};
use crate::reports::counters::Scope;
use crate::reports::recount::recount;
use crate::schema::{applicant_profiles as pr, applications as a, notifications as n};
use crate::store::DbStore;

/// Runs one statement with its text parameters on one backend.
macro_rules! execute_on {
    ($conn:expr, $backend:ty, $stmt:expr) => {{
        let mut q = diesel::sql_query($stmt.sql).into_boxed::<$backend>();
        for b in $stmt.binds {
            q = q.bind::<Text, _>(b);
        }
        q.execute($conn)
    }};
}

fn execute(conn: &mut DbConnection, stmt: Statement) -> QueryResult<usize> {
    match conn {
        DbConnection::Postgres(c) => execute_pg(c, stmt),
        DbConnection::Sqlite(c) => execute_sqlite(c, stmt),
    }
}

fn execute_pg(c: &mut PgConnection, stmt: Statement) -> QueryResult<usize> {
    execute_on!(c, diesel::pg::Pg, stmt)
}

fn execute_sqlite(c: &mut SqliteConnection, stmt: Statement) -> QueryResult<usize> {
    execute_on!(c, diesel::sqlite::Sqlite, stmt)
}

impl ErasureStore for DbStore {
    fn manages_profiles(&self, subject: &str) -> StoreResult<bool> {
        let found = self.with_conn(|c| {
            pr::table
                .filter(pr::managed_by.eq(subject).and(pr::erased_at.is_null()))
                .select(pr::id)
                .first::<String>(c)
                .optional()
        })?;
        Ok(found.is_some())
    }

    fn is_erased(&self, profile_id: Uuid) -> StoreResult<bool> {
        let at = self.with_conn(|c| {
            pr::table.find(text(profile_id)).select(pr::erased_at).first::<Option<chrono::NaiveDateTime>>(c)
        })?;
        Ok(at.is_some())
    }

    fn erase_personal_data(&self, profile_id: Uuid, subject: Option<&str>, now: DateTime<Utc>) -> StoreResult<()> {
        let id = text(profile_id);
        let at = naive(now);
        // Applications already drawn keep counting as they were frozen; any not yet drawn stop
        // counting the profile's answers and user groups, which go now.
        self.with_conn(|c| {
            recount(c, Scope::Profile(&id), |c| {
                let email: String = pr::table.find(&id).select(pr::email).first(c)?;
                let theirs: Vec<String> = a::table.filter(a::profile_id.eq(&id)).select(a::id).load(c)?;
                // Messages not yet sent to them, or about their applications, are never sent now.
                diesel::update(
                    n::table
                        .filter(n::status.eq(DeliveryStatus::Pending.code()))
                        .filter(n::profile_id.eq(&id).or(n::application_id.eq_any(&theirs))),
                )
                .set((
                    n::status.eq(DeliveryStatus::Failed.code()),
                    n::settled_at.eq(Some(at)),
                    n::next_attempt_at.eq(None::<chrono::NaiveDateTime>),
                    n::lease_token.eq(None::<String>),
                    n::lease_until.eq(None::<chrono::NaiveDateTime>),
                ))
                .execute(c)?;
                // Messages sent to their address that no link finds (a copy sent to them as someone
                // else's advocate) lose the address and the words too.
                diesel::update(n::table.filter(n::recipient.eq(&email)))
                    .set((n::recipient.eq(""), n::subject.eq(""), n::body.eq(""), n::failure.eq(None::<String>)))
                    .execute(c)?;
                let postgres = matches!(c, DbConnection::Postgres(_));
                for stmt in statements(postgres, &id, subject) {
                    execute(c, stmt)?;
                }
                diesel::update(pr::table.find(&id)).set(pr::erased_at.eq(Some(at))).execute(c)?;
                Ok(())
            })
        })
    }
}
