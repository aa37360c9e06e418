//! The uptake report: for one characteristic at a time, how many applications from each category
//! reached each stage of the funnel, the rates from stage to stage, and the four-fifths impact
//! ratio of each category against the category with the highest rate.

use super::{Figure, Rate, ReportFilter, SuppressionNote, round3};
use crate::model::application::Stage;
use crate::model::equality::QUESTIONS;
use crate::model::reference::{Region, UserGroup, code_enum};
use crate::model::reports::disclosure::protect;
use crate::model::reports::suppression::{AtRisk, Cell, Rules, Totals, impact_ratios, table_with};
use std::fmt;

code_enum! {
    /// What the uptake report breaks applications down by, one at a time.
    Dimension {
        UserGroup => ("user_group", "User group", "The nine user groups of the Discovery Report, from the profile. A person can be in several, so the rows can add up to more than the total."),
        CareExperienced => ("care_experienced", "Care experienced", "Whether the applicant is care experienced, from the profile."),
        AgeBand => ("age_band", "Age band", "Age on the day of applying: 14-15, 16-17, 18-24, 25-34, 35-49, 50 and over."),
        Ethnicity => ("ethnicity", "Ethnic group", "The 19 ethnic groups of the 2021 census, from the equality monitoring form."),
        EthnicityGroup => ("ethnicity_group", "Ethnic group (high level)", "The five high-level ethnic groups of the 2021 census."),
        Sex => ("sex", "Sex", "From the equality monitoring form."),
        GenderIdentity => ("gender_identity", "Gender identity same as sex registered at birth", "From the equality monitoring form (asked of people aged 16 or over)."),
        SexualOrientation => ("sexual_orientation", "Sexual orientation", "From the equality monitoring form (asked of people aged 16 or over)."),
        Disability => ("disability", "Disability", "Disabled in the Equality Act sense: a condition of 12 months or more that reduces day-to-day activities a little or a lot."),
        Religion => ("religion", "Religion", "From the equality monitoring form."),
        SocioEconomic => ("socio_economic", "Socio-economic background", "The main household earner's occupation at about age 14 (the Social Mobility Commission's headline measure)."),
        SchoolType => ("school_type", "School type at 11-16", "A Social Mobility Commission measure."),
        FreeSchoolMeals => ("free_school_meals", "Eligible for free school meals", "A Social Mobility Commission measure."),
    }
}

/// What the store groups applications by for a dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    UserGroups,
    CareExperienced,
    Age,
    /// The answers to these equality questions (at most two).
    Answers(&'static [&'static str]),
}

/// One group of applications as the store counted them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupValue {
    UserGroups(Vec<UserGroup>),
    /// The profile's answer and whether the care-experienced user group was chosen.
    Care {
        answer: Option<bool>,
        in_group: bool,
    },
    Age(u32),
    Answers(Vec<Option<String>>),
}

/// Applications counted by the furthest stage they reached: `reached[i]` is how many reached
/// stage `i` or beyond.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunnelCount {
    /// Set when the store was asked to split by region.
    pub region: Option<Region>,
    pub value: GroupValue,
    pub reached: [u64; 6],
}

const NOT_ANSWERED: (&str, &str) = ("not_answered", "Not answered");
const AGE_BANDS: [(u32, &str, &str); 6] = [
    (14, "14_15", "14 to 15"),
    (16, "16_17", "16 to 17"),
    (18, "18_24", "18 to 24"),
    (25, "25_34", "25 to 34"),
    (35, "35_49", "35 to 49"),
    (50, "50_plus", "50 and over"),
];
const ETHNIC_GROUPS: [(&str, &str); 5] = [
    ("white", "White"),
    ("mixed", "Mixed or Multiple ethnic groups"),
    ("asian", "Asian or Asian British"),
    ("black", "Black, Black British, Caribbean or African"),
    ("other", "Other ethnic group"),
];

fn question(code: &str) -> &'static [(&'static str, &'static str)] {
    QUESTIONS.iter().find(|q| q.code == code).map_or(&[], |q| q.options)
}

impl Dimension {
    /// Whether the dimension is an equality characteristic that staff never see for one person:
    /// the answers of the equality monitoring form, and age (staff never see a date of birth).
    /// User groups and care experience are different: they decide eligibility and priority, so
    /// coordinators and the draw record show them (docs/reports.md).
    pub fn is_equality(self) -> bool {
        matches!(self.grouping(), Grouping::Answers(_) | Grouping::Age)
    }

    pub fn grouping(self) -> Grouping {
        match self {
            Dimension::UserGroup => Grouping::UserGroups,
            Dimension::CareExperienced => Grouping::CareExperienced,
            Dimension::AgeBand => Grouping::Age,
            Dimension::Ethnicity | Dimension::EthnicityGroup => Grouping::Answers(&["ethnicity"]),
            Dimension::Sex => Grouping::Answers(&["sex"]),
            Dimension::GenderIdentity => Grouping::Answers(&["gender_identity_same_as_sex_at_birth"]),
            Dimension::SexualOrientation => Grouping::Answers(&["sexual_orientation"]),
            Dimension::Disability => Grouping::Answers(&["long_term_condition", "condition_reduces_activities"]),
            Dimension::Religion => Grouping::Answers(&["religion"]),
            Dimension::SocioEconomic => Grouping::Answers(&["main_earner_occupation_at_14"]),
            Dimension::SchoolType => Grouping::Answers(&["school_type_11_16"]),
            Dimension::FreeSchoolMeals => Grouping::Answers(&["free_school_meals"]),
        }
    }

    /// The categories of the dimension, in the order reports show them.
    pub fn categories(self) -> Vec<(&'static str, &'static str)> {
        let answers = |code: &str| question(code).iter().copied().chain([NOT_ANSWERED]).collect();
        match self {
            Dimension::UserGroup => {
                UserGroup::ALL.iter().map(|g| (g.code(), g.label())).chain([("none", "No user group given")]).collect()
            }
            Dimension::CareExperienced => {
                vec![("yes", "Care experienced"), ("no", "Not care experienced"), NOT_ANSWERED]
            }
            Dimension::AgeBand => AGE_BANDS.iter().map(|(_, code, label)| (*code, *label)).collect(),
            Dimension::Ethnicity => answers("ethnicity"),
            Dimension::EthnicityGroup => ETHNIC_GROUPS
                .iter()
                .copied()
                .chain([("prefer_not_to_say", "Prefer not to say"), NOT_ANSWERED])
                .collect(),
            Dimension::Disability => vec![
                ("disabled", "Disabled"),
                ("not_disabled", "Not disabled"),
                ("prefer_not_to_say", "Prefer not to say"),
                NOT_ANSWERED,
            ],
            other => match other.grouping() {
                Grouping::Answers([code]) => answers(code),
                _ => Vec::new(),
            },
        }
    }

    /// The categories (by code) a group of applications counts towards.
    fn categories_of(self, value: &GroupValue) -> Vec<&'static str> {
        let answer = |i: usize| match value {
            GroupValue::Answers(a) => a.get(i).cloned().flatten(),
            _ => None,
        };
        let own = |code: Option<String>| {
            let found = code.and_then(|c| self.categories().into_iter().find(|(k, _)| *k == c));
            found.map_or(NOT_ANSWERED.0, |(k, _)| k)
        };
        match (self, value) {
            (Dimension::UserGroup, GroupValue::UserGroups(groups)) if groups.is_empty() => vec!["none"],
            (Dimension::UserGroup, GroupValue::UserGroups(groups)) => groups.iter().map(|g| g.code()).collect(),
            (Dimension::CareExperienced, GroupValue::Care { answer, in_group }) => {
                vec![match (answer, in_group) {
                    (Some(true), _) | (_, true) => "yes",
                    (Some(false), false) => "no",
                    (None, false) => NOT_ANSWERED.0,
                }]
            }
            (Dimension::AgeBand, GroupValue::Age(age)) => {
                let band = AGE_BANDS.iter().rev().find(|(from, _, _)| age >= from).unwrap_or(&AGE_BANDS[0]);
                vec![band.1]
            }
            (Dimension::EthnicityGroup, _) => vec![match answer(0) {
                None => NOT_ANSWERED.0,
                Some(code) if code == "prefer_not_to_say" => "prefer_not_to_say",
                Some(code) => ETHNIC_GROUPS
                    .iter()
                    .find(|(g, _)| code.starts_with(&format!("{g}_")))
                    .map_or(NOT_ANSWERED.0, |g| g.0),
            }],
            (Dimension::Disability, _) => vec![match (answer(0).as_deref(), answer(1).as_deref()) {
                (Some("yes"), Some("yes_a_lot" | "yes_a_little")) => "disabled",
                (Some("no"), _) | (Some("yes"), Some("not_at_all")) => "not_disabled",
                (Some("prefer_not_to_say"), _) | (Some("yes"), Some("prefer_not_to_say")) => "prefer_not_to_say",
                _ => NOT_ANSWERED.0,
            }],
            _ => vec![own(answer(0))],
        }
    }
}

/// The stage transitions the report gives rates and impact ratios for: each step of the funnel,
/// then the two headline transitions of the equality design (each spans several steps).
pub const TRANSITIONS: [(Stage, Stage); 7] = [
    (Stage::Applied, Stage::Entered),
    (Stage::Entered, Stage::Offered),
    (Stage::Offered, Stage::Accepted),
    (Stage::Accepted, Stage::Attended),
    (Stage::Attended, Stage::Completed),
    (Stage::Applied, Stage::Offered),
    (Stage::Offered, Stage::Completed),
];

#[derive(Debug, Clone, PartialEq)]
pub struct StageCount {
    pub stage: &'static str,
    pub figure: Figure,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub from: &'static str,
    pub to: &'static str,
    /// The share of those at `from` who reached `to`.
    pub rate: Rate,
    /// This category's rate divided by the highest rate of any category (`null` when either is
    /// suppressed, and for the total row).
    pub impact_ratio: Option<f64>,
    /// Under 0.8 with at least 20 at `from` (as published) in both this category and the highest.
    pub flagged: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UptakeRow {
    pub category: &'static str,
    pub label: &'static str,
    pub counts: Vec<StageCount>,
    pub transitions: Vec<Transition>,
}

/// A flagged category and transition, listed once more for quick reading.
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    pub category: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub impact_ratio: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UptakeReport {
    pub dimension: Dimension,
    pub filter: ReportFilter,
    pub rows: Vec<UptakeRow>,
    /// Every application in the report once (for user groups, not the sum of the rows).
    pub total: UptakeRow,
    pub flags: Vec<Flag>,
    pub suppression: SuppressionNote,
    /// For equality answers and age band (`null` for user group and care experience): the table is
    /// about `min_population` people or more, zeros are hidden like small counts, and counts are
    /// rounded up or down at random, the same way every time for the same figures.
    pub protection: Option<Protection>,
}

/// How an equality table is protected beyond small-number suppression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Protection {
    /// Tables about fewer different people are refused (`422 population_too_small`).
    pub min_population: u64,
}

/// The store's grouped counts added up by category (in the dimension's order), and the total.
pub fn category_counts(dimension: Dimension, counts: &[FunnelCount]) -> (Vec<[u64; 6]>, [u64; 6]) {
    let categories = dimension.categories();
    let mut by_category = vec![[0u64; 6]; categories.len()];
    let mut total = [0u64; 6];
    for group in counts {
        for code in dimension.categories_of(&group.value) {
            if let Some(i) = categories.iter().position(|(c, _)| *c == code) {
                by_category[i].iter_mut().zip(group.reached).for_each(|(n, m)| *n += m);
            }
        }
        total.iter_mut().zip(group.reached).for_each(|(n, m)| *n += m);
    }
    (by_category, total)
}

/// The report's rows and total from the store's grouped counts: each stage's column of
/// categories adds up to the published total, so it is suppressed as a line.
pub fn tabulate(dimension: Dimension, counts: &[FunnelCount], rules: Rules) -> (Vec<UptakeRow>, UptakeRow) {
    let (by_category, total) = category_counts(dimension, counts);
    let grid: Vec<Vec<u64>> = by_category.iter().map(|r| r.to_vec()).collect();
    let published = table_with(&grid, rules, Totals { rows: false, columns: true });
    // The total is the sum of the rows, except for user groups (which overlap), where it is
    // still suppressed whenever the rows' sum had to be.
    let total_cells: Vec<Cell> = (0..6)
        .map(|i| match published.column_totals.get(i) {
            Some(Cell::Suppressed) => Cell::Suppressed,
            _ => crate::model::reports::suppression::count(total[i], rules),
        })
        .collect();
    rows_from(dimension, &published.cells, &total_cells)
}

/// Rows, rates and impact ratios from published cells (categories by stage) and the total's cells.
pub fn rows_from(dimension: Dimension, cells: &[Vec<Cell>], total_cells: &[Cell]) -> (Vec<UptakeRow>, UptakeRow) {
    let mut rows: Vec<UptakeRow> = dimension
        .categories()
        .into_iter()
        .zip(cells)
        .map(|((category, label), c)| UptakeRow { category, label, counts: stage_counts(c), transitions: Vec::new() })
        .collect();
    for (from, to) in TRANSITIONS {
        let (f, t) = (from.index(), to.index());
        // Rates and ratios come from the published counts: they reveal nothing the counts do not.
        let groups: Vec<AtRisk> = cells
            .iter()
            .map(|c| AtRisk {
                successes: c[t].value().unwrap_or(0),
                at_risk: c[f].value().unwrap_or(0),
                suppressed: c[f] == Cell::Suppressed || c[t] == Cell::Suppressed,
            })
            .collect();
        for ((row, c), impact) in rows.iter_mut().zip(cells).zip(impact_ratios(&groups)) {
            row.transitions.push(Transition {
                from: from.code(),
                to: to.code(),
                rate: Rate::of(c[t], c[f]),
                impact_ratio: impact.ratio.map(round3),
                flagged: impact.flagged,
            });
        }
    }
    let total_row = UptakeRow {
        category: "total",
        label: "All applications",
        counts: stage_counts(total_cells),
        transitions: TRANSITIONS
            .iter()
            .map(|(from, to)| Transition {
                from: from.code(),
                to: to.code(),
                rate: Rate::of(total_cells[to.index()], total_cells[from.index()]),
                impact_ratio: None,
                flagged: false,
            })
            .collect(),
    };
    (rows, total_row)
}

fn stage_counts(cells: &[Cell]) -> Vec<StageCount> {
    Stage::ALL.iter().zip(cells).map(|(s, c)| StageCount { stage: s.code(), figure: Figure::from(*c) }).collect()
}

/// The flagged categories and transitions of some rows.
pub fn flags(rows: &[UptakeRow]) -> Vec<Flag> {
    rows.iter()
        .flat_map(|r| {
            r.transitions.iter().filter(|t| t.flagged).map(|t| Flag {
                category: r.category,
                from: t.from,
                to: t.to,
                impact_ratio: t.impact_ratio.unwrap_or_default(),
            })
        })
        .collect()
}

/// The report's rows and total for a dimension of equality answers, protected against
/// disclosure ([`crate::model::reports::disclosure`]): zeros hidden, and noise keyed by the whole table.
pub fn protected(dimension: Dimension, counts: &[FunnelCount], rules: Rules) -> (Vec<UptakeRow>, UptakeRow) {
    let (by_category, total) = category_counts(dimension, counts);
    let grid: Vec<Vec<u64>> = by_category.iter().map(|r| r.to_vec()).collect();
    let published = protect(&grid, &total, dimension.code(), rules);
    rows_from(dimension, &published.cells, &published.totals)
}

#[cfg(test)]
mod tests;
