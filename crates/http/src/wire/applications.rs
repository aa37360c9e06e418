//! Applying, as the API reads it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::model::application as domain;

/// An answer to one of the placement's own questions, by its position (from 0).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    #[schema(example = 0)]
    pub question: usize,
    #[schema(example = "How they help children walk again after an operation.")]
    pub answer: String,
}

/// What an applicant (or an advocate for them) sends to apply.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplyRequest {
    /// The version of the privacy notice the applicant read and accepted: it must be the current one.
    #[schema(example = "2026-11-30")]
    pub privacy_notice_version: String,
    #[serde(default)]
    pub answers: Vec<Answer>,
    /// For applicants with no fixed address applying to a placement with a local area: confirms
    /// they can travel there.
    #[serde(default)]
    pub can_travel: Option<bool>,
    /// For advocates: the profile of the applicant they apply for (one they have an active link to).
    #[serde(default)]
    pub on_behalf_of: Option<Uuid>,
}

mirror! { Answer => domain::Answer { question, answer } }
mirror! { domain::Answer => Answer { question, answer } }
mirror! { ApplyRequest => domain::ApplyRequest { privacy_notice_version, answers: vec, can_travel, on_behalf_of } }
