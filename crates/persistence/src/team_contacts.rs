//! The address of each organisation's work experience team, one row per organisation.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use uuid::Uuid;
use wex_domain::error::StoreError;
use wex_domain::model::email::EmailAddress;
use wex_domain::model::organisation::TeamContact;
use wex_domain::ports::StoreResult;

use crate::connection::DbConnection;
use crate::errors::{naive, store_error, text, utc, uuid};
use crate::schema::team_contacts as t;

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = t)]
struct ContactRow {
    organisation_id: String,
    email: String,
    version: i64,
    updated_at: NaiveDateTime,
}

pub(crate) fn get(c: &mut DbConnection, organisation_id: Uuid) -> StoreResult<Option<TeamContact>> {
    let row = t::table
        .find(text(organisation_id))
        .select(ContactRow::as_select())
        .first(c)
        .optional()
        .map_err(store_error)?;
    row.map(|r| {
        Ok(TeamContact {
            organisation_id: uuid(&r.organisation_id)?,
            email: EmailAddress::parse(&r.email)
                .ok_or_else(|| StoreError::Internal("a stored team address does not parse".into()))?,
            version: r.version,
            updated_at: utc(r.updated_at),
        })
    })
    .transpose()
}

/// Creates or replaces: upserts are per backend, as the connection over both has none.
pub(crate) fn put(c: &mut DbConnection, contact: &TeamContact) -> StoreResult<()> {
    let row = ContactRow {
        organisation_id: text(contact.organisation_id),
        email: contact.email.as_str().to_string(),
        version: contact.version,
        updated_at: naive(contact.updated_at),
    };
    match c {
        DbConnection::Postgres(pg) => {
            diesel::insert_into(t::table).values(&row).on_conflict(t::organisation_id).do_update().set(&row).execute(pg)
        }
        DbConnection::Sqlite(lite) => diesel::insert_into(t::table)
            .values(&row)
            .on_conflict(t::organisation_id)
            .do_update()
            .set(&row)
            .execute(lite),
    }
    .map(drop)
    .map_err(store_error)
}

pub(crate) fn delete(c: &mut DbConnection, organisation_id: Uuid) -> StoreResult<()> {
    match diesel::delete(t::table.find(text(organisation_id))).execute(c).map_err(store_error)? {
        0 => Err(StoreError::NotFound),
        _ => Ok(()),
    }
}
