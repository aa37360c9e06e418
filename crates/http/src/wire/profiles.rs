//! Applicants' profiles, the consent an advocate records, and the advocates' requests, as the API
//! reads and writes them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use wex_domain::DomainError;
use wex_domain::model::advocacy::{self, Relationship};
use wex_domain::model::profile::{self as domain, ConsentGiver};
use wex_domain::model::reference::UserGroup;

use crate::wire::codes;

/// Someone who supports the applicant: a personal adviser, probation officer, caseworker or
/// similar. They are told when an application is sent and can add supporting information.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportWorker {
    #[schema(example = "Sam Okafor")]
    pub name: String,
    #[schema(example = "sam.okafor@leaving-care.example.org")]
    pub email: String,
    #[serde(default)]
    #[schema(example = "Hampshire Leaving Care Team")]
    pub organisation: Option<String>,
}

/// What an applicant (or their advocate) writes in a profile.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    /// What to call you. Optional: selection never uses it.
    #[serde(default)]
    #[schema(example = "Jo")]
    pub preferred_name: Option<String>,
    /// How we contact you about your applications.
    #[schema(example = "jo@example.org")]
    pub email: String,
    #[serde(default)]
    #[schema(example = "07700 900123")]
    pub phone: Option<String>,
    /// Used only to check the age limits of a placement on its start date.
    #[schema(example = "2010-05-17")]
    pub date_of_birth: NaiveDate,
    /// Used only to check a placement's local area. Leave out if you have no fixed address.
    #[serde(default)]
    #[schema(example = "SO16 6YD")]
    pub postcode: Option<String>,
    /// True if you have no fixed address: you are never refused for living outside an area.
    #[serde(default)]
    pub no_fixed_address: bool,
    #[serde(default)]
    #[schema(value_type = Vec<codes::UserGroup>, example = json!(["school_pupils_14_16"]))]
    pub user_groups: Vec<UserGroup>,
    /// Are you, or have you been, in care? Optional; some placements put care-experienced people
    /// first in the draw.
    #[serde(default)]
    pub care_experienced: Option<bool>,
    /// Anything that would help you take part, such as step-free access or extra breaks.
    #[serde(default)]
    pub adjustments: Option<String>,
    /// The language you would like us to use, as a code such as `en`, `cy` or `ar`.
    #[serde(default)]
    #[schema(example = "en")]
    pub preferred_language: Option<String>,
    #[serde(default)]
    pub support_worker: Option<SupportWorker>,
}

/// The consent an advocate records when managing a profile for someone without an account.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    #[schema(value_type = codes::ConsentGiver)]
    pub given_by: ConsentGiver,
    /// Who gave it, when a parent or carer did (required for applicants under 16).
    #[serde(default)]
    #[schema(example = "Alex Smith (mother)")]
    pub giver_name: Option<String>,
}

/// What an applicant sends to invite an advocate.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    #[schema(example = "sam.okafor@leaving-care.example.org")]
    pub email: String,
    #[schema(value_type = codes::Relationship)]
    pub relationship: Relationship,
}

/// What an advocate sends to manage a profile for someone without an account.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ManagedProfileRequest {
    pub profile: ProfileInput,
    pub consent: Consent,
    #[schema(value_type = codes::Relationship)]
    pub relationship: Relationship,
}

mirror! { SupportWorker => domain::SupportWorker<String> { name, email, organisation } }
mirror! { domain::SupportWorker => SupportWorker { name, email: text, organisation } }
mirror! {
    ProfileInput => domain::ProfileInput<String, String> {
        preferred_name, email, phone, date_of_birth, postcode, no_fixed_address, user_groups, care_experienced,
        adjustments, preferred_language, support_worker: opt
    }
}
mirror! {
    domain::ProfileInput => ProfileInput {
        preferred_name, email: text, phone, date_of_birth, postcode: opt_text, no_fixed_address, user_groups,
        care_experienced,
        adjustments, preferred_language, support_worker: opt
    }
}
mirror! { Consent => domain::Consent { given_by, giver_name } }
mirror! { domain::Consent => Consent { given_by, giver_name } }
mirror! { InviteRequest => advocacy::InviteRequest<String> { email, relationship } }
mirror! {
    ManagedProfileRequest => advocacy::ManagedProfileRequest<String, String> { profile: into, consent: into, relationship }
}

impl ProfileInput {
    /// The command: the email addresses and the postcode parsed, and every rule checked as of
    /// `today`, every broken field reported at once.
    pub fn parse(self, today: NaiveDate) -> Result<domain::ProfileInput, DomainError> {
        Ok(domain::ProfileInput::<String, String>::from(self).parse(today)?)
    }
}

impl ManagedProfileRequest {
    /// The command, as [`ProfileInput::parse`], with the consent checked too.
    pub fn parse(self, today: NaiveDate) -> Result<advocacy::ManagedProfileRequest, DomainError> {
        Ok(advocacy::ManagedProfileRequest::<String, String>::from(self).parse(today)?)
    }
}
