//! Sandbox test data: how much a batch may hold, the batch as recorded, what deleting removed, and
//! the seeded generator that makes a batch's content the same for the same seed.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::FieldError;
use crate::use_case_error::Invalid;

/// The most organisations one batch makes.
pub const MAX_ORGANISATIONS: u32 = 20;
/// The most placements one batch makes in all (organisations × placements per organisation).
pub const MAX_PLACEMENTS: u32 = 200;
/// The most applicants one batch makes.
pub const MAX_APPLICANTS: u32 = 2000;
/// The most applications each applicant makes (each to a different placement).
pub const MAX_APPLICATIONS_PER_APPLICANT: u32 = 5;
/// The largest seed: every JSON reader holds integers up to 2^53 - 1 exactly.
pub const MAX_SEED: u64 = (1 << 53) - 1;

/// A batch's size as asked for; absent fields take small defaults.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TestDataRequest {
    pub organisations: Option<u32>,
    pub placements_per_organisation: Option<u32>,
    pub applicants: Option<u32>,
    pub applications_per_applicant: Option<u32>,
    pub seed: Option<u64>,
}

/// A batch's size once checked: within every bound, so one call cannot swamp the sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TestDataSpec {
    pub organisations: u32,
    pub placements_per_organisation: u32,
    pub applicants: u32,
    pub applications_per_applicant: u32,
    pub seed: u64,
}

impl TestDataSpec {
    pub fn placements(&self) -> u32 {
        self.organisations * self.placements_per_organisation
    }

    pub fn applications(&self) -> u32 {
        self.applicants * self.applications_per_applicant
    }
}

impl TestDataRequest {
    /// The spec, or every field out of bounds. `random_seed` is used when no seed was sent (the
    /// batch reports the seed it used, so it can be made again); `active_cap` is how many
    /// applications may wait for an outcome at once, which no applicant may be asked to exceed.
    pub fn checked(self, random_seed: u64, active_cap: u32) -> Result<TestDataSpec, Invalid> {
        let spec = TestDataSpec {
            organisations: self.organisations.unwrap_or(1),
            placements_per_organisation: self.placements_per_organisation.unwrap_or(3),
            applicants: self.applicants.unwrap_or(5),
            applications_per_applicant: self.applications_per_applicant.unwrap_or(1),
            seed: self.seed.unwrap_or(random_seed & MAX_SEED),
        };
        let mut errors = Vec::new();
        let mut out_of_range =
            |field: &str, message: String| errors.push(FieldError::new(field, "out_of_range", message));
        if !(1..=MAX_ORGANISATIONS).contains(&spec.organisations) {
            out_of_range("/organisations", format!("Ask for 1 to {MAX_ORGANISATIONS} organisations."));
        }
        if spec.placements_per_organisation < 1 {
            out_of_range("/placements_per_organisation", "Ask for at least 1 placement per organisation.".into());
        } else if spec.organisations <= MAX_ORGANISATIONS
            && spec.organisations.saturating_mul(spec.placements_per_organisation) > MAX_PLACEMENTS
        {
            out_of_range(
                "/placements_per_organisation",
                format!(
                    "A batch holds at most {MAX_PLACEMENTS} placements in all (organisations × placements_per_organisation)."
                ),
            );
        }
        if spec.applicants > MAX_APPLICANTS {
            out_of_range("/applicants", format!("Ask for at most {MAX_APPLICANTS} applicants."));
        }
        let most = MAX_APPLICATIONS_PER_APPLICANT.min(active_cap);
        if spec.applications_per_applicant > most {
            out_of_range("/applications_per_applicant", format!("Ask for at most {most} applications per applicant."));
        } else if spec.organisations <= MAX_ORGANISATIONS
            && spec.applications_per_applicant > spec.organisations.saturating_mul(spec.placements_per_organisation)
        {
            out_of_range(
                "/applications_per_applicant",
                "Each application is to a different placement: ask for no more than the batch's placements.".into(),
            );
        }
        if spec.seed > MAX_SEED {
            out_of_range("/seed", format!("The seed is a whole number from 0 to {MAX_SEED}."));
        }
        if errors.is_empty() { Ok(spec) } else { Err(Invalid(errors)) }
    }
}

/// What a batch is recorded with: enough to find, and delete, everything that depends on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestBatch {
    pub id: Uuid,
    pub seed: u64,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    /// Everything else the batch made hangs off these (sites, placements, applications, grants).
    pub organisation_ids: Vec<Uuid>,
    pub profile_ids: Vec<Uuid>,
    /// When it was deleted; its rows are gone, the record stays so a second delete is harmless.
    pub deleted_at: Option<DateTime<Utc>>,
}

/// What a delete removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeletedCounts {
    pub batches: u64,
    pub organisations: u64,
    pub placements: u64,
    pub applicants: u64,
    pub applications: u64,
}

/// SplitMix64: tiny, fast and fully determined by its seed, which is all test data needs (nothing
/// here is secret: draws keep their own seeds from the operating system).
#[derive(Debug, Clone)]
pub struct SeededRng(u64);

impl SeededRng {
    pub fn new(seed: u64) -> Self {
        SeededRng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number from 0 to `n - 1` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next_u64() % n as u64) as usize }
    }

    /// A number from `low` to `high` inclusive.
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        low + self.below((high - low + 1).max(1) as usize) as i64
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn fields(request: TestDataRequest) -> Vec<String> {
        request.checked(7, 10).unwrap_err().0.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn absent_fields_take_small_defaults_and_the_seed_given() {
        let spec = TestDataRequest { seed: Some(42), ..Default::default() }.checked(7, 10).unwrap();
        assert_eq!((spec.organisations, spec.placements(), spec.applicants, spec.applications()), (1, 3, 5, 5));
        assert_eq!(spec.seed, 42);
        assert_eq!(TestDataRequest::default().checked(u64::MAX, 10).unwrap().seed, MAX_SEED);
    }

    #[test]
    fn every_bound_is_refused_at_its_field() {
        let too_big = TestDataRequest {
            organisations: Some(21),
            placements_per_organisation: Some(0),
            applicants: Some(2001),
            applications_per_applicant: Some(6),
            seed: Some(MAX_SEED + 1),
        };
        assert_eq!(
            fields(too_big),
            ["/organisations", "/placements_per_organisation", "/applicants", "/applications_per_applicant", "/seed"]
        );
        let crowded =
            TestDataRequest { organisations: Some(20), placements_per_organisation: Some(11), ..Default::default() };
        assert_eq!(fields(crowded), ["/placements_per_organisation"]);
        let few = TestDataRequest {
            placements_per_organisation: Some(2),
            applications_per_applicant: Some(3),
            ..Default::default()
        };
        assert_eq!(fields(few), ["/applications_per_applicant"]);
        let capped = TestDataRequest { applications_per_applicant: Some(3), ..Default::default() };
        assert_eq!(capped.checked(7, 2).unwrap_err().0[0].field, "/applications_per_applicant");
        let most = TestDataRequest {
            organisations: Some(20),
            placements_per_organisation: Some(10),
            applicants: Some(2000),
            applications_per_applicant: Some(5),
            seed: Some(MAX_SEED),
        };
        assert_eq!(most.checked(7, 10).unwrap().applications(), 10_000);
    }

    #[test]
    fn the_same_seed_gives_the_same_numbers() {
        let (mut a, mut b) = (SeededRng::new(42), SeededRng::new(42));
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        let mut c = SeededRng::new(43);
        assert_ne!(xs, (0..5).map(|_| c.next_u64()).collect::<Vec<_>>());
        let mut r = SeededRng::new(1);
        assert!((0..100).map(|_| r.between(3, 5)).all(|n| (3..=5).contains(&n)));
    }
}
