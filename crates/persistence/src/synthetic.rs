//! Synthetic datasets for report tests and benchmarks (feature `testing`): organisations in every
//! region, placements, applicants with one user group each and equality answers, and applications
//! at every stage of the funnel, written with multi-row inserts. Stage shares are exact, not
//! random: within each user group, application `k` reaches stage `s` when `k % 100` is below the
//! group's cumulative percentage for `s`, so reports over a generated dataset have known answers.

use chrono::{Datelike, Duration, NaiveDate};
use diesel::connection::SimpleConnection;
use uuid::Uuid;
use wex_domain::model::application::Stage;
use wex_domain::model::equality::QUESTIONS;
use wex_domain::model::reference::{PlacementKind, Region, Specialty, UserGroup};
use wex_domain::ports::StoreResult;

use crate::store::DbStore;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    pub applications: usize,
    pub organisations: usize,
    pub placements_per_organisation: usize,
    /// Applications each applicant makes (their last may be cut short).
    pub applications_per_applicant: usize,
    /// Percentage reaching each stage after `applied`, of those at the stage before.
    pub progression: [u32; 5],
    /// One user group does worse at one stage: its share moving into that stage is this
    /// percentage of everyone else's.
    pub penalty: Option<(UserGroup, Stage, u32)>,
    /// Placements start in the twelve months from this date.
    pub first_start: NaiveDate,
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            applications: 10_000,
            organisations: 70,
            placements_per_organisation: 20,
            applications_per_applicant: 3,
            progression: [95, 40, 80, 90, 95],
            penalty: None,
            first_start: NaiveDate::from_ymd_opt(2027, 1, 4).unwrap_or_default(),
        }
    }
}

impl Spec {
    /// The percentage of a group's applications reaching each stage (index 0 is `applied`).
    pub fn cumulative(&self, group: UserGroup) -> [u32; 6] {
        let mut out = [100u32; 6];
        let mut share = 1.0f64;
        for (i, p) in self.progression.iter().enumerate() {
            let mut p = f64::from(*p) / 100.0;
            if let Some((g, stage, pct)) = self.penalty
                && g == group
                && stage.index() == i + 1
            {
                p *= f64::from(pct) / 100.0;
            }
            share *= p;
            out[i + 1] = (share * 100.0).round() as u32;
        }
        out
    }
}

/// Rows are written in statements of this many.
const BATCH: usize = 500;

struct Writer<'a> {
    store: &'a DbStore,
    sql: String,
    rows: usize,
    head: &'static str,
}

impl<'a> Writer<'a> {
    fn new(store: &'a DbStore, head: &'static str) -> Self {
        Writer { store, sql: String::new(), rows: 0, head }
    }

    fn row(&mut self, values: String) -> StoreResult<()> {
        if self.rows == 0 {
            self.sql.push_str(self.head);
            self.sql.push_str(" VALUES ");
        } else {
            self.sql.push(',');
        }
        self.sql.push('(');
        self.sql.push_str(&values);
        self.sql.push(')');
        self.rows += 1;
        if self.rows == BATCH { self.flush() } else { Ok(()) }
    }

    fn flush(&mut self) -> StoreResult<()> {
        if self.rows > 0 {
            let sql = std::mem::take(&mut self.sql);
            self.store.with_conn(|c| c.batch_execute(&sql))?;
            self.rows = 0;
        }
        Ok(())
    }
}

fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Statuses consistent with the furthest stage reached.
fn status_for(stage: usize, k: usize) -> &'static str {
    match (stage, k % 2) {
        (0, 0) => "submitted",
        (0, _) => "withdrawn",
        (1, 0) => "waitlisted",
        (1, _) => "not_selected",
        (2, 0) => "declined",
        (2, _) => "expired",
        (3, 0) => "accepted",
        (3, _) => "did_not_attend",
        (4, _) => "attended",
        _ => "completed",
    }
}

/// What was generated, for tests to check reports against.
#[derive(Debug, Clone)]
pub struct Generated {
    pub organisation_ids: Vec<Uuid>,
    pub applications: usize,
    pub applicants: usize,
}

/// Writes a synthetic dataset into an empty, migrated database.
pub fn generate(store: &DbStore, spec: &Spec) -> StoreResult<Generated> {
    let stamp = "2026-11-01 09:00:00";
    let mut orgs =
        Writer::new(store, "INSERT INTO organisations (id, name, kind, region, version, created_at, updated_at)");
    let organisation_ids: Vec<Uuid> = (0..spec.organisations).map(|_| Uuid::now_v7()).collect();
    for (i, id) in organisation_ids.iter().enumerate() {
        let region = Region::ALL[i % Region::ALL.len()];
        orgs.row(format!(
            "{}, {}, 'nhs_trust', {}, 1, '{stamp}', '{stamp}'",
            q(&id.to_string()),
            q(&format!("Synthetic Trust {i}")),
            q(region.code())
        ))?;
    }
    orgs.flush()?;

    let mut placements = Writer::new(
        store,
        "INSERT INTO placements (id, organisation_id, kind, delivery, specialty, title, description, start_date, end_date, daily_start, daily_end, capacity, opens_at, closes_at, outcome_by, selection_method, priority_rules, preparation, status, version, created_at, updated_at, published_at)",
    );
    let mut placement_rows: Vec<(String, NaiveDate, NaiveDate)> = Vec::new();
    for (o, org) in organisation_ids.iter().enumerate() {
        for p in 0..spec.placements_per_organisation {
            let n = o * spec.placements_per_organisation + p;
            let id = Uuid::now_v7().to_string();
            let start = spec.first_start + Duration::days((n % 52) as i64 * 7);
            let outcome_by = start - Duration::days(14);
            let closes = outcome_by - Duration::days(7);
            let status = if n.is_multiple_of(10) { "completed" } else { "allocated" };
            let kind = PlacementKind::ALL[n % PlacementKind::ALL.len()];
            placements.row(format!(
                "{}, {}, {}, 'in_person', {}, 'Synthetic placement', 'Generated for reports.', '{start}', '{}', '09:00', '16:00', {}, '{} 09:00:00', '{closes} 17:00:00', '{outcome_by}', {}, '[]', '{{}}', '{status}', 1, '{stamp}', '{stamp}', '{stamp}'",
                q(&id),
                q(&org.to_string()),
                q(kind.code()),
                q(Specialty::ALL[n % Specialty::ALL.len()].code()),
                start + Duration::days(4),
                4 + n % 8,
                closes - Duration::days(28),
                // T levels are arranged by agreement, never drawn.
                q(if kind == PlacementKind::TLevelIndustryPlacement { "by_agreement" } else { "lottery" }),
            ))?;
            placement_rows.push((id, start, outcome_by));
        }
    }
    placements.flush()?;

    let applicants = spec.applications.div_ceil(spec.applications_per_applicant.max(1));
    let mut profiles = Writer::new(
        store,
        "INSERT INTO applicant_profiles (id, subject, email, date_of_birth, postcode, no_fixed_address, user_groups, care_experienced, version, created_at, updated_at)",
    );
    let mut responses = Writer::new(store, "INSERT INTO equality_responses (profile_id, version, updated_at)");
    let mut answers = Writer::new(store, "INSERT INTO equality_answers (profile_id, question, answer)");
    let mut profile_ids = Vec::with_capacity(applicants);
    for i in 0..applicants {
        let id = Uuid::now_v7().to_string();
        let group = UserGroup::ALL[i % UserGroup::ALL.len()];
        // Ages from 14 to 63, spread so every band has applicants.
        let born = NaiveDate::from_ymd_opt(2012 - (i % 50) as i32, 1 + (i % 12) as u32, 1 + (i % 28) as u32)
            .unwrap_or(spec.first_start);
        let care = match i % 3 {
            0 => "TRUE",
            1 => "FALSE",
            _ => "NULL",
        };
        profiles.row(format!(
            "{}, {}, {}, '{born}', 'S10 2TH', FALSE, {}, {care}, 1, '{stamp}', '{stamp}'",
            q(&id),
            q(&format!("synthetic-{i}")),
            q(&format!("applicant{i}@example.org")),
            q(&format!("[\"{}\"]", group.code())),
        ))?;
        profile_ids.push((id, group, born));
    }
    profiles.flush()?;
    // Four in five answer the form; each answers every question asked of them. Rows referenced
    // by others are written first: the foreign keys are checked statement by statement.
    let answering = || profile_ids.iter().enumerate().filter(|(i, _)| i % 5 != 4);
    for (_, (id, _, _)) in answering() {
        responses.row(format!("{}, 1, '{stamp}'", q(id)))?;
    }
    responses.flush()?;
    for (i, (id, _, born)) in answering() {
        for (n, question) in QUESTIONS.iter().enumerate() {
            if question.sixteen_plus && 2026 - born.year() < 16 {
                continue;
            }
            let option = question.options[(i / UserGroup::ALL.len() + n) % question.options.len()].0;
            answers.row(format!("{}, {}, {}", q(id), q(question.code), q(option)))?;
        }
    }
    answers.flush()?;

    let mut apps = Writer::new(
        store,
        "INSERT INTO applications (id, placement_id, profile_id, status, ticket, privacy_notice_version, submitted_by_subject, submitted_by_role, answers, outcome_expected_by, version, created_at, updated_at, outcome_at, stage_reached, applicant_age)",
    );
    let mut per_group = [0usize; 9];
    let cumulative: Vec<[u32; 6]> = UserGroup::ALL.iter().map(|g| spec.cumulative(*g)).collect();
    for a in 0..spec.applications {
        let profile = a / spec.applications_per_applicant.max(1);
        let (profile_id, group, born) = &profile_ids[profile.min(profile_ids.len() - 1)];
        let g = UserGroup::ALL.iter().position(|x| x == group).unwrap_or(0);
        let k = per_group[g];
        per_group[g] += 1;
        let stage = cumulative[g].iter().rposition(|pct| (k % 100) < *pct as usize).unwrap_or(0);
        // Each applicant's applications go to consecutive (so different) placements.
        let per = spec.applications_per_applicant.max(1);
        let (placement_id, start, outcome_by) = &placement_rows[(profile * 7 + a % per) % placement_rows.len()];
        let outcome_at = match (stage, a % 10) {
            (0, _) => "NULL".to_string(),
            (_, 9) => format!("'{} 10:00:00'", *outcome_by + Duration::days(2)),
            _ => format!("'{} 10:00:00'", *outcome_by - Duration::days(1)),
        };
        let age = wex_domain::model::profile::age_on(*born, *start - Duration::days(60));
        apps.row(format!(
            "{}, {}, {}, '{}', {}, '2026-11-01', {}, 'applicant', '[]', '{outcome_by}', 1, '{stamp}', '{stamp}', {outcome_at}, {stage}, {age}",
            q(&Uuid::now_v7().to_string()),
            q(placement_id),
            q(profile_id),
            status_for(stage, k),
            q(&Uuid::new_v4().to_string()),
            q(&format!("synthetic-{profile}")),
        ))?;
    }
    apps.flush()?;
    // The rows went in around the store's writes, so the report counters are counted afresh.
    store.rebuild_report_counters()?;
    Ok(Generated { organisation_ids, applications: spec.applications, applicants })
}
