//! The rows about one person that only the subject access export lists.

use std::collections::BTreeMap;

use diesel::prelude::*;
use uuid::Uuid;
use wex_domain::model::advocacy::AdvocateLink;
use wex_domain::model::notification::Notification;
use wex_domain::model::participation::{
    Agreement, AuditEntry, Certificate, Likelihood, ParticipantFeedback, Statement,
};
use wex_domain::ports::{FrozenCharacteristics, GivenFeedback, StoreResult, SubjectAccessStore};

use crate::advocacy::LinkRow;
use crate::errors::{code, json, text, utc, uuid};
use crate::outbox::NotificationRow;
use crate::participation::{AuditRow, CertificateRow};
use crate::schema::{
    advocate_links as l, audit_log as a, certificates as c, notifications as n, participant_feedback as f,
    report_answers as ra, report_characteristics as rc,
};
use crate::store::DbStore;

fn texts(ids: &[Uuid]) -> Vec<String> {
    ids.iter().copied().map(text).collect()
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = f)]
struct FeedbackRow {
    application_id: String,
    more_likely: String,
    agreement: String,
    comments: Option<String>,
    completed_pre_module: Option<bool>,
    created_at: chrono::NaiveDateTime,
}

impl FeedbackRow {
    fn into_domain(self) -> StoreResult<GivenFeedback> {
        let stored: BTreeMap<String, String> = json("feedback agreement", &self.agreement)?;
        let mut agreement = BTreeMap::new();
        for (statement, answer) in stored {
            agreement.insert(
                code("feedback statement", &statement, Statement::parse)?,
                code("feedback agreement", &answer, Agreement::parse)?,
            );
        }
        Ok(GivenFeedback {
            application_id: uuid(&self.application_id)?,
            feedback: ParticipantFeedback {
                more_likely_to_consider: code("feedback likelihood", &self.more_likely, Likelihood::parse)?,
                agreement,
                comments: self.comments,
                completed_pre_module: self.completed_pre_module,
            },
            given_at: utc(self.created_at),
        })
    }
}

impl SubjectAccessStore for DbStore {
    fn messages_about(&self, profile_id: Uuid, application_ids: &[Uuid]) -> StoreResult<Vec<Notification>> {
        let rows = self.with_conn(|conn| {
            n::table
                .filter(n::profile_id.eq(text(profile_id)).or(n::application_id.eq_any(texts(application_ids))))
                .order(n::id)
                .select(NotificationRow::as_select())
                .load(conn)
        })?;
        rows.into_iter().map(NotificationRow::into_domain).collect()
    }

    fn certificates_of(&self, application_ids: &[Uuid]) -> StoreResult<Vec<Certificate>> {
        let rows = self.with_conn(|conn| {
            c::table
                .filter(c::application_id.eq_any(texts(application_ids)))
                .order(c::issued_at)
                .select(CertificateRow::as_select())
                .load(conn)
        })?;
        rows.into_iter().map(CertificateRow::into_domain).collect()
    }

    fn feedback_on(&self, application_ids: &[Uuid]) -> StoreResult<Vec<GivenFeedback>> {
        let rows = self.with_conn(|conn| {
            f::table
                .filter(f::application_id.eq_any(texts(application_ids)))
                .order(f::created_at)
                .select(FeedbackRow::as_select())
                .load(conn)
        })?;
        rows.into_iter().map(FeedbackRow::into_domain).collect()
    }

    fn audit_entries_about(&self, object_ids: &[Uuid]) -> StoreResult<Vec<AuditEntry>> {
        let rows = self.with_conn(|conn| {
            // Entries name the person (`data_subject`), and older ones only the object they read.
            let profile_ids: Vec<Option<String>> = texts(object_ids).into_iter().map(Some).collect();
            a::table
                .filter(a::object_id.eq_any(texts(object_ids)).or(a::data_subject.eq_any(profile_ids)))
                .order(a::id)
                .select(AuditRow::as_select())
                .load(conn)
        })?;
        rows.into_iter().map(AuditRow::into_domain).collect()
    }

    fn characteristics_at_draw(&self, application_ids: &[Uuid]) -> StoreResult<Vec<FrozenCharacteristics>> {
        type Frozen = (String, String, Option<bool>, chrono::NaiveDateTime);
        let (rows, answers): (Vec<Frozen>, Vec<(String, String, String)>) = self.with_conn(|conn| {
            let ids = texts(application_ids);
            let rows = rc::table
                .filter(rc::application_id.eq_any(&ids))
                .order(rc::application_id)
                .select((rc::application_id, rc::user_groups, rc::care_experienced, rc::frozen_at))
                .load(conn)?;
            let answers = ra::table
                .filter(ra::application_id.eq_any(&ids))
                .select((ra::application_id, ra::question, ra::answer))
                .load(conn)?;
            Ok((rows, answers))
        })?;
        let mut by_application: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for (id, question, answer) in answers {
            by_application.entry(id).or_default().insert(question, answer);
        }
        rows.into_iter()
            .map(|(id, user_groups, care_experienced, frozen_at)| {
                Ok(FrozenCharacteristics {
                    application_id: uuid(&id)?,
                    user_groups: json("frozen user groups", &user_groups)?,
                    care_experienced,
                    answers: Some(by_application.remove(&id).unwrap_or_default()),
                    frozen_at: utc(frozen_at),
                })
            })
            .collect()
    }

    fn links_of_advocate(&self, subject: &str) -> StoreResult<Vec<AdvocateLink>> {
        let rows = self.with_conn(|conn| {
            l::table.filter(l::advocate_subject.eq(subject)).order(l::id).select(LinkRow::as_select()).load(conn)
        })?;
        rows.into_iter().map(LinkRow::into_domain).collect()
    }
}
