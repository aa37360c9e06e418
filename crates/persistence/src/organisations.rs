//! Organisations, sites and departments.

use diesel::prelude::*;
use uuid::Uuid;
use wex_domain::model::ods_code::OdsCode;
use wex_domain::model::organisation::{
    Department, DepartmentInput, Organisation, OrganisationInput, Site, SiteInput, TeamContact,
};
use wex_domain::model::page::{Page, PageRequest};
use wex_domain::model::postcode::Postcode;
use wex_domain::model::reference::{OrganisationKind, Region, Specialty};
use wex_domain::ports::{OrganisationStore, StoreResult};

use crate::errors::{code, naive, opt_uuid, text, utc, uuid};
use crate::schema::{departments, organisations, sites};
use crate::store::{DbStore, OrStore, versioned_update};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = organisations, treat_none_as_null = true)]
pub(crate) struct OrganisationRow {
    id: String,
    name: String,
    kind: String,
    region: String,
    ods_code: Option<String>,
    description: Option<String>,
    version: i64,
    created_at: chrono::NaiveDateTime,
    updated_at: chrono::NaiveDateTime,
}

impl OrganisationRow {
    fn from_domain(o: &Organisation) -> Self {
        Self {
            id: text(o.id),
            name: o.input.name.clone(),
            kind: o.input.kind.code().to_string(),
            region: o.input.region.code().to_string(),
            ods_code: o.input.ods_code.as_ref().map(ToString::to_string),
            description: o.input.description.clone(),
            version: o.version,
            created_at: naive(o.created_at),
            updated_at: naive(o.updated_at),
        }
    }

    pub(crate) fn into_domain(self) -> StoreResult<Organisation> {
        Ok(Organisation {
            id: uuid(&self.id)?,
            input: OrganisationInput {
                name: self.name,
                kind: code("organisation kind", &self.kind, OrganisationKind::parse)?,
                region: code("region", &self.region, Region::parse)?,
                ods_code: self.ods_code.as_deref().map(|c| code("ODS code", c, OdsCode::parse)).transpose()?,
                description: self.description,
            },
            version: self.version,
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
        })
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = sites, treat_none_as_null = true)]
pub(crate) struct SiteRow {
    id: String,
    organisation_id: String,
    name: String,
    address_line_1: String,
    address_line_2: Option<String>,
    town: String,
    postcode: String,
    travel_notes: Option<String>,
    accessibility: Option<String>,
    version: i64,
    created_at: chrono::NaiveDateTime,
    updated_at: chrono::NaiveDateTime,
}

impl SiteRow {
    fn from_domain(s: &Site) -> Self {
        let i = &s.input;
        Self {
            id: text(s.id),
            organisation_id: text(s.organisation_id),
            name: i.name.clone(),
            address_line_1: i.address_line_1.clone(),
            address_line_2: i.address_line_2.clone(),
            town: i.town.clone(),
            postcode: i.postcode.to_string(),
            travel_notes: i.travel_notes.clone(),
            accessibility: i.accessibility.clone(),
            version: s.version,
            created_at: naive(s.created_at),
            updated_at: naive(s.updated_at),
        }
    }

    pub(crate) fn into_domain(self) -> StoreResult<Site> {
        Ok(Site {
            id: uuid(&self.id)?,
            organisation_id: uuid(&self.organisation_id)?,
            input: SiteInput {
                name: self.name,
                address_line_1: self.address_line_1,
                address_line_2: self.address_line_2,
                town: self.town,
                postcode: code("postcode", &self.postcode, Postcode::parse)?,
                travel_notes: self.travel_notes,
                accessibility: self.accessibility,
            },
            version: self.version,
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
        })
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = departments, treat_none_as_null = true)]
pub(crate) struct DepartmentRow {
    id: String,
    organisation_id: String,
    site_id: Option<String>,
    name: String,
    specialty: String,
    description: Option<String>,
    version: i64,
    created_at: chrono::NaiveDateTime,
    updated_at: chrono::NaiveDateTime,
}

impl DepartmentRow {
    fn from_domain(d: &Department) -> Self {
        Self {
            id: text(d.id),
            organisation_id: text(d.organisation_id),
            site_id: d.input.site_id.map(text),
            name: d.input.name.clone(),
            specialty: d.input.specialty.code().to_string(),
            description: d.input.description.clone(),
            version: d.version,
            created_at: naive(d.created_at),
            updated_at: naive(d.updated_at),
        }
    }

    pub(crate) fn into_domain(self) -> StoreResult<Department> {
        Ok(Department {
            id: uuid(&self.id)?,
            organisation_id: uuid(&self.organisation_id)?,
            input: DepartmentInput {
                name: self.name,
                specialty: code("specialty", &self.specialty, Specialty::parse)?,
                site_id: opt_uuid(self.site_id.as_deref())?,
                description: self.description,
            },
            version: self.version,
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
        })
    }
}

fn all<R, T>(rows: Vec<R>, f: impl Fn(R) -> StoreResult<T>) -> StoreResult<Vec<T>> {
    rows.into_iter().map(f).collect()
}

/// A page of rows in id order, converted to domain values.
pub(crate) fn id_page<R, T>(
    rows: Vec<R>,
    page: &PageRequest<Uuid>,
    f: impl Fn(R) -> StoreResult<T>,
    key: impl Fn(&T) -> Uuid,
) -> StoreResult<Page<T, Uuid>> {
    Ok(Page::from_rows(all(rows, f)?, page.limit, key))
}

pub(crate) fn after_text(page: &PageRequest<Uuid>) -> String {
    page.after.map(text).unwrap_or_default()
}

pub(crate) fn fetch_limit(page: &PageRequest<Uuid>) -> i64 {
    i64::from(page.limit) + 1
}

impl OrganisationStore for DbStore {
    fn insert_organisation(&self, org: &Organisation) -> StoreResult<()> {
        let row = OrganisationRow::from_domain(org);
        self.with_conn(|c| diesel::insert_into(organisations::table).values(&row).execute(c).map(drop))
    }

    fn organisation(&self, id: Uuid) -> StoreResult<Organisation> {
        self.with_conn(|c| organisations::table.find(text(id)).select(OrganisationRow::as_select()).first(c))?
            .into_domain()
    }

    fn organisations(&self, page: &PageRequest<Uuid>) -> StoreResult<Page<Organisation, Uuid>> {
        let rows = self.with_conn(|c| {
            organisations::table
                .filter(organisations::id.gt(after_text(page)))
                .order(organisations::id)
                .limit(fetch_limit(page))
                .select(OrganisationRow::as_select())
                .load(c)
        })?;
        id_page(rows, page, OrganisationRow::into_domain, |o| o.id)
    }

    fn update_organisation(&self, org: &Organisation, expected_version: i64) -> StoreResult<()> {
        let row = OrganisationRow::from_domain(org);
        self.with_conn_try(|c| versioned_update!(c, organisations, &row, expected_version))
    }

    fn insert_site(&self, site: &Site) -> StoreResult<()> {
        let row = SiteRow::from_domain(site);
        self.with_conn(|c| diesel::insert_into(sites::table).values(&row).execute(c).map(drop))
    }

    fn site(&self, id: Uuid) -> StoreResult<Site> {
        self.with_conn(|c| sites::table.find(text(id)).select(SiteRow::as_select()).first(c))?.into_domain()
    }

    fn sites_of(&self, organisation_id: Uuid, page: &PageRequest<Uuid>) -> StoreResult<Page<Site, Uuid>> {
        let rows = self.with_conn(|c| {
            sites::table
                .filter(sites::organisation_id.eq(text(organisation_id)))
                .filter(sites::id.gt(after_text(page)))
                .order(sites::id)
                .limit(fetch_limit(page))
                .select(SiteRow::as_select())
                .load(c)
        })?;
        id_page(rows, page, SiteRow::into_domain, |s| s.id)
    }

    fn update_site(&self, site: &Site, expected_version: i64) -> StoreResult<()> {
        let row = SiteRow::from_domain(site);
        self.with_conn_try(|c| versioned_update!(c, sites, &row, expected_version))
    }

    fn insert_department(&self, department: &Department) -> StoreResult<()> {
        let row = DepartmentRow::from_domain(department);
        self.with_conn(|c| diesel::insert_into(departments::table).values(&row).execute(c).map(drop))
    }

    fn department(&self, id: Uuid) -> StoreResult<Department> {
        self.with_conn(|c| departments::table.find(text(id)).select(DepartmentRow::as_select()).first(c))?.into_domain()
    }

    fn departments_of(&self, organisation_id: Uuid, page: &PageRequest<Uuid>) -> StoreResult<Page<Department, Uuid>> {
        let rows = self.with_conn(|c| {
            departments::table
                .filter(departments::organisation_id.eq(text(organisation_id)))
                .filter(departments::id.gt(after_text(page)))
                .order(departments::id)
                .limit(fetch_limit(page))
                .select(DepartmentRow::as_select())
                .load(c)
        })?;
        id_page(rows, page, DepartmentRow::into_domain, |d| d.id)
    }

    fn update_department(&self, department: &Department, expected_version: i64) -> StoreResult<()> {
        let row = DepartmentRow::from_domain(department);
        self.with_conn_try(|c| versioned_update!(c, departments, &row, expected_version))
    }

    fn team_contact(&self, organisation_id: Uuid) -> StoreResult<Option<TeamContact>> {
        self.with_conn_try(|c| crate::team_contacts::get(c, organisation_id))
    }

    fn put_team_contact(&self, contact: &TeamContact) -> StoreResult<()> {
        self.with_conn_try(|c| crate::team_contacts::put(c, contact))
    }

    fn delete_team_contact(&self, organisation_id: Uuid) -> StoreResult<()> {
        self.with_conn_try(|c| crate::team_contacts::delete(c, organisation_id))
    }
}
