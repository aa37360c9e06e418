//! Retention's purges: each one statement, `UPDATE ... WHERE key IN (SELECT key ... LIMIT n)` (or a
//! `DELETE` of that form), the same on both backends. The domain says what has expired; this only
//! finds the rows, skipping those already purged, so that running a purge again changes nothing.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Text, Timestamp};
use uuid::Uuid;
use wex_domain::model::profile::Profile;
use wex_domain::ports::{Purge, REMOVED, RetentionStore, StoreResult};

use crate::connection::DbConnection;
use crate::errors::{naive, text, texts, utc};
use crate::profiles::ProfileRow;
use crate::schema::applicant_profiles as pr;
use crate::store::DbStore;

diesel::define_sql_function! {
    /// The first of the two that is not null.
    fn coalesce(x: Nullable<Timestamp>, y: Timestamp) -> Timestamp;
}

/// The answers of an application whose answers are purged: none.
const NO_ANSWERS: &str = "[]";

/// The applications to placements that ended before the bound date.
const EXPIRED_APPLICATIONS: &str =
    "SELECT a.id FROM applications a JOIN placements p ON p.id = a.placement_id WHERE p.end_date < ?";

/// `?` placeholders as PostgreSQL numbers them (`$1`, `$2`...). The statements here hold no `?`
/// inside a literal.
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = 0;
    for ch in sql.chars() {
        if ch == '?' {
            n += 1;
            out.push_str(&format!("${n}"));
        } else {
            out.push(ch);
        }
    }
    out
}

/// Runs one statement with its parameters, in order, on either backend.
macro_rules! execute {
    ($c:expr, $sql:expr $(, $ty:ty => $value:expr)* $(,)?) => {{
        let sql: String = $sql;
        match $c {
            DbConnection::Sqlite(c) => diesel::sql_query(sql)$(.bind::<$ty, _>($value))*.execute(c),
            DbConnection::Postgres(c) => diesel::sql_query(numbered(&sql))$(.bind::<$ty, _>($value))*.execute(c),
        }
    }};
}

/// Overwrites who the messages `due` selects (a subselect of ids, its parameters after the
/// marker's) went to and what they said; their ids, templates, statuses and times stay.
fn scrub_messages(due: &str) -> String {
    format!(
        "UPDATE notifications SET recipient = ?, subject = ?, body = ?, failure = NULL WHERE id IN ({due} \
         AND n.recipient <> ? ORDER BY n.id LIMIT ?)"
    )
}

/// Readiness rows still holding details.
const READINESS_HELD: &str =
    "(person_name IS NOT NULL OR relationship IS NOT NULL OR phone IS NOT NULL OR override_reason IS NOT NULL)";

fn purge(c: &mut DbConnection, what: Purge, limit: i64) -> QueryResult<usize> {
    match what {
        Purge::ApplicationAnswers(before) => execute!(
            c,
            "UPDATE applications SET answers = ? WHERE id IN (SELECT a.id FROM applications a \
             JOIN placements p ON p.id = a.placement_id WHERE p.end_date < ? AND a.answers <> ? ORDER BY a.id LIMIT ?)"
                .to_string(),
            Text => NO_ANSWERS, Date => before, Text => NO_ANSWERS, BigInt => limit,
        ),
        Purge::SupportingInformation(before) => execute!(
            c,
            format!(
                "UPDATE supporting_information SET text = ? WHERE id IN (SELECT s.id FROM supporting_information s \
                 WHERE s.application_id IN ({EXPIRED_APPLICATIONS}) AND s.text <> ? ORDER BY s.id LIMIT ?)"
            ),
            Text => REMOVED, Date => before, Text => REMOVED, BigInt => limit,
        ),
        Purge::HistoryReasons(before) => execute!(
            c,
            format!(
                "UPDATE application_events SET reason = NULL WHERE id IN (SELECT e.id FROM application_events e \
                 WHERE e.application_id IN ({EXPIRED_APPLICATIONS}) AND e.reason IS NOT NULL ORDER BY e.id LIMIT ?)"
            ),
            Date => before, BigInt => limit,
        ),
        Purge::FeedbackComments(before) => execute!(
            c,
            format!(
                "UPDATE participant_feedback SET comments = NULL WHERE application_id IN (SELECT f.application_id \
                 FROM participant_feedback f WHERE f.application_id IN ({EXPIRED_APPLICATIONS}) \
                 AND f.comments IS NOT NULL ORDER BY f.application_id LIMIT ?)"
            ),
            Date => before, BigInt => limit,
        ),
        // Keyed by (application, item): a batch takes up to `limit` applications, each with its
        // few items. The items stay done; who the contact or consent-giver was goes.
        Purge::ReadinessDetails(before) => execute!(
            c,
            format!(
                "UPDATE readiness_items SET person_name = NULL, relationship = NULL, phone = NULL, override_reason = NULL \
                 WHERE {READINESS_HELD} AND application_id IN (SELECT r.application_id FROM readiness_items r \
                 WHERE r.application_id IN ({EXPIRED_APPLICATIONS}) AND (r.person_name IS NOT NULL OR r.relationship IS NOT NULL \
                 OR r.phone IS NOT NULL OR r.override_reason IS NOT NULL) ORDER BY r.application_id LIMIT ?)"
            ),
            Date => before, BigInt => limit,
        ),
        // Keyed by (placement, host): a batch takes up to `limit` placements, each with the
        // comments of its few hosts.
        Purge::HostComments(before) => execute!(
            c,
            "UPDATE host_feedback SET comments = NULL WHERE comments IS NOT NULL AND placement_id IN \
             (SELECT h.placement_id FROM host_feedback h JOIN placements p ON p.id = h.placement_id \
             WHERE p.end_date < ? AND h.comments IS NOT NULL ORDER BY h.placement_id LIMIT ?)"
                .to_string(),
            Date => before, BigInt => limit,
        ),
        Purge::TLevelReviews(before) => execute!(
            c,
            format!(
                "UPDATE t_level_reviews SET comments = ?, reflection = CASE WHEN reflection IS NULL THEN NULL ELSE ? END \
                 WHERE id IN (SELECT r.id FROM t_level_reviews r WHERE r.application_id IN ({EXPIRED_APPLICATIONS}) \
                 AND r.comments <> ? ORDER BY r.id LIMIT ?)"
            ),
            Text => REMOVED, Text => REMOVED, Date => before, Text => REMOVED, BigInt => limit,
        ),
        Purge::TLevelObjectives(before) => execute!(
            c,
            format!(
                "UPDATE t_level_agreements SET objectives = ? WHERE application_id IN (SELECT g.application_id \
                 FROM t_level_agreements g WHERE g.application_id IN ({EXPIRED_APPLICATIONS}) \
                 AND g.objectives <> ? ORDER BY g.application_id LIMIT ?)"
            ),
            Text => REMOVED, Date => before, Text => REMOVED, BigInt => limit,
        ),
        // Only settled messages: one still waiting to be sent keeps where it goes.
        Purge::ApplicationMessages(before) => execute!(
            c,
            scrub_messages(&format!(
                "SELECT n.id FROM notifications n WHERE n.settled_at IS NOT NULL \
                 AND n.application_id IN ({EXPIRED_APPLICATIONS})"
            )),
            Text => REMOVED, Text => REMOVED, Text => REMOVED, Date => before, Text => REMOVED, BigInt => limit,
        ),
        Purge::SettledMessages(before) => execute!(
            c,
            scrub_messages("SELECT n.id FROM notifications n WHERE n.settled_at < ?"),
            Text => REMOVED, Text => REMOVED, Text => REMOVED, Timestamp => naive(before), Text => REMOVED,
            BigInt => limit,
        ),
        // Keyed by (message, attempt number): a batch takes up to `limit` messages, each with its
        // few attempts.
        Purge::DeliveryDetails(before) => execute!(
            c,
            "UPDATE delivery_attempts SET detail = NULL WHERE detail IS NOT NULL AND notification_id IN \
             (SELECT d.notification_id FROM delivery_attempts d JOIN notifications n ON n.id = d.notification_id \
             WHERE n.settled_at < ? AND d.detail IS NOT NULL ORDER BY d.notification_id LIMIT ?)"
                .to_string(),
            Timestamp => naive(before), BigInt => limit,
        ),
        Purge::AuditEntries(before) => execute!(
            c,
            "DELETE FROM audit_log WHERE id IN (SELECT l.id FROM audit_log l WHERE l.at < ? ORDER BY l.id LIMIT ?)"
                .to_string(),
            Timestamp => naive(before), BigInt => limit,
        ),
    }
}

impl RetentionStore for DbStore {
    fn purge(&self, what: Purge, limit: u32) -> StoreResult<u64> {
        let changed = self.with_conn(|c| purge(c, what, i64::from(limit)))?;
        Ok(u64::try_from(changed).unwrap_or(u64::MAX))
    }

    fn accounts_to_warn(&self, inactive_since: DateTime<Utc>, limit: u32) -> StoreResult<Vec<Profile>> {
        let rows = self.with_conn(|c| {
            let last = coalesce(pr::last_active_at, pr::created_at);
            pr::table
                .filter(pr::subject.is_not_null())
                .filter(pr::managed_by.is_null())
                .filter(pr::erased_at.is_null())
                .filter(last.lt(naive(inactive_since)))
                .filter(pr::inactivity_warned_at.is_null().or(pr::inactivity_warned_at.lt(last.nullable())))
                .order(pr::id)
                .limit(i64::from(limit))
                .select(ProfileRow::as_select())
                .load(c)
        })?;
        rows.into_iter().map(ProfileRow::into_domain).collect()
    }

    fn mark_warned(&self, profile_ids: &[Uuid], now: DateTime<Utc>) -> StoreResult<()> {
        self.with_conn(|c| {
            diesel::update(pr::table.filter(pr::id.eq_any(texts(profile_ids))))
                .set(pr::inactivity_warned_at.eq(naive(now)))
                .execute(c)
                .map(drop)
        })
    }

    fn accounts_due_for_erasure(
        &self,
        warned_before: DateTime<Utc>,
        after: Option<Uuid>,
        limit: u32,
    ) -> StoreResult<Vec<Uuid>> {
        let ids: Vec<String> = self.with_conn(|c| {
            let last = coalesce(pr::last_active_at, pr::created_at);
            pr::table
                .filter(pr::subject.is_not_null())
                .filter(pr::managed_by.is_null())
                .filter(pr::erased_at.is_null())
                .filter(pr::inactivity_warned_at.le(naive(warned_before)))
                .filter(last.nullable().le(pr::inactivity_warned_at))
                .filter(pr::id.gt(after.map(text).unwrap_or_default()))
                .order(pr::id)
                .limit(i64::from(limit))
                .select(pr::id)
                .load(c)
        })?;
        ids.iter().map(|id| crate::errors::uuid(id)).collect()
    }

    fn last_active(&self, subject: &str) -> StoreResult<Option<DateTime<Utc>>> {
        let at = self.with_conn(|c| {
            pr::table
                .filter(pr::subject.eq(subject))
                .select(coalesce(pr::last_active_at, pr::created_at))
                .first::<chrono::NaiveDateTime>(c)
                .optional()
        })?;
        Ok(at.map(utc))
    }

    fn record_activity(&self, subject: &str, now: DateTime<Utc>) -> StoreResult<()> {
        self.with_conn(|c| {
            diesel::update(pr::table.filter(pr::subject.eq(subject)))
                .set(pr::last_active_at.eq(naive(now)))
                .execute(c)
                .map(drop)
        })
    }
}
