//! Reports: aggregates only, every figure suppressed. The store counts with grouped queries; the
//! model's report arithmetic (`model::reports`) maps the grouped values to categories and applies
//! suppression, rates and impact ratios. Each report here checks who may see what first.

use chrono::NaiveDate;

use crate::codes;
use crate::error::StoreError;
use crate::model::auth::Actor;
use crate::model::reference::{PlacementKind, Region};
use crate::model::reports::counting::COUNTING;
use crate::model::reports::disclosure::{PopulationTooSmall, check_population};
use crate::model::reports::measures::{
    FeedbackReport, ImplementationReport, SupplyBy, SupplyCount, SupplyReport, TimelinessReport, TimelinessRow,
    TimelinessTotal, host_questions, participant_questions, results, supply_rows,
};
use crate::model::reports::statistics::{AreaStatistics, Cube, Statistics};
use crate::model::reports::suppression::{Cell, Rules, count, linked, table};
use crate::model::reports::t_level::{TLevelReport, t_level_rows};
use crate::model::reports::uptake::{
    Dimension, FunnelCount, Protection, UptakeReport, category_counts, flags, protected, rows_from, tabulate,
};
use crate::model::reports::{ExactRefused, Figure, Rate, ReportFilter, ScopeRefused, exact as exact_rules, scoped};
use crate::ports::ReportStore;
use crate::use_case_error::Invalid;

crate::use_case_error! {
    /// Why a report could not be made for the caller.
    pub enum ReportError {
        /// Neither a platform admin, an analyst nor a coordinator.
        NoReportRole(()) = codes::REPORT_ROLE_REQUIRED,
        /// A coordinator asked about an organisation they do not coordinate.
        NotCoordinator(()) = codes::COORDINATOR_ROLE_REQUIRED,
        /// The period is not whole months or ends before it starts, or a coordinator of several
        /// organisations named none.
        Invalid(Invalid),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why an uptake report could not be made for the caller: as any report, and besides an exact
    /// table asked for by someone other than an admin, and an equality table about too few people.
    pub enum UptakeError {
        NoReportRole(()) = codes::REPORT_ROLE_REQUIRED,
        NotCoordinator(()) = codes::COORDINATOR_ROLE_REQUIRED,
        /// Only platform admins see exact tables.
        NotAdmin(()) = codes::ADMIN_ROLE_REQUIRED,
        /// An equality table about fewer people than the operator publishes.
        PopulationTooSmall(String) = codes::POPULATION_TOO_SMALL,
        /// As for any report, or an exact table with a filter (`/exact` `national_only`).
        Invalid(Invalid),
        Store(StoreError),
    }
}

impl From<ScopeRefused> for ReportError {
    fn from(e: ScopeRefused) -> Self {
        match e {
            ScopeRefused::NoReportRole => ReportError::NoReportRole(()),
            ScopeRefused::NotCoordinator => ReportError::NotCoordinator(()),
            ScopeRefused::Invalid(errors) => ReportError::Invalid(Invalid(errors)),
        }
    }
}

impl From<ScopeRefused> for UptakeError {
    fn from(e: ScopeRefused) -> Self {
        match e {
            ScopeRefused::NoReportRole => UptakeError::NoReportRole(()),
            ScopeRefused::NotCoordinator => UptakeError::NotCoordinator(()),
            ScopeRefused::Invalid(errors) => UptakeError::Invalid(Invalid(errors)),
        }
    }
}

impl From<ExactRefused> for UptakeError {
    fn from(e: ExactRefused) -> Self {
        match e {
            ExactRefused::NotAdmin => UptakeError::NotAdmin(()),
            ExactRefused::Invalid(errors) => UptakeError::Invalid(Invalid(errors)),
        }
    }
}

impl From<PopulationTooSmall> for UptakeError {
    fn from(e: PopulationTooSmall) -> Self {
        UptakeError::PopulationTooSmall(e.0)
    }
}

/// The uptake report for the caller, within what they may see; `exact` for an admin's national
/// table without rounding ([`exact`](crate::model::reports::exact)).
pub fn uptake<S: ReportStore + ?Sized>(
    store: &S,
    actor: &Actor,
    dimension: Dimension,
    filter: ReportFilter,
    exact: bool,
    rules: Rules,
) -> Result<UptakeReport, UptakeError> {
    let filter = scoped(actor, filter)?;
    let rules = if exact { exact_rules(actor, &filter, rules)? } else { rules };
    let counts = store.funnel_counts(dimension.grouping(), &filter, false)?;
    let (rows, total, protection) = if dimension.is_equality() {
        check_population(population_up_to(store, &filter, rules.min_population)?, rules)?;
        let (rows, total) = protected(dimension, &counts, rules);
        (rows, total, Some(Protection { min_population: rules.min_population }))
    } else {
        let (rows, total) = tabulate(dimension, &counts, rules);
        (rows, total, None)
    };
    Ok(UptakeReport { dimension, flags: flags(&rows), filter, rows, total, suppression: rules.into(), protection })
}

/// How many different people applied to placements matching the filter, as far as comparing
/// with `min` needs: a number that is at least `min` exactly when the number of people is.
/// Counting different people means reading every application, so the bounds the counters give
/// come first: a person applies to a placement once, so one placement's applications are as many
/// people; and there are no more people than applications.
pub fn population_up_to<S: ReportStore + ?Sized>(
    store: &S,
    filter: &ReportFilter,
    min: u64,
) -> Result<u64, StoreError> {
    let (applications, largest_placement) = store.application_bounds(filter)?;
    if largest_placement >= min {
        return Ok(largest_placement);
    }
    if applications < min {
        return Ok(applications);
    }
    store.people(filter)
}

/// Outcome timeliness: whether applicants heard by the date the placement promised.
pub fn timeliness<S: ReportStore + ?Sized>(
    store: &S,
    actor: &Actor,
    filter: ReportFilter,
    today: NaiveDate,
    rules: Rules,
) -> Result<TimelinessReport, ReportError> {
    let filter = scoped(actor, filter)?;
    let counts = store.timeliness_counts(&filter, &COUNTING, today)?;
    let grid: Vec<Vec<u64>> = counts.iter().map(|c| vec![c.on_time, c.late, c.overdue]).collect();
    let t = table(&grid, rules);
    let rows = counts
        .into_iter()
        .zip(t.cells.iter().zip(&t.row_totals))
        .map(|(c, (cells, due_cell))| TimelinessRow {
            due: Figure::from(*due_cell),
            on_time: Figure::from(cells[0]),
            late: Figure::from(cells[1]),
            overdue: Figure::from(cells[2]),
            on_time_share: Rate::of(cells[0], *due_cell),
            organisation_id: c.organisation_id,
            organisation_name: c.organisation_name,
            month: c.month,
        })
        .collect();
    let sums: Vec<u64> = (0..3).map(|i| grid.iter().map(|r| r[i]).sum()).collect();
    let all: u64 = sums.iter().sum();
    let col = |i: usize| t.column_totals.get(i).copied().unwrap_or_else(|| count(sums[i], rules));
    // A suppressed column total could be recovered from the overall total: it goes too.
    let all_cell = if (0..3).any(|i| col(i) == Cell::Suppressed) { Cell::Suppressed } else { count(all, rules) };
    let total = TimelinessTotal {
        due: all_cell.into(),
        on_time: col(0).into(),
        late: col(1).into(),
        overdue: col(2).into(),
        on_time_share: Rate::of(col(0), all_cell),
    };
    Ok(TimelinessReport { filter, rows, total, suppression: rules.into() })
}

/// Supply and demand: places against applications, and how many places were filled.
pub fn supply_and_demand<S: ReportStore + ?Sized>(
    store: &S,
    actor: &Actor,
    by: SupplyBy,
    filter: ReportFilter,
    rules: Rules,
) -> Result<SupplyReport, ReportError> {
    let filter = scoped(actor, filter)?;
    let counts = store.supply_counts(by, &filter, &COUNTING)?;
    let (rows, total) = supply_rows(by, &counts, rules);
    Ok(SupplyReport { by, filter, rows, total, suppression: rules.into() })
}

/// T-level measures, by region or specialty: placements offered and their places, places filled,
/// students placed and hours completed, suppressed as every report is.
pub fn t_level<S: ReportStore + ?Sized>(
    store: &S,
    actor: &Actor,
    by: SupplyBy,
    filter: ReportFilter,
    rules: Rules,
) -> Result<TLevelReport, ReportError> {
    if by == SupplyBy::Kind {
        return Err(Invalid::one("/by", "invalid_value", "Choose region or specialty.").into());
    }
    let filter = scoped(actor, filter)?;
    let t_level = PlacementKind::TLevelIndustryPlacement;
    // Another kind asked for leaves no T-level placement to count; the filter is given back as asked.
    let (counts, students) = match filter.kind {
        Some(kind) if kind != t_level => (Vec::new(), 0),
        _ => store.t_level_counts(by, &ReportFilter { kind: Some(t_level), ..filter.clone() }, &COUNTING)?,
    };
    let (rows, total) = t_level_rows(by, &counts, students, rules);
    Ok(TLevelReport { by, filter, rows, total, suppression: rules.into() })
}

/// The implementation measures of the Discovery Report's Appendix B.
pub fn implementation<S: ReportStore + ?Sized>(
    store: &S,
    actor: &Actor,
    filter: ReportFilter,
    rules: Rules,
) -> Result<ImplementationReport, ReportError> {
    let filter = scoped(actor, filter)?;
    let c = store.implementation_counts(&filter, &COUNTING)?;
    // Those who said yes and no are a row whose total is published.
    let pre =
        table(&[vec![c.pre_module_completed, c.pre_module_answered.saturating_sub(c.pre_module_completed)]], rules);
    Ok(ImplementationReport {
        registered_applicants: count(c.registered_applicants, rules).into(),
        applicants: count(c.applicants, rules).into(),
        organisations_with_published_placements: c.organisations_with_published_placements,
        published_placements: c.published_placements,
        hosts_who_hosted: count(c.hosts_who_hosted, rules).into(),
        placements_completed: c.placements_completed,
        pre_module_answered: pre.row_totals[0].into(),
        pre_module_completed: pre.cells[0][0].into(),
        pre_module_share: Rate::of(pre.cells[0][0], pre.row_totals[0]),
        filter,
        suppression: rules.into(),
    })
}

/// What participants and hosts said in the Appendix B surveys, suppressed.
pub fn feedback<S: ReportStore + ?Sized>(
    store: &S,
    actor: &Actor,
    filter: ReportFilter,
    rules: Rules,
) -> Result<FeedbackReport, ReportError> {
    let filter = scoped(actor, filter)?;
    let counts = store.feedback_counts(&filter)?;
    Ok(FeedbackReport {
        participants: results(participant_questions(), &counts.participants, rules),
        hosts: results(host_questions(), &counts.hosts, rules),
        filter,
        suppression: rules.into(),
    })
}

/// The public statistics, from the store's grouped counts split by region.
/// Anyone may read them: they fail only as the store does.
pub fn statistics<S: ReportStore + ?Sized>(store: &S, rules: Rules) -> Result<Statistics, StoreError> {
    let filter = ReportFilter::default();
    let funnel = store.funnel_counts(Dimension::UserGroup.grouping(), &filter, true)?;
    let supply = store.supply_counts(SupplyBy::Region, &filter, &COUNTING)?;
    let areas: Vec<Option<Region>> = std::iter::once(None).chain(Region::ALL.iter().map(|r| Some(*r))).collect();
    let categories = Dimension::UserGroup.categories().len();
    let mut cube = Cube { categories, values: vec![0; areas.len() * (categories + 1) * 6] };
    for (a, region) in areas.iter().enumerate() {
        let counts: Vec<FunnelCount> =
            funnel.iter().filter(|c| region.is_none() || c.region == *region).cloned().collect();
        let (by_category, total) = category_counts(Dimension::UserGroup, &counts);
        for (c, stages) in by_category.iter().chain([&total]).enumerate() {
            for (s, n) in stages.iter().enumerate() {
                let i = cube.at(a, c, s);
                cube.values[i] = *n;
            }
        }
    }
    let cells = linked(&cube.values, &cube.lines(areas.len()), rules);
    // Places filled: each region's figures add up to England's, in the two columns of people.
    let regional: Vec<SupplyCount> = Region::ALL
        .iter()
        .map(|r| {
            supply.iter().find(|s| s.category == r.code()).cloned().unwrap_or(SupplyCount {
                category: r.code().to_string(),
                placements: 0,
                places: 0,
                applications: 0,
                filled: 0,
            })
        })
        .collect();
    let (region_rows, england_places) = supply_rows(SupplyBy::Region, &regional, rules);
    let mut out = areas.iter().enumerate().map(|(a, region)| {
        let cell_rows: Vec<Vec<Cell>> =
            (0..=categories).map(|c| (0..6).map(|s| cells[cube.at(a, c, s)]).collect()).collect();
        let (rows, total) = rows_from(Dimension::UserGroup, &cell_rows[..categories], &cell_rows[categories]);
        let places = match a {
            0 => england_places.clone(),
            _ => region_rows[a - 1].clone(),
        };
        AreaStatistics {
            region: *region,
            label: region.map_or("England", Region::label),
            uptake_by_user_group: rows,
            all_applications: total,
            places,
        }
    });
    // England is the first of the areas, so it is always there.
    let national = out.next().ok_or_else(|| StoreError::Internal("no national statistics".to_string()))?;
    Ok(Statistics { national, regions: out.collect(), suppression: rules.into() })
}
