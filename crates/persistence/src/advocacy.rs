//! Advocate links, managed profiles and supporting information.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use uuid::Uuid;
use wex_domain::model::advocacy::{AdvocateLink, LinkStatus, Relationship, SupportingInformation};
use wex_domain::model::notification::Notification;
use wex_domain::model::page::{Page, PageRequest};
use wex_domain::model::profile::Profile;
use wex_domain::ports::{AdvocacyStore, StoreResult};

use crate::errors::{code, naive, text, texts, utc, uuid};
use crate::organisations::{after_text, fetch_limit, id_page};
use crate::outbox::record_notifications;
use crate::profiles::ProfileRow;
use crate::schema::{advocate_links as l, applicant_profiles as p, supporting_information as s};
use crate::store::{DbStore, OrStore, Stop, versioned_update};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = l, treat_none_as_null = true)]
pub(crate) struct LinkRow {
    id: String,
    profile_id: String,
    advocate_email: Option<String>,
    advocate_subject: Option<String>,
    relationship: String,
    status: String,
    code_hash: String,
    version: i64,
    created_at: NaiveDateTime,
    accepted_at: Option<NaiveDateTime>,
    revoked_at: Option<NaiveDateTime>,
}

impl LinkRow {
    pub(crate) fn from_domain(x: &AdvocateLink) -> Self {
        Self {
            id: text(x.id),
            profile_id: text(x.profile_id),
            advocate_email: x.advocate_email.clone(),
            advocate_subject: x.advocate_subject.clone(),
            relationship: x.relationship.code().to_string(),
            status: x.status.code().to_string(),
            code_hash: x.code_hash.clone(),
            version: x.version,
            created_at: naive(x.created_at),
            accepted_at: x.accepted_at.map(naive),
            revoked_at: x.revoked_at.map(naive),
        }
    }

    pub(crate) fn into_domain(self) -> StoreResult<AdvocateLink> {
        Ok(AdvocateLink {
            id: uuid(&self.id)?,
            profile_id: uuid(&self.profile_id)?,
            advocate_email: self.advocate_email,
            advocate_subject: self.advocate_subject,
            relationship: code("relationship", &self.relationship, Relationship::parse)?,
            status: code("link status", &self.status, LinkStatus::parse)?,
            code_hash: self.code_hash,
            version: self.version,
            created_at: utc(self.created_at),
            accepted_at: self.accepted_at.map(utc),
            revoked_at: self.revoked_at.map(utc),
        })
    }
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = s)]
struct InfoRow {
    id: String,
    application_id: String,
    author_subject: String,
    text: String,
    created_at: NaiveDateTime,
}

const ACTIVE: &str = "active";

impl AdvocacyStore for DbStore {
    fn insert_link(&self, link: &AdvocateLink, notifications: &[Notification]) -> StoreResult<()> {
        let row = LinkRow::from_domain(link);
        self.with_conn(|c| {
            c.transaction(|c| {
                diesel::insert_into(l::table).values(&row).execute(c)?;
                record_notifications(c, notifications)
            })
        })
    }

    fn link(&self, id: Uuid) -> StoreResult<AdvocateLink> {
        self.with_conn(|c| l::table.find(text(id)).select(LinkRow::as_select()).first(c))?.into_domain()
    }

    fn links_of_profile(&self, profile_id: Uuid) -> StoreResult<Vec<AdvocateLink>> {
        let rows = self.with_conn(|c| {
            l::table.filter(l::profile_id.eq(text(profile_id))).order(l::id).select(LinkRow::as_select()).load(c)
        })?;
        rows.into_iter().map(LinkRow::into_domain).collect()
    }

    fn advocate_addresses(&self, profile_ids: &[Uuid]) -> StoreResult<Vec<(Uuid, String)>> {
        // In chunks: SQLite takes at most 32,766 parameters, and a draw asks for every entrant.
        // A profile's links stay in one chunk, in link order.
        let mut rows: Vec<(String, Option<String>)> = Vec::new();
        for chunk in profile_ids.chunks(crate::bulk::IDS) {
            let ids = texts(chunk);
            rows.extend(self.with_conn(|c| {
                l::table
                    .filter(l::profile_id.eq_any(ids))
                    .filter(l::status.eq(ACTIVE))
                    .filter(l::advocate_email.is_not_null())
                    .order(l::id)
                    .select((l::profile_id, l::advocate_email))
                    .load::<(String, Option<String>)>(c)
            })?);
        }
        rows.into_iter().filter_map(|(id, email)| email.map(|e| uuid(&id).map(|id| (id, e)))).collect()
    }

    fn update_link(&self, link: &AdvocateLink, expected_version: i64) -> StoreResult<()> {
        let row = LinkRow::from_domain(link);
        self.with_conn_try(|c| versioned_update!(c, l, &row, expected_version))
    }

    fn has_active_link(&self, profile_id: Uuid, subject: &str) -> StoreResult<bool> {
        let n: i64 = self.with_conn(|c| {
            l::table
                .filter(l::profile_id.eq(text(profile_id)))
                .filter(l::advocate_subject.eq(subject))
                .filter(l::status.eq(ACTIVE))
                .count()
                .get_result(c)
        })?;
        Ok(n > 0)
    }

    fn profiles_advocated_by(&self, subject: &str, page: &PageRequest<Uuid>) -> StoreResult<Page<Profile, Uuid>> {
        let rows = self.with_conn(|c| {
            let linked =
                l::table.filter(l::advocate_subject.eq(subject)).filter(l::status.eq(ACTIVE)).select(l::profile_id);
            let ids: Vec<String> = linked.load(c)?;
            p::table
                .filter(p::id.eq_any(ids))
                .filter(p::id.gt(after_text(page)))
                .order(p::id)
                .limit(fetch_limit(page))
                .select(ProfileRow::as_select())
                .load(c)
        })?;
        id_page(rows, page, ProfileRow::into_domain, |x| x.id)
    }

    fn insert_managed_profile(&self, profile: &Profile, link: &AdvocateLink) -> StoreResult<()> {
        let profile = ProfileRow::from_domain(profile)?;
        let link = LinkRow::from_domain(link);
        self.with_conn_try(|c| {
            c.transaction::<(), Stop, _>(|c| {
                crate::profiles::insert(c, &profile)?;
                diesel::insert_into(l::table).values(&link).execute(c)?;
                Ok(())
            })
            .map_err(Stop::into_store)
        })
    }

    fn insert_supporting_information(&self, info: &SupportingInformation) -> StoreResult<()> {
        let row = InfoRow {
            id: text(info.id),
            application_id: text(info.application_id),
            author_subject: info.author_subject.clone(),
            text: info.text.clone(),
            created_at: naive(info.created_at),
        };
        self.with_conn(|c| diesel::insert_into(s::table).values(&row).execute(c).map(drop))
    }

    fn supporting_information_of(&self, application_id: Uuid) -> StoreResult<Vec<SupportingInformation>> {
        let rows = self.with_conn(|c| {
            s::table
                .filter(s::application_id.eq(text(application_id)))
                .order(s::id)
                .select(InfoRow::as_select())
                .load(c)
        })?;
        rows.into_iter()
            .map(|r| {
                Ok(SupportingInformation {
                    id: uuid(&r.id)?,
                    application_id: uuid(&r.application_id)?,
                    author_subject: r.author_subject,
                    text: r.text,
                    created_at: utc(r.created_at),
                })
            })
            .collect()
    }
}
