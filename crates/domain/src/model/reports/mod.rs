//! Report arithmetic: aggregates only, every figure suppressed by [`suppression`] (and equality
//! tables protected by [`disclosure`]). The store counts with grouped queries; these functions
//! decide who may see what, map the grouped values to categories, and apply suppression, rates
//! and impact ratios.

pub mod counting;
pub mod disclosure;
pub mod measures;
pub mod statistics;
pub mod suppression;
pub mod t_level;
pub mod uptake;

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use crate::error::FieldError;
use crate::model::auth::{Actor, PlatformRole};
use crate::model::reference::{PlacementKind, Region, Specialty};
use crate::model::reports::suppression::{Cell, Rules};

/// What a report covers. The period selects placements by their start date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub organisation_id: Option<Uuid>,
    pub region: Option<Region>,
    pub specialty: Option<Specialty>,
    pub kind: Option<PlacementKind>,
}

/// Why the caller may not see a report as they asked for it. (Each is a code of its own to the
/// use case that reports: the model imports no use case's error.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeRefused {
    /// Neither a platform admin, an analyst nor a coordinator.
    NoReportRole,
    /// A coordinator named an organisation they do not coordinate.
    NotCoordinator,
    /// The filters break rules (a period of part months, no organisation named by a coordinator of
    /// several).
    Invalid(Vec<FieldError>),
}

/// Why the caller may not see a table exact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExactRefused {
    /// Only platform admins see exact tables.
    NotAdmin,
    /// Only the national table over all time is given exact (`/exact` `national_only`).
    Invalid(Vec<FieldError>),
}

impl ReportFilter {
    /// A period is whole calendar months: it starts on the first of a month and ends on the last
    /// day of one. Finer periods would let two reports be compared down to the people whose
    /// placements start on one day (docs/reports.md, "Comparing two reports").
    fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.from.is_some_and(|d| d.day() != 1) {
            errors.push(FieldError::new(
                "/from",
                "not_start_of_month",
                "A period starts on the first day of a month (whole months only).",
            ));
        }
        if self.to.is_some_and(|d| d.succ_opt().is_some_and(|next| next.day() != 1)) {
            errors.push(FieldError::new(
                "/to",
                "not_end_of_month",
                "A period ends on the last day of a month (whole months only).",
            ));
        }
        if matches!((self.from, self.to), (Some(from), Some(to)) if from > to) {
            errors.push(FieldError::new("/to", "before_from", "The end of the period must not be before its start."));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// No filter at all: the whole country, all time.
    pub fn is_national(&self) -> bool {
        *self == ReportFilter::default()
    }
}

/// The rules for a table an admin asked to see exact: only admins, and only for the whole country
/// over all time (one such table per dimension, so none can be compared with another to single
/// anyone out). Small counts and zeros stay hidden; rounding and noise are left out.
pub fn exact(actor: &Actor, filter: &ReportFilter, rules: Rules) -> Result<Rules, ExactRefused> {
    if !actor.is_admin() {
        return Err(ExactRefused::NotAdmin);
    }
    if !filter.is_national() {
        return Err(ExactRefused::Invalid(vec![FieldError::new(
            "/exact",
            "national_only",
            "Exact counts are given only for the whole country over all time: leave out every filter.",
        )]));
    }
    Ok(Rules { round_to: 1, ..rules })
}

/// Decides what the caller may report on: analysts and admins anything; a coordinator only their
/// own organisation (named, or implied when they coordinate exactly one). Everyone else is refused.
pub fn scoped(actor: &Actor, filter: ReportFilter) -> Result<ReportFilter, ScopeRefused> {
    filter.check().map_err(ScopeRefused::Invalid)?;
    if actor.platform_roles.iter().any(|r| matches!(r, PlatformRole::Admin | PlatformRole::Analyst)) {
        return Ok(filter);
    }
    let coordinated: Vec<Uuid> = actor
        .memberships
        .iter()
        .filter(|(_, role)| *role == crate::model::auth::MembershipRole::Coordinator)
        .map(|(id, _)| *id)
        .collect();
    match (filter.organisation_id, coordinated.as_slice()) {
        (_, []) => Err(ScopeRefused::NoReportRole),
        (Some(id), _) if !actor.coordinates(id) => Err(ScopeRefused::NotCoordinator),
        (Some(_), _) => Ok(filter),
        (None, [only]) => Ok(ReportFilter { organisation_id: Some(*only), ..filter }),
        (None, _) => Err(ScopeRefused::Invalid(vec![FieldError::new(
            "/organisation_id",
            "organisation_required",
            "You coordinate more than one organisation: name the one to report on.",
        )])),
    }
}

/// A published count: the rounded figure, or `null` and `suppressed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figure {
    pub count: Option<u64>,
    pub suppressed: bool,
}

impl From<Cell> for Figure {
    fn from(c: Cell) -> Self {
        match c {
            Cell::Shown(n) => Figure { count: Some(n), suppressed: false },
            Cell::Suppressed => Figure { count: None, suppressed: true },
        }
    }
}

/// A published rate or share: `null` and `suppressed` when a count it comes from is suppressed,
/// `null` alone when there is nothing to divide by. Computed from the published (rounded) counts,
/// so that it reveals nothing the counts do not; rounded to three decimal places.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub value: Option<f64>,
    pub suppressed: bool,
}

impl Rate {
    pub fn of(numerator: Cell, denominator: Cell) -> Rate {
        match (numerator, denominator) {
            (Cell::Suppressed, _) | (_, Cell::Suppressed) => Rate { value: None, suppressed: true },
            (_, Cell::Shown(0)) => Rate { value: None, suppressed: false },
            (Cell::Shown(n), Cell::Shown(d)) => Rate { value: Some(round3(n as f64 / d as f64)), suppressed: false },
        }
    }
}

pub(crate) fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The rules a report was suppressed with, shown with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SuppressionNote {
    /// Counts from 1 to `min_shown - 1` are suppressed.
    pub min_shown: u64,
    /// Other counts are rounded to the nearest multiple of this.
    pub round_to: u64,
}

impl From<Rules> for SuppressionNote {
    fn from(r: Rules) -> Self {
        SuppressionNote { min_shown: r.min_shown, round_to: r.round_to }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::reports::suppression::count;

    const R: Rules = Rules::thresholds(8, 5);

    #[test]
    fn rates_from_suppressed_counts_are_suppressed() {
        assert_eq!(Rate::of(count(5, R), count(100, R)), Rate { value: None, suppressed: true });
        assert_eq!(Rate::of(count(50, R), count(5, R)), Rate { value: None, suppressed: true });
        assert_eq!(Rate::of(count(10, R), count(0, R)), Rate { value: None, suppressed: false });
        assert_eq!(Rate::of(count(20, R), count(80, R)), Rate { value: Some(0.25), suppressed: false });
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn codes(filter: ReportFilter) -> Vec<String> {
        match filter.check() {
            Ok(()) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| format!("{} {}", e.field, e.code)).collect(),
        }
    }

    #[test]
    fn periods_are_whole_months() {
        let period = |from: &str, to: &str| ReportFilter {
            from: Some(date(from)),
            to: Some(date(to)),
            ..ReportFilter::default()
        };
        assert!(codes(period("2027-01-01", "2027-01-31")).is_empty());
        assert!(codes(period("2027-09-01", "2028-08-31")).is_empty(), "an academic year");
        assert!(codes(period("2028-02-01", "2028-02-29")).is_empty(), "a leap February");
        assert_eq!(codes(period("2027-02-01", "2027-02-28")), Vec::<String>::new());
        assert_eq!(
            codes(period("2027-01-15", "2027-01-15")),
            vec!["/from not_start_of_month", "/to not_end_of_month"],
            "one day, the issue's attack"
        );
        assert_eq!(codes(period("2027-03-01", "2027-01-31")), vec!["/to before_from"]);
        let open = ReportFilter { to: Some(date("2028-02-28")), ..ReportFilter::default() };
        assert_eq!(codes(open), vec!["/to not_end_of_month"]);
    }

    #[test]
    fn exact_counts_are_for_admins_and_the_unfiltered_national_table_only() {
        let mut admin = Actor::new("admin");
        admin.platform_roles.push(PlatformRole::Admin);
        let mut analyst = Actor::new("analyst");
        analyst.platform_roles.push(PlatformRole::Analyst);
        let national = ReportFilter::default();
        assert_eq!(exact(&admin, &national, R).map(|r| r.round_to), Ok(1));
        assert_eq!(exact(&analyst, &national, R), Err(ExactRefused::NotAdmin));
        let filtered = [
            ReportFilter { from: Some(date("2027-01-01")), ..ReportFilter::default() },
            ReportFilter { organisation_id: Some(Uuid::nil()), ..ReportFilter::default() },
            ReportFilter { region: Some(Region::London), ..ReportFilter::default() },
        ];
        for filter in filtered {
            match exact(&admin, &filter, R) {
                Err(ExactRefused::Invalid(e)) => {
                    assert_eq!((e[0].field.as_str(), e[0].code.as_str()), ("/exact", "national_only"))
                }
                other => panic!("{other:?}"),
            }
        }
    }
}
