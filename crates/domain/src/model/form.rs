//! The application form, explained: every field an application uses, whether it is required, why
//! it is asked, who sees it and how long it is kept, in words a 14-year-old understands. Prison
//! leavers and care leavers told the Discovery Report they could not tell what was compulsory or
//! why it was asked; this answers both for every field.

use crate::model::placement::Placement;
use crate::model::privacy::PRIVACY_NOTICE_VERSION;

/// How long application data is kept (the privacy notice says the same).
pub const KEPT_WITH_APPLICATION: &str =
    "Until 12 months after the placement ends, or until you delete your account if that is sooner.";
pub const KEPT_WITH_PROFILE: &str =
    "Until you delete your account, or 24 months after you last used it (we email you 30 days before).";
const CHOOSERS_NEVER: &str = "The platform only. The people who choose never see it.";

/// Guidance shown beside every free-text answer.
pub const FREE_TEXT_GUIDANCE: &str = "Do not put your name, school or other personal details in your answer: the people who choose should not know who you are.";

/// Things the form never asks, said plainly because applicants worry about them.
pub const NOT_ASKED: &[&str] = &[
    "whether you have a criminal record",
    "questions about your health",
    "your grades or predicted grades",
    "whether you know someone who works in the NHS",
    "your full address",
    "ethnicity, religion and other equality questions (these are on a separate form that is optional, and nobody who chooses sees your answers)",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormField {
    /// Where the value lives: `profile/...` (your profile), `application/...` (sent when you apply).
    pub field: String,
    pub label: String,
    pub required: bool,
    /// When a field is required only in some cases, which.
    pub required_when: Option<String>,
    pub why_we_ask: String,
    pub who_sees_it: String,
    pub kept_for: String,
    /// Guidance for free-text fields.
    pub guidance: Option<String>,
    /// For the placement's own questions: the longest answer accepted.
    pub max_length: Option<u16>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationForm {
    pub privacy_notice_version: &'static str,
    pub who_can_apply: String,
    pub fields: Vec<FormField>,
    pub not_asked: Vec<&'static str>,
}

struct F {
    field: &'static str,
    label: &'static str,
    required: bool,
    required_when: Option<String>,
    why: String,
    who: &'static str,
    kept: &'static str,
}

impl F {
    fn build(self) -> FormField {
        FormField {
            field: self.field.to_string(),
            label: self.label.to_string(),
            required: self.required,
            required_when: self.required_when,
            why_we_ask: self.why,
            who_sees_it: self.who.to_string(),
            kept_for: self.kept.to_string(),
            guidance: None,
            max_length: None,
        }
    }
}

fn who_can_apply(placement: &Placement) -> String {
    let e = &placement.details.eligibility;
    let mut parts = Vec::new();
    match (e.min_age, e.max_age) {
        (Some(a), Some(b)) => parts.push(format!("people aged {a} to {b} on the start date")),
        (Some(a), None) => parts.push(format!("people aged {a} or over on the start date, with no upper age limit")),
        (None, Some(b)) => parts.push(format!("people aged {b} or under on the start date")),
        (None, None) => parts.push("people of any age".to_string()),
    }
    match &e.user_groups {
        Some(groups) => {
            let names: Vec<String> = groups.iter().map(|g| g.label().to_lowercase()).collect();
            parts.push(format!("who are one of: {}", names.join("; ")));
        }
        None => parts.push("from every group, including career changers and veterans".to_string()),
    }
    if let Some(area) = &e.catchment {
        parts.push(format!(
            "living in {} (if you have no fixed address you can apply if you can travel there)",
            area.join(", ")
        ));
    }
    format!("This placement is for {}.", parts.join(", "))
}

/// The form for one placement.
pub fn application_form(placement: &Placement) -> ApplicationForm {
    let e = &placement.details.eligibility;
    let mut fields: Vec<FormField> = vec![
        F {
            field: "profile/email",
            label: "Email address",
            required: true,
            required_when: None,
            why: "So we can tell you what happens with your application, and when.".into(),
            who: "The platform. The placement team sees it only if you accept a place.",
            kept: KEPT_WITH_PROFILE,
        },
        F {
            field: "profile/date_of_birth",
            label: "Date of birth",
            required: true,
            required_when: None,
            why: "To check the placement's age limits on its start date. The people who choose only see \"meets the age rule: yes\".".into(),
            who: CHOOSERS_NEVER,
            kept: KEPT_WITH_PROFILE,
        },
        F {
            field: "profile/postcode",
            label: "Postcode",
            required: true,
            required_when: Some("unless you have no fixed address".into()),
            why: if e.catchment.is_some() {
                "This placement is for a local area: your postcode shows whether you live in it. The people who choose only see \"in the area: yes or no\".".into()
            } else {
                "Some placements are for a local area. This one is not, so it does not matter where you live.".into()
            },
            who: CHOOSERS_NEVER,
            kept: KEPT_WITH_PROFILE,
        },
        F {
            field: "profile/no_fixed_address",
            label: "I have no fixed address",
            required: false,
            required_when: None,
            why: "So that nobody is refused for not having an address. You will never be turned down for where you live.".into(),
            who: CHOOSERS_NEVER,
            kept: KEPT_WITH_PROFILE,
        },
        F {
            field: "profile/user_groups",
            label: "Groups you belong to",
            required: e.user_groups.is_some(),
            required_when: e.user_groups.as_ref().map(|_| "this placement is only for some groups".to_string()),
            why: if e.user_groups.is_some() {
                "This placement was set up for particular groups, so we check you are in one of them.".into()
            } else {
                "Some placements are set up for particular groups, or put a group first in the draw. It never counts against you.".into()
            },
            who: "The platform. The people who choose only see whether you meet the placement's rules.",
            kept: KEPT_WITH_PROFILE,
        },
        F {
            field: "profile/care_experienced",
            label: "I am, or have been, in care",
            required: false,
            required_when: None,
            why: "People who have been in care are less likely to know someone in the NHS who can help them find work experience, so some placements put them first in the draw. Ticking it never counts against you.".into(),
            who: CHOOSERS_NEVER,
            kept: KEPT_WITH_PROFILE,
        },
        F {
            field: "profile/preferred_name",
            label: "What should we call you?",
            required: false,
            required_when: None,
            why: "So our messages use the name you like. Choosing never uses it.".into(),
            who: "The platform. The placement team sees it only if you accept a place.",
            kept: KEPT_WITH_PROFILE,
        },
        F {
            field: "profile/phone",
            label: "Phone number",
            required: false,
            required_when: None,
            why: "Only if you would like a call or text as well as emails.".into(),
            who: "The platform. The placement team sees it only if you accept a place.",
            kept: KEPT_WITH_PROFILE,
        },
        F {
            field: "profile/adjustments",
            label: "Anything that would help you take part",
            required: false,
            required_when: None,
            why: "So the placement can get ready to support you, for example with step-free access or extra breaks. It is never used to choose.".into(),
            who: "The placement team, only if you accept a place.",
            kept: KEPT_WITH_PROFILE,
        },
        F {
            field: "profile/support_worker",
            label: "Someone who supports you",
            required: false,
            required_when: None,
            why: "If a personal adviser, probation officer, caseworker or teacher helps you, we tell them when you apply and what happens, and they can add information to support you.".into(),
            who: "The platform and the person you name. The people who choose never see who they are.",
            kept: KEPT_WITH_PROFILE,
        },
        F {
            field: "application/privacy_notice_version",
            label: "I have read the privacy notice",
            required: true,
            required_when: None,
            why: "So you know how we use your information before you apply. We record which version you read.".into(),
            who: "The platform.",
            kept: KEPT_WITH_APPLICATION,
        },
    ]
    .into_iter()
    .map(F::build)
    .collect();
    if e.catchment.is_some() {
        fields.push(
            F {
                field: "application/can_travel",
                label: "I can travel to the placement",
                required: true,
                required_when: Some("you have no fixed address".into()),
                why: "This placement is for a local area. If you have no fixed address you can still apply: just confirm you can get there.".into(),
                who: "The platform.",
                kept: KEPT_WITH_APPLICATION,
            }
            .build(),
        );
    }
    for (i, q) in placement.details.questions.iter().enumerate() {
        fields.push(FormField {
            field: format!("application/answers/{i}"),
            label: q.text.clone(),
            required: q.required,
            required_when: None,
            why_we_ask: q.why_we_ask.clone(),
            who_sees_it: "The placement's coordinators, without your name.".to_string(),
            kept_for: KEPT_WITH_APPLICATION.to_string(),
            guidance: Some(FREE_TEXT_GUIDANCE.to_string()),
            max_length: Some(q.max_length),
        });
    }
    ApplicationForm {
        privacy_notice_version: PRIVACY_NOTICE_VERSION,
        who_can_apply: who_can_apply(placement),
        fields,
        not_asked: NOT_ASKED.to_vec(),
    }
}
