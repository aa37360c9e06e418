//! Organisations, their sites and their host departments: what is written about them and the
//! checks it must pass.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use validator::Validate;

use crate::error::{DomainError, FieldError};
use crate::model::ods_code::OdsCode;
use crate::model::postcode::Postcode;
use crate::model::reference::{OrganisationKind, Region, Specialty};
use crate::model::validation::{field_errors, not_blank, visible_if_any};

/// What an administrator sends to create or replace an organisation. `OrganisationInput<String>` is
/// the input as sent; [`OrganisationInput::parse`] turns it into the `OrganisationInput` use cases
/// take, whose ODS code is an [`OdsCode`].
#[derive(Debug, Clone, PartialEq, Validate)]
pub struct OrganisationInput<O = OdsCode> {
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    pub name: String,
    pub kind: OrganisationKind,
    pub region: Region,
    /// NHS Organisation Data Service code, where the organisation has one (3 to 6 letters and digits).
    pub ods_code: Option<O>,
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

/// Where the service emails an organisation's work experience team (a shared mailbox, such as
/// workexperience@trust.nhs.uk, rather than one person's): reminders of outcomes due and
/// participants who cannot be reached. Seen only by the team's coordinators and admins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamContact {
    pub organisation_id: Uuid,
    pub email: crate::model::email::EmailAddress,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

/// A place where placements happen. `SiteInput<String>` is the input as sent; [`SiteInput::parse`]
/// turns it into the `SiteInput` use cases take, whose postcode is a [`Postcode`].
#[derive(Debug, Clone, PartialEq, Validate)]
pub struct SiteInput<P = Postcode> {
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    pub name: String,
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    pub address_line_1: String,
    #[validate(length(max = 200), custom(function = "visible_if_any"))]
    pub address_line_2: Option<String>,
    #[validate(length(min = 1, max = 100), custom(function = "not_blank"))]
    pub town: String,
    /// A UK postcode in any case and spacing; stored as `SO16 6YD`.
    pub postcode: P,
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

impl OrganisationInput<String> {
    /// Parses the input as sent, reporting every broken rule at once; the ODS code is upper-cased.
    pub fn parse(self) -> Result<OrganisationInput, DomainError> {
        let mut errors = field_errors(self.validate());
        let ods_code = match self.ods_code.as_deref().map(OdsCode::parse) {
            Some(None) => {
                errors.push(FieldError::new(
                    "/ods_code",
                    "invalid_ods_code",
                    "An ODS code is 3 to 6 letters and digits, such as RHM or A81001.",
                ));
                None
            }
            Some(code) => code,
            None => None,
        };
        if !errors.is_empty() {
            return Err(DomainError::Invalid(errors));
        }
        let OrganisationInput { name, kind, region, description, .. } = self;
        Ok(OrganisationInput { name, kind, region, ods_code, description })
    }
}

impl OrganisationInput {
    /// Checks the rules a parsed input can still break: its text.
    pub fn checked(self) -> Result<Self, DomainError> {
        let errors = field_errors(self.validate());
        if errors.is_empty() { Ok(self) } else { Err(DomainError::Invalid(errors)) }
    }
}

impl SiteInput<String> {
    /// Parses the input as sent, reporting every broken rule at once; the postcode is normalised.
    pub fn parse(self) -> Result<SiteInput, DomainError> {
        let mut errors = field_errors(self.validate());
        let postcode = Postcode::parse(&self.postcode);
        if postcode.is_none() {
            errors.push(FieldError::new(
                "/postcode",
                "invalid_postcode",
                "This is not a UK postcode. A postcode looks like SO16 6YD.",
            ));
        }
        let Some(postcode) = postcode.filter(|_| errors.is_empty()) else {
            return Err(DomainError::Invalid(errors));
        };
        let SiteInput { name, address_line_1, address_line_2, town, travel_notes, accessibility, .. } = self;
        Ok(SiteInput { name, address_line_1, address_line_2, town, postcode, travel_notes, accessibility })
    }
}

impl SiteInput {
    /// Checks the rules a parsed input can still break: its text.
    pub fn checked(self) -> Result<Self, DomainError> {
        let errors = field_errors(self.validate());
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

    fn site(postcode: &str) -> SiteInput<String> {
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
        assert_eq!(site("so16 6yd").parse().map(|s| s.postcode.to_string()), Ok("SO16 6YD".to_string()));
        let Err(DomainError::Invalid(errors)) = site("nowhere").parse() else { panic!("accepted a bad postcode") };
        assert_eq!(errors[0].field, "/postcode");
    }

    #[test]
    fn ods_code_is_upper_cased_or_refused() {
        let input: OrganisationInput<String> = OrganisationInput {
            name: "Trust".into(),
            kind: OrganisationKind::NhsTrust,
            region: Region::London,
            ods_code: Some("rhm".into()),
            description: None,
        };
        assert_eq!(input.clone().parse().map(|o| o.ods_code.map(|c| c.to_string())), Ok(Some("RHM".to_string())));
        let bad = OrganisationInput { ods_code: Some("R".into()), ..input.clone() };
        assert!(matches!(bad.parse(), Err(DomainError::Invalid(e)) if e[0].code == "invalid_ods_code"));
        let blank = OrganisationInput { name: "  ".into(), ..input };
        assert!(matches!(blank.parse(), Err(DomainError::Invalid(e)) if e[0].field == "/name"));
    }
}
