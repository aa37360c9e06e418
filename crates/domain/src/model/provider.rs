//! Education providers' students: profiles a provider coordinator manages for their college, with
//! the consent recorded as an advocate records it, and the T level course the college matches
//! placements to.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::error::FieldError;
use crate::model::advocacy::{check_consent, in_profile};
use crate::model::email::EmailAddress;
use crate::model::postcode::Postcode;
use crate::model::profile::{Consent, ProfileInput};
use crate::model::validation::has_visible;
use crate::use_case_error::Invalid;

/// The longest course accepted: a code such as `TQ-HEALTH` or a short title.
pub const MAX_COURSE_LEN: usize = 100;

/// A student of an education provider: which provider holds the profile, and their course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Student {
    pub profile_id: Uuid,
    pub organisation_id: Uuid,
    pub course: String,
    /// The provider coordinator who added the student.
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a provider coordinator sends to add or replace a student: `StudentRequest<String, String>`
/// as sent, parsed into a `StudentRequest` whose profile is parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudentRequest<E = EmailAddress, P = Postcode> {
    pub profile: ProfileInput<E, P>,
    pub consent: Consent,
    /// The student's T level course, as a short code or text.
    pub course: String,
}

/// Checks a course as given: 1 to 100 visible characters, trimmed.
pub fn checked_course(course: &str) -> Result<String, FieldError> {
    let course = course.trim();
    if has_visible(course) && course.chars().count() <= MAX_COURSE_LEN && !course.chars().any(char::is_control) {
        Ok(course.to_string())
    } else {
        Err(FieldError::new(
            "/course",
            "invalid_course",
            "Give the student's T level course as a short code or title of 1 to 100 characters, such as Health (Adult Nursing).",
        ))
    }
}

impl StudentRequest<String, String> {
    /// Parses the request as of `today`, reporting every broken rule of the consent, the profile
    /// and the course at once.
    pub fn parse(self, today: NaiveDate) -> Result<StudentRequest, Invalid> {
        let mut errors = check_consent(&self.profile, &self.consent, today);
        let course = checked_course(&self.course).map_err(|e| errors.push(e)).ok();
        let profile = in_profile(self.profile.parse(today), &mut errors);
        match (profile, course) {
            (Some(profile), Some(course)) if errors.is_empty() => {
                Ok(StudentRequest { profile, consent: self.consent, course })
            }
            _ => Err(Invalid(errors)),
        }
    }
}

impl StudentRequest {
    /// Checks a parsed request again as of `today` (a date of birth can make a student under 16
    /// only on the day the use case runs).
    pub fn checked(self, today: NaiveDate) -> Result<StudentRequest, Invalid> {
        let mut errors = check_consent(&self.profile, &self.consent, today);
        let course = checked_course(&self.course).map_err(|e| errors.push(e)).ok();
        let profile = in_profile(self.profile.checked(today), &mut errors);
        match (profile, course) {
            (Some(profile), Some(course)) if errors.is_empty() => {
                Ok(StudentRequest { profile, consent: self.consent, course })
            }
            _ => Err(Invalid(errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_course_is_short_visible_text() {
        assert_eq!(checked_course(" Health (Adult Nursing) "), Ok("Health (Adult Nursing)".to_string()));
        assert!(checked_course("   ").is_err());
        assert!(checked_course("a\nb").is_err());
        assert!(checked_course(&"x".repeat(101)).is_err());
        assert_eq!(checked_course("").map_err(|e| e.field), Err("/course".to_string()));
    }
}
