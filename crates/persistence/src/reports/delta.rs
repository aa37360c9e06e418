//! Moving the report counters by what a change to application rows changed, in one statement.
//!
//! A write that changes only application rows (a draw's outcomes, an offer answered, a withdrawal)
//! reads the rows' counted columns ([`MOVABLE`]) as they were, locking them, before it changes
//! them; after, [`shift`] counts each application once as it is and once, negatively, as it was,
//! with what the counters look up about it (its profile, answers and frozen characteristics, which
//! the change did not touch) looked up once. Taking the applications out before the change and
//! counting them in again after computed the same difference with two statements, each looking
//! everything up and writing every counter row it touched.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{Date, Nullable, SmallInt, Text, Timestamp};

use super::counters::{Breakdown, INTO_COUNTERS, MOVABLE, Scope, breakdowns, grouped_into_counters, looked_up};
use super::sql::{Bind, Sql};
use crate::connection::DbConnection;

/// An application's counted columns as they were before the change ([`MOVABLE`], in order).
#[derive(QueryableByName)]
pub(super) struct Was {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    placement_id: String,
    #[diesel(sql_type = SmallInt)]
    stage_reached: i16,
    #[diesel(sql_type = SmallInt)]
    applicant_age: i16,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Nullable<Timestamp>)]
    outcome_at: Option<NaiveDateTime>,
    #[diesel(sql_type = Date)]
    outcome_expected_by: NaiveDate,
}

/// What [`shift`] names the columns as they were: `was_status` and so on.
const WAS: &str = "was_";

/// Applications per statement: seven parameters each, well under SQLite's limit of 32,766.
const PER_STATEMENT: usize = 1000;

/// The scope's applications as they are now, before the change. On PostgreSQL they are locked, in
/// id order, `FOR NO KEY UPDATE` as an update locks them, until the transaction ends: so that two
/// recounts touching one application (a change of it and a change of its applicant's answers) run
/// one after the other, and the second starts from what the first left; the order keeps two from
/// waiting for each other. SQLite runs one writer at a time already.
pub(super) fn lock_and_read(c: &mut DbConnection, scope: Scope) -> QueryResult<Vec<Was>> {
    let mut sql = Sql::new(c);
    sql.push(&format!("SELECT a.id, a.{} FROM applications a", MOVABLE.join(", a.")));
    scope.push(&mut sql);
    sql.push(" ORDER BY a.id");
    if matches!(c, DbConnection::Postgres(_)) {
        sql.push(" FOR NO KEY UPDATE");
    }
    if scope.prepared() { sql.load_prepared(c) } else { sql.load(c) }
}

/// Moves the counters from the applications as they `were` to the same applications as they are
/// now; kept prepared (`prepared`) where the text is the same every time (one application).
pub(super) fn shift(c: &mut DbConnection, were: &[Was], prepared: bool) -> QueryResult<usize> {
    let mut moved = 0;
    for chunk in were.chunks(PER_STATEMENT) {
        let sql = statement(c, chunk);
        moved += if prepared { sql.execute_prepared(c)? } else { sql.execute(c)? };
    }
    Ok(moved)
}

/// `w`: the applications as they were; `s`: each application with its columns as they are and as
/// they were (`was_...`) and what the counters look up about it; `x`: every breakdown's keys as
/// they are (`k{i}_1`, `k{i}_2`) and, where they read a column that moved, as they were
/// (`w{i}_1`, `w{i}_2`); `y`: each application twice, as it is (`sign` 1) and as it was (`sign`
/// -1), each breakdown's keys and the stage of that version.
fn statement(c: &DbConnection, were: &[Was]) -> Sql {
    let mut sql = Sql::new(c);
    let now = breakdowns(&sql, "");
    let then = breakdowns(&sql, WAS);
    let was_columns: Vec<String> = MOVABLE.iter().map(|m| format!("{WAS}{m}")).collect();
    sql.push(INTO_COUNTERS);
    sql.push(&format!(" WITH w (id, {}) AS (VALUES ", was_columns.join(", ")));
    for (i, was) in were.iter().enumerate() {
        sql.push(if i == 0 { "(" } else { ", (" });
        sql.text_param(&was.id).push(", ").text_param(&was.placement_id).push(", ");
        sql.typed(Bind::SmallInt(was.stage_reached), "SMALLINT").push(", ");
        sql.typed(Bind::SmallInt(was.applicant_age), "SMALLINT").push(", ");
        sql.text_param(&was.status).push(", ").typed(Bind::OptTimestamp(was.outcome_at), "TIMESTAMP").push(", ");
        sql.typed(Bind::Date(was.outcome_expected_by), "DATE").push(")");
    }
    sql.push(&format!(
        "), g (sign) AS (VALUES (1), (-1)), s AS MATERIALIZED (SELECT a.id, a.profile_id, a.{}, w.{}",
        MOVABLE.join(", a."),
        was_columns.join(", w.")
    ));
    sql.push(&looked_up());
    sql.push(
        " FROM w JOIN applications a ON a.id = w.id), x AS MATERIALIZED (SELECT a.placement_id, a.stage_reached, ",
    );
    sql.push(&format!("a.{WAS}placement_id, a.{WAS}stage_reached"));
    for (i, (now, then)) in now.iter().zip(&then).enumerate() {
        sql.push(&format!(", {} AS k{i}_1, {} AS k{i}_2", now.keys[0], now.keys[1]));
        if moved(now, then) {
            sql.push(&format!(", {} AS w{i}_1, {} AS w{i}_2", then.keys[0], then.keys[1]));
        }
    }
    sql.push(" FROM s a), y AS (SELECT g.sign");
    let as_of_sign = |now: &str, then: &str| format!("CASE WHEN g.sign > 0 THEN {now} ELSE {then} END");
    for column in ["placement_id", "stage_reached"] {
        sql.push(&format!(", {} AS {column}", as_of_sign(&format!("x.{column}"), &format!("x.{WAS}{column}"))));
    }
    for (i, (now, then)) in now.iter().zip(&then).enumerate() {
        for k in [1, 2] {
            let key = if moved(now, then) {
                as_of_sign(&format!("x.k{i}_{k}"), &format!("x.w{i}_{k}"))
            } else {
                format!("x.k{i}_{k}")
            };
            sql.push(&format!(", {key} AS k{i}_{k}"));
        }
    }
    sql.push(" FROM x CROSS JOIN g)");
    grouped_into_counters(&mut sql, &now, "y", "SUM(CASE WHEN stage_reached >= {s} THEN sign ELSE 0 END)");
    sql
}

/// Whether a breakdown's keys read a column the change can move.
fn moved(now: &Breakdown, then: &Breakdown) -> bool {
    now.keys != then.keys
}
