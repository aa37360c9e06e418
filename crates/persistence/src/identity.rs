//! Grants: platform roles and organisation memberships.

use diesel::prelude::*;
use uuid::Uuid;
use wex_domain::StoreError;
use wex_domain::model::auth::{Grants, Membership, MembershipRole, PlatformRole, PlatformRoleGrant};
use wex_domain::model::page::{Page, PageRequest};
use wex_domain::ports::{IdentityStore, StoreResult};

use crate::connection::DbConnection;
use crate::errors::{code, naive, text, utc, uuid};
use crate::organisations::{after_text, fetch_limit, id_page};
use crate::schema::{memberships, platform_roles};
use crate::store::DbStore;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = memberships)]
struct MembershipRow {
    id: String,
    organisation_id: String,
    subject: String,
    role: String,
    granted_by: String,
    created_at: chrono::NaiveDateTime,
}

impl MembershipRow {
    fn into_domain(self) -> StoreResult<Membership> {
        Ok(Membership {
            id: uuid(&self.id)?,
            organisation_id: uuid(&self.organisation_id)?,
            subject: self.subject,
            role: code("membership role", &self.role, MembershipRole::parse)?,
            granted_by: self.granted_by,
            created_at: utc(self.created_at),
        })
    }
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = platform_roles)]
struct PlatformRoleRow {
    id: String,
    subject: String,
    role: String,
    granted_by: String,
    created_at: chrono::NaiveDateTime,
}

impl PlatformRoleRow {
    fn into_domain(self) -> StoreResult<PlatformRoleGrant> {
        Ok(PlatformRoleGrant {
            id: uuid(&self.id)?,
            subject: self.subject,
            role: code("platform role", &self.role, PlatformRole::parse)?,
            granted_by: self.granted_by,
            created_at: utc(self.created_at),
        })
    }
}

fn deleted(n: usize) -> StoreResult<()> {
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// A subject's platform roles (no organisation) and memberships (with one), in one round trip:
/// every authenticated request reads them. The multi-backend connection has no `UNION`, so the
/// same query runs on each backend's own connection.
fn grant_rows(c: &mut DbConnection, subject: &str) -> QueryResult<Vec<(Option<String>, String)>> {
    use diesel::dsl::sql;
    use diesel::sql_types::{Nullable, Text};
    macro_rules! query {
        () => {
            platform_roles::table
                .filter(platform_roles::subject.eq(subject))
                .select((sql::<Nullable<Text>>("NULL"), platform_roles::role))
                .union_all(
                    memberships::table
                        .filter(memberships::subject.eq(subject))
                        .select((memberships::organisation_id.nullable(), memberships::role)),
                )
        };
    }
    match c {
        DbConnection::Postgres(c) => query!().load(c),
        DbConnection::Sqlite(c) => query!().load(c),
    }
}

impl IdentityStore for DbStore {
    fn grants_of(&self, subject: &str) -> StoreResult<Grants> {
        let rows = self.with_conn(|c| grant_rows(c, subject))?;
        let mut grants = Grants { platform_roles: Vec::new(), memberships: Vec::new() };
        for (organisation, role) in &rows {
            match organisation {
                None => grants.platform_roles.push(code("platform role", role, PlatformRole::parse)?),
                Some(org) => {
                    grants.memberships.push((uuid(org)?, code("membership role", role, MembershipRole::parse)?));
                }
            }
        }
        Ok(grants)
    }

    fn insert_membership(&self, m: &Membership) -> StoreResult<()> {
        let row = MembershipRow {
            id: text(m.id),
            organisation_id: text(m.organisation_id),
            subject: m.subject.clone(),
            role: m.role.code().to_string(),
            granted_by: m.granted_by.clone(),
            created_at: naive(m.created_at),
        };
        self.with_conn(|c| diesel::insert_into(memberships::table).values(&row).execute(c).map(drop))
    }

    fn membership(&self, id: Uuid) -> StoreResult<Membership> {
        self.with_conn(|c| memberships::table.find(text(id)).select(MembershipRow::as_select()).first(c))?.into_domain()
    }

    fn memberships_of(&self, organisation_id: Uuid, page: &PageRequest<Uuid>) -> StoreResult<Page<Membership, Uuid>> {
        let rows = self.with_conn(|c| {
            memberships::table
                .filter(memberships::organisation_id.eq(text(organisation_id)))
                .filter(memberships::id.gt(after_text(page)))
                .order(memberships::id)
                .limit(fetch_limit(page))
                .select(MembershipRow::as_select())
                .load(c)
        })?;
        id_page(rows, page, MembershipRow::into_domain, |m| m.id)
    }

    fn delete_membership(&self, id: Uuid) -> StoreResult<()> {
        deleted(self.with_conn(|c| diesel::delete(memberships::table.find(text(id))).execute(c))?)
    }

    fn insert_platform_role(&self, g: &PlatformRoleGrant) -> StoreResult<()> {
        let row = PlatformRoleRow {
            id: text(g.id),
            subject: g.subject.clone(),
            role: g.role.code().to_string(),
            granted_by: g.granted_by.clone(),
            created_at: naive(g.created_at),
        };
        self.with_conn(|c| diesel::insert_into(platform_roles::table).values(&row).execute(c).map(drop))
    }

    fn platform_role(&self, id: Uuid) -> StoreResult<PlatformRoleGrant> {
        self.with_conn(|c| platform_roles::table.find(text(id)).select(PlatformRoleRow::as_select()).first(c))?
            .into_domain()
    }

    fn platform_roles(&self, page: &PageRequest<Uuid>) -> StoreResult<Page<PlatformRoleGrant, Uuid>> {
        let rows = self.with_conn(|c| {
            platform_roles::table
                .filter(platform_roles::id.gt(after_text(page)))
                .order(platform_roles::id)
                .limit(fetch_limit(page))
                .select(PlatformRoleRow::as_select())
                .load(c)
        })?;
        id_page(rows, page, PlatformRoleRow::into_domain, |g| g.id)
    }

    fn delete_platform_role(&self, id: Uuid) -> StoreResult<()> {
        deleted(self.with_conn(|c| diesel::delete(platform_roles::table.find(text(id))).execute(c))?)
    }
}
