//! The sandbox's wholesale deletes, for replacing the demo data (see [`SandboxStore`]).

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use wex_domain::StoreError;
use wex_domain::ports::{SandboxStore, StoreResult};

use crate::connection::DbConnection;
use crate::store::{DbStore, OrStore};

/// Tables an empty database keeps as they are: which definition the (empty) report counters
/// follow stays true.
const KEPT: &[&str] = &["report_counters_state"];

/// Every other table, children before their parents, so that deleting in this order (after the
/// equality tables, which refer to profiles) never breaks a foreign key.
const TABLES: &[&str] = &[
    "report_funnel",
    "report_applicants",
    "report_registrations",
    "readiness_items",
    "t_level_reviews",
    "t_level_hours",
    "t_level_agreements",
    "host_feedback",
    "participant_feedback",
    "certificates",
    "placement_hosts",
    "audit_log",
    "offers",
    "draw_entries",
    "draws",
    "supporting_information",
    "delivery_attempts",
    "reminders",
    "service_clock",
    "notifications",
    "application_events",
    "report_answers",
    "report_characteristics",
    "applications",
    "advocate_links",
    "provider_students",
    "applicant_profiles",
    "draw_secrets",
    "placements",
    "departments",
    "sites",
    "webhook_deliveries",
    "webhook_endpoints",
    "client_assertions",
    "api_clients",
    "team_contacts",
    "memberships",
    "platform_roles",
    "organisations",
    "idempotency_keys",
    "events",
    "test_data_items",
    "test_data_batches",
    "rate_limits",
];

#[derive(QueryableByName)]
struct TableName {
    #[diesel(sql_type = Text)]
    name: String,
}

/// The tables the database really has, apart from diesel's record of migrations.
fn tables(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    let rows: Vec<TableName> = match conn {
        DbConnection::Sqlite(c) => diesel::sql_query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name <> '__diesel_schema_migrations'",
        )
        .load(c)?,
        DbConnection::Postgres(c) => diesel::sql_query(
            "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
             AND table_name <> '__diesel_schema_migrations'",
        )
        .load(c)?,
    };
    Ok(rows.into_iter().map(|r| r.name).collect())
}

impl SandboxStore for DbStore {
    fn empty_database(&self) -> StoreResult<()> {
        self.with_conn_try(|c| {
            // A table added by a later migration and missing from the list would survive the
            // replacement (or block it with its foreign keys): refuse rather than leave half a demo.
            let all: Vec<&str> = crate::equality::TABLES.iter().chain(TABLES).copied().collect();
            let unknown: Vec<String> = tables(c)
                .db()?
                .into_iter()
                .filter(|t| !all.contains(&t.as_str()) && !KEPT.contains(&t.as_str()))
                .collect();
            if !unknown.is_empty() {
                return Err(StoreError::Internal(format!(
                    "cannot empty the database: add {} to TABLES in crates/persistence/src/sandbox.rs",
                    unknown.join(", ")
                )));
            }
            let sql: String = all.iter().map(|t| format!("DELETE FROM {t};")).collect();
            c.transaction(|c| c.batch_execute(&sql)).db()
        })
    }

    fn empty_outbox(&self) -> StoreResult<()> {
        self.with_conn(|c| {
            c.transaction(|c| {
                diesel::delete(crate::schema::delivery_attempts::table).execute(c)?;
                diesel::delete(crate::schema::notifications::table).execute(c).map(drop)
            })
        })
    }
}
