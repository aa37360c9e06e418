//! Applicant profiles: the minimum a person tells the platform so that it can check eligibility,
//! rank the draw and tell them the outcome. Only the email, date of birth and a postcode (or "no
//! fixed address") are required.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use uuid::Uuid;
use validator::Validate;

use crate::error::FieldError;
use crate::model::email::EmailAddress;
use crate::model::postcode::{Postcode, PostcodeDistrict};
use crate::model::reference::{UserGroup, code_enum};
use crate::model::validation::{field_errors, not_blank, visible_if_any};
use crate::use_case_error::Invalid;
use std::fmt;

/// The youngest age at which someone may hold a profile.
pub const MIN_PROFILE_AGE: u32 = 13;
pub const MAX_PROFILE_AGE: u32 = 120;

/// Someone who supports the applicant: a personal adviser, probation officer, caseworker or
/// similar. They are told when an application is sent and can add supporting information.
/// `SupportWorker<String>` is as sent; parsing makes the email an [`EmailAddress`].
#[derive(Debug, Clone, PartialEq, Eq, Validate)]
pub struct SupportWorker<E = EmailAddress> {
    #[validate(length(min = 1, max = 100), custom(function = "not_blank"))]
    pub name: String,
    pub email: E,
    #[validate(length(max = 200), custom(function = "visible_if_any"))]
    pub organisation: Option<String>,
}

/// What an applicant (or their advocate) writes in a profile. `ProfileInput<String, String>` is the
/// profile as sent; [`ProfileInput::parse`] turns it into the `ProfileInput` use cases take, whose
/// email addresses are [`EmailAddress`]es and whose postcode is a [`Postcode`].
#[derive(Debug, Clone, PartialEq, Eq, Validate)]
pub struct ProfileInput<E = EmailAddress, P = Postcode> {
    /// What to call you. Optional: selection never uses it.
    #[validate(length(max = 100), custom(function = "visible_if_any"))]
    pub preferred_name: Option<String>,
    /// How we contact you about your applications.
    pub email: E,
    pub phone: Option<String>,
    /// Used only to check the age limits of a placement on its start date.
    pub date_of_birth: NaiveDate,
    /// Used only to check a placement's local area. Leave out if you have no fixed address.
    pub postcode: Option<P>,
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
    pub support_worker: Option<SupportWorker<E>>,
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

pub(crate) fn valid_phone(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    phone.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')')) && (10..=15).contains(&digits)
}

fn email_error(field: &str) -> FieldError {
    FieldError::new(field, "email", "This is not an email address, such as name@example.org.")
}

fn invalid_postcode() -> FieldError {
    FieldError::new("/postcode", "invalid_postcode", "This is not a UK postcode. A postcode looks like SO16 6YD.")
}

impl<E, P> ProfileInput<E, P> {
    /// A postcode, or no fixed address: one of the two, not both.
    fn postcode_or_no_fixed_address(&self) -> Option<FieldError> {
        match (&self.postcode, self.no_fixed_address) {
            (None, false) => Some(FieldError::new(
                "/postcode",
                "required",
                "Give your postcode, or set no_fixed_address to true if you have no fixed address.",
            )),
            (Some(_), true) => Some(FieldError::new(
                "/postcode",
                "not_with_no_fixed_address",
                "Leave the postcode out when you have no fixed address.",
            )),
            _ => None,
        }
    }

    /// The date of birth (an age of 13 to 120 `today`) and the phone number.
    fn age_and_phone(&self, today: NaiveDate) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut err = |field: &str, code: &str, message: &str| errors.push(FieldError::new(field, code, message));
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
        errors
    }
}

impl ProfileInput<String, String> {
    /// Parses the profile as sent, as of `today`, reporting every broken rule at once (in the order:
    /// the text and the email addresses by field, the postcode, the date of birth, the phone).
    pub fn parse(self, today: NaiveDate) -> Result<ProfileInput, Invalid> {
        let mut errors = field_errors(self.validate());
        let email = EmailAddress::parse(&self.email);
        if email.is_none() {
            errors.push(email_error("/email"));
        }
        let support_worker = match &self.support_worker {
            None => Some(None),
            Some(w) => {
                let email = EmailAddress::parse(&w.email);
                if email.is_none() {
                    errors.push(email_error("/support_worker/email"));
                }
                email.map(|email| {
                    Some(SupportWorker { name: w.name.clone(), email, organisation: w.organisation.clone() })
                })
            }
        };
        // As the `validator` crate reports them, which is how these checks were made before.
        errors.sort_by(|a, b| a.field.cmp(&b.field));
        let postcode = match (&self.postcode, self.no_fixed_address) {
            (Some(p), false) => Postcode::parse(p).map(Some).ok_or_else(invalid_postcode),
            _ => Ok(None),
        };
        errors.extend(self.postcode_or_no_fixed_address());
        let postcode = postcode.map_err(|e| errors.push(e)).ok();
        errors.extend(self.age_and_phone(today));
        let (Some(email), Some(support_worker), Some(postcode), true) =
            (email, support_worker, postcode, errors.is_empty())
        else {
            return Err(Invalid(errors));
        };
        let ProfileInput {
            preferred_name,
            phone,
            date_of_birth,
            no_fixed_address,
            mut user_groups,
            care_experienced,
            adjustments,
            preferred_language,
            ..
        } = self;
        user_groups.sort();
        user_groups.dedup();
        Ok(ProfileInput {
            preferred_name,
            email,
            phone,
            date_of_birth,
            postcode,
            no_fixed_address,
            user_groups,
            care_experienced,
            adjustments,
            preferred_language,
            support_worker,
        })
    }
}

impl ProfileInput {
    /// Checks the rules a parsed profile can still break as of `today`, and returns it with its
    /// user groups in order.
    pub fn checked(mut self, today: NaiveDate) -> Result<Self, Invalid> {
        let mut errors = field_errors(self.validate());
        errors.extend(self.postcode_or_no_fixed_address());
        errors.extend(self.age_and_phone(today));
        self.user_groups.sort();
        self.user_groups.dedup();
        if errors.is_empty() { Ok(self) } else { Err(Invalid(errors)) }
    }

    /// The postcode district, or `None` with no fixed address.
    pub fn district(&self) -> Option<PostcodeDistrict> {
        self.postcode.as_ref().map(Postcode::district)
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

    /// A parsed profile, for other modules' tests.
    pub(crate) fn input() -> ProfileInput {
        raw().parse(date(2026, 11, 24)).unwrap()
    }

    fn raw() -> ProfileInput<String, String> {
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

    fn codes(r: Result<ProfileInput, Invalid>) -> Vec<(String, String)> {
        match r {
            Err(Invalid(e)) => e.into_iter().map(|e| (e.field, e.code)).collect(),
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
        let p = raw().parse(date(2026, 11, 24)).unwrap();
        assert_eq!(p.postcode.as_ref().map(Postcode::as_str), Some("SO16 6YD"));
        assert_eq!(p.district().map(|d| d.to_string()).as_deref(), Some("SO16"));
    }

    #[test]
    fn postcode_or_no_fixed_address() {
        let today = date(2026, 11, 24);
        let none = ProfileInput { postcode: None, ..raw() };
        assert_eq!(codes(none.clone().parse(today)), vec![("/postcode".into(), "required".into())]);
        assert!(ProfileInput { no_fixed_address: true, ..none }.parse(today).is_ok());
        let both = ProfileInput { no_fixed_address: true, ..raw() };
        assert_eq!(codes(both.parse(today)), vec![("/postcode".into(), "not_with_no_fixed_address".into())]);
        let bad = ProfileInput { postcode: Some("Southampton".into()), ..raw() };
        assert_eq!(codes(bad.parse(today)), vec![("/postcode".into(), "invalid_postcode".into())]);
    }

    #[test]
    fn date_of_birth_must_be_plausible() {
        let today = date(2026, 11, 24);
        let young = ProfileInput { date_of_birth: date(2014, 1, 1), ..raw() };
        assert_eq!(codes(young.parse(today)), vec![("/date_of_birth".into(), "too_young".into())]);
        let future = ProfileInput { date_of_birth: date(2027, 1, 1), ..raw() };
        assert_eq!(codes(future.parse(today)), vec![("/date_of_birth".into(), "in_future".into())]);
        let old = ProfileInput { date_of_birth: date(1890, 1, 1), ..raw() };
        assert_eq!(codes(old.parse(today)), vec![("/date_of_birth".into(), "implausible".into())]);
    }

    #[test]
    fn emails_and_phones_are_checked() {
        let today = date(2026, 11, 24);
        let bad = ProfileInput {
            email: "jo at example".into(),
            phone: Some("call me".into()),
            support_worker: Some(SupportWorker { name: "Sam".into(), email: "nope".into(), organisation: None }),
            ..raw()
        };
        assert_eq!(
            codes(bad.parse(today)),
            vec![
                ("/email".into(), "email".into()),
                ("/support_worker/email".into(), "email".into()),
                ("/phone".into(), "invalid_phone".into()),
            ]
        );
        assert!(ProfileInput { phone: Some("+44 7700 900123".into()), ..raw() }.parse(today).is_ok());
    }

    #[test]
    fn parsing_reports_every_broken_field_at_once() {
        let today = date(2026, 11, 24);
        let bad = ProfileInput {
            preferred_name: Some("\u{200B}".into()),
            email: "jo at example".into(),
            postcode: Some("Southampton".into()),
            date_of_birth: date(2027, 1, 1),
            ..raw()
        };
        assert_eq!(
            codes(bad.parse(today)),
            vec![
                ("/email".into(), "email".into()),
                ("/preferred_name".into(), "required".into()),
                ("/postcode".into(), "invalid_postcode".into()),
                ("/date_of_birth".into(), "in_future".into()),
            ]
        );
    }
}
