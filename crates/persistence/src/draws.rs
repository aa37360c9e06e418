//! Draws and their entries, the secret seeds, and what the scheduler must draw.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;
use wex_domain::StoreError;
use wex_domain::model::allocation::Allocation;
use wex_domain::model::application::Application;
use wex_domain::model::draw::{Draw, DrawOutcome, DrawnEntry, Stored};
use wex_domain::model::lottery::DrawSeed;
use wex_domain::model::placement::Placement;
use wex_domain::model::reference::{PlacementStatus, PriorityRule, SelectionMethod};
use wex_domain::ports::{DrawStore, StoreResult};

use crate::applications::ApplicationRow;
use crate::bulk::insert_rows;
use crate::errors::{code, corrupt, json, naive, text, to_json, utc, uuid};
use crate::offers::apply_allocation;
use crate::placement_forms::any_of;
use crate::schema::{applications, draw_entries as e, draw_secrets, draws as d, placements as p};
use crate::store::{DbStore, OrStore, Stop};

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = d)]
struct DrawRow {
    placement_id: String,
    algorithm: String,
    capacity: i32,
    priority_rules: String,
    commitment: String,
    seed: String,
    entries_digest: String,
    drawn_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = e, treat_none_as_default_value = false)]
struct EntryRow {
    placement_id: String,
    position: i32,
    ticket: String,
    tier: i32,
    application_id: String,
    outcome: String,
}

fn int(n: u32) -> StoreResult<i32> {
    i32::try_from(n).map_err(|_| StoreError::Internal(format!("{n} does not fit the database")))
}

fn unsigned(what: &str, n: i32) -> StoreResult<u32> {
    u32::try_from(n).map_err(|_| corrupt(what, &n.to_string()))
}

impl DrawStore for DbStore {
    fn draw_seed(&self, placement_id: Uuid) -> StoreResult<DrawSeed> {
        let hex: String =
            self.with_conn(|c| draw_secrets::table.find(text(placement_id)).select(draw_secrets::seed).first(c))?;
        DrawSeed::from_hex(&hex).ok_or_else(|| corrupt("draw seed", "(hidden)"))
    }

    fn draw(&self, placement_id: Uuid) -> StoreResult<Option<Draw>> {
        self.with_conn_try(|c| {
            let Some(row) = d::table.find(text(placement_id)).select(DrawRow::as_select()).first(c).optional().db()?
            else {
                return Ok(None);
            };
            let entries: Vec<EntryRow> = e::table
                .filter(e::placement_id.eq(text(placement_id)))
                .order(e::position)
                .select(EntryRow::as_select())
                .load(c)
                .db()?;
            let rules: Vec<String> = json("priority rules", &row.priority_rules)?;
            Ok(Some(Draw {
                placement_id: uuid(&row.placement_id)?,
                algorithm: row.algorithm,
                capacity: unsigned("capacity", row.capacity)?,
                priority_rules: rules
                    .iter()
                    .map(|r| code("priority rule", r, PriorityRule::parse))
                    .collect::<StoreResult<_>>()?,
                commitment: row.commitment,
                seed: DrawSeed::from_hex(&row.seed).ok_or_else(|| corrupt("draw seed", "(hidden)"))?,
                entries_digest: row.entries_digest,
                drawn_at: utc(row.drawn_at),
                entries: entries
                    .into_iter()
                    .map(|x| {
                        Ok(DrawnEntry {
                            application_id: uuid(&x.application_id)?,
                            ticket: uuid(&x.ticket)?,
                            tier: unsigned("tier", x.tier)?,
                            position: unsigned("position", x.position)?,
                            outcome: code("draw outcome", &x.outcome, DrawOutcome::parse)?,
                        })
                    })
                    .collect::<StoreResult<_>>()?,
            }))
        })
    }

    fn insert_draw(
        &self,
        draw: &Draw,
        placement: &Placement,
        placement_version: i64,
        allocation: &Allocation,
    ) -> StoreResult<Stored> {
        let placement = crate::placements::PlacementRow::from_domain(placement)?;
        let rules: Vec<String> = draw.priority_rules.iter().map(ToString::to_string).collect();
        let row = DrawRow {
            placement_id: text(draw.placement_id),
            algorithm: draw.algorithm.clone(),
            capacity: int(draw.capacity)?,
            priority_rules: to_json(&rules)?,
            commitment: draw.commitment.clone(),
            seed: draw.seed.to_hex(),
            entries_digest: draw.entries_digest.clone(),
            drawn_at: naive(draw.drawn_at),
        };
        let entries = draw
            .entries
            .iter()
            .map(|x| {
                Ok(EntryRow {
                    placement_id: text(draw.placement_id),
                    position: int(x.position)?,
                    ticket: text(x.ticket),
                    tier: int(x.tier)?,
                    application_id: text(x.application_id),
                    outcome: x.outcome.code().to_string(),
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        self.with_conn_try(|c| {
            let result = c.transaction::<(), Stop, _>(|c| {
                // The draw's row comes first: a second process drawing at the same time fails here.
                diesel::insert_into(d::table).values(&row).execute(c)?;
                crate::placements::update_row(c, &placement, placement_version)?;
                insert_rows!(c, e::table, entries)?;
                apply_allocation(c, allocation)
            });
            match result {
                Ok(()) => Ok(Stored::Created),
                Err(Stop::Db(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                ))) => Ok(Stored::AlreadyDrawn),
                Err(other) => Err(other.into_store()),
            }
        })
    }

    fn placements_showing(
        &self,
        status: PlacementStatus,
        method: SelectionMethod,
        now: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Uuid>> {
        let ids: Vec<String> = self.with_conn(|c| {
            p::table
                .filter(any_of(&status.stored_forms(), naive(now)))
                .filter(p::selection_method.eq(method.code()))
                .order((p::closes_at, p::id))
                .limit(i64::from(limit))
                .select(p::id)
                .load(c)
        })?;
        ids.iter().map(|id| uuid(id)).collect()
    }

    fn all_applications_for_placement(&self, placement_id: Uuid) -> StoreResult<Vec<Application>> {
        let rows = self.with_conn(|c| {
            applications::table
                .filter(applications::placement_id.eq(text(placement_id)))
                .order(applications::id)
                .select(ApplicationRow::as_select())
                .load(c)
        })?;
        rows.into_iter().map(ApplicationRow::into_domain).collect()
    }
}
