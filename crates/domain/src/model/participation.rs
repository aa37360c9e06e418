//! After a place is accepted: the audit log of who saw a participant's details, the certificate
//! of a completed placement, and the feedback surveys of the Discovery Report's Appendix B.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use uuid::Uuid;

use crate::error::StoreError;
use crate::model::reference::code_enum;

pub use crate::model::audit::AuditEntry;
use std::fmt;

code_enum! {
    /// "Do you feel you are more likely to consider a career in health or social care?"
    Likelihood {
        ALotMoreLikely => ("a_lot_more_likely", "A lot more likely", "A lot more likely."),
        MoreLikely => ("more_likely", "More likely", "More likely."),
        TheSame => ("the_same", "I feel the same", "No change."),
        LessLikely => ("less_likely", "Less likely", "Less likely."),
        ALotLessLikely => ("a_lot_less_likely", "A lot less likely", "A lot less likely."),
    }
}

code_enum! {
    Agreement {
        StronglyAgree => ("strongly_agree", "Strongly agree", "Strongly agree."),
        Agree => ("agree", "Agree", "Agree."),
        SomewhatAgree => ("somewhat_agree", "Somewhat agree", "Somewhat agree."),
        Neither => ("neither_agree_nor_disagree", "Neither agree nor disagree", "Neither agree nor disagree."),
        SomewhatDisagree => ("somewhat_disagree", "Somewhat disagree", "Somewhat disagree."),
        StronglyDisagree => ("strongly_disagree", "Strongly disagree", "Strongly disagree."),
    }
}

code_enum! {
    /// The agreement statements of the evaluation survey (Discovery Report, Appendix B).
    Statement {
        BetterAbleToDecide => ("better_able_to_decide", "I feel better able to make decisions about my future career.", "Career decisions."),
        GainedNewInsights => ("gained_new_insights", "I feel I gained new insights into what it is like to work in health or social care.", "New insights."),
        GoodSectorToWorkIn => ("good_sector_to_work_in", "I feel that health or social care is a good sector to work in.", "Impression of the sector."),
        UnderstandSkillsAndQualities => ("understand_skills_and_qualities", "I feel I have a better understanding of the skills and qualities needed to work in health or social care.", "Skills and qualities."),
        RealisticInsights => ("realistic_insights", "I feel I was given realistic insights into working in health or social care.", "Realistic insights."),
    }
}

code_enum! {
    Recognition {
        Yes => ("yes", "Yes", "The host felt recognised for taking part."),
        Partly => ("partly", "Partly", "Partly recognised."),
        No => ("no", "No", "Not recognised."),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantFeedback {
    pub more_likely_to_consider: Likelihood,
    /// An answer for each statement you choose to answer, by statement code.
    pub agreement: BTreeMap<Statement, Agreement>,
    pub comments: Option<String>,
    /// Did you complete a pre-placement e-learning module? (The report's measure: at least half
    /// of applicants complete one.)
    pub completed_pre_module: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostFeedback {
    /// Would you be happy to host more work experience participants?
    pub would_host_again: bool,
    /// Did you feel suitably recognised for taking part?
    pub felt_recognised: Recognition,
    pub comments: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// The code anyone can verify at `GET /v1/certificates/{code}`.
    pub code: String,
    pub application_id: Uuid,
    pub placement_id: Uuid,
    /// The participant's initials only.
    pub initials: String,
    pub issued_at: DateTime<Utc>,
    /// For a T-level industry placement: the hours logged for the place when it was completed.
    pub t_level_hours: Option<crate::model::t_level::QuarterHours>,
}

pub(crate) fn initials(name: Option<&str>) -> String {
    name.unwrap_or_default().split_whitespace().filter_map(|w| w.chars().next()).flat_map(char::to_uppercase).collect()
}

pub(crate) fn certificate_code() -> Result<String, StoreError> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Internal(e.to_string()))?;
    Ok(bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect())
}

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn initials_take_the_first_letter_of_each_word() {
        assert_eq!(initials(Some("jo  bloggs")), "JB");
        assert_eq!(initials(Some("Ōla")), "Ō");
        assert_eq!(initials(None), "");
    }
}
