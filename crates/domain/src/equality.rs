//! The equality monitoring form: optional as a whole and per question, with `prefer_not_to_say`
//! everywhere and the Government Statistical Service's harmonised wording. Answers are kept apart
//! from everything that selects: only the applicant reads them back, and reports aggregate them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use uuid::Uuid;

use crate::advocacy::applicant_profile;
use crate::error::{DomainError, FieldError, StoreError};
use crate::model::advocacy::check_consent;
use crate::model::auth::Actor;
use crate::model::profile::{Consent, Profile, age_on};
use crate::ports::{AdvocacyStore, EqualityStore, ProfileStore};

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
pub fn check(answers: &BTreeMap<String, String>, age: u32) -> Result<(), DomainError> {
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
    if errors.is_empty() { Ok(()) } else { Err(DomainError::Invalid(errors)) }
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

/// The caller's own answers (404 when they have given none).
pub fn my_answers<S: ProfileStore + EqualityStore + ?Sized>(store: &S, actor: &Actor) -> Result<Response, DomainError> {
    let profile = match store.profile_by_subject(&actor.subject) {
        Err(StoreError::NotFound) => return Err(DomainError::NotFound),
        other => other?,
    };
    store.equality_response(profile.id)?.ok_or(DomainError::NotFound)
}

/// Gives or replaces the caller's answers; with a version from `If-Match` it must be current.
pub fn put_my_answers<S: ProfileStore + EqualityStore + ?Sized>(
    store: &S,
    actor: &Actor,
    answers: BTreeMap<String, String>,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(Response, bool), DomainError> {
    let profile = crate::profiles::required_profile(store, actor)?;
    let current = store.equality_response(profile.id)?;
    replace(store, &profile, current, answers, None, expected_version, now)
}

fn replace<S: EqualityStore + ?Sized>(
    store: &S,
    profile: &Profile,
    current: Option<Response>,
    answers: BTreeMap<String, String>,
    recorded_by: Option<RecordedBy>,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(Response, bool), DomainError> {
    check(&answers, age_on(profile.input.date_of_birth, now.date_naive()))?;
    // An `If-Match` must match what is there: a version when there is nothing is stale too.
    if let Some(expected) = expected_version
        && current.as_ref().is_none_or(|c| c.version != expected)
    {
        return Err(DomainError::PreconditionFailed);
    }
    let created = current.is_none();
    let response = Response { answers, version: current.map_or(1, |c| c.version + 1), updated_at: now, recorded_by };
    store.put_equality_response(profile.id, &response)?;
    Ok((response, created))
}

/// Answers this advocate gave for an applicant they act for, which they may read back: answers
/// the applicant (or another advocate) gave stay out of their reach (404).
fn recorded_by_advocate<S: AdvocacyStore + ProfileStore + EqualityStore + ?Sized>(
    store: &S,
    actor: &Actor,
    profile_id: Uuid,
) -> Result<(Profile, Option<Response>), DomainError> {
    let profile = applicant_profile(store, actor, profile_id)?;
    let current = store.equality_response(profile.id)?;
    match &current {
        Some(r) if r.recorded_by.as_ref().is_none_or(|b| b.advocate_subject != actor.subject) => {
            Err(DomainError::NotFound)
        }
        _ => Ok((profile, current)),
    }
}

/// The answers an advocate gave for an applicant they act for (404 otherwise).
pub fn answers_for<S: AdvocacyStore + ProfileStore + EqualityStore + ?Sized>(
    store: &S,
    actor: &Actor,
    profile_id: Uuid,
) -> Result<Response, DomainError> {
    recorded_by_advocate(store, actor, profile_id)?.1.ok_or(DomainError::NotFound)
}

/// An advocate gives or replaces the answers of an applicant they act for, with the consent the
/// applicant (or, under 16, a parent or carer) gave for it. Answers the applicant gave
/// themselves are never replaced by an advocate.
pub fn put_answers_for<S: AdvocacyStore + ProfileStore + EqualityStore + ?Sized>(
    store: &S,
    actor: &Actor,
    profile_id: Uuid,
    answers: BTreeMap<String, String>,
    consent: Option<Consent>,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(Response, bool), DomainError> {
    let (profile, current) = recorded_by_advocate(store, actor, profile_id)?;
    let Some(consent) = consent else {
        return Err(DomainError::Invalid(vec![FieldError::new(
            "/consent",
            "consent_required",
            "Record the consent the applicant (or, under 16, a parent or carer) gave for you to answer for them.",
        )]));
    };
    let errors = check_consent(&profile.input, &consent, now.date_naive());
    if !errors.is_empty() {
        return Err(DomainError::Invalid(errors));
    }
    let recorded_by = Some(RecordedBy { advocate_subject: actor.subject.clone(), consent });
    replace(store, &profile, current, answers, recorded_by, expected_version, now)
}

/// An advocate deletes the answers they gave for an applicant they act for.
pub fn delete_answers_for<S: AdvocacyStore + ProfileStore + EqualityStore + ?Sized>(
    store: &S,
    actor: &Actor,
    profile_id: Uuid,
) -> Result<(), DomainError> {
    let (profile, current) = recorded_by_advocate(store, actor, profile_id)?;
    if current.is_none() {
        return Err(DomainError::NotFound);
    }
    Ok(store.delete_equality_response(profile.id)?)
}

/// Deletes the caller's answers, for good.
pub fn delete_my_answers<S: ProfileStore + EqualityStore + ?Sized>(
    store: &S,
    actor: &Actor,
) -> Result<(), DomainError> {
    let profile = match store.profile_by_subject(&actor.subject) {
        Err(StoreError::NotFound) => return Err(DomainError::NotFound),
        other => other?,
    };
    Ok(store.delete_equality_response(profile.id)?)
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
        let Err(DomainError::Invalid(errors)) = check(&a, 15) else { panic!("accepted") };
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
