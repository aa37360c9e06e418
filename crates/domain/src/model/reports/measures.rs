//! The other reports: outcome timeliness, supply and demand, the implementation measures of the
//! Discovery Report's Appendix B, and the feedback survey results. Every count of people is
//! suppressed; counts of placements and places are public already and are shown as they are.

use uuid::Uuid;

use super::{Figure, Rate, ReportFilter, SuppressionNote};
use crate::model::participation::{Agreement, Likelihood, Recognition, Statement};
use crate::model::reference::{PlacementKind, Region, Specialty, code_enum};
use crate::model::reports::suppression::{Cell, Rules, Totals, table, table_with};
use std::fmt;

/// Applications whose outcome was owed, for one organisation and month of `outcome_by`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelinessCount {
    pub organisation_id: Uuid,
    pub organisation_name: String,
    /// `YYYY-MM`.
    pub month: String,
    pub on_time: u64,
    pub late: u64,
    /// No outcome yet, and the promised date has passed.
    pub overdue: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimelinessRow {
    pub organisation_id: Uuid,
    pub organisation_name: String,
    pub month: String,
    /// Outcomes owed in the month: on time, late and overdue together.
    pub due: Figure,
    pub on_time: Figure,
    pub late: Figure,
    pub overdue: Figure,
    /// On time as a share of due.
    pub on_time_share: Rate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimelinessReport {
    pub filter: ReportFilter,
    pub rows: Vec<TimelinessRow>,
    pub total: TimelinessTotal,
    pub suppression: SuppressionNote,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimelinessTotal {
    pub due: Figure,
    pub on_time: Figure,
    pub late: Figure,
    pub overdue: Figure,
    pub on_time_share: Rate,
}

code_enum! {
    /// What the supply and demand report groups placements by.
    SupplyBy {
        Specialty => ("specialty", "Specialty", "The placement's NHS Health Careers family."),
        Region => ("region", "Region", "The NHS England region of the placement's organisation."),
        Kind => ("kind", "Kind", "Work experience, T level industry placement and the rest."),
    }
}

/// Places offered and applications made, for one category of placements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplyCount {
    pub category: String,
    pub placements: u64,
    pub places: u64,
    pub applications: u64,
    /// Applications whose place was accepted.
    pub filled: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SupplyRow {
    pub category: String,
    pub label: String,
    /// Published placements (not suppressed: they are public).
    pub placements: u64,
    /// Their places (capacity).
    pub places: u64,
    pub applications: Figure,
    /// Places accepted.
    pub filled: Figure,
    /// Applications per place: over 1, demand outstrips supply.
    pub applications_per_place: Rate,
    /// Filled as a share of places.
    pub fill_rate: Rate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SupplyReport {
    pub by: SupplyBy,
    pub filter: ReportFilter,
    pub rows: Vec<SupplyRow>,
    pub total: SupplyRow,
    pub suppression: SuppressionNote,
}

fn supply_label(by: SupplyBy, code: &str) -> String {
    let label = match by {
        SupplyBy::Specialty => Specialty::parse(code).map(Specialty::label),
        SupplyBy::Region => Region::parse(code).map(Region::label),
        SupplyBy::Kind => PlacementKind::parse(code).map(PlacementKind::label),
    };
    label.unwrap_or(code).to_string()
}

/// Rows of supply and demand, suppressed down each column of people.
pub fn supply_rows(by: SupplyBy, counts: &[SupplyCount], rules: Rules) -> (Vec<SupplyRow>, SupplyRow) {
    let grid: Vec<Vec<u64>> = counts.iter().map(|c| vec![c.applications, c.filled]).collect();
    let t = table_with(&grid, rules, Totals { rows: false, columns: true });
    let row = |category: String, label: String, c: &SupplyCount, cells: &[Cell]| SupplyRow {
        category,
        label,
        placements: c.placements,
        places: c.places,
        applications: cells[0].into(),
        filled: cells[1].into(),
        applications_per_place: Rate::of(cells[0], Cell::Shown(c.places)),
        fill_rate: Rate::of(cells[1], Cell::Shown(c.places)),
    };
    let rows = counts
        .iter()
        .zip(&t.cells)
        .map(|(c, cells)| row(c.category.clone(), supply_label(by, &c.category), c, cells))
        .collect();
    let sum = SupplyCount {
        category: "total".into(),
        placements: counts.iter().map(|c| c.placements).sum(),
        places: counts.iter().map(|c| c.places).sum(),
        applications: counts.iter().map(|c| c.applications).sum(),
        filled: counts.iter().map(|c| c.filled).sum(),
    };
    let total_cells: Vec<Cell> = (0..2).map(|i| t.column_totals.get(i).copied().unwrap_or(Cell::Shown(0))).collect();
    let total = row("total".into(), "All placements".into(), &sum, &total_cells);
    (rows, total)
}

/// The raw implementation measures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImplementationCounts {
    /// Profiles created in the period, platform-wide.
    pub registered_applicants: u64,
    /// Distinct applicants who applied to the placements reported on.
    pub applicants: u64,
    pub organisations_with_published_placements: u64,
    pub published_placements: u64,
    /// Hosts named for a placement at which someone attended.
    pub hosts_who_hosted: u64,
    /// Placements at which at least one participant completed.
    pub placements_completed: u64,
    /// Participants who said whether they completed a pre-placement module, and who said yes.
    pub pre_module_answered: u64,
    pub pre_module_completed: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImplementationReport {
    pub filter: ReportFilter,
    /// Profiles created in the period, across the whole platform (no other filter applies).
    pub registered_applicants: Figure,
    /// Distinct people who applied to the placements reported on.
    pub applicants: Figure,
    pub organisations_with_published_placements: u64,
    pub published_placements: u64,
    /// People named as hosts of a placement someone attended.
    pub hosts_who_hosted: Figure,
    /// Placements at which at least one participant completed.
    pub placements_completed: u64,
    /// Participants who answered the feedback question about a pre-placement module.
    pub pre_module_answered: Figure,
    pub pre_module_completed: Figure,
    /// The report's target: at least half of applicants complete one pre-module.
    pub pre_module_share: Rate,
    pub suppression: SuppressionNote,
}

/// Feedback answers counted: (question, answer, how many).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedbackCounts {
    pub participants: Vec<(String, String, u64)>,
    pub hosts: Vec<(String, String, u64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AnswerCount {
    pub answer: &'static str,
    pub label: &'static str,
    pub figure: Figure,
    /// Of those who answered the question.
    pub share: Rate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QuestionResults {
    pub question: &'static str,
    pub text: &'static str,
    pub answered: Figure,
    pub answers: Vec<AnswerCount>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackReport {
    pub filter: ReportFilter,
    pub participants: Vec<QuestionResults>,
    pub hosts: Vec<QuestionResults>,
    pub suppression: SuppressionNote,
}

pub(crate) type Options = Vec<(&'static str, &'static str)>;

pub(crate) fn participant_questions() -> Vec<(&'static str, &'static str, Options)> {
    let agreement: Options = Agreement::ALL.iter().map(|a| (a.code(), a.label())).collect();
    let yes_no: Options = vec![("yes", "Yes"), ("no", "No")];
    let mut qs = vec![(
        "more_likely_to_consider",
        "Do you feel you are more likely to consider a career in health or social care?",
        Likelihood::ALL.iter().map(|l| (l.code(), l.label())).collect(),
    )];
    qs.extend(Statement::ALL.iter().map(|s| (s.code(), s.label(), agreement.clone())));
    qs.push(("completed_pre_module", "Did you complete a pre-placement e-learning module?", yes_no));
    qs
}

pub(crate) fn host_questions() -> Vec<(&'static str, &'static str, Options)> {
    vec![
        (
            "would_host_again",
            "Would you be happy to host more work experience participants?",
            vec![("yes", "Yes"), ("no", "No")],
        ),
        (
            "felt_recognised",
            "Did you feel suitably recognised for taking part?",
            Recognition::ALL.iter().map(|r| (r.code(), r.label())).collect(),
        ),
    ]
}

/// Each question's answers as a one-row table whose total (those who answered) is published.
pub(crate) fn results(
    questions: Vec<(&'static str, &'static str, Options)>,
    counts: &[(String, String, u64)],
    rules: Rules,
) -> Vec<QuestionResults> {
    questions
        .into_iter()
        .map(|(question, text, options)| {
            let n: Vec<u64> = options
                .iter()
                .map(|(a, _)| counts.iter().filter(|(q, x, _)| q == question && x == a).map(|c| c.2).sum())
                .collect();
            let t = table(std::slice::from_ref(&n), rules);
            QuestionResults {
                question,
                text,
                answered: t.row_totals[0].into(),
                answers: options
                    .iter()
                    .zip(&t.cells[0])
                    .map(|((answer, label), cell)| AnswerCount {
                        answer,
                        label,
                        figure: (*cell).into(),
                        share: Rate::of(*cell, t.row_totals[0]),
                    })
                    .collect(),
            }
        })
        .collect()
}
