//! T-level industry placements on an accepted place: the three-way agreement (employer, provider,
//! student), hours logged by the supervisor in quarter hours, the working-time limits every log
//! must keep within, the mid-point and end reviews, and progress against the 315 hours a T level
//! requires.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use uuid::Uuid;

use crate::error::FieldError;
use crate::model::profile::age_on;
use crate::model::reference::code_enum;
use crate::model::validation::has_visible;
use crate::use_case_error::Invalid;
use std::fmt;

/// The industry placement hours a T level requires, across all its employers.
pub const TARGET_HOURS: u32 = 315;
/// A student's T-level hours may be spread over at most this many employers (places).
pub const MAX_EMPLOYERS: usize = 2;
/// The most hours one agreement may plan: twice the target leaves room for a generous plan
/// without letting a typing slip (3150) through.
pub const MAX_PLANNED_HOURS: u32 = 2 * TARGET_HOURS;
pub const MAX_OBJECTIVES_LEN: usize = 4000;
pub const MAX_REVIEW_TEXT_LEN: usize = 4000;

code_enum! {
    /// How the placement's days are spread.
    Pattern {
        Block => ("block", "Block", "Consecutive days or weeks at the employer."),
        DayRelease => ("day_release", "Day release", "One or two days a week at the employer, the rest at college."),
        Mixed => ("mixed", "Mixed", "Some block weeks and some day release."),
    }
}

code_enum! {
    /// The three parties to a T-level placement agreement.
    Party {
        Employer => ("employer", "Employer", "The NHS organisation, through its coordinator."),
        Provider => ("provider", "Education provider", "The student's college or school."),
        Student => ("student", "Student", "The student, or their advocate for them."),
    }
}

code_enum! {
    /// The two reviews of a T-level placement.
    ReviewStage {
        MidPoint => ("mid_point", "Mid-point review", "Halfway through: is the student on track?"),
        End => ("end", "End review", "At the end: required before the placement can be completed."),
    }
}

/// Hours as a whole number of quarter hours: logs are kept in quarters so that totals are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct QuarterHours(pub u32);

impl QuarterHours {
    pub const fn hours(h: u32) -> Self {
        QuarterHours(h * 4)
    }

    /// Hours as sent: more than 0 and at most 24, in quarter hours (7.25 yes, 7.3 no).
    pub fn parse(hours: f64) -> Option<Self> {
        let quarters = hours * 4.0;
        let whole = quarters.round();
        // Only exact quarters: 7.3 is refused rather than rounded behind the sender's back.
        if !hours.is_finite() || (quarters - whole).abs() > 1e-9 || whole <= 0.0 || whole > 96.0 {
            return None;
        }
        // In range and whole, so the conversion is exact.
        Some(QuarterHours(whole as u32))
    }

    pub fn as_hours(self) -> f64 {
        f64::from(self.0) / 4.0
    }
}

impl std::ops::Add for QuarterHours {
    type Output = QuarterHours;
    fn add(self, other: QuarterHours) -> QuarterHours {
        QuarterHours(self.0 + other.0)
    }
}

impl std::iter::Sum for QuarterHours {
    fn sum<I: Iterator<Item = QuarterHours>>(iter: I) -> QuarterHours {
        iter.fold(QuarterHours(0), |a, b| a + b)
    }
}

/// The working-time limits for someone on one day (the Working Time Regulations 1998).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub per_day: QuarterHours,
    /// Young workers (under 18) only.
    pub per_week: Option<QuarterHours>,
}

/// Under 18 on the day: 8 hours a day and 40 a week; otherwise 12 hours a day, the service's own
/// ceiling for a single shift on placement.
pub fn limits(born: NaiveDate, day: NaiveDate) -> Limits {
    if age_on(born, day) < 18 {
        Limits { per_day: QuarterHours::hours(8), per_week: Some(QuarterHours::hours(40)) }
    } else {
        Limits { per_day: QuarterHours::hours(12), per_week: None }
    }
}

/// A log that would break the limits: what was broken, the limit and the total it would make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breach {
    Day { limit: QuarterHours, total: QuarterHours },
    Week { limit: QuarterHours, total: QuarterHours },
}

/// Checks `hours` on `day` for someone born on `born` against the limits, counting `others`: the
/// person's other logged days (any employer), without the entry this log replaces.
pub fn check_working_time(
    born: NaiveDate,
    day: NaiveDate,
    hours: QuarterHours,
    others: &[(NaiveDate, QuarterHours)],
) -> Result<(), Breach> {
    let limit = limits(born, day);
    let same_day: QuarterHours = others.iter().filter(|(d, _)| *d == day).map(|(_, h)| *h).sum();
    let total = same_day + hours;
    if total > limit.per_day {
        return Err(Breach::Day { limit: limit.per_day, total });
    }
    if let Some(week_limit) = limit.per_week {
        let (monday, sunday) = week_of(day);
        let week: QuarterHours =
            others.iter().filter(|(d, _)| *d >= monday && *d <= sunday).map(|(_, h)| *h).sum::<QuarterHours>() + hours;
        if week > week_limit {
            return Err(Breach::Week { limit: week_limit, total: week });
        }
    }
    Ok(())
}

/// The Monday and Sunday of the week holding `day`.
pub fn week_of(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
    debug_assert_eq!(monday.weekday(), Weekday::Mon);
    (monday, monday + Duration::days(6))
}

/// What the coordinator records: the terms all three parties confirm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub objectives: String,
    pub pattern: Pattern,
    /// The subject of the supervisor: a host of the organisation.
    pub supervisor: String,
    pub planned_hours: u32,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
}

impl Terms {
    /// Every broken rule of the terms' own, with its field; the dates must lie within the
    /// placement's.
    pub fn check(&self, placement_start: NaiveDate, placement_end: NaiveDate) -> Result<(), Invalid> {
        let mut errors = Vec::new();
        if !has_visible(&self.objectives) || self.objectives.chars().count() > MAX_OBJECTIVES_LEN {
            errors.push(FieldError::new(
                "/objectives",
                "invalid_length",
                format!("Say what the student will learn, in 1 to {MAX_OBJECTIVES_LEN} characters."),
            ));
        }
        if !crate::model::auth::valid_subject(&self.supervisor) {
            errors.push(FieldError::new("/supervisor", "invalid_subject", "Give the supervisor's account subject."));
        }
        if self.planned_hours == 0 || self.planned_hours > MAX_PLANNED_HOURS {
            errors.push(FieldError::new(
                "/planned_hours",
                "out_of_range",
                format!("Planned hours are from 1 to {MAX_PLANNED_HOURS}."),
            ));
        }
        if self.start_date < placement_start || self.start_date > placement_end {
            errors.push(FieldError::new(
                "/start_date",
                "outside_placement",
                "The agreement starts within the placement's dates.",
            ));
        }
        if self.end_date < self.start_date || self.end_date > placement_end {
            errors.push(FieldError::new(
                "/end_date",
                "outside_placement",
                "The agreement ends on or after its start, within the placement's dates.",
            ));
        }
        if errors.is_empty() { Ok(()) } else { Err(Invalid(errors)) }
    }
}

/// When each party confirmed the current terms (`None`: not yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Confirmations {
    pub employer: Option<DateTime<Utc>>,
    pub provider: Option<DateTime<Utc>>,
    pub student: Option<DateTime<Utc>>,
}

impl Confirmations {
    pub fn of(&self, party: Party) -> Option<DateTime<Utc>> {
        match party {
            Party::Employer => self.employer,
            Party::Provider => self.provider,
            Party::Student => self.student,
        }
    }

    pub fn set(&mut self, party: Party, at: DateTime<Utc>) {
        match party {
            Party::Employer => self.employer = Some(at),
            Party::Provider => self.provider = Some(at),
            Party::Student => self.student = Some(at),
        }
    }

    pub fn all(&self) -> bool {
        self.employer.is_some() && self.provider.is_some() && self.student.is_some()
    }
}

/// The agreement on one accepted T-level place, keyed by its application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    pub application_id: Uuid,
    pub placement_id: Uuid,
    pub profile_id: Uuid,
    pub terms: Terms,
    pub confirmations: Confirmations,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Agreement {
    /// Hours may be logged on this day: all three confirmed, and it lies within the agreed dates.
    pub fn loggable(&self, day: NaiveDate) -> bool {
        self.confirmations.all() && day >= self.terms.start_date && day <= self.terms.end_date
    }
}

/// One day's hours, signed off by the supervisor who logged them. A correction replaces the entry
/// (same id, next version).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursEntry {
    pub id: Uuid,
    pub application_id: Uuid,
    pub profile_id: Uuid,
    pub day: NaiveDate,
    pub hours: QuarterHours,
    pub logged_by: String,
    pub logged_at: DateTime<Utc>,
    pub version: i64,
}

/// A review by the supervisor, with the student's reflection once added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub id: Uuid,
    pub application_id: Uuid,
    pub stage: ReviewStage,
    pub on_track: bool,
    pub comments: String,
    pub reviewed_by: String,
    pub reviewed_at: DateTime<Utc>,
    pub reflection: Option<String>,
    pub reflected_at: Option<DateTime<Utc>>,
    pub version: i64,
}

/// Checks a review's or reflection's text: visible, and not too long.
pub fn check_text(field: &str, text: &str) -> Result<(), Invalid> {
    if has_visible(text) && text.chars().count() <= MAX_REVIEW_TEXT_LEN {
        Ok(())
    } else {
        Err(Invalid::one(field, "invalid_length", &format!("Write 1 to {MAX_REVIEW_TEXT_LEN} characters.")))
    }
}

/// Hours logged on one of a student's T-level places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaceHours {
    pub application_id: Uuid,
    pub placement_id: Uuid,
    pub planned_hours: u32,
    pub logged: QuarterHours,
}

/// A student's progress towards the T level's hours, across their places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub places: Vec<PlaceHours>,
}

impl Progress {
    pub fn total(&self) -> QuarterHours {
        self.places.iter().map(|p| p.logged).sum()
    }

    pub fn remaining(&self) -> QuarterHours {
        QuarterHours(QuarterHours::hours(TARGET_HOURS).0.saturating_sub(self.total().0))
    }

    pub fn reached(&self) -> bool {
        self.total() >= QuarterHours::hours(TARGET_HOURS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Born so that they turn 18 on 2027-03-10 (a Wednesday).
    const BORN: &str = "2009-03-10";

    #[test]
    fn quarter_hours_parse_only_exact_quarters_up_to_a_day() {
        assert_eq!(QuarterHours::parse(7.25), Some(QuarterHours(29)));
        assert_eq!(QuarterHours::parse(0.25), Some(QuarterHours(1)));
        assert_eq!(QuarterHours::parse(24.0), Some(QuarterHours(96)));
        for bad in [0.0, -1.0, 7.3, 24.25, f64::NAN, f64::INFINITY] {
            assert_eq!(QuarterHours::parse(bad), None, "{bad}");
        }
        assert!((QuarterHours(29).as_hours() - 7.25).abs() < f64::EPSILON);
    }

    #[test]
    fn under_18_on_the_day_gets_the_young_workers_limits() {
        assert_eq!(limits(d(BORN), d("2027-03-09")).per_day, QuarterHours::hours(8));
        assert_eq!(limits(d(BORN), d("2027-03-09")).per_week, Some(QuarterHours::hours(40)));
        assert_eq!(limits(d(BORN), d("2027-03-10")), Limits { per_day: QuarterHours::hours(12), per_week: None });
    }

    #[test]
    fn a_young_worker_may_work_8_hours_a_day_and_not_a_quarter_more() {
        let day = d("2027-03-01");
        assert_eq!(check_working_time(d(BORN), day, QuarterHours::hours(8), &[]), Ok(()));
        assert_eq!(
            check_working_time(d(BORN), day, QuarterHours(33), &[]),
            Err(Breach::Day { limit: QuarterHours::hours(8), total: QuarterHours(33) })
        );
        // Hours logged by another employer on the same day count.
        assert!(check_working_time(d(BORN), day, QuarterHours::hours(4), &[(day, QuarterHours::hours(4))]).is_ok());
        assert!(check_working_time(d(BORN), day, QuarterHours(17), &[(day, QuarterHours::hours(4))]).is_err());
    }

    #[test]
    fn a_young_worker_may_work_40_hours_from_monday_to_sunday() {
        // 2027-03-01 is a Monday; four 8-hour days make 32.
        let week: Vec<_> = (0..4).map(|i| (d("2027-03-01") + Duration::days(i), QuarterHours::hours(8))).collect();
        let friday = d("2027-03-05");
        assert_eq!(check_working_time(d(BORN), friday, QuarterHours::hours(8), &week), Ok(()));
        assert_eq!(
            check_working_time(d(BORN), d("2027-03-07"), QuarterHours(33), &week),
            Err(Breach::Day { limit: QuarterHours::hours(8), total: QuarterHours(33) })
        );
        let mut full = week.clone();
        full.push((friday, QuarterHours::hours(8)));
        assert_eq!(
            check_working_time(d(BORN), d("2027-03-07"), QuarterHours(1), &full),
            Err(Breach::Week { limit: QuarterHours::hours(40), total: QuarterHours(161) })
        );
        // The next Monday starts a new week, and the previous Sunday belongs to the last one.
        assert_eq!(check_working_time(d(BORN), d("2027-03-08"), QuarterHours::hours(8), &full), Ok(()));
        assert_eq!(check_working_time(d(BORN), d("2027-02-28"), QuarterHours::hours(8), &full), Ok(()));
    }

    #[test]
    fn an_adult_may_work_12_hours_a_day_with_no_weekly_limit_here() {
        let day = d("2027-03-10");
        assert_eq!(check_working_time(d(BORN), day, QuarterHours::hours(12), &[]), Ok(()));
        assert_eq!(
            check_working_time(d(BORN), day, QuarterHours(49), &[]),
            Err(Breach::Day { limit: QuarterHours::hours(12), total: QuarterHours(49) })
        );
        let week: Vec<_> = (-2..0).map(|i| (day + Duration::days(i), QuarterHours::hours(12))).collect();
        assert_eq!(check_working_time(d(BORN), day + Duration::days(1), QuarterHours::hours(12), &week), Ok(()));
    }

    #[test]
    fn weeks_run_monday_to_sunday() {
        assert_eq!(week_of(d("2027-03-07")), (d("2027-03-01"), d("2027-03-07")));
        assert_eq!(week_of(d("2027-03-01")), (d("2027-03-01"), d("2027-03-07")));
    }

    fn terms() -> Terms {
        Terms {
            objectives: "Learn how a pathology lab runs.".to_string(),
            pattern: Pattern::DayRelease,
            supervisor: "host-1".to_string(),
            planned_hours: 315,
            start_date: d("2027-01-04"),
            end_date: d("2027-06-30"),
        }
    }

    #[test]
    fn terms_lie_within_the_placement() {
        assert_eq!(terms().check(d("2027-01-04"), d("2027-06-30")), Ok(()));
        let Err(Invalid(errors)) = terms().check(d("2027-01-05"), d("2027-06-29")) else { panic!("accepted") };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["/start_date", "/end_date"]);
        let bad = Terms { objectives: " ".into(), planned_hours: 0, supervisor: String::new(), ..terms() };
        let Err(Invalid(errors)) = bad.check(d("2027-01-04"), d("2027-06-30")) else { panic!("accepted") };
        assert_eq!(errors.len(), 3);
        let edge = Terms { planned_hours: MAX_PLANNED_HOURS, ..terms() };
        assert!(edge.check(d("2027-01-04"), d("2027-06-30")).is_ok());
        let over = Terms { planned_hours: MAX_PLANNED_HOURS + 1, ..terms() };
        assert!(over.check(d("2027-01-04"), d("2027-06-30")).is_err());
    }

    #[test]
    fn progress_counts_every_place_against_the_target() {
        let place =
            |q| PlaceHours { application_id: Uuid::nil(), placement_id: Uuid::nil(), planned_hours: 200, logged: q };
        let p = Progress { places: vec![place(QuarterHours::hours(200)), place(QuarterHours(459))] };
        assert_eq!(p.total(), QuarterHours(1259));
        assert_eq!(p.remaining(), QuarterHours(1));
        assert!(!p.reached());
        let p = Progress { places: vec![place(QuarterHours::hours(200)), place(QuarterHours::hours(115))] };
        assert!(p.reached());
        assert_eq!(p.remaining(), QuarterHours(0));
    }
}
