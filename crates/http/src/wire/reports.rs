//! The reports as the API writes them. The domain computes them (`wex_domain::model::reports`);
//! these are their JSON shapes, field for field.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::model::reference::{PlacementKind, Region, Specialty};
use wex_domain::model::reports as domain;
use wex_domain::model::reports::measures::SupplyBy;
use wex_domain::model::reports::uptake::Dimension;

use crate::wire::codes;

/// What a report covers. The period selects placements by their start date.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub organisation_id: Option<Uuid>,
    #[schema(value_type = Option<codes::Region>)]
    pub region: Option<Region>,
    #[schema(value_type = Option<codes::Specialty>)]
    pub specialty: Option<Specialty>,
    #[schema(value_type = Option<codes::PlacementKind>)]
    pub kind: Option<PlacementKind>,
}

/// A published count: the rounded figure, or `null` and `suppressed`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Figure {
    pub count: Option<u64>,
    pub suppressed: bool,
}

/// A published rate or share: `null` and `suppressed` when a count it comes from is suppressed,
/// `null` alone when there is nothing to divide by. Computed from the published (rounded) counts,
/// so that it reveals nothing the counts do not; rounded to three decimal places.
#[derive(Debug, Serialize, ToSchema)]
pub struct Rate {
    pub value: Option<f64>,
    pub suppressed: bool,
}

/// The rules a report was suppressed with, shown with it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuppressionNote {
    /// Counts from 1 to `min_shown - 1` are suppressed.
    pub min_shown: u64,
    /// Other counts are rounded to the nearest multiple of this.
    pub round_to: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StageCount {
    #[schema(example = "offered")]
    pub stage: &'static str,
    #[serde(flatten)]
    pub figure: Figure,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Transition {
    #[schema(example = "entered")]
    pub from: &'static str,
    #[schema(example = "offered")]
    pub to: &'static str,
    /// The share of those at `from` who reached `to`.
    pub rate: Rate,
    /// This category's rate divided by the highest rate of any category (`null` when either is
    /// suppressed, and for the total row).
    pub impact_ratio: Option<f64>,
    /// Under 0.8 with at least 20 at `from` (as published) in both this category and the highest.
    pub flagged: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UptakeRow {
    #[schema(example = "care_experienced")]
    pub category: &'static str,
    #[schema(example = "Care-experienced people")]
    pub label: &'static str,
    pub counts: Vec<StageCount>,
    pub transitions: Vec<Transition>,
}

/// A flagged category and transition, listed once more for quick reading.
#[derive(Debug, Serialize, ToSchema)]
pub struct Flag {
    pub category: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub impact_ratio: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UptakeReport {
    #[schema(value_type = codes::Dimension)]
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
#[derive(Debug, Serialize, ToSchema)]
pub struct Protection {
    /// Tables about fewer different people are refused (`422 population_too_small`).
    pub min_population: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimelinessRow {
    pub organisation_id: Uuid,
    #[schema(example = "Sheffield Children's NHS Foundation Trust")]
    pub organisation_name: String,
    #[schema(example = "2027-03")]
    pub month: String,
    /// Outcomes owed in the month: on time, late and overdue together.
    pub due: Figure,
    pub on_time: Figure,
    pub late: Figure,
    pub overdue: Figure,
    /// On time as a share of due.
    pub on_time_share: Rate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimelinessReport {
    pub filter: ReportFilter,
    pub rows: Vec<TimelinessRow>,
    pub total: TimelinessTotal,
    pub suppression: SuppressionNote,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimelinessTotal {
    pub due: Figure,
    pub on_time: Figure,
    pub late: Figure,
    pub overdue: Figure,
    pub on_time_share: Rate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SupplyRow {
    #[schema(example = "allied_health_professions")]
    pub category: String,
    #[schema(example = "Allied health professions")]
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

#[derive(Debug, Serialize, ToSchema)]
pub struct SupplyReport {
    #[schema(value_type = codes::SupplyBy)]
    pub by: SupplyBy,
    pub filter: ReportFilter,
    pub rows: Vec<SupplyRow>,
    pub total: SupplyRow,
    pub suppression: SuppressionNote,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TLevelRow {
    #[schema(example = "london")]
    pub category: String,
    #[schema(example = "London")]
    pub label: String,
    /// Published T-level placements (not suppressed: they are public).
    pub placements: u64,
    /// Their places (capacity).
    pub places: u64,
    /// Places accepted.
    pub filled: Figure,
    /// Different students holding those places (a student at two employers counts once in the
    /// total).
    pub students: Figure,
    /// Hours logged by supervisors on those places, in whole hours; suppressed where the students
    /// behind them are.
    pub hours_completed: Figure,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TLevelReport {
    /// `region` or `specialty`.
    #[schema(value_type = codes::SupplyBy)]
    pub by: SupplyBy,
    pub filter: ReportFilter,
    pub rows: Vec<TLevelRow>,
    pub total: TLevelRow,
    pub suppression: SuppressionNote,
}

#[derive(Debug, Serialize, ToSchema)]
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

#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerCount {
    #[schema(example = "agree")]
    pub answer: &'static str,
    #[schema(example = "Agree")]
    pub label: &'static str,
    #[serde(flatten)]
    pub figure: Figure,
    /// Of those who answered the question.
    pub share: Rate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionResults {
    #[schema(example = "better_able_to_decide")]
    pub question: &'static str,
    pub text: &'static str,
    pub answered: Figure,
    pub answers: Vec<AnswerCount>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackReport {
    pub filter: ReportFilter,
    pub participants: Vec<QuestionResults>,
    pub hosts: Vec<QuestionResults>,
    pub suppression: SuppressionNote,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AreaStatistics {
    /// `null` for England as a whole.
    #[schema(value_type = Option<codes::Region>)]
    pub region: Option<Region>,
    #[schema(example = "England")]
    pub label: &'static str,
    /// Applications from each user group at each stage of selection.
    pub uptake_by_user_group: Vec<UptakeRow>,
    pub all_applications: UptakeRow,
    /// Places, applications and places filled.
    pub places: SupplyRow,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Statistics {
    pub national: AreaStatistics,
    pub regions: Vec<AreaStatistics>,
    pub suppression: SuppressionNote,
}

mirror! { domain::ReportFilter => ReportFilter {from, to, organisation_id, region, specialty, kind} }
mirror! { domain::Figure => Figure {count, suppressed} }
mirror! { domain::Rate => Rate {value, suppressed} }
mirror! { domain::SuppressionNote => SuppressionNote {min_shown, round_to} }
mirror! { domain::uptake::StageCount => StageCount {stage, figure: into} }
mirror! { domain::uptake::Transition => Transition {from, to, rate: into, impact_ratio, flagged} }
mirror! { domain::uptake::UptakeRow => UptakeRow {category, label, counts: vec, transitions: vec} }
mirror! { domain::uptake::Flag => Flag {category, from, to, impact_ratio} }
mirror! {
    domain::uptake::UptakeReport => UptakeReport {dimension, filter: into, rows: vec, total: into, flags: vec, suppression: into, protection: opt}
}
mirror! { domain::uptake::Protection => Protection {min_population} }
mirror! {
    domain::measures::TimelinessRow => TimelinessRow {organisation_id, organisation_name, month, due: into, on_time: into, late: into, overdue: into, on_time_share: into}
}
mirror! { domain::measures::TimelinessReport => TimelinessReport {filter: into, rows: vec, total: into, suppression: into} }
mirror! { domain::measures::TimelinessTotal => TimelinessTotal {due: into, on_time: into, late: into, overdue: into, on_time_share: into} }
mirror! {
    domain::measures::SupplyRow => SupplyRow {category, label, placements, places, applications: into, filled: into, applications_per_place: into, fill_rate: into}
}
mirror! { domain::measures::SupplyReport => SupplyReport {by, filter: into, rows: vec, total: into, suppression: into} }
mirror! {
    domain::measures::ImplementationReport => ImplementationReport {filter: into, registered_applicants: into, applicants: into, organisations_with_published_placements, published_placements, hosts_who_hosted: into, placements_completed, pre_module_answered: into, pre_module_completed: into, pre_module_share: into, suppression: into}
}
mirror! { domain::measures::AnswerCount => AnswerCount {answer, label, figure: into, share: into} }
mirror! { domain::measures::QuestionResults => QuestionResults {question, text, answered: into, answers: vec} }
mirror! { domain::measures::FeedbackReport => FeedbackReport {filter: into, participants: vec, hosts: vec, suppression: into} }
mirror! {
    domain::statistics::AreaStatistics => AreaStatistics {region, label, uptake_by_user_group: vec, all_applications: into, places: into}
}
mirror! { domain::statistics::Statistics => Statistics {national: into, regions: vec, suppression: into} }
mirror! {
    domain::t_level::TLevelRow => TLevelRow {category, label, placements, places, filled: into, students: into, hours_completed: into}
}
mirror! { domain::t_level::TLevelReport => TLevelReport {by, filter: into, rows: vec, total: into, suppression: into} }
