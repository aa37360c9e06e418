//! The equality monitoring form: optional as a whole and per question, with `prefer_not_to_say`
//! everywhere and the Government Statistical Service's harmonised wording. Answers are kept apart
//! from everything that selects: only the applicant reads them back, and reports aggregate them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::error::FieldError;
use crate::model::profile::Consent;
use crate::use_case_error::Invalid;

pub struct Question {
    pub code: &'static str,
    pub text: &'static str,
    pub why_we_ask: &'static str,
    /// Asked only of people aged 16 or over.
    pub sixteen_plus: bool,
    pub options: &'static [(&'static str, &'static str)],
}

const PNTS: (&str, &str) = ("prefer_not_to_say", "Prefer not to say");
const WHY: &str = "So that we can check the service is fair to everyone and reaches all communities. Nobody who chooses who gets a place ever sees your answers; they are only counted, in groups large enough that nobody can be picked out.";

pub const QUESTIONS: &[Question] = &[
    Question {
        code: "ethnicity",
        text: "What is your ethnic group?",
        why_we_ask: WHY,
        sixteen_plus: false,
        options: &[
            ("white_british", "White: English, Welsh, Scottish, Northern Irish or British"),
            ("white_irish", "White: Irish"),
            ("white_gypsy_or_irish_traveller", "White: Gypsy or Irish Traveller"),
            ("white_roma", "White: Roma"),
            ("white_other", "White: Any other White background"),
            ("mixed_white_black_caribbean", "Mixed or Multiple ethnic groups: White and Black Caribbean"),
            ("mixed_white_black_african", "Mixed or Multiple ethnic groups: White and Black African"),
            ("mixed_white_asian", "Mixed or Multiple ethnic groups: White and Asian"),
            ("mixed_other", "Mixed or Multiple ethnic groups: Any other Mixed or Multiple ethnic background"),
            ("asian_indian", "Asian or Asian British: Indian"),
            ("asian_pakistani", "Asian or Asian British: Pakistani"),
            ("asian_bangladeshi", "Asian or Asian British: Bangladeshi"),
            ("asian_chinese", "Asian or Asian British: Chinese"),
            ("asian_other", "Asian or Asian British: Any other Asian background"),
            ("black_caribbean", "Black, Black British, Caribbean or African: Caribbean"),
            ("black_african", "Black, Black British, Caribbean or African: African"),
            (
                "black_other",
                "Black, Black British, Caribbean or African: Any other Black, Black British or Caribbean background",
            ),
            ("other_arab", "Other ethnic group: Arab"),
            ("other_any", "Other ethnic group: Any other ethnic group"),
            PNTS,
        ],
    },
    Question {
        code: "sex",
        text: "What is your sex?",
        why_we_ask: WHY,
        sixteen_plus: false,
        options: &[("female", "Female"), ("male", "Male"), PNTS],
    },
    Question {
        code: "gender_identity_same_as_sex_at_birth",
        text: "Is the gender you identify with the same as your sex registered at birth?",
        why_we_ask: WHY,
        sixteen_plus: true,
        options: &[("yes", "Yes"), ("no", "No"), PNTS],
    },
    Question {
        code: "sexual_orientation",
        text: "Which of the following best describes your sexual orientation?",
        why_we_ask: WHY,
        sixteen_plus: true,
        options: &[
            ("straight_or_heterosexual", "Straight or Heterosexual"),
            ("gay_or_lesbian", "Gay or Lesbian"),
            ("bisexual", "Bisexual"),
            ("other", "Other sexual orientation"),
            PNTS,
        ],
    },
    Question {
        code: "long_term_condition",
        text: "Do you have any physical or mental health conditions or illnesses lasting or expected to last 12 months or more?",
        why_we_ask: WHY,
        sixteen_plus: false,
        options: &[("yes", "Yes"), ("no", "No"), PNTS],
    },
    Question {
        code: "condition_reduces_activities",
        text: "Do any of your conditions or illnesses reduce your ability to carry out day-to-day activities?",
        why_we_ask: WHY,
        sixteen_plus: false,
        options: &[("yes_a_lot", "Yes, a lot"), ("yes_a_little", "Yes, a little"), ("not_at_all", "Not at all"), PNTS],
    },
    Question {
        code: "religion",
        text: "What is your religion?",
        why_we_ask: WHY,
        sixteen_plus: false,
        options: &[
            ("no_religion", "No religion"),
            ("christian", "Christian"),
            ("buddhist", "Buddhist"),
            ("hindu", "Hindu"),
            ("jewish", "Jewish"),
            ("muslim", "Muslim"),
            ("sikh", "Sikh"),
            ("any_other_religion", "Any other religion"),
            PNTS,
        ],
    },
    Question {
        code: "main_earner_occupation_at_14",
        text: "What was the occupation of your main household earner when you were about 14?",
        why_we_ask: WHY,
        sixteen_plus: false,
        options: &[
            ("professional", "Modern, traditional or senior professional, or senior manager"),
            ("intermediate", "Clerical, intermediate, technical or middle and junior manager"),
            ("routine_manual", "Routine, semi-routine or manual work, or small business owner"),
            ("long_term_unemployed", "Long-term unemployed"),
            ("other_or_not_applicable", "Other, or not applicable"),
            PNTS,
        ],
    },
    Question {
        code: "school_type_11_16",
        text: "Which type of school did you attend for most of the time between 11 and 16?",
        why_we_ask: WHY,
        sixteen_plus: false,
        options: &[
            ("state_non_selective", "A state-run or state-funded school that did not select on academic ability"),
            ("state_selective", "A state-run or state-funded school that selected on academic ability"),
            ("independent", "An independent or fee-paying school"),
            ("outside_uk", "A school outside the UK"),
            ("dont_know", "I don't know"),
            PNTS,
        ],
    },
    Question {
        code: "free_school_meals",
        text: "Were you eligible for free school meals at any point during your school years?",
        why_we_ask: WHY,
        sixteen_plus: false,
        options: &[("yes", "Yes"), ("no", "No"), ("dont_know", "I don't know"), PNTS],
    },
];

/// Checks answers (question code to option code): every question optional, unknown questions and
/// codes refused with the field named, and the 16+ questions refused for younger applicants.
pub fn check(answers: &BTreeMap<String, String>, age: u32) -> Result<(), Invalid> {
    let mut errors = Vec::new();
    for (question, answer) in answers {
        let field = format!("/answers/{question}");
        match QUESTIONS.iter().find(|q| q.code == question) {
            None => errors.push(FieldError::new(field, "unknown_question", "There is no such question on the form.")),
            Some(q) if q.sixteen_plus && age < 16 => errors.push(FieldError::new(
                field,
                "asked_of_16_plus_only",
                "This question is only asked of people aged 16 or over.",
            )),
            Some(q) if !q.options.iter().any(|(code, _)| code == answer) => {
                errors.push(FieldError::new(field, "unknown_answer", "This is not one of the question's answers."))
            }
            Some(_) => {}
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(Invalid(errors)) }
}

/// A person's answers as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub answers: BTreeMap<String, String>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
    /// Set when an advocate gave the answers for the applicant.
    pub recorded_by: Option<RecordedBy>,
}

/// An advocate who answered for the applicant, and the consent they recorded for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedBy {
    pub advocate_subject: String,
    pub consent: Consent,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_question_offers_prefer_not_to_say_and_says_why() {
        for q in QUESTIONS {
            assert!(q.options.iter().any(|(c, _)| *c == "prefer_not_to_say"), "{}", q.code);
            assert!(!q.why_we_ask.is_empty());
        }
        let ethnicity = QUESTIONS.iter().find(|q| q.code == "ethnicity").unwrap();
        assert_eq!(ethnicity.options.len(), 20, "19 census categories and prefer not to say");
    }

    #[test]
    fn answers_are_checked_question_by_question() {
        let mut a = BTreeMap::new();
        a.insert("sex".to_string(), "female".to_string());
        assert!(check(&a, 15).is_ok());
        a.insert("sexual_orientation".to_string(), "bisexual".to_string());
        a.insert("religion".to_string(), "jedi".to_string());
        a.insert("shoe_size".to_string(), "9".to_string());
        let Err(Invalid(errors)) = check(&a, 15) else { panic!("accepted") };
        let codes: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(
            codes,
            vec![
                ("/answers/religion", "unknown_answer"),
                ("/answers/sexual_orientation", "asked_of_16_plus_only"),
                ("/answers/shoe_size", "unknown_question"),
            ]
        );
    }
}
