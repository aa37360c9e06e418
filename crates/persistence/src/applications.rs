//! Applications and their history.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use uuid::Uuid;
use wex_domain::StoreError;
use wex_domain::model::advocacy::AdvocateLink;
use wex_domain::model::application::{
    Answer, Application, ApplicationEvent, ApplicationStatus, ChangedBy, Stage, Submitter,
};
use wex_domain::model::auth::Role;
use wex_domain::model::notification::Notification;
use wex_domain::model::page::{Page, PageRequest};
use wex_domain::ports::{ApplicationStore, StoreResult};

use crate::bulk::{Change, Value, insert_rows, versioned_update_all};
use crate::connection::DbConnection;
use crate::errors::{code, corrupt, json, naive, text, to_json, utc, uuid};
use crate::organisations::{after_text, fetch_limit, id_page};
use crate::outbox::record_notifications;
use crate::reports::counters::{self, Scope};
use crate::reports::recount::recount;
use crate::schema::{application_events as e, applications as a};
use crate::store::{DbStore, OrStore, Stop, versioned_update};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = a, treat_none_as_null = true)]
pub(crate) struct ApplicationRow {
    pub(crate) id: String,
    placement_id: String,
    profile_id: String,
    status: String,
    ticket: String,
    privacy_notice_version: String,
    submitted_by_subject: String,
    submitted_by_role: String,
    answers: String,
    can_travel: Option<bool>,
    in_catchment: Option<bool>,
    outcome_expected_by: NaiveDate,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    outcome_at: Option<NaiveDateTime>,
    draw_tier: Option<i32>,
    draw_position: Option<i32>,
    meets_criteria: Option<bool>,
    stage_reached: i16,
    applicant_age: i16,
}

impl ApplicationRow {
    pub(crate) fn from_domain(x: &Application) -> StoreResult<Self> {
        Ok(Self {
            id: text(x.id),
            placement_id: text(x.placement_id),
            profile_id: text(x.profile_id),
            status: x.status.code().to_string(),
            ticket: text(x.ticket),
            privacy_notice_version: x.privacy_notice_version.clone(),
            submitted_by_subject: x.submitted_by.subject.clone(),
            submitted_by_role: x.submitted_by.role.code().to_string(),
            answers: to_json(&x.answers)?,
            can_travel: x.can_travel,
            in_catchment: x.in_catchment,
            outcome_expected_by: x.outcome_expected_by,
            version: x.version,
            created_at: naive(x.created_at),
            updated_at: naive(x.updated_at),
            outcome_at: x.outcome_at.map(naive),
            draw_tier: x.draw_tier.map(i32::try_from).transpose().map_err(|_| StoreError::Internal("tier".into()))?,
            draw_position: x
                .draw_position
                .map(i32::try_from)
                .transpose()
                .map_err(|_| StoreError::Internal("position".into()))?,
            meets_criteria: x.meets_criteria,
            stage_reached: x.stage_reached().index() as i16,
            applicant_age: i16::try_from(x.applicant_age).map_err(|_| StoreError::Internal("age".into()))?,
        })
    }

    pub(crate) fn into_domain(self) -> StoreResult<Application> {
        let answers: Vec<Answer> = json("answers", &self.answers)?;
        Ok(Application {
            id: uuid(&self.id)?,
            placement_id: uuid(&self.placement_id)?,
            profile_id: uuid(&self.profile_id)?,
            status: code("application status", &self.status, ApplicationStatus::parse)?,
            ticket: uuid(&self.ticket)?,
            privacy_notice_version: self.privacy_notice_version,
            submitted_by: Submitter {
                subject: self.submitted_by_subject,
                role: code("role", &self.submitted_by_role, Role::parse)?,
            },
            answers,
            can_travel: self.can_travel,
            in_catchment: self.in_catchment,
            outcome_expected_by: self.outcome_expected_by,
            outcome_at: self.outcome_at.map(utc),
            draw_tier: self
                .draw_tier
                .map(|n| u32::try_from(n).map_err(|_| corrupt("tier", &n.to_string())))
                .transpose()?,
            draw_position: self
                .draw_position
                .map(|n| u32::try_from(n).map_err(|_| corrupt("position", &n.to_string())))
                .transpose()?,
            meets_criteria: self.meets_criteria,
            applicant_age: u32::try_from(self.applicant_age)
                .map_err(|_| corrupt("applicant age", &self.applicant_age.to_string()))?,
            stage_recorded: usize::try_from(self.stage_reached)
                .ok()
                .and_then(Stage::from_index)
                .ok_or_else(|| corrupt("stage", &self.stage_reached.to_string()))?,
            version: self.version,
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
        })
    }
}

/// The columns [`update_applications`] writes, in the order of [`ApplicationRow::values`]:
/// every column but the id, as the row-at-a-time update wrote them.
const UPDATED: [&str; 20] = [
    "placement_id",
    "profile_id",
    "status",
    "ticket",
    "privacy_notice_version",
    "submitted_by_subject",
    "submitted_by_role",
    "answers",
    "can_travel",
    "in_catchment",
    "outcome_expected_by",
    "version",
    "created_at",
    "updated_at",
    "outcome_at",
    "draw_tier",
    "draw_position",
    "meets_criteria",
    "stage_reached",
    "applicant_age",
];

impl ApplicationRow {
    fn values(self) -> Vec<Value> {
        vec![
            Value::Text(self.placement_id),
            Value::Text(self.profile_id),
            Value::Text(self.status),
            Value::Text(self.ticket),
            Value::Text(self.privacy_notice_version),
            Value::Text(self.submitted_by_subject),
            Value::Text(self.submitted_by_role),
            Value::Text(self.answers),
            Value::OptBool(self.can_travel),
            Value::OptBool(self.in_catchment),
            Value::Date(self.outcome_expected_by),
            Value::BigInt(self.version),
            Value::Timestamp(self.created_at),
            Value::Timestamp(self.updated_at),
            Value::OptTimestamp(self.outcome_at),
            Value::OptInt(self.draw_tier),
            Value::OptInt(self.draw_position),
            Value::OptBool(self.meets_criteria),
            Value::SmallInt(self.stage_reached),
            Value::SmallInt(self.applicant_age),
        ]
    }
}

/// Writes changed applications, each only if its version is still the one read with it
/// (`VersionConflict` otherwise, and the caller's transaction stores nothing), in a few
/// set-based statements however many there are. Every change of existing applications in bulk
/// goes through here.
pub(crate) fn update_applications(c: &mut DbConnection, changes: &[(Application, i64)]) -> Result<(), Stop> {
    let changes = changes
        .iter()
        .map(|(app, expected)| {
            let row = ApplicationRow::from_domain(app)?;
            Ok(Change { id: row.id.clone(), expected: *expected, values: row.values() })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    versioned_update_all(c, "applications", &UPDATED, changes)
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = e, treat_none_as_default_value = false)]
pub(crate) struct EventRow {
    id: String,
    application_id: String,
    at: NaiveDateTime,
    from_status: Option<String>,
    to_status: String,
    actor_subject: String,
    actor_role: String,
    reason: Option<String>,
}

impl EventRow {
    pub(crate) fn from_domain(x: &ApplicationEvent) -> Self {
        Self {
            id: text(x.id),
            application_id: text(x.application_id),
            at: naive(x.at),
            from_status: x.from.map(|s| s.code().to_string()),
            to_status: x.to.code().to_string(),
            actor_subject: x.actor_subject.clone(),
            actor_role: x.actor_role.code().to_string(),
            reason: x.reason.clone(),
        }
    }

    fn into_domain(self) -> StoreResult<ApplicationEvent> {
        Ok(ApplicationEvent {
            id: uuid(&self.id)?,
            application_id: uuid(&self.application_id)?,
            at: utc(self.at),
            from: self
                .from_status
                .as_deref()
                .map(|s| code("application status", s, ApplicationStatus::parse))
                .transpose()?,
            to: code("application status", &self.to_status, ApplicationStatus::parse)?,
            actor_subject: self.actor_subject,
            actor_role: code("actor", &self.actor_role, ChangedBy::parse)?,
            reason: self.reason,
        })
    }
}

/// Writes an application's new state if it is still at version `expected`, with the report
/// counters moved from what it was to what it is, in the caller's transaction. Every change to an
/// application row goes through here.
pub(crate) fn update_row(c: &mut DbConnection, row: &ApplicationRow, expected: i64) -> Result<(), Stop> {
    recount(c, Scope::Application(&row.id), |c| {
        let done: StoreResult<()> = versioned_update!(c, a, row, expected);
        Ok(done?)
    })
}

pub(crate) fn record(
    c: &mut DbConnection,
    event: &ApplicationEvent,
    notifications: &[Notification],
) -> Result<(), diesel::result::Error> {
    diesel::insert_into(e::table).values(EventRow::from_domain(event)).execute(c)?;
    record_notifications(c, notifications)
}

/// Records many changes' history and messages, in multi-row statements.
pub(crate) fn record_all(
    c: &mut DbConnection,
    events: &[ApplicationEvent],
    notifications: &[Notification],
) -> Result<(), diesel::result::Error> {
    let rows: Vec<EventRow> = events.iter().map(EventRow::from_domain).collect();
    insert_rows!(c, e::table, rows)?;
    record_notifications(c, notifications)
}

impl ApplicationStore for DbStore {
    fn lock_applicant(&self, profile_id: Uuid) -> StoreResult<()> {
        use crate::schema::applicant_profiles as pr;
        self.with_conn(|c| match c {
            DbConnection::Postgres(pg) => {
                pr::table.find(text(profile_id)).select(pr::id).for_update().load::<String>(pg).map(|_| ())
            }
            // The unit of work began with BEGIN IMMEDIATE: no other writer runs until it ends.
            DbConnection::Sqlite(_) => Ok(()),
        })
    }

    fn application_statuses(&self, profile_id: Uuid) -> StoreResult<Vec<(Uuid, ApplicationStatus)>> {
        let rows: Vec<(String, String)> = self.with_conn(|c| {
            a::table.filter(a::profile_id.eq(text(profile_id))).select((a::placement_id, a::status)).load(c)
        })?;
        rows.iter()
            .map(|(placement, status)| {
                Ok((uuid(placement)?, code("application status", status, ApplicationStatus::parse)?))
            })
            .collect()
    }

    fn insert_application(
        &self,
        application: &Application,
        event: &ApplicationEvent,
        notifications: &[Notification],
        link: Option<&AdvocateLink>,
    ) -> StoreResult<()> {
        let row = ApplicationRow::from_domain(application)?;
        let link = link.map(crate::advocacy::LinkRow::from_domain);
        self.with_conn(|c| {
            c.transaction(|c| {
                diesel::insert_into(a::table).values(&row).execute(c)?;
                if let Some(link) = &link {
                    diesel::insert_into(crate::schema::advocate_links::table).values(link).execute(c)?;
                }
                record(c, event, notifications)?;
                // Last, so that the counter rows other applications to the placement also update
                // are held only until the commit.
                counters::add(c, Scope::Application(&row.id)).map(drop)
            })
        })
    }

    fn application(&self, id: Uuid) -> StoreResult<Application> {
        self.with_conn(|c| a::table.find(text(id)).select(ApplicationRow::as_select()).first(c))?.into_domain()
    }

    fn applications_of_profile(
        &self,
        profile_id: Uuid,
        page: &PageRequest<Uuid>,
    ) -> StoreResult<Page<Application, Uuid>> {
        let rows = self.with_conn(|c| {
            a::table
                .filter(a::profile_id.eq(text(profile_id)))
                .filter(a::id.gt(after_text(page)))
                .order(a::id)
                .limit(fetch_limit(page))
                .select(ApplicationRow::as_select())
                .load(c)
        })?;
        id_page(rows, page, ApplicationRow::into_domain, |x| x.id)
    }

    fn applications_for_placement(
        &self,
        placement_id: Uuid,
        page: &PageRequest<Uuid>,
    ) -> StoreResult<Page<Application, Uuid>> {
        let rows = self.with_conn(|c| {
            a::table
                .filter(a::placement_id.eq(text(placement_id)))
                .filter(a::id.gt(after_text(page)))
                .order(a::id)
                .limit(fetch_limit(page))
                .select(ApplicationRow::as_select())
                .load(c)
        })?;
        id_page(rows, page, ApplicationRow::into_domain, |x| x.id)
    }

    fn application_counts(&self, placement_id: Uuid) -> StoreResult<Vec<(ApplicationStatus, i64)>> {
        let rows: Vec<(String, i64)> = self.with_conn(|c| {
            a::table
                .filter(a::placement_id.eq(text(placement_id)))
                .group_by(a::status)
                .select((a::status, diesel::dsl::count_star()))
                .load(c)
        })?;
        rows.iter().map(|(s, count)| Ok((code("application status", s, ApplicationStatus::parse)?, *count))).collect()
    }

    fn events_of(&self, application_id: Uuid) -> StoreResult<Vec<ApplicationEvent>> {
        let rows = self.with_conn(|c| {
            e::table
                .filter(e::application_id.eq(text(application_id)))
                .order(e::id)
                .select(EventRow::as_select())
                .load(c)
        })?;
        rows.into_iter().map(EventRow::into_domain).collect()
    }

    fn transition_application(
        &self,
        application: &Application,
        expected_version: i64,
        event: &ApplicationEvent,
        notifications: &[Notification],
    ) -> StoreResult<()> {
        let row = ApplicationRow::from_domain(application)?;
        self.with_conn_try(|c| {
            c.transaction::<(), Stop, _>(|c| {
                update_row(c, &row, expected_version)?;
                record(c, event, notifications)?;
                Ok(())
            })
            .map_err(Stop::into_store)
        })
    }
}
