//! The feedback surveys, as the API reads them.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use wex_domain::model::participation::{self as domain, Agreement, Likelihood, Recognition, Statement};

use crate::wire::codes;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantFeedback {
    #[schema(value_type = codes::Likelihood)]
    pub more_likely_to_consider: Likelihood,
    /// An answer for each statement you choose to answer, by statement code.
    #[serde(default)]
    #[schema(value_type = BTreeMap<String, codes::Agreement>, example = json!({"better_able_to_decide": "agree", "realistic_insights": "strongly_agree"}))]
    pub agreement: BTreeMap<Statement, Agreement>,
    #[serde(default)]
    pub comments: Option<String>,
    /// Did you complete a pre-placement e-learning module? (The report's measure: at least half
    /// of applicants complete one.)
    #[serde(default)]
    pub completed_pre_module: Option<bool>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HostFeedback {
    /// Would you be happy to host more work experience participants?
    pub would_host_again: bool,
    /// Did you feel suitably recognised for taking part?
    #[schema(value_type = codes::Recognition)]
    pub felt_recognised: Recognition,
    #[serde(default)]
    pub comments: Option<String>,
}

mirror! {
    ParticipantFeedback => domain::ParticipantFeedback { more_likely_to_consider, agreement, comments, completed_pre_module }
}
mirror! { HostFeedback => domain::HostFeedback { would_host_again, felt_recognised, comments } }
