//! Applicant profiles: the minimum a person tells the platform so that it can check eligibility,
//! rank the draw and tell them the outcome. Only the email, date of birth and a postcode (or "no
//! fixed address") are required.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use uuid::Uuid;
use validator::Validate;

use crate::error::{DomainError, FieldError};
use crate::model::postcode::{Postcode, PostcodeDistrict};
use crate::model::reference::{UserGroup, code_enum};
use crate::model::validation::{field_errors, not_blank, visible_if_any};
use std::fmt;

/// The youngest age at which someone may hold a profile.
pub const MIN_PROFILE_AGE: u32 = 13;
pub const MAX_PROFILE_AGE: u32 = 120;

/// Someone who supports the applicant: a personal adviser, probation officer, caseworker or
/// similar. They are told when an application is sent and can add supporting information.
#[derive(Debug, Clone, PartialEq, Eq, Validate)]
pub struct SupportWorker {
    #[validate(length(min = 1, max = 100), custom(function = "not_blank"))]
    pub name: String,
    #[validate(email(message = "This is not an email address, such as name@example.org."))]
    pub email: String,
    #[validate(length(max = 200), custom(function = "visible_if_any"))]
    pub organisation: Option<String>,
}

/// What an applicant (or their advocate) writes in a profile.
#[derive(Debug, Clone, PartialEq, Eq, Validate)]
pub struct ProfileInput {
    /// What to call you. Optional: selection never uses it.
    #[validate(length(max = 100), custom(function = "visible_if_any"))]
    pub preferred_name: Option<String>,
    /// How we contact you about your applications.
    #[validate(email(message = "This is not an email address, such as name@example.org."))]
    pub email: String,
    pub phone: Option<String>,
    /// Used only to check the age limits of a placement on its start date.
    pub date_of_birth: NaiveDate,
    /// Used only to check a placement's local area. Leave out if you have no fixed address.
    pub postcode: Option<String>,
    /// True if you have no fixed address: you are never refused for living outside an area.
    pub no_fixed_address: bool,
    pub user_groups: Vec<UserGroup>,
    /// Are you, or have you been, in care? Optional; some placements put care-experienced people
    /// first in the draw.
    pub care_experienced: Option<bool>,
    /// Anything that would help you take part, such as step-free access or extra breaks.
    #[validate(length(max = 2000), custom(function = "visible_if_any"))]
    pub adjustments: Option<String>,
    /// The language you would like us to use, as a code such as `en`, `cy` or `ar`.
    #[validate(length(max = 35), custom(function = "visible_if_any"))]
    pub preferred_language: Option<String>,
    #[validate(nested)]
    pub support_worker: Option<SupportWorker>,
}

code_enum! {
    ConsentGiver {
        Applicant => ("applicant", "The applicant", "The applicant agreed themselves."),
        ParentOrCarer => ("parent_or_carer", "A parent or carer", "A parent or carer agreed for an applicant under 16."),
    }
}

/// The consent an advocate records when managing a profile for someone without an account.
#[derive(Debug, Clone, PartialEq, Eq, Validate)]
pub struct Consent {
    pub given_by: ConsentGiver,
    /// Who gave it, when a parent or carer did (required for applicants under 16).
    #[validate(length(max = 200))]
    pub giver_name: Option<String>,
}

/// A stored profile: a person's own (`subject` set) or one an advocate manages for someone without
/// an account (`managed_by` set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub id: Uuid,
    pub subject: Option<String>,
    pub input: ProfileInput,
    pub managed_by: Option<String>,
    /// For a managed profile: the consent the advocate recorded.
    pub consent: Option<Consent>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Whole years between `born` and `on`.
pub fn age_on(born: NaiveDate, on: NaiveDate) -> u32 {
    let mut years = on.year() - born.year();
    if (on.month(), on.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

fn valid_phone(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    phone.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')')) && (10..=15).contains(&digits)
}

impl ProfileInput {
    /// Checks the profile as of `today` and returns it with the postcode normalised.
    pub fn checked(mut self, today: NaiveDate) -> Result<Self, DomainError> {
        let mut errors = field_errors(self.validate());
        let mut err = |field: &str, code: &str, message: &str| errors.push(FieldError::new(field, code, message));
        match (&self.postcode, self.no_fixed_address) {
            (None, false) => err(
                "/postcode",
                "required",
                "Give your postcode, or set no_fixed_address to true if you have no fixed address.",
            ),
            (Some(_), true) => {
                err("/postcode", "not_with_no_fixed_address", "Leave the postcode out when you have no fixed address.")
            }
            (Some(p), false) => match Postcode::parse(p) {
                Some(p) => self.postcode = Some(p.to_string()),
                None => {
                    err("/postcode", "invalid_postcode", "This is not a UK postcode. A postcode looks like SO16 6YD.")
                }
            },
            (None, true) => {}
        }
        if self.date_of_birth > today {
            err("/date_of_birth", "in_future", "The date of birth cannot be in the future.");
        } else {
            let age = age_on(self.date_of_birth, today);
            if age < MIN_PROFILE_AGE {
                err("/date_of_birth", "too_young", "You need to be 13 or older to use this service.");
            } else if age > MAX_PROFILE_AGE {
                err("/date_of_birth", "implausible", "Check the year of your date of birth.");
            }
        }
        if let Some(phone) = &self.phone
            && !valid_phone(phone)
        {
            err("/phone", "invalid_phone", "This is not a phone number. Use 10 to 15 digits, such as 07700 900123.");
        }
        self.user_groups.sort();
        self.user_groups.dedup();
        if errors.is_empty() { Ok(self) } else { Err(DomainError::Invalid(errors)) }
    }

    /// The postcode district, or `None` with no fixed address.
    pub fn district(&self) -> Option<PostcodeDistrict> {
        self.postcode.as_deref().and_then(Postcode::parse).map(|p| p.district())
    }

    /// Care experienced by the profile's flag or its user groups.
    pub fn is_care_experienced(&self) -> bool {
        self.care_experienced == Some(true) || self.user_groups.contains(&UserGroup::CareExperienced)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    pub(crate) fn input() -> ProfileInput {
        ProfileInput {
            preferred_name: None,
            email: "jo@example.org".into(),
            phone: None,
            date_of_birth: date(2010, 5, 17),
            postcode: Some("so16 6yd".into()),
            no_fixed_address: false,
            user_groups: vec![],
            care_experienced: None,
            adjustments: None,
            preferred_language: None,
            support_worker: None,
        }
    }

    fn codes(r: Result<ProfileInput, DomainError>) -> Vec<(String, String)> {
        match r {
            Err(DomainError::Invalid(e)) => e.into_iter().map(|e| (e.field, e.code)).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn ages_count_whole_years() {
        assert_eq!(age_on(date(2010, 5, 17), date(2024, 5, 16)), 13);
        assert_eq!(age_on(date(2010, 5, 17), date(2024, 5, 17)), 14);
        assert_eq!(age_on(date(2012, 2, 29), date(2026, 2, 28)), 13);
    }

    #[test]
    fn the_minimum_profile_is_enough() {
        let p = input().checked(date(2026, 11, 24)).unwrap();
        assert_eq!(p.postcode.as_deref(), Some("SO16 6YD"));
        assert_eq!(p.district().map(|d| d.to_string()).as_deref(), Some("SO16"));
    }

    #[test]
    fn postcode_or_no_fixed_address() {
        let today = date(2026, 11, 24);
        let none = ProfileInput { postcode: None, ..input() };
        assert_eq!(codes(none.clone().checked(today)), vec![("/postcode".into(), "required".into())]);
        assert!(ProfileInput { no_fixed_address: true, ..none }.checked(today).is_ok());
        let both = ProfileInput { no_fixed_address: true, ..input() };
        assert_eq!(codes(both.checked(today)), vec![("/postcode".into(), "not_with_no_fixed_address".into())]);
        let bad = ProfileInput { postcode: Some("Southampton".into()), ..input() };
        assert_eq!(codes(bad.checked(today)), vec![("/postcode".into(), "invalid_postcode".into())]);
    }

    #[test]
    fn date_of_birth_must_be_plausible() {
        let today = date(2026, 11, 24);
        let young = ProfileInput { date_of_birth: date(2014, 1, 1), ..input() };
        assert_eq!(codes(young.checked(today)), vec![("/date_of_birth".into(), "too_young".into())]);
        let future = ProfileInput { date_of_birth: date(2027, 1, 1), ..input() };
        assert_eq!(codes(future.checked(today)), vec![("/date_of_birth".into(), "in_future".into())]);
        let old = ProfileInput { date_of_birth: date(1890, 1, 1), ..input() };
        assert_eq!(codes(old.checked(today)), vec![("/date_of_birth".into(), "implausible".into())]);
    }

    #[test]
    fn emails_and_phones_are_checked() {
        let today = date(2026, 11, 24);
        let bad = ProfileInput {
            email: "jo at example".into(),
            phone: Some("call me".into()),
            support_worker: Some(SupportWorker { name: "Sam".into(), email: "nope".into(), organisation: None }),
            ..input()
        };
        assert_eq!(
            codes(bad.checked(today)),
            vec![
                ("/email".into(), "email".into()),
                ("/support_worker/email".into(), "email".into()),
                ("/phone".into(), "invalid_phone".into()),
            ]
        );
        assert!(ProfileInput { phone: Some("+44 7700 900123".into()), ..input() }.checked(today).is_ok());
    }
}
