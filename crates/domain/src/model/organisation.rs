//! Organisations, their sites and their host departments: what is written about them and the
//! checks it must pass.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use validator::Validate;

use crate::error::{DomainError, FieldError};
use crate::model::postcode::Postcode;
use crate::model::reference::{OrganisationKind, Region, Specialty};
use crate::model::validation::{field_errors, not_blank, visible_if_any};

/// What an administrator sends to create or replace an organisation.
#[derive(Debug, Clone, PartialEq, Validate)]
pub struct OrganisationInput {
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    pub name: String,
    pub kind: OrganisationKind,
    pub region: Region,
    /// NHS Organisation Data Service code, where the organisation has one (3 to 6 letters and digits).
    pub ods_code: Option<String>,
    #[validate(length(max = 2000), custom(function = "visible_if_any"))]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Organisation {
    pub id: Uuid,
    pub input: OrganisationInput,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A place where placements happen.
#[derive(Debug, Clone, PartialEq, Validate)]
pub struct SiteInput {
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    pub name: String,
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    pub address_line_1: String,
    #[validate(length(max = 200), custom(function = "visible_if_any"))]
    pub address_line_2: Option<String>,
    #[validate(length(min = 1, max = 100), custom(function = "not_blank"))]
    pub town: String,
    /// A UK postcode in any case and spacing; stored as `SO16 6YD`.
    pub postcode: String,
    /// How to get there: buses, trains, parking.
    #[validate(length(max = 2000), custom(function = "visible_if_any"))]
    pub travel_notes: Option<String>,
    /// Step-free access, accessible toilets, quiet rooms and similar.
    #[validate(length(max = 2000), custom(function = "visible_if_any"))]
    pub accessibility: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub input: SiteInput,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A team that hosts placements.
#[derive(Debug, Clone, PartialEq, Validate)]
pub struct DepartmentInput {
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    pub name: String,
    pub specialty: Specialty,
    /// The site the department is based at, if it has one.
    pub site_id: Option<Uuid>,
    #[validate(length(max = 2000), custom(function = "visible_if_any"))]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Department {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub input: DepartmentInput,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn valid_ods_code(code: &str) -> bool {
    (3..=6).contains(&code.len()) && code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

impl OrganisationInput {
    /// Checks the input and returns it in stored form (ODS code upper case).
    pub fn checked(mut self) -> Result<Self, DomainError> {
        let mut errors = field_errors(self.validate());
        if let Some(code) = &self.ods_code {
            let code = code.trim().to_ascii_uppercase();
            if valid_ods_code(&code) {
                self.ods_code = Some(code);
            } else {
                errors.push(FieldError::new(
                    "/ods_code",
                    "invalid_ods_code",
                    "An ODS code is 3 to 6 letters and digits, such as RHM or A81001.",
                ));
            }
        }
        if errors.is_empty() { Ok(self) } else { Err(DomainError::Invalid(errors)) }
    }
}

impl SiteInput {
    /// Checks the input and returns it with the postcode normalised.
    pub fn checked(mut self) -> Result<Self, DomainError> {
        let mut errors = field_errors(self.validate());
        match Postcode::parse(&self.postcode) {
            Some(p) => self.postcode = p.to_string(),
            None => errors.push(FieldError::new(
                "/postcode",
                "invalid_postcode",
                "This is not a UK postcode. A postcode looks like SO16 6YD.",
            )),
        }
        if errors.is_empty() { Ok(self) } else { Err(DomainError::Invalid(errors)) }
    }
}

impl DepartmentInput {
    pub fn checked(self) -> Result<Self, DomainError> {
        let errors = field_errors(self.validate());
        if errors.is_empty() { Ok(self) } else { Err(DomainError::Invalid(errors)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(postcode: &str) -> SiteInput {
        SiteInput {
            name: "Site".into(),
            address_line_1: "1 Road".into(),
            address_line_2: None,
            town: "Town".into(),
            postcode: postcode.into(),
            travel_notes: None,
            accessibility: None,
        }
    }

    #[test]
    fn site_postcode_is_normalised_or_refused() {
        assert_eq!(site("so16 6yd").checked().map(|s| s.postcode), Ok("SO16 6YD".to_string()));
        let Err(DomainError::Invalid(errors)) = site("nowhere").checked() else { panic!("accepted a bad postcode") };
        assert_eq!(errors[0].field, "/postcode");
    }

    #[test]
    fn ods_code_is_upper_cased_or_refused() {
        let input = OrganisationInput {
            name: "Trust".into(),
            kind: OrganisationKind::NhsTrust,
            region: Region::London,
            ods_code: Some("rhm".into()),
            description: None,
        };
        assert_eq!(input.clone().checked().map(|o| o.ods_code), Ok(Some("RHM".to_string())));
        let bad = OrganisationInput { ods_code: Some("R".into()), ..input.clone() };
        assert!(matches!(bad.checked(), Err(DomainError::Invalid(e)) if e[0].code == "invalid_ods_code"));
        let blank = OrganisationInput { name: "  ".into(), ..input };
        assert!(matches!(blank.checked(), Err(DomainError::Invalid(e)) if e[0].field == "/name"));
    }
}
