//! T-level agreements, hours logs and reviews.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use uuid::Uuid;
use wex_domain::model::t_level::{
    Agreement, Confirmations, HoursEntry, Pattern, QuarterHours, Review, ReviewStage, Terms,
};
use wex_domain::ports::{StoreResult, TLevelStore};

use crate::errors::{code, corrupt, missed_update, naive, text, utc, uuid};
use crate::schema::{t_level_agreements as ag, t_level_hours as th, t_level_reviews as rv};
use crate::store::DbStore;

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = ag, treat_none_as_null = true)]
struct AgreementRow {
    application_id: String,
    placement_id: String,
    profile_id: String,
    objectives: String,
    pattern: String,
    supervisor: String,
    planned_hours: i32,
    start_date: NaiveDate,
    end_date: NaiveDate,
    employer_confirmed_at: Option<NaiveDateTime>,
    provider_confirmed_at: Option<NaiveDateTime>,
    student_confirmed_at: Option<NaiveDateTime>,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl AgreementRow {
    fn from_domain(a: &Agreement) -> StoreResult<Self> {
        Ok(AgreementRow {
            application_id: text(a.application_id),
            placement_id: text(a.placement_id),
            profile_id: text(a.profile_id),
            objectives: a.terms.objectives.clone(),
            pattern: a.terms.pattern.code().to_string(),
            supervisor: a.terms.supervisor.clone(),
            planned_hours: i32::try_from(a.terms.planned_hours).map_err(|_| corrupt("planned hours", "too many"))?,
            start_date: a.terms.start_date,
            end_date: a.terms.end_date,
            employer_confirmed_at: a.confirmations.employer.map(naive),
            provider_confirmed_at: a.confirmations.provider.map(naive),
            student_confirmed_at: a.confirmations.student.map(naive),
            version: a.version,
            created_at: naive(a.created_at),
            updated_at: naive(a.updated_at),
        })
    }

    fn into_domain(self) -> StoreResult<Agreement> {
        Ok(Agreement {
            application_id: uuid(&self.application_id)?,
            placement_id: uuid(&self.placement_id)?,
            profile_id: uuid(&self.profile_id)?,
            terms: Terms {
                objectives: self.objectives,
                pattern: code("T-level pattern", &self.pattern, Pattern::parse)?,
                supervisor: self.supervisor,
                planned_hours: u32::try_from(self.planned_hours)
                    .map_err(|_| corrupt("planned hours", &self.planned_hours.to_string()))?,
                start_date: self.start_date,
                end_date: self.end_date,
            },
            confirmations: Confirmations {
                employer: self.employer_confirmed_at.map(utc),
                provider: self.provider_confirmed_at.map(utc),
                student: self.student_confirmed_at.map(utc),
            },
            version: self.version,
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
        })
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = th)]
struct HoursRow {
    id: String,
    application_id: String,
    profile_id: String,
    day: NaiveDate,
    quarter_hours: i32,
    logged_by: String,
    logged_at: NaiveDateTime,
    version: i64,
}

impl HoursRow {
    fn into_domain(self) -> StoreResult<HoursEntry> {
        Ok(HoursEntry {
            id: uuid(&self.id)?,
            application_id: uuid(&self.application_id)?,
            profile_id: uuid(&self.profile_id)?,
            day: self.day,
            hours: QuarterHours(
                u32::try_from(self.quarter_hours)
                    .map_err(|_| corrupt("quarter hours", &self.quarter_hours.to_string()))?,
            ),
            logged_by: self.logged_by,
            logged_at: utc(self.logged_at),
            version: self.version,
        })
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = rv, treat_none_as_null = true)]
struct ReviewRow {
    id: String,
    application_id: String,
    stage: String,
    on_track: bool,
    comments: String,
    reviewed_by: String,
    reviewed_at: NaiveDateTime,
    reflection: Option<String>,
    reflected_at: Option<NaiveDateTime>,
    version: i64,
}

impl ReviewRow {
    fn from_domain(r: &Review) -> Self {
        ReviewRow {
            id: text(r.id),
            application_id: text(r.application_id),
            stage: r.stage.code().to_string(),
            on_track: r.on_track,
            comments: r.comments.clone(),
            reviewed_by: r.reviewed_by.clone(),
            reviewed_at: naive(r.reviewed_at),
            reflection: r.reflection.clone(),
            reflected_at: r.reflected_at.map(naive),
            version: r.version,
        }
    }

    fn into_domain(self) -> StoreResult<Review> {
        Ok(Review {
            id: uuid(&self.id)?,
            application_id: uuid(&self.application_id)?,
            stage: code("review stage", &self.stage, ReviewStage::parse)?,
            on_track: self.on_track,
            comments: self.comments,
            reviewed_by: self.reviewed_by,
            reviewed_at: utc(self.reviewed_at),
            reflection: self.reflection,
            reflected_at: self.reflected_at.map(utc),
            version: self.version,
        })
    }
}

/// A conditional update's outcome: one row changed, or why not.
fn one_updated(n: usize, exists: impl FnOnce() -> StoreResult<bool>) -> StoreResult<()> {
    if n == 1 { Ok(()) } else { Err(missed_update(exists()?)) }
}

impl TLevelStore for DbStore {
    fn t_level_agreement(&self, application_id: Uuid) -> StoreResult<Option<Agreement>> {
        let row = self.with_conn(|c| {
            ag::table.find(text(application_id)).select(AgreementRow::as_select()).first(c).optional()
        })?;
        row.map(AgreementRow::into_domain).transpose()
    }

    fn t_level_agreements_of_profile(&self, profile_id: Uuid) -> StoreResult<Vec<Agreement>> {
        let rows = self.with_conn(|c| {
            ag::table
                .filter(ag::profile_id.eq(text(profile_id)))
                .order((ag::created_at, ag::application_id))
                .select(AgreementRow::as_select())
                .load(c)
        })?;
        rows.into_iter().map(AgreementRow::into_domain).collect()
    }

    fn insert_t_level_agreement(&self, agreement: &Agreement) -> StoreResult<()> {
        let row = AgreementRow::from_domain(agreement)?;
        self.with_conn(|c| diesel::insert_into(ag::table).values(&row).execute(c).map(drop))
    }

    fn update_t_level_agreement(&self, agreement: &Agreement, expected_version: i64) -> StoreResult<()> {
        let row = AgreementRow::from_domain(agreement)?;
        let n = self.with_conn(|c| {
            diesel::update(ag::table.find(&row.application_id).filter(ag::version.eq(expected_version)))
                .set(&row)
                .execute(c)
        })?;
        one_updated(n, || Ok(self.t_level_agreement(agreement.application_id)?.is_some()))
    }

    fn t_level_hours_of_profile(&self, profile_id: Uuid) -> StoreResult<Vec<HoursEntry>> {
        let rows = self.with_conn(|c| {
            th::table
                .filter(th::profile_id.eq(text(profile_id)))
                .order((th::day, th::id))
                .select(HoursRow::as_select())
                .load(c)
        })?;
        rows.into_iter().map(HoursRow::into_domain).collect()
    }

    fn put_t_level_hours(&self, entry: &HoursEntry, expected_version: Option<i64>) -> StoreResult<()> {
        let row = HoursRow {
            id: text(entry.id),
            application_id: text(entry.application_id),
            profile_id: text(entry.profile_id),
            day: entry.day,
            quarter_hours: i32::try_from(entry.hours.0).map_err(|_| corrupt("quarter hours", "too many"))?,
            logged_by: entry.logged_by.clone(),
            logged_at: naive(entry.logged_at),
            version: entry.version,
        };
        match expected_version {
            None => self.with_conn(|c| diesel::insert_into(th::table).values(&row).execute(c).map(drop)),
            Some(expected) => {
                let n = self.with_conn(|c| {
                    diesel::update(th::table.find(&row.id).filter(th::version.eq(expected))).set(&row).execute(c)
                })?;
                let id = row.id.clone();
                one_updated(n, || Ok(self.with_conn(|c| th::table.find(&id).count().get_result::<i64>(c))? > 0))
            }
        }
    }

    fn t_level_reviews(&self, application_id: Uuid) -> StoreResult<Vec<Review>> {
        let rows = self.with_conn(|c| {
            rv::table.filter(rv::application_id.eq(text(application_id))).select(ReviewRow::as_select()).load(c)
        })?;
        let mut reviews = rows.into_iter().map(ReviewRow::into_domain).collect::<StoreResult<Vec<_>>>()?;
        reviews.sort_by_key(|r| r.stage);
        Ok(reviews)
    }

    fn insert_t_level_review(&self, review: &Review) -> StoreResult<()> {
        let row = ReviewRow::from_domain(review);
        self.with_conn(|c| diesel::insert_into(rv::table).values(&row).execute(c).map(drop))
    }

    fn update_t_level_review(&self, review: &Review, expected_version: i64) -> StoreResult<()> {
        let row = ReviewRow::from_domain(review);
        let n = self.with_conn(|c| {
            diesel::update(rv::table.find(&row.id).filter(rv::version.eq(expected_version))).set(&row).execute(c)
        })?;
        let id = row.id.clone();
        one_updated(n, || Ok(self.with_conn(|c| rv::table.find(&id).count().get_result::<i64>(c))? > 0))
    }
}
