//! Education providers' students.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use uuid::Uuid;
use wex_domain::model::page::{Page, PageRequest};
use wex_domain::model::profile::Profile;
use wex_domain::model::provider::Student;
use wex_domain::ports::{ProviderStore, StoreResult};

use crate::errors::{naive, text, texts, utc, uuid};
use crate::organisations::{after_text, fetch_limit};
use crate::profiles::ProfileRow;
use crate::schema::{applicant_profiles as p, provider_students as s};
use crate::store::{DbStore, Stop};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = s)]
struct StudentRow {
    profile_id: String,
    organisation_id: String,
    course: String,
    created_by: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl StudentRow {
    fn from_domain(x: &Student) -> Self {
        Self {
            profile_id: text(x.profile_id),
            organisation_id: text(x.organisation_id),
            course: x.course.clone(),
            created_by: x.created_by.clone(),
            created_at: naive(x.created_at),
            updated_at: naive(x.updated_at),
        }
    }

    fn into_domain(self) -> StoreResult<Student> {
        Ok(Student {
            profile_id: uuid(&self.profile_id)?,
            organisation_id: uuid(&self.organisation_id)?,
            course: self.course,
            created_by: self.created_by,
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
        })
    }
}

impl ProviderStore for DbStore {
    fn insert_student(&self, profile: &Profile, student: &Student) -> StoreResult<()> {
        let profile = ProfileRow::from_domain(profile)?;
        let student = StudentRow::from_domain(student);
        self.with_conn_try(|c| {
            c.transaction::<(), Stop, _>(|c| {
                crate::profiles::insert(c, &profile)?;
                diesel::insert_into(s::table).values(&student).execute(c)?;
                Ok(())
            })
            .map_err(Stop::into_store)
        })
    }

    fn enrol_student(&self, student: &Student) -> StoreResult<()> {
        let student = StudentRow::from_domain(student);
        self.with_conn(|c| diesel::insert_into(s::table).values(&student).execute(c)).map(|_| ())
    }

    fn student(&self, profile_id: Uuid) -> StoreResult<Student> {
        self.with_conn(|c| s::table.find(text(profile_id)).select(StudentRow::as_select()).first(c))?.into_domain()
    }

    fn students_by_profile_ids(&self, profile_ids: &[Uuid]) -> StoreResult<Vec<Student>> {
        let ids = texts(profile_ids);
        let rows =
            self.with_conn(|c| s::table.filter(s::profile_id.eq_any(ids)).select(StudentRow::as_select()).load(c))?;
        rows.into_iter().map(StudentRow::into_domain).collect()
    }

    fn students_of(
        &self,
        organisation_id: Uuid,
        page: &PageRequest<Uuid>,
    ) -> StoreResult<Page<(Student, Profile), Uuid>> {
        let rows: Vec<(StudentRow, ProfileRow)> = self.with_conn(|c| {
            s::table
                .inner_join(p::table.on(p::id.eq(s::profile_id)))
                .filter(s::organisation_id.eq(text(organisation_id)))
                .filter(s::profile_id.gt(after_text(page)))
                .order(s::profile_id)
                .limit(fetch_limit(page))
                .select((StudentRow::as_select(), ProfileRow::as_select()))
                .load(c)
        })?;
        let items = rows
            .into_iter()
            .map(|(st, pr)| Ok((st.into_domain()?, pr.into_domain()?)))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_rows(items, page.limit, |(st, _)| st.profile_id))
    }

    fn update_student(&self, student: &Student) -> StoreResult<()> {
        let id = text(student.profile_id);
        let (course, updated_at) = (student.course.clone(), naive(student.updated_at));
        let n = self.with_conn(|c| {
            diesel::update(s::table.find(id)).set((s::course.eq(course), s::updated_at.eq(updated_at))).execute(c)
        })?;
        if n == 0 { Err(wex_domain::StoreError::NotFound) } else { Ok(()) }
    }
}
