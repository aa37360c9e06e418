//! Organisations, sites and departments as the API reads and writes them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::DomainError;
use wex_domain::model::organisation as domain;
use wex_domain::model::reference::{OrganisationKind, Region, Specialty};

use crate::wire::codes;

/// What an administrator sends to create or replace an organisation.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationInput {
    #[schema(example = "Wessex Coast NHS Foundation Trust")]
    pub name: String,
    #[schema(value_type = codes::OrganisationKind)]
    pub kind: OrganisationKind,
    #[schema(value_type = codes::Region)]
    pub region: Region,
    /// NHS Organisation Data Service code, where the organisation has one (3 to 6 letters and digits).
    #[serde(default)]
    #[schema(example = "RHM")]
    pub ods_code: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// A place where placements happen.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteInput {
    #[schema(example = "Southampton General Hospital")]
    pub name: String,
    #[schema(example = "Tremona Road")]
    pub address_line_1: String,
    #[serde(default)]
    pub address_line_2: Option<String>,
    #[schema(example = "Southampton")]
    pub town: String,
    /// A UK postcode in any case and spacing; stored as `SO16 6YD`.
    #[schema(example = "SO16 6YD")]
    pub postcode: String,
    /// How to get there: buses, trains, parking.
    #[serde(default)]
    pub travel_notes: Option<String>,
    /// Step-free access, accessible toilets, quiet rooms and similar.
    #[serde(default)]
    pub accessibility: Option<String>,
}

/// A team that hosts placements.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentInput {
    #[schema(example = "Children's physiotherapy")]
    pub name: String,
    #[schema(value_type = codes::Specialty)]
    pub specialty: Specialty,
    /// The site the department is based at, if it has one.
    #[serde(default)]
    pub site_id: Option<Uuid>,
    #[serde(default)]
    pub description: Option<String>,
}

mirror! { OrganisationInput => domain::OrganisationInput<String> { name, kind, region, ods_code, description } }
mirror! { domain::OrganisationInput => OrganisationInput { name, kind, region, ods_code: opt_text, description } }

/// The command: the ODS code parsed, every broken field reported at once.
impl TryFrom<OrganisationInput> for domain::OrganisationInput {
    type Error = DomainError;

    fn try_from(input: OrganisationInput) -> Result<Self, DomainError> {
        domain::OrganisationInput::<String>::from(input).parse()
    }
}
mirror! {
    SiteInput => domain::SiteInput<String> {
        name, address_line_1, address_line_2, town, postcode, travel_notes, accessibility
    }
}
mirror! {
    domain::SiteInput => SiteInput {
        name, address_line_1, address_line_2, town, postcode: text, travel_notes, accessibility
    }
}

/// The command: the postcode parsed, every broken field reported at once.
impl TryFrom<SiteInput> for domain::SiteInput {
    type Error = DomainError;

    fn try_from(input: SiteInput) -> Result<Self, DomainError> {
        domain::SiteInput::<String>::from(input).parse()
    }
}
mirror! { DepartmentInput => domain::DepartmentInput { name, specialty, site_id, description } }
mirror! { domain::DepartmentInput => DepartmentInput { name, specialty, site_id, description } }
