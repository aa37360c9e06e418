//! Organisation API clients and their used assertions: rows in, rows out. Also how an attribution
//! is stored beside the events and audit entries a client's request makes.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;
use wex_domain::error::StoreError;
use wex_domain::model::api_client::{ApiClient, Attribution, ClientStatus, parse_scopes, scope_text};
use wex_domain::ports::{ApiClientStore, StoreResult};

use crate::errors::{code, naive, text, utc, uuid};
use crate::schema::{api_clients as c, client_assertions as a};
use crate::store::{DbStore, OrStore, versioned_update};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = c)]
struct ClientRow {
    id: String,
    organisation_id: String,
    name: String,
    scopes: String,
    jwks: String,
    status: String,
    version: i64,
    created_at: NaiveDateTime,
    revoked_at: Option<NaiveDateTime>,
}

impl ClientRow {
    fn from_domain(x: &ApiClient) -> Self {
        ClientRow {
            id: text(x.id),
            organisation_id: text(x.organisation_id),
            name: x.name.clone(),
            scopes: scope_text(&x.scopes),
            jwks: x.jwks.clone(),
            status: x.status.code().to_string(),
            version: x.version,
            created_at: naive(x.created_at),
            revoked_at: x.revoked_at.map(naive),
        }
    }

    fn into_domain(self) -> StoreResult<ApiClient> {
        Ok(ApiClient {
            id: uuid(&self.id)?,
            organisation_id: uuid(&self.organisation_id)?,
            name: self.name,
            scopes: parse_scopes(&self.scopes)
                .map_err(|s| StoreError::Internal(format!("stored client scope {s:?} is unknown")))?,
            jwks: self.jwks,
            status: code("client status", &self.status, ClientStatus::parse)?,
            version: self.version,
            created_at: utc(self.created_at),
            revoked_at: self.revoked_at.map(utc),
        })
    }
}

/// The attribution stored beside an event or audit entry (both columns or neither).
pub(crate) fn attribution(client_id: Option<String>, on_behalf_of: Option<String>) -> StoreResult<Option<Attribution>> {
    match (client_id, on_behalf_of) {
        (Some(id), Some(on_behalf_of)) => Ok(Some(Attribution { client_id: uuid(&id)?, on_behalf_of })),
        _ => Ok(None),
    }
}

impl ApiClientStore for DbStore {
    fn insert_api_client(&self, client: &ApiClient) -> StoreResult<()> {
        let row = ClientRow::from_domain(client);
        self.with_conn(|conn| diesel::insert_into(c::table).values(&row).execute(conn).map(|_| ()))
    }

    fn api_client(&self, id: Uuid) -> StoreResult<ApiClient> {
        let row =
            self.with_conn(|conn| c::table.find(text(id)).select(ClientRow::as_select()).first(conn).optional())?;
        row.ok_or(StoreError::NotFound)?.into_domain()
    }

    fn api_clients_of(&self, organisation_id: Uuid) -> StoreResult<Vec<ApiClient>> {
        let rows = self.with_conn(|conn| {
            c::table
                .filter(c::organisation_id.eq(text(organisation_id)))
                .order(c::id)
                .select(ClientRow::as_select())
                .load(conn)
        })?;
        rows.into_iter().map(ClientRow::into_domain).collect()
    }

    fn update_api_client(&self, client: &ApiClient, expected_version: i64) -> StoreResult<()> {
        let row = ClientRow::from_domain(client);
        self.with_conn_try(|conn| versioned_update!(conn, c, &row, expected_version))
    }

    fn use_assertion(
        &self,
        client_id: Uuid,
        jti: &str,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.with_conn_try(|conn| {
            diesel::delete(a::table.filter(a::expires_at.lt(naive(now)))).execute(conn).db()?;
            let row = (a::client_id.eq(text(client_id)), a::jti.eq(jti), a::expires_at.eq(naive(expires_at)));
            // A second use of a jti breaks the key: on PostgreSQL that aborts the transaction, which
            // is what the caller wants, since it refuses the token and stores nothing.
            match diesel::insert_into(a::table).values(row).execute(conn).db() {
                Ok(_) => Ok(true),
                Err(StoreError::Duplicate) => Ok(false),
                Err(e) => Err(e),
            }
        })
    }
}
