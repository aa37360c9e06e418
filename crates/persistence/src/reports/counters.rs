//! Keeping the report counters (`report_funnel`) true in the same transaction as every write that
//! changes what a report would count.
//!
//! A write brackets its change with `recount` (`recount.rs`): the applications it touches are
//! taken out of the counters as they stand before it (their counts subtracted), and put back as
//! they stand after, or, when it changes only application rows, moved by the difference in one
//! statement after it (`delta.rs`). Each step is one set-based statement, whatever the number of
//! applications, computing an application's contribution with the same expressions the reports
//! count with from scratch ([`super::scratch`]): so the counters always equal a count from
//! scratch, which a property test checks on generated histories. A rebuild ([`rebuild`]) counts
//! everything again.
//!
//! What is counted, per placement: how many applications reached each stage (`all`), by the
//! profile's user groups and care experience (`profile`), by age at applying (`age`), by each
//! equality question the uptake report breaks down by (`answers:...`), and by outcome timeliness
//! (`timeliness`: the promised date and whether the outcome came on time, late or is awaited).

use diesel::prelude::*;
use std::collections::BTreeSet;
use wex_domain::model::application::Stage;
use wex_domain::model::reports::counting::COUNTING;
use wex_domain::model::reports::uptake::{Dimension, Grouping};

use super::sql::Sql;
use crate::connection::DbConnection;
use crate::schema::report_counters_state as state;

/// What the counters count, as a number: a release that changes a breakdown bumps it, and the
/// service then rebuilds the counters before serving ([`rebuild_if_stale`]).
const VERSION: i32 = 2;

/// The applications a recount covers.
#[derive(Clone, Copy)]
pub(crate) enum Scope<'a> {
    /// One application, whose row alone the recount's change may update.
    Application(&'a str),
    Profile(&'a str),
    /// The placements' applications, whose rows alone the recount's change may update.
    Placements(&'a [String]),
    /// Applications meeting a condition on `a` written by the store itself, never from input.
    Matching(&'a str),
    All,
}

impl Scope<'_> {
    /// Whether the scope's statements are kept prepared ([`Sql::execute_prepared`]): those every
    /// application write runs, whose text is the same every time (one id).
    ///
    /// A draw's are planned afresh each time instead (about 1 ms each on PostgreSQL): PostgreSQL
    /// keeps a prepared statement's generic plan, made for the tables as they were then, and a
    /// plan made while `report_characteristics` was nearly empty read the whole of it for every
    /// lookup, however large it grew. In a national run drawn one placement at a time with
    /// statistics not refreshed (autovacuum off), a draw's recount went from 1.4 ms to 285 ms.
    /// Autovacuum's ANALYZE replaces such plans as a table grows; a draw, a few a second at most,
    /// does not need to count on it.
    pub(super) fn prepared(self) -> bool {
        match self {
            Scope::Application(_) | Scope::Profile(_) => true,
            Scope::Placements(_) | Scope::Matching(_) | Scope::All => false,
        }
    }

    /// Runs a statement over the scope, kept prepared when [`Scope::prepared`].
    fn execute(self, sql: Sql, c: &mut DbConnection) -> QueryResult<usize> {
        if self.prepared() { sql.execute_prepared(c) } else { sql.execute(c) }
    }

    pub(super) fn push(self, sql: &mut Sql) {
        match self {
            Scope::Application(id) => {
                sql.push(" WHERE a.id = ").text_param(id);
            }
            Scope::Profile(id) => {
                sql.push(" WHERE a.profile_id = ").text_param(id);
            }
            Scope::Placements(ids) => {
                sql.push(" WHERE ").one_of("a.placement_id", ids.iter().map(String::as_str));
            }
            Scope::Matching(condition) => {
                sql.push(&format!(" WHERE ({condition})"));
            }
            Scope::All => {
                sql.push(" WHERE 1 = 1");
            }
        }
    }
}

/// The name of a breakdown in `report_funnel.breakdown`.
pub(crate) fn breakdown_of(grouping: Grouping) -> String {
    match grouping {
        // One breakdown serves both: user groups are its second key.
        Grouping::UserGroups | Grouping::CareExperienced => "profile".to_string(),
        Grouping::Age => "age".to_string(),
        Grouping::Answers(questions) => format!("answers:{}", questions.join(",")),
    }
}

pub(crate) const ALL: &str = "all";
pub(crate) const TIMELINESS: &str = "timeliness";
/// `report_funnel.k2` of the timeliness breakdown.
pub(crate) const ON_TIME: &str = "on_time";
pub(crate) const LATE: &str = "late";
pub(crate) const AWAITING: &str = "awaiting";

/// Every grouping some uptake dimension asks for, once each.
fn groupings() -> Vec<Grouping> {
    let mut seen = BTreeSet::new();
    Dimension::ALL.iter().map(|d| d.grouping()).filter(|g| seen.insert(breakdown_of(*g))).collect()
}

/// One breakdown: its name and its two keys ('' for none), as expressions over the columns of
/// [`keyed`]'s `s`, as `a`.
pub(super) struct Breakdown {
    pub(super) name: String,
    pub(super) keys: [String; 2],
}

/// Whether an application's characteristics were frozen at its draw, in [`keyed`]'s `s`.
const IS_FROZEN: &str = "a.frozen > 0";

/// The columns of an application row the counters read that a change to the row can move: the
/// keys of [`breakdowns`] and the stage counted read them as `a.{prefix}{column}`.
pub(super) const MOVABLE: [&str; 6] =
    ["placement_id", "stage_reached", "applicant_age", "status", "outcome_at", "outcome_expected_by"];

/// Every breakdown's keys, with the application's movable columns ([`MOVABLE`]) read as
/// `a.{was}{column}`: `was` is "" for the columns as they are, or the prefix under which
/// the recount by difference (`delta.rs`) gives them as they were.
pub(super) fn breakdowns(sql: &Sql, was: &str) -> Vec<Breakdown> {
    let none = || "''".to_string();
    let frozen_or_current = |frozen: &str, current: &str| super::frozen_or_current_if(IS_FROZEN, frozen, current);
    let mut all = vec![Breakdown { name: ALL.to_string(), keys: [none(), none()] }];
    for grouping in groupings() {
        let name = breakdown_of(grouping);
        let keys = match grouping {
            Grouping::UserGroups | Grouping::CareExperienced => {
                let care = frozen_or_current("a.rc_care_experienced", "a.pr_care_experienced");
                let care = format!("CASE WHEN {care} THEN 'yes' WHEN NOT ({care}) THEN 'no' END");
                [care, frozen_or_current("a.rc_user_groups", "a.pr_user_groups")]
            }
            Grouping::Age => [format!("CAST(a.{was}applicant_age AS TEXT)"), none()],
            Grouping::Answers(qs) => {
                let mut keys = qs.iter().map(|q| super::answer_of(IS_FROZEN, q));
                [keys.next().unwrap_or_else(none), keys.next().unwrap_or_else(none)]
            }
        };
        all.push(Breakdown { name, keys });
    }
    let decided = sql.date_of(&format!("a.{was}outcome_at"));
    let state = format!(
        "CASE WHEN a.{was}outcome_at IS NOT NULL AND {decided} <= a.{was}outcome_expected_by THEN '{ON_TIME}' \
         WHEN a.{was}outcome_at IS NOT NULL THEN '{LATE}' WHEN {} THEN '{AWAITING}' END",
        awaiting_condition(was)
    );
    all.push(Breakdown {
        name: TIMELINESS.to_string(),
        keys: [format!("CAST(a.{was}outcome_expected_by AS TEXT)"), state],
    });
    all
}

/// What the counters look up for each application, as columns of [`keyed`]'s `s`: whether its
/// characteristics were frozen, and those frozen and its profile's current ones.
///
/// Looked up, not joined: one index probe per application and value, and a plan PostgreSQL makes
/// in about 1 ms, where joining the characteristics, profile and 20 answers made a 22-table join,
/// past the number of tables it plans exhaustively, that took 10 to 30 ms to plan. That matters
/// because a draw's recount is planned afresh every time ([`Scope::prepared`]).
pub(super) fn looked_up() -> String {
    let rc = |column: &str| {
        format!(", (SELECT rc.{column} FROM report_characteristics rc WHERE rc.application_id = a.id) AS rc_{column}")
    };
    let pr = |column: &str| {
        format!(", (SELECT pr.{column} FROM applicant_profiles pr WHERE pr.id = a.profile_id) AS pr_{column}")
    };
    [
        ", (SELECT COUNT(*) FROM report_characteristics rc WHERE rc.application_id = a.id) AS frozen".to_string(),
        rc("care_experienced"),
        rc("user_groups"),
        pr("care_experienced"),
        pr("user_groups"),
    ]
    .concat()
}

/// The scope's applications, once each (`s`), with what they are counted by looked up by key,
/// then (`x`) every breakdown's keys (`k{i}_1`, `k{i}_2`) as columns.
fn keyed(sql: &mut Sql, breakdowns: &[Breakdown], scope: Scope) {
    sql.push(&format!(" WITH s AS MATERIALIZED (SELECT a.id, a.profile_id, a.{}", MOVABLE.join(", a.")));
    sql.push(&looked_up());
    sql.push(" FROM applications a");
    scope.push(sql);
    sql.push("), x AS MATERIALIZED (SELECT a.placement_id AS placement_id, a.stage_reached AS stage_reached");
    for (i, b) in breakdowns.iter().enumerate() {
        sql.push(&format!(", {} AS k{i}_1, {} AS k{i}_2", b.keys[0], b.keys[1]));
    }
    sql.push(" FROM s a)");
}

/// Adds (`sign` "") or subtracts (`sign` "-") the scope's applications as they stand now: one
/// statement over [`keyed`], grouped by breakdown, placement and keys ([`grouped_into_counters`]).
pub(super) fn apply(c: &mut DbConnection, scope: Scope, sign: &str) -> QueryResult<usize> {
    let mut sql = Sql::new(c);
    let breakdowns = breakdowns(&sql, "");
    sql.push(INTO_COUNTERS);
    keyed(&mut sql, &breakdowns, scope);
    grouped_into_counters(
        &mut sql,
        &breakdowns,
        "x",
        &format!("{sign}COUNT(CASE WHEN stage_reached >= {{s}} THEN 1 END)"),
    );
    scope.execute(sql, c)
}

/// How a statement that adds to the counters starts; [`grouped_into_counters`] ends it.
pub(super) const INTO_COUNTERS: &str =
    "INSERT INTO report_funnel (breakdown, placement_id, k1, k2, s0, s1, s2, s3, s4, s5) SELECT * FROM (";

/// The rest of a statement begun with [`INTO_COUNTERS`] and a `WITH` whose table `from` has a
/// row per application (or per application as it was and as it is) with its `placement_id`,
/// `stage_reached` and every breakdown's keys (`k{i}_1`, `k{i}_2`): each row once per breakdown
/// (`b`), with that breakdown's keys, grouped by breakdown, placement and keys, adding `count` for
/// each stage (`{s}` in it, its index), then the upsert that adds the rows to the counters. Groups
/// where every count is 0 are left out.
///
/// One grouping over every breakdown rather than a grouping per breakdown: PostgreSQL plans one
/// aggregate instead of thirteen, which is most of what a statement over one placement costs.
pub(super) fn grouped_into_counters(sql: &mut Sql, breakdowns: &[Breakdown], from: &str, count: &str) {
    sql.push(", b (i, breakdown) AS (VALUES ");
    for (i, b) in breakdowns.iter().enumerate() {
        sql.push(&format!("{}({i}, ", if i > 0 { ", " } else { "" })).text_param(&b.name).push(")");
    }
    sql.push(") SELECT b.breakdown, f.placement_id");
    for k in [1, 2] {
        sql.push(" , CASE b.i");
        for i in 0..breakdowns.len() {
            sql.push(&format!(" WHEN {i} THEN COALESCE(f.k{i}_{k}, '')"));
        }
        sql.push(&format!(" END AS k{k}"));
    }
    let counts: Vec<String> = Stage::ALL.iter().map(|s| count.replace("{s}", &s.index().to_string())).collect();
    for (stage, n) in Stage::ALL.iter().zip(&counts) {
        sql.push(&format!(", {n} AS s{}", stage.index()));
    }
    let changed: Vec<String> = counts.iter().map(|n| format!("{n} <> 0")).collect();
    sql.push(&format!(" FROM {from} f CROSS JOIN b GROUP BY 1, 2, 3, 4 HAVING {}", changed.join(" OR ")));
    // `WHERE true`: SQLite needs it to read ON CONFLICT as the upsert, not a join's ON.
    sql.push(") c WHERE 1 = 1 ON CONFLICT (breakdown, placement_id, k1, k2) DO UPDATE SET ");
    let sets: Vec<String> =
        Stage::ALL.iter().map(|s| format!("s{i} = report_funnel.s{i} + excluded.s{i}", i = s.index())).collect();
    sql.push(&sets.join(", "));
}

/// The applications awaiting an outcome, as the reports count them (`a.{was}status`, as in
/// [`breakdowns`]): literal codes, as they are the domain's fixed list and not input.
fn awaiting_condition(was: &str) -> String {
    let codes: Vec<String> = COUNTING.awaiting_outcome.iter().map(|s| format!("'{}'", s.code())).collect();
    if codes.is_empty() { "1 = 0".to_string() } else { format!("a.{was}status IN ({})", codes.join(", ")) }
}

/// Counts the scope's applications in, as they stand now: after inserting them. Their applicants
/// join `report_applicants` (an application's applicant never changes, so no other write moves it).
pub(crate) fn add(c: &mut DbConnection, scope: Scope) -> QueryResult<usize> {
    let mut sql = Sql::new(c);
    // `WHERE` as in `apply`, for SQLite's reading of ON CONFLICT.
    sql.push("INSERT INTO report_applicants (profile_id) SELECT DISTINCT a.profile_id FROM applications a");
    scope.push(&mut sql);
    sql.push(" ON CONFLICT (profile_id) DO NOTHING");
    scope.execute(sql, c)?;
    apply(c, scope, "")
}

/// Applicant profiles, for counting them into `report_registrations`: one by id, those meeting a
/// condition on `pr` written by the store itself (never from input), or all.
#[derive(Clone, Copy)]
pub(crate) enum Profiles<'a> {
    One(&'a str),
    Matching(&'a str),
    All,
}

/// Adds (`sign` "") the profiles to the registrations of the days they were created on, after
/// inserting them, or subtracts them (`sign` "-") before deleting them.
fn register(c: &mut DbConnection, profiles: Profiles, sign: &str) -> QueryResult<usize> {
    let mut sql = Sql::new(c);
    let day = sql.date_of("pr.created_at");
    sql.push(&format!(
        "INSERT INTO report_registrations (day, profiles) SELECT {day}, {sign}COUNT(*) FROM applicant_profiles pr"
    ));
    match profiles {
        Profiles::One(id) => {
            sql.push(" WHERE pr.id = ").text_param(id);
        }
        Profiles::Matching(condition) => {
            sql.push(&format!(" WHERE ({condition})"));
        }
        // `WHERE` as in `apply`, for SQLite's reading of ON CONFLICT.
        Profiles::All => {
            sql.push(" WHERE 1 = 1");
        }
    }
    sql.push(&format!(
        " GROUP BY {day} ON CONFLICT (day) DO UPDATE SET profiles = report_registrations.profiles + excluded.profiles"
    ));
    if matches!(profiles, Profiles::One(_)) { sql.execute_prepared(c) } else { sql.execute(c) }
}

/// Counts profiles into the registrations: after inserting them.
pub(crate) fn add_profiles(c: &mut DbConnection, profiles: Profiles) -> QueryResult<usize> {
    register(c, profiles, "")
}

/// Takes profiles out of the registrations: before deleting them.
pub(crate) fn remove_profiles(c: &mut DbConnection, profiles: Profiles) -> QueryResult<usize> {
    register(c, profiles, "-")
}

/// The applicants of the scope's applications: before deleting them, for
/// [`forget_applicants_without_applications`] after.
pub(crate) fn applicants_of(c: &mut DbConnection, scope: Scope) -> QueryResult<Vec<String>> {
    let mut sql = Sql::new(c);
    sql.push("SELECT DISTINCT a.profile_id AS id FROM applications a");
    scope.push(&mut sql);
    Ok(sql.load::<IdRow>(c)?.into_iter().map(|r| r.id).collect())
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    id: String,
}

/// Takes out of `report_applicants` those of `profiles` left with no application: after deleting
/// applications.
pub(crate) fn forget_applicants_without_applications(c: &mut DbConnection, profiles: &[String]) -> QueryResult<usize> {
    let mut done = 0;
    // In chunks, to stay under SQLite's limit on bound parameters, as reads by many ids do.
    for chunk in profiles.chunks(crate::bulk::IDS) {
        let mut sql = Sql::new(c);
        sql.push("DELETE FROM report_applicants WHERE ")
            .one_of("profile_id", chunk.iter().map(String::as_str))
            .push(" AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.profile_id = report_applicants.profile_id)");
        done += sql.execute(c)?;
    }
    Ok(done)
}

/// PostgreSQL only: locks what the scope's contributions are computed from, before they are
/// taken out, so that two recounts touching one application run one after the other. Without it,
/// an application's change and a change of its applicant's answers could each take out and put
/// back the application as the other left it half done, and count it twice. A profile's recount
/// locks the profile first, as applying does, so that an application made meanwhile is counted
/// once. Applications are locked in id order, so two recounts cannot wait for each other.
/// The locks are `FOR NO KEY UPDATE`, as an update takes: they keep out other writers of the
/// rows but not a row that refers to them (a message or event about the application), whose
/// foreign key check would otherwise wait for this transaction while it waits for that one.
/// SQLite runs one writer at a time already. (A recount by difference locks its applications the
/// same way as it reads them, in `delta.rs`.)
pub(super) fn lock(c: &mut DbConnection, scope: Scope) -> QueryResult<()> {
    if !matches!(c, DbConnection::Postgres(_)) {
        return Ok(());
    }
    if let Scope::Profile(id) = scope {
        let mut sql = Sql::new(c);
        sql.push("SELECT id FROM applicant_profiles WHERE id = ").text_param(id).push(" FOR NO KEY UPDATE");
        sql.execute(c)?;
    }
    if matches!(scope, Scope::All | Scope::Matching(_)) {
        return Ok(());
    }
    let mut sql = Sql::new(c);
    sql.push("SELECT a.id FROM applications a");
    scope.push(&mut sql);
    sql.push(" ORDER BY a.id FOR NO KEY UPDATE");
    scope.execute(sql, c).map(drop)
}

/// Takes the scope's applications out of the counters: before deleting them.
pub(crate) fn remove(c: &mut DbConnection, scope: Scope) -> QueryResult<usize> {
    apply(c, scope, "-")
}

/// Counts every application again from scratch, in one transaction; returns the rows written.
pub(crate) fn rebuild(c: &mut DbConnection) -> QueryResult<usize> {
    c.transaction(|c| {
        lock_counters(c)?;
        rebuild_locked(c)
    })
}

/// One rebuild at a time, and no write moving the counters meanwhile: two rebuilds at once would
/// each add everything. A write that inserts an application or a profile and then counts it waits
/// at the counters for the rebuild to end, so the rebuild, which did not see the row, does not count
/// it either. (A transaction's lock: it holds through PgBouncer's transaction pooling.)
fn lock_counters(c: &mut DbConnection) -> QueryResult<()> {
    if let DbConnection::Postgres(pg) = c {
        diesel::sql_query("LOCK TABLE report_funnel, report_applicants, report_registrations IN EXCLUSIVE MODE")
            .execute(pg)?;
    }
    Ok(())
}

fn rebuild_locked(c: &mut DbConnection) -> QueryResult<usize> {
    diesel::delete(crate::schema::report_funnel::table).execute(c)?;
    diesel::delete(crate::schema::report_applicants::table).execute(c)?;
    diesel::delete(crate::schema::report_registrations::table).execute(c)?;
    add_profiles(c, Profiles::All)?;
    let rows = add(c, Scope::All)?;
    // The state row goes with everything else when the sandbox empties the database.
    diesel::delete(state::table.find("report_funnel")).execute(c)?;
    diesel::insert_into(state::table)
        .values((state::counters.eq("report_funnel"), state::version.eq(VERSION)))
        .execute(c)?;
    Ok(rows)
}

/// Rebuilds the counters when they follow another definition than this release's (a new
/// database, or a release that changed what is counted); returns whether it did. Processes that
/// start at once rebuild once: the others wait for the lock and find the counters current.
pub(crate) fn rebuild_if_stale(c: &mut DbConnection) -> QueryResult<bool> {
    let current = |c: &mut DbConnection| -> QueryResult<bool> {
        let version: Option<i32> = state::table.find("report_funnel").select(state::version).first(c).optional()?;
        Ok(version == Some(VERSION))
    };
    if current(c)? {
        return Ok(false);
    }
    c.transaction(|c| {
        lock_counters(c)?;
        if current(c)? {
            return Ok(false);
        }
        rebuild_locked(c).map(|_| true)
    })
}

impl crate::store::DbStore {
    /// Counts every application into the report counters again, from scratch, in one transaction
    /// (`wex rebuild-report-counters`); returns how many counter rows it wrote.
    pub fn rebuild_report_counters(&self) -> wex_domain::ports::StoreResult<usize> {
        self.with_conn(rebuild)
    }
}
