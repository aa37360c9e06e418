//! Hosts, the audit log, certificates and feedback.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;
use wex_domain::StoreError;
use wex_domain::model::application::{Application, ApplicationEvent};
use wex_domain::model::audit::{ActingAs, AuditAction, AuditFilter, AuditRole};
use wex_domain::model::notification::Notification;
use wex_domain::model::page::{Page, PageRequest};
use wex_domain::model::participation::{AuditEntry, Certificate, HostFeedback, ParticipantFeedback};
use wex_domain::model::t_level::QuarterHours;
use wex_domain::ports::{ParticipationStore, StoreResult};

use crate::api_clients::attribution;
use crate::applications::{ApplicationRow, record};
use crate::errors::{corrupt, naive, opt_uuid, text, to_json, utc, uuid};
use crate::organisations::{fetch_limit, id_page};
use crate::schema::{
    audit_log as l, certificates as c, host_feedback as hf, participant_feedback as pf, placement_hosts as h,
};
use crate::store::{DbStore, Stop};

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = l)]
pub(crate) struct AuditRow {
    id: String,
    at: NaiveDateTime,
    actor_subject: String,
    action: String,
    object_type: String,
    object_id: String,
    details: String,
    client_id: Option<String>,
    attribution: Option<String>,
    actor_role: Option<String>,
    actor_organisation_id: Option<String>,
    data_subject: Option<String>,
    about_subject: Option<String>,
    reason: Option<String>,
    request_id: Option<String>,
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = c)]
pub(crate) struct CertificateRow {
    code: String,
    application_id: String,
    placement_id: String,
    initials: String,
    issued_at: NaiveDateTime,
    t_level_quarter_hours: Option<i32>,
}

impl AuditRow {
    pub(crate) fn into_domain(self) -> StoreResult<AuditEntry> {
        let acting_as = match self.actor_role {
            None => None,
            Some(role) => Some(ActingAs {
                role: AuditRole::parse(&role).ok_or_else(|| corrupt("audit role", &role))?,
                organisation_id: opt_uuid(self.actor_organisation_id.as_deref())?,
            }),
        };
        Ok(AuditEntry {
            id: uuid(&self.id)?,
            at: utc(self.at),
            actor_subject: self.actor_subject,
            acting_as,
            action: AuditAction::parse(&self.action).ok_or_else(|| corrupt("audit action", &self.action))?,
            object_type: self.object_type,
            object_id: self.object_id,
            data_subject: opt_uuid(self.data_subject.as_deref())?,
            about_subject: self.about_subject,
            reason: self.reason,
            details: self.details,
            request_id: opt_uuid(self.request_id.as_deref())?,
            attribution: attribution(self.client_id, self.attribution)?,
        })
    }

    /// The entry as stored, stamped with the request and the API client of the store's unit of
    /// work (whatever the entry itself says).
    fn stamped(e: &AuditEntry, store: &DbStore) -> Self {
        AuditRow {
            id: text(e.id),
            at: naive(e.at),
            actor_subject: e.actor_subject.clone(),
            action: e.action.code().to_string(),
            object_type: e.object_type.clone(),
            object_id: e.object_id.clone(),
            details: e.details.clone(),
            client_id: store.attribution().map(|a| text(a.client_id)),
            attribution: store.attribution().map(|a| a.on_behalf_of.clone()),
            actor_role: e.acting_as.map(|a| a.role.code().to_string()),
            actor_organisation_id: e.acting_as.and_then(|a| a.organisation_id).map(text),
            data_subject: e.data_subject.map(text),
            about_subject: e.about_subject.clone(),
            reason: e.reason.clone(),
            request_id: store.request_id().map(text),
        }
    }
}

impl CertificateRow {
    pub(crate) fn into_domain(self) -> StoreResult<Certificate> {
        Ok(Certificate {
            code: self.code,
            application_id: uuid(&self.application_id)?,
            placement_id: uuid(&self.placement_id)?,
            initials: self.initials,
            issued_at: utc(self.issued_at),
            t_level_hours: self
                .t_level_quarter_hours
                .map(|q| u32::try_from(q).map(QuarterHours).map_err(|_| corrupt("quarter hours", &q.to_string())))
                .transpose()?,
        })
    }
}

impl ParticipationStore for DbStore {
    fn add_host(&self, placement_id: Uuid, subject: &str, named_by: &str, now: DateTime<Utc>) -> StoreResult<()> {
        self.with_conn(|conn| {
            diesel::insert_into(h::table)
                .values((
                    h::placement_id.eq(text(placement_id)),
                    h::subject.eq(subject),
                    h::named_by.eq(named_by),
                    h::created_at.eq(naive(now)),
                ))
                .execute(conn)
                .map(drop)
        })
    }

    fn hosts_of(&self, placement_id: Uuid) -> StoreResult<Vec<String>> {
        self.with_conn(|conn| {
            h::table.filter(h::placement_id.eq(text(placement_id))).order(h::subject).select(h::subject).load(conn)
        })
    }

    fn remove_host(&self, placement_id: Uuid, subject: &str) -> StoreResult<()> {
        let n = self.with_conn(|conn| {
            diesel::delete(h::table.filter(h::placement_id.eq(text(placement_id))).filter(h::subject.eq(subject)))
                .execute(conn)
        })?;
        if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    fn is_host(&self, placement_id: Uuid, subject: &str) -> StoreResult<bool> {
        let n: i64 = self.with_conn(|conn| {
            h::table
                .filter(h::placement_id.eq(text(placement_id)))
                .filter(h::subject.eq(subject))
                .count()
                .get_result(conn)
        })?;
        Ok(n > 0)
    }

    fn record_audit(&self, entries: &[AuditEntry]) -> StoreResult<()> {
        let rows: Vec<AuditRow> = entries.iter().map(|e| AuditRow::stamped(e, self)).collect();
        self.with_conn(|conn| {
            conn.transaction(|conn| {
                for row in &rows {
                    diesel::insert_into(l::table).values(row).execute(conn)?;
                }
                Ok(())
            })
        })
    }

    fn audit_entries(&self, filter: &AuditFilter, page: &PageRequest<Uuid>) -> StoreResult<Page<AuditEntry, Uuid>> {
        let rows = self.with_conn(|conn| {
            let mut query = l::table.into_boxed();
            if let Some(profile_id) = filter.data_subject {
                query = query.filter(l::data_subject.eq(text(profile_id)));
            }
            if let Some(actor) = &filter.actor {
                query = query.filter(l::actor_subject.eq(actor.clone()));
            }
            if let Some(action) = filter.action {
                query = query.filter(l::action.eq(action.code()));
            }
            // Ids are UUIDv7 in text: their order is the order entries were written in.
            query = match (filter.newest_first, page.after) {
                (false, after) => query.filter(l::id.gt(after.map(text).unwrap_or_default())).order(l::id),
                (true, Some(after)) => query.filter(l::id.lt(text(after))).order(l::id.desc()),
                (true, None) => query.order(l::id.desc()),
            };
            query.limit(fetch_limit(page)).select(AuditRow::as_select()).load(conn)
        })?;
        id_page(rows, page, AuditRow::into_domain, |e| e.id)
    }

    fn complete_with_certificate(
        &self,
        application: &Application,
        expected_version: i64,
        event: &ApplicationEvent,
        certificate: &Certificate,
        notifications: &[Notification],
    ) -> StoreResult<()> {
        let row = ApplicationRow::from_domain(application)?;
        let cert = CertificateRow {
            code: certificate.code.clone(),
            application_id: text(certificate.application_id),
            placement_id: text(certificate.placement_id),
            initials: certificate.initials.clone(),
            issued_at: naive(certificate.issued_at),
            t_level_quarter_hours: certificate
                .t_level_hours
                .map(|q| i32::try_from(q.0).map_err(|_| corrupt("quarter hours", "too many")))
                .transpose()?,
        };
        self.with_conn_try(|conn| {
            conn.transaction::<(), Stop, _>(|conn| {
                crate::applications::update_row(conn, &row, expected_version)?;
                diesel::insert_into(c::table).values(&cert).execute(conn)?;
                record(conn, event, notifications)?;
                Ok(())
            })
            .map_err(Stop::into_store)
        })
    }

    fn certificate(&self, code: &str) -> StoreResult<Certificate> {
        self.with_conn(|conn| c::table.find(code).select(CertificateRow::as_select()).first(conn))?.into_domain()
    }

    fn insert_participant_feedback(
        &self,
        application_id: Uuid,
        feedback: &ParticipantFeedback,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let agreement: std::collections::BTreeMap<&str, &str> =
            feedback.agreement.iter().map(|(s, a)| (s.code(), a.code())).collect();
        let agreement = to_json(&agreement)?;
        self.with_conn(|conn| {
            diesel::insert_into(pf::table)
                .values((
                    pf::application_id.eq(text(application_id)),
                    pf::more_likely.eq(feedback.more_likely_to_consider.code()),
                    pf::agreement.eq(agreement),
                    pf::comments.eq(&feedback.comments),
                    pf::completed_pre_module.eq(feedback.completed_pre_module),
                    pf::created_at.eq(naive(now)),
                ))
                .execute(conn)
                .map(drop)
        })
    }

    fn insert_host_feedback(
        &self,
        placement_id: Uuid,
        subject: &str,
        feedback: &HostFeedback,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.with_conn(|conn| {
            diesel::insert_into(hf::table)
                .values((
                    hf::placement_id.eq(text(placement_id)),
                    hf::subject.eq(subject),
                    hf::would_host_again.eq(feedback.would_host_again),
                    hf::felt_recognised.eq(feedback.felt_recognised.code()),
                    hf::comments.eq(&feedback.comments),
                    hf::created_at.eq(naive(now)),
                ))
                .execute(conn)
                .map(drop)
        })
    }
}
