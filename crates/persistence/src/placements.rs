//! Placements, their search, and the secret draw seeds.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;
use wex_domain::model::lottery::DrawSeed;
use wex_domain::model::organisation::{Department, Organisation, Site};
use wex_domain::model::page::{Page, PageRequest};
use wex_domain::model::placement::{
    DailyHours, Eligibility, OPEN_NOW, Placement, PlacementContext, PlacementCursor, PlacementDetails, PlacementFilter,
    PlacementRecord,
};
use wex_domain::model::reference::{
    Delivery, PlacementKind, PlacementStatus, PriorityRule, SelectionMethod, Specialty, UserGroup,
};

use wex_domain::ports::{PlacementStore, StoreResult};

use crate::connection::DbConnection;
use crate::errors::{code, corrupt, json, naive, opt_uuid, text, texts, to_json, utc, uuid};
use crate::organisations::{DepartmentRow, OrganisationRow, SiteRow};
use crate::placement_forms::any_of;
use crate::schema::{draw_secrets, organisations, placements as p};
use crate::store::{DbStore, OrStore, Stop, versioned_update};

diesel::define_sql_function! {
    /// Lower case, for case-insensitive search on both backends.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = p, treat_none_as_null = true)]
pub(crate) struct PlacementRow {
    pub(crate) id: String,
    organisation_id: String,
    site_id: Option<String>,
    department_id: Option<String>,
    kind: String,
    delivery: String,
    specialty: String,
    title: String,
    description: String,
    start_date: NaiveDate,
    end_date: NaiveDate,
    daily_start: String,
    daily_end: String,
    capacity: i32,
    min_age: Option<i16>,
    max_age: Option<i16>,
    eligible_user_groups: Option<String>,
    catchment: Option<String>,
    opens_at: NaiveDateTime,
    closes_at: NaiveDateTime,
    outcome_by: NaiveDate,
    selection_method: String,
    priority_rules: String,
    preparation: String,
    status: String,
    draw_commitment: Option<String>,
    cancellation_reason: Option<String>,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    published_at: Option<NaiveDateTime>,
    questions: String,
    offer_response_days: i16,
    requirements: String,
}

fn time_text(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

fn time(text: &str) -> StoreResult<NaiveTime> {
    NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| corrupt("time of day", text))
}

fn age(value: Option<i16>) -> StoreResult<Option<u8>> {
    value.map(|a| u8::try_from(a).map_err(|_| corrupt("age", &a.to_string()))).transpose()
}

impl PlacementRow {
    pub(crate) fn from_domain(pl: &Placement) -> StoreResult<Self> {
        let d = &pl.details;
        let e = &d.eligibility;
        let rules: Vec<String> = d.priority_rules.iter().map(ToString::to_string).collect();
        Ok(Self {
            id: text(pl.id),
            organisation_id: text(pl.organisation_id),
            site_id: d.site_id.map(text),
            department_id: d.department_id.map(text),
            kind: d.kind.code().to_string(),
            delivery: d.delivery.code().to_string(),
            specialty: d.specialty.code().to_string(),
            title: d.title.clone(),
            description: d.description.clone(),
            start_date: d.start_date,
            end_date: d.end_date,
            daily_start: time_text(d.daily_hours.start),
            daily_end: time_text(d.daily_hours.end),
            capacity: d.capacity,
            min_age: e.min_age.map(i16::from),
            max_age: e.max_age.map(i16::from),
            eligible_user_groups: e.user_groups.as_ref().map(to_json).transpose()?,
            catchment: e.catchment.as_ref().map(to_json).transpose()?,
            opens_at: naive(d.opens_at),
            closes_at: naive(d.closes_at),
            outcome_by: d.outcome_by,
            selection_method: d.selection_method.code().to_string(),
            priority_rules: to_json(&rules)?,
            preparation: to_json(&d.preparation)?,
            status: pl.status.code().to_string(),
            draw_commitment: pl.draw_commitment.clone(),
            cancellation_reason: pl.cancellation_reason.clone(),
            version: pl.version,
            created_at: naive(pl.created_at),
            updated_at: naive(pl.updated_at),
            published_at: pl.published_at.map(naive),
            questions: to_json(&d.questions)?,
            offer_response_days: i16::from(d.offer_response_days),
            requirements: to_json(&d.requirements)?,
        })
    }

    pub(crate) fn into_domain(self) -> StoreResult<Placement> {
        let rules: Vec<String> = json("priority rules", &self.priority_rules)?;
        let priority_rules =
            rules.iter().map(|r| code("priority rule", r, PriorityRule::parse)).collect::<StoreResult<_>>()?;
        let user_groups: Option<Vec<UserGroup>> =
            self.eligible_user_groups.as_deref().map(|t| json("eligible user groups", t)).transpose()?;
        Ok(Placement {
            id: uuid(&self.id)?,
            organisation_id: uuid(&self.organisation_id)?,
            details: PlacementDetails {
                kind: code("placement kind", &self.kind, PlacementKind::parse)?,
                delivery: code("delivery", &self.delivery, Delivery::parse)?,
                specialty: code("specialty", &self.specialty, Specialty::parse)?,
                title: self.title,
                description: self.description,
                site_id: opt_uuid(self.site_id.as_deref())?,
                department_id: opt_uuid(self.department_id.as_deref())?,
                start_date: self.start_date,
                end_date: self.end_date,
                daily_hours: DailyHours { start: time(&self.daily_start)?, end: time(&self.daily_end)? },
                capacity: self.capacity,
                eligibility: Eligibility {
                    min_age: age(self.min_age)?,
                    max_age: age(self.max_age)?,
                    user_groups,
                    catchment: self.catchment.as_deref().map(|t| json("catchment", t)).transpose()?,
                },
                opens_at: utc(self.opens_at),
                closes_at: utc(self.closes_at),
                outcome_by: self.outcome_by,
                selection_method: code("selection method", &self.selection_method, SelectionMethod::parse)?,
                priority_rules,
                preparation: json("preparation", &self.preparation)?,
                questions: json("questions", &self.questions)?,
                offer_response_days: u8::try_from(self.offer_response_days)
                    .map_err(|_| corrupt("offer response days", &self.offer_response_days.to_string()))?,
                requirements: json("requirements", &self.requirements)?,
            },
            status: code("placement status", &self.status, PlacementStatus::parse)?,
            draw_commitment: self.draw_commitment,
            cancellation_reason: self.cancellation_reason,
            version: self.version,
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
            published_at: self.published_at.map(utc),
        })
    }
}

/// A LIKE pattern matching `needle` anywhere, with LIKE's wildcards escaped by `\`.
fn contains_pattern(needle: &str) -> String {
    let mut out = String::from("%");
    for ch in needle.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

pub(crate) fn update_row(c: &mut DbConnection, row: &PlacementRow, expected_version: i64) -> StoreResult<()> {
    versioned_update!(c, p, row, expected_version)
}

type Boxed<'a> = p::BoxedQuery<'a, <DbConnection as diesel::Connection>::Backend>;

/// `region_orgs` holds the ids of the organisations in the region filter, if there is one.
fn filtered<'a>(filter: &'a PlacementFilter, now: NaiveDateTime, region_orgs: Option<Vec<String>>) -> Boxed<'a> {
    let mut q = p::table.into_boxed();
    q = q.filter(any_of(&filter.status.stored_forms(), now));
    if filter.open_now {
        q = q.filter(any_of(&[OPEN_NOW], now));
    }
    if let Some(t) = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = contains_pattern(&t.to_lowercase());
        q = q.filter(
            lower(p::title).like(pattern.clone()).escape('\\').or(lower(p::description).like(pattern).escape('\\')),
        );
    }
    if let Some(s) = filter.specialty {
        q = q.filter(p::specialty.eq(s.code()));
    }
    if let Some(k) = filter.kind {
        q = q.filter(p::kind.eq(k.code()));
    }
    if let Some(d) = filter.delivery {
        q = q.filter(p::delivery.eq(d.code()));
    }
    if let Some(ids) = region_orgs {
        q = q.filter(p::organisation_id.eq_any(ids));
    }
    if let Some(org) = filter.organisation_id {
        q = q.filter(p::organisation_id.eq(text(org)));
    }
    if let Some(g) = filter.user_group {
        let pattern = contains_pattern(&format!("\"{}\"", g.code()));
        q = q.filter(p::eligible_user_groups.is_null().or(p::eligible_user_groups.like(pattern).escape('\\')));
    }
    if let Some(a) = filter.age {
        let a = i16::from(a);
        q = q.filter(p::min_age.is_null().or(p::min_age.le(a))).filter(p::max_age.is_null().or(p::max_age.ge(a)));
    }
    if let Some(from) = filter.start_from {
        q = q.filter(p::start_date.ge(from));
    }
    if let Some(to) = filter.start_to {
        q = q.filter(p::start_date.le(to));
    }
    if let Some(d) = &filter.postcode_district {
        let pattern = contains_pattern(&format!("\"{}\"", d.as_str()));
        q = q.filter(p::catchment.is_null().or(p::catchment.like(pattern).escape('\\')));
    }
    q
}

/// The placements with these ids joined to the organisation, site and department each names; the
/// caller chooses the columns. (A macro: the joined query's type is not worth spelling out.)
macro_rules! with_names {
    ($ids:expr) => {{
        use crate::schema::{departments as d, sites as s};
        p::table
            .inner_join(organisations::table)
            .left_join(s::table.on(p::site_id.eq(s::id.nullable())))
            .left_join(d::table.on(p::department_id.eq(d::id.nullable())))
            .filter(p::id.eq_any($ids))
    }};
}

/// What a placement names, as domain values.
fn names(
    organisation: OrganisationRow,
    site: Option<SiteRow>,
    department: Option<DepartmentRow>,
) -> StoreResult<(Organisation, Option<Site>, Option<Department>)> {
    Ok((
        organisation.into_domain()?,
        site.map(SiteRow::into_domain).transpose()?,
        department.map(DepartmentRow::into_domain).transpose()?,
    ))
}

impl PlacementStore for DbStore {
    fn insert_placement(&self, placement: &Placement) -> StoreResult<()> {
        let row = PlacementRow::from_domain(placement)?;
        self.with_conn(|c| diesel::insert_into(p::table).values(&row).execute(c).map(drop))
    }

    fn placement(&self, id: Uuid) -> StoreResult<Placement> {
        self.with_conn(|c| p::table.find(text(id)).select(PlacementRow::as_select()).first(c))?.into_domain()
    }

    fn placement_records(&self, ids: &[Uuid]) -> StoreResult<Vec<PlacementRecord>> {
        let ids = texts(ids);
        let rows = self.with_conn(|c| {
            with_names!(ids)
                .select((
                    PlacementRow::as_select(),
                    OrganisationRow::as_select(),
                    Option::<SiteRow>::as_select(),
                    Option::<DepartmentRow>::as_select(),
                ))
                .load::<(PlacementRow, OrganisationRow, Option<SiteRow>, Option<DepartmentRow>)>(c)
        })?;
        rows.into_iter()
            .map(|(placement, organisation, site, department)| {
                let (organisation, site, department) = names(organisation, site, department)?;
                Ok(PlacementRecord { placement: placement.into_domain()?, organisation, site, department })
            })
            .collect()
    }

    fn placement_contexts(&self, ids: &[Uuid]) -> StoreResult<Vec<PlacementContext>> {
        let ids = texts(ids);
        let rows = self.with_conn(|c| {
            with_names!(ids)
                .select((
                    p::id,
                    OrganisationRow::as_select(),
                    Option::<SiteRow>::as_select(),
                    Option::<DepartmentRow>::as_select(),
                ))
                .load::<(String, OrganisationRow, Option<SiteRow>, Option<DepartmentRow>)>(c)
        })?;
        rows.into_iter()
            .map(|(id, organisation, site, department)| {
                let (organisation, site, department) = names(organisation, site, department)?;
                Ok(PlacementContext { placement_id: uuid(&id)?, organisation, site, department })
            })
            .collect()
    }

    fn update_placement(&self, placement: &Placement, expected_version: i64) -> StoreResult<()> {
        let row = PlacementRow::from_domain(placement)?;
        self.with_conn_try(|c| update_row(c, &row, expected_version))
    }

    fn publish_placement(&self, placement: &Placement, expected_version: i64, seed: &DrawSeed) -> StoreResult<()> {
        let row = PlacementRow::from_domain(placement)?;
        let created_at = naive(placement.updated_at);
        self.with_conn_try(|c| {
            // The update comes first so that SQLite takes its write lock at the start.
            c.transaction(|c| {
                update_row(c, &row, expected_version).map_err(Stop::Store)?;
                diesel::insert_into(draw_secrets::table)
                    .values((
                        draw_secrets::placement_id.eq(&row.id),
                        draw_secrets::seed.eq(seed.to_hex()),
                        draw_secrets::created_at.eq(created_at),
                    ))
                    .execute(c)?;
                Ok(())
            })
            .map_err(Stop::into_store)
        })
    }

    fn search_placements(
        &self,
        filter: &PlacementFilter,
        now: DateTime<Utc>,
        page: &PageRequest<PlacementCursor>,
    ) -> StoreResult<Page<Placement, PlacementCursor>> {
        let now = naive(now);
        let rows = self.with_conn(|c| {
            let region_orgs = match filter.region {
                Some(r) => Some(
                    organisations::table
                        .filter(organisations::region.eq(r.code()))
                        .select(organisations::id)
                        .load(c)?,
                ),
                None => None,
            };
            let mut q = filtered(filter, now, region_orgs);
            if let Some(after) = page.after {
                let at = naive(after.closes_at);
                q = q.filter(p::closes_at.gt(at).or(p::closes_at.eq(at).and(p::id.gt(text(after.id)))));
            }
            q.order((p::closes_at.asc(), p::id.asc()))
                .limit(i64::from(page.limit) + 1)
                .select(PlacementRow::as_select())
                .load(c)
        })?;
        let items = rows.into_iter().map(PlacementRow::into_domain).collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_rows(items, page.limit, PlacementCursor::of))
    }
}
