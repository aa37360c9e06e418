//! Applicant profiles.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use uuid::Uuid;
use wex_domain::model::email::EmailAddress;
use wex_domain::model::postcode::Postcode;
use wex_domain::model::profile::{Consent, ConsentGiver, Profile, ProfileInput, SupportWorker};
use wex_domain::ports::{ProfileStore, StoreResult};

use crate::connection::DbConnection;
use crate::errors::{code, json, naive, text, texts, to_json, utc, uuid};
use crate::reports::counters::{self, Scope};
use crate::reports::recount::recount;
use crate::schema::applicant_profiles as t;
use crate::store::{DbStore, OrStore, Stop, versioned_update};

/// Inserts a profile and counts it into the reports' registrations, in the caller's transaction:
/// every way a profile is made goes through here.
pub(crate) fn insert(c: &mut DbConnection, row: &ProfileRow) -> QueryResult<()> {
    diesel::insert_into(t::table).values(row).execute(c)?;
    counters::add_profiles(c, counters::Profiles::One(&row.id)).map(drop)
}

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = t, treat_none_as_null = true)]
pub(crate) struct ProfileRow {
    id: String,
    subject: Option<String>,
    managed_by: Option<String>,
    preferred_name: Option<String>,
    email: String,
    phone: Option<String>,
    date_of_birth: NaiveDate,
    postcode: Option<String>,
    no_fixed_address: bool,
    user_groups: String,
    care_experienced: Option<bool>,
    adjustments: Option<String>,
    preferred_language: Option<String>,
    support_worker_name: Option<String>,
    support_worker_email: Option<String>,
    support_worker_organisation: Option<String>,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    consent_given_by: Option<String>,
    consent_giver_name: Option<String>,
}

impl ProfileRow {
    pub(crate) fn from_domain(p: &Profile) -> StoreResult<Self> {
        let i = &p.input;
        let worker = i.support_worker.as_ref();
        Ok(Self {
            id: text(p.id),
            subject: p.subject.clone(),
            managed_by: p.managed_by.clone(),
            preferred_name: i.preferred_name.clone(),
            email: i.email.to_string(),
            phone: i.phone.clone(),
            date_of_birth: i.date_of_birth,
            postcode: i.postcode.as_ref().map(ToString::to_string),
            no_fixed_address: i.no_fixed_address,
            user_groups: to_json(&i.user_groups)?,
            care_experienced: i.care_experienced,
            adjustments: i.adjustments.clone(),
            preferred_language: i.preferred_language.clone(),
            support_worker_name: worker.map(|w| w.name.clone()),
            support_worker_email: worker.map(|w| w.email.to_string()),
            support_worker_organisation: worker.and_then(|w| w.organisation.clone()),
            version: p.version,
            created_at: naive(p.created_at),
            updated_at: naive(p.updated_at),
            consent_given_by: p.consent.as_ref().map(|c| c.given_by.code().to_string()),
            consent_giver_name: p.consent.as_ref().and_then(|c| c.giver_name.clone()),
        })
    }

    pub(crate) fn into_domain(self) -> StoreResult<Profile> {
        let support_worker = match (self.support_worker_name, self.support_worker_email) {
            (Some(name), Some(email)) => Some(SupportWorker {
                name,
                email: code("support worker email", &email, EmailAddress::parse)?,
                organisation: self.support_worker_organisation,
            }),
            _ => None,
        };
        let consent = match &self.consent_given_by {
            Some(by) => Some(Consent {
                given_by: code("consent giver", by, ConsentGiver::parse)?,
                giver_name: self.consent_giver_name.clone(),
            }),
            None => None,
        };
        Ok(Profile {
            id: uuid(&self.id)?,
            subject: self.subject,
            managed_by: self.managed_by,
            consent,
            input: ProfileInput {
                preferred_name: self.preferred_name,
                email: code("email", &self.email, EmailAddress::parse)?,
                phone: self.phone,
                date_of_birth: self.date_of_birth,
                postcode: self.postcode.as_deref().map(|p| code("postcode", p, Postcode::parse)).transpose()?,
                no_fixed_address: self.no_fixed_address,
                user_groups: json("user groups", &self.user_groups)?,
                care_experienced: self.care_experienced,
                adjustments: self.adjustments,
                preferred_language: self.preferred_language,
                support_worker,
            },
            version: self.version,
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
        })
    }
}

impl ProfileStore for DbStore {
    fn profile_by_subject(&self, subject: &str) -> StoreResult<Profile> {
        self.with_conn(|c| {
            t::table.filter(t::subject.eq(subject).and(t::erased_at.is_null())).select(ProfileRow::as_select()).first(c)
        })?
        .into_domain()
    }

    fn profile(&self, id: Uuid) -> StoreResult<Profile> {
        self.with_conn(|c| t::table.find(text(id)).select(ProfileRow::as_select()).first(c))?.into_domain()
    }

    fn profiles_by_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<Profile>> {
        // In chunks: SQLite takes at most 32,766 parameters, and a draw asks for every entrant.
        let mut rows = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(crate::bulk::IDS) {
            let ids = texts(chunk);
            rows.extend(
                self.with_conn(|c| t::table.filter(t::id.eq_any(ids)).select(ProfileRow::as_select()).load(c))?,
            );
        }
        rows.into_iter().map(ProfileRow::into_domain).collect()
    }

    fn insert_profile(&self, profile: &Profile) -> StoreResult<()> {
        let row = ProfileRow::from_domain(profile)?;
        self.with_conn(|c| c.transaction(|c| insert(c, &row)))
    }

    fn update_profile(&self, profile: &Profile, expected_version: i64) -> StoreResult<()> {
        let row = ProfileRow::from_domain(profile)?;
        self.with_conn_try(|c| {
            c.transaction::<(), Stop, _>(|c| {
                // Reports count applications not yet drawn by the profile's user groups as they are.
                recount(c, Scope::Profile(&row.id), |c| {
                    let done: StoreResult<()> = versioned_update!(c, t, &row, expected_version);
                    Ok(done?)
                })
            })
            .map_err(Stop::into_store)
        })
    }
}
