//! The sandbox's test-data batches: the record of each, and deleting what a batch made with
//! everything that depends on it (see [`TestDataStore`]).

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;
use wex_domain::StoreError;
use wex_domain::model::test_data::{DeletedCounts, TestBatch};
use wex_domain::ports::{StoreResult, TestDataStore};

use crate::connection::DbConnection;
use crate::errors::{naive, store_error, text, utc, uuid};
use crate::reports::counters::{self, Scope};
use crate::schema::{test_data_batches as b, test_data_items as i};
use crate::store::DbStore;

const ORGANISATION: &str = "organisation";
const PROFILE: &str = "profile";

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = b)]
struct BatchRow {
    id: String,
    seed: i64,
    created_by: String,
    created_at: NaiveDateTime,
    deleted_at: Option<NaiveDateTime>,
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = i)]
struct ItemRow {
    batch_id: String,
    entity: String,
    entity_id: String,
}

/// The rows a batch's deletion removes, as subqueries over the batches being deleted. Each builds
/// on the ones before; the statements below run in an order that never breaks a foreign key.
struct Sets {
    orgs: String,
    profiles: String,
    placements: String,
    apps: String,
}

impl Sets {
    /// `ids` are UUIDs, formatted by `text` (hex digits and hyphens only), so
    /// writing them into the SQL cannot inject anything; binding them would need each statement to
    /// repeat its binds once per subquery.
    fn new(ids: &[Uuid]) -> Sets {
        let list = ids.iter().map(|id| format!("'{}'", text(*id))).collect::<Vec<_>>().join(", ");
        let items = |entity| {
            format!("SELECT entity_id FROM test_data_items WHERE entity = '{entity}' AND batch_id IN ({list})")
        };
        let orgs = items(ORGANISATION);
        let profiles = items(PROFILE);
        let placements = format!("SELECT id FROM placements WHERE organisation_id IN ({orgs})");
        let apps =
            format!("SELECT id FROM applications WHERE placement_id IN ({placements}) OR profile_id IN ({profiles})");
        Sets { orgs, profiles, placements, apps }
    }

    fn in_org(&self, table: &str) -> String {
        format!("SELECT id FROM {table} WHERE organisation_id IN ({})", self.orgs)
    }

    fn notifications(&self) -> String {
        format!(
            "SELECT id FROM notifications WHERE application_id IN ({}) OR profile_id IN ({})",
            self.apps, self.profiles
        )
    }

    fn offers(&self) -> String {
        format!(
            "SELECT id FROM offers WHERE application_id IN ({}) OR placement_id IN ({})",
            self.apps, self.placements
        )
    }

    fn endpoints(&self) -> String {
        self.in_org("webhook_endpoints")
    }

    /// Every event about something deleted: by the placement or application it concerns, or by
    /// the object itself (an organisation, site, grant, profile, message, webhook...).
    fn events(&self) -> String {
        let (orgs, profiles, placements, apps) = (&self.orgs, &self.profiles, &self.placements, &self.apps);
        let objects = [
            orgs.clone(),
            profiles.clone(),
            apps.clone(),
            self.in_org("sites"),
            self.in_org("departments"),
            self.in_org("memberships"),
            self.offers(),
            self.notifications(),
            self.endpoints(),
            self.in_org("api_clients"),
            format!("SELECT id FROM webhook_deliveries WHERE endpoint_id IN ({})", self.endpoints()),
            format!("SELECT id FROM advocate_links WHERE profile_id IN ({profiles})"),
            format!("SELECT id FROM supporting_information WHERE application_id IN ({apps})"),
        ];
        let by_object: Vec<String> = objects.iter().map(|set| format!("entity_id IN ({set})")).collect();
        format!(
            "DELETE FROM events WHERE placement_id IN ({placements}) OR application_id IN ({apps}) OR {}",
            by_object.join(" OR ")
        )
    }

    /// The statements, children before parents, each with whether its row count is one to report
    /// (and as what).
    fn statements(&self) -> Vec<(Option<Counted>, String)> {
        let (orgs, profiles, placements, apps) = (&self.orgs, &self.profiles, &self.placements, &self.apps);
        let by_org = |table: &str| format!("DELETE FROM {table} WHERE organisation_id IN ({orgs})");
        let by_placement = |table: &str| format!("DELETE FROM {table} WHERE placement_id IN ({placements})");
        let by_app = |table: &str| format!("DELETE FROM {table} WHERE application_id IN ({apps})");
        let by_profile = |table: &str| format!("DELETE FROM {table} WHERE profile_id IN ({profiles})");
        let mut out = vec![
            (None, self.events()),
            (None, format!("DELETE FROM webhook_deliveries WHERE endpoint_id IN ({})", self.endpoints())),
            (None, by_org("webhook_endpoints")),
            (None, format!("DELETE FROM delivery_attempts WHERE notification_id IN ({})", self.notifications())),
            (None, format!("DELETE FROM notifications WHERE application_id IN ({apps}) OR profile_id IN ({profiles})")),
            (
                None,
                format!(
                    "DELETE FROM reminders WHERE subject_id IN ({apps}) OR subject_id IN ({}) OR subject_id IN ({placements})",
                    self.offers()
                ),
            ),
            (
                None,
                format!(
                    "DELETE FROM audit_log WHERE object_id IN ({apps}) OR object_id IN ({placements}) OR object_id IN ({profiles})"
                ),
            ),
            (None, by_placement("host_feedback")),
            (None, by_app("participant_feedback")),
            (None, by_app("readiness_items")),
            (None, format!("{} OR placement_id IN ({placements})", by_app("certificates"))),
            (None, by_placement("placement_hosts")),
            (None, format!("{} OR placement_id IN ({placements})", by_app("offers"))),
            (None, format!("{} OR application_id IN ({apps})", by_placement("draw_entries"))),
            (None, by_placement("draws")),
            (None, by_app("supporting_information")),
            (None, by_app("application_events")),
            (None, by_app("report_answers")),
            (None, by_app("report_characteristics")),
            (
                Some(Counted::Applications),
                format!("DELETE FROM applications WHERE placement_id IN ({placements}) OR profile_id IN ({profiles})"),
            ),
            (None, by_profile("advocate_links")),
        ];
        out.extend(crate::equality::TABLES.iter().map(|t| (None, by_profile(t))));
        out.extend([
            (Some(Counted::Applicants), format!("DELETE FROM applicant_profiles WHERE id IN ({profiles})")),
            (None, by_placement("draw_secrets")),
            (Some(Counted::Placements), by_org("placements")),
            (None, by_org("departments")),
            (None, by_org("sites")),
            (None, by_org("team_contacts")),
            (None, format!("DELETE FROM client_assertions WHERE client_id IN ({})", self.in_org("api_clients"))),
            (None, by_org("api_clients")),
            (None, by_org("memberships")),
            (Some(Counted::Organisations), format!("DELETE FROM organisations WHERE id IN ({orgs})")),
        ]);
        out
    }

    /// PostgreSQL only: locks the rows others may add children to while the deletes run (a
    /// delivery worker recording an attempt on a message, someone applying to a placement), so
    /// that such a child waits for this transaction instead of slipping in between deleting the
    /// children and deleting the parent. SQLite's write transaction already excludes every writer.
    fn locks(&self) -> Vec<String> {
        let (orgs, profiles, apps) = (&self.orgs, &self.profiles, &self.apps);
        [
            format!("SELECT id FROM organisations WHERE id IN ({orgs})"),
            self.in_org("placements"),
            self.endpoints(),
            format!("SELECT id FROM applicant_profiles WHERE id IN ({profiles})"),
            apps.clone(),
            self.notifications(),
        ]
        .into_iter()
        .map(|select| format!("{select} FOR UPDATE"))
        .collect()
    }
}

#[derive(Clone, Copy)]
enum Counted {
    Organisations,
    Placements,
    Applicants,
    Applications,
}

fn delete(c: &mut DbConnection, ids: &[Uuid], now: DateTime<Utc>) -> QueryResult<DeletedCounts> {
    let sets = Sets::new(ids);
    if let DbConnection::Postgres(pg) = c {
        for lock in sets.locks() {
            diesel::sql_query(lock).execute(pg)?;
        }
    }
    // Out of the report counters first, while their frozen characteristics are still there.
    let theirs = format!("a.placement_id IN ({}) OR a.profile_id IN ({})", sets.placements, sets.profiles);
    let applicants = counters::applicants_of(c, Scope::Matching(&theirs))?;
    counters::remove_profiles(c, counters::Profiles::Matching(&format!("pr.id IN ({})", sets.profiles)))?;
    counters::remove(c, Scope::Matching(&theirs))?;
    let mut counts = DeletedCounts::default();
    for (counted, sql) in sets.statements() {
        let n = diesel::sql_query(sql).execute(c)? as u64;
        match counted {
            Some(Counted::Organisations) => counts.organisations = n,
            Some(Counted::Placements) => counts.placements = n,
            Some(Counted::Applicants) => counts.applicants = n,
            Some(Counted::Applications) => counts.applications = n,
            None => {}
        }
    }
    counters::forget_applicants_without_applications(c, &applicants)?;
    let texts: Vec<String> = ids.iter().map(|id| text(*id)).collect();
    diesel::delete(i::table.filter(i::batch_id.eq_any(&texts))).execute(c)?;
    counts.batches = diesel::update(b::table.filter(b::id.eq_any(&texts)).filter(b::deleted_at.is_null()))
        .set(b::deleted_at.eq(naive(now)))
        .execute(c)? as u64;
    Ok(counts)
}

impl TestDataStore for DbStore {
    fn insert_test_batch(&self, batch: &TestBatch) -> StoreResult<()> {
        let seed = i64::try_from(batch.seed).map_err(|_| StoreError::Internal("a test data seed over i64".into()))?;
        let row = BatchRow {
            id: text(batch.id),
            seed,
            created_by: batch.created_by.clone(),
            created_at: naive(batch.created_at),
            deleted_at: batch.deleted_at.map(naive),
        };
        let items: Vec<ItemRow> = [(ORGANISATION, &batch.organisation_ids), (PROFILE, &batch.profile_ids)]
            .into_iter()
            .flat_map(|(entity, ids)| {
                ids.iter().map(move |id| ItemRow {
                    batch_id: text(batch.id),
                    entity: entity.to_string(),
                    entity_id: text(*id),
                })
            })
            .collect();
        self.with_conn(|c| {
            c.transaction(|c| {
                diesel::insert_into(b::table).values(&row).execute(c)?;
                // One statement per row: batch inserts do not compile on the two-backend connection,
                // and a batch records at most a few thousand.
                items.iter().try_for_each(|row| diesel::insert_into(i::table).values(row).execute(c).map(drop))
            })
        })
    }

    fn test_batch(&self, id: Uuid) -> StoreResult<TestBatch> {
        self.with_conn_try(|c| {
            let row: BatchRow = b::table.find(text(id)).select(BatchRow::as_select()).first(c).map_err(store_error)?;
            let items: Vec<ItemRow> =
                i::table.filter(i::batch_id.eq(&row.id)).select(ItemRow::as_select()).load(c).map_err(store_error)?;
            let ids = |entity: &str| -> StoreResult<Vec<Uuid>> {
                items.iter().filter(|r| r.entity == entity).map(|r| uuid(&r.entity_id)).collect()
            };
            Ok(TestBatch {
                id: uuid(&row.id)?,
                seed: u64::try_from(row.seed).map_err(|_| StoreError::Internal("a negative test data seed".into()))?,
                created_by: row.created_by,
                created_at: utc(row.created_at),
                organisation_ids: ids(ORGANISATION)?,
                profile_ids: ids(PROFILE)?,
                deleted_at: row.deleted_at.map(utc),
            })
        })
    }

    fn live_test_batches(&self) -> StoreResult<Vec<Uuid>> {
        let rows: Vec<String> =
            self.with_conn(|c| b::table.filter(b::deleted_at.is_null()).select(b::id).order(b::id).load(c))?;
        rows.iter().map(|id| uuid(id)).collect()
    }

    fn delete_test_batches(&self, ids: &[Uuid], now: DateTime<Utc>) -> StoreResult<DeletedCounts> {
        self.with_conn(|c| c.transaction(|c| delete(c, ids, now)))
    }
}
