//! The privacy notice applicants accept when they apply. Each application records the version it
//! was sent under; applying under an older version is refused, so nobody is held to words they
//! have not seen.

/// The current version. Change it whenever the text changes.
pub const PRIVACY_NOTICE_VERSION: &str = "2026-11-30";

pub struct Section {
    pub heading: &'static str,
    pub text: &'static str,
}

/// The short version, for young people (and everyone else).
pub const SUMMARY: &[&str] = &[
    "We use your information to find out which placements you can apply for, to run a fair draw, and to tell you what happens.",
    "The people who choose never see your name, contact details, date of birth, address or school.",
    "We only ask for what we need. We never ask about criminal convictions, your health or your grades.",
    "The equality questions are on a separate form. They are optional, and nobody who chooses sees your answers.",
    "If you get a place, the placement team sees your name and contact details so they can welcome you.",
    "You can download everything we hold about you, and delete your account, yourself, at any time.",
    "We delete your details a year after your placement ends, and your account if you have not used it for two years.",
    "Numbers we publish, like how many people applied, do not change when you delete things, and never show who you are.",
];

pub const SECTIONS: &[Section] = &[
    Section {
        heading: "Who we are",
        text: "The NHS work experience platform is run for the NHS in England. It is the data controller for the information you give it. Each NHS organisation that offers a placement is responsible for the information it sees about the people it hosts.",
    },
    Section {
        heading: "What we collect and why",
        text: "Your email address, to tell you about your applications. Your date of birth, to check the age limits of a placement on its start date. Your postcode district, to check a placement's local area (if you have no fixed address you are never refused for this). The groups you belong to and whether you are care experienced, because some placements are for, or put first, particular groups. Anything you choose to tell us about adjustments, so the placement can support you. Your answers to a placement's own questions. We use this to run a public service (UK GDPR Article 6(1)(e)). Your equality answers are optional and are used only to check that the service is fair to everyone (equality of opportunity monitoring, Data Protection Act 2018, Schedule 1, paragraph 8).",
    },
    Section {
        heading: "Who sees it",
        text: "Coordinators see applications without your name, contact details, date of birth, postcode, school or support worker: only whether you meet the rules, and your answers. If you are offered a place and accept it, the placement's coordinator and host see your name and contact details, and we record every time they look. A support worker you name is told when you apply and what the outcome is. Our data protection officer can see the record of who looked at your details.",
    },
    Section {
        heading: "How long we keep it",
        text: "Your answers, supporting information and the messages about an application are deleted 12 months after its placement ends. Messages we send are kept for 90 days, so that we can check they arrived. If you do not use your account for 24 months we email you, and delete it 30 days later unless you sign in. The record of who looked at your details is kept for 6 years, as NHS records of access are. Your equality answers are deleted as soon as you delete them.",
    },
    Section {
        heading: "Counts that stay when you delete things",
        text: "When a placement's draw happens, we note for each application, without your name, the groups you said you belong to, whether you are care experienced, your age when you applied and your equality answers at that moment. Reports and published numbers count these, so last year's numbers do not change when someone changes their answers or deletes their account. The counts never show who anyone is: small numbers are hidden.",
    },
    Section {
        heading: "Your rights",
        text: "In the service you can see and correct your profile, see your applications and what happened to them, withdraw an application that is waiting for an outcome, change or delete your equality answers, download everything we hold about you in one file, and delete your account. Deleting your account withdraws applications still waiting, gives up a place you have not started (it goes to the next person waiting), and removes your details; a completion certificate you were given still proves the placement, without your initials. If you are under 16, the parent, carer or adviser who set up your account with your consent can do these things for you. You can also ask the service team, and complain to the Information Commissioner's Office (ico.org.uk).",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_is_short_and_plain() {
        assert!(SUMMARY.len() <= 8);
        // Short sentences a 14-year-old can read: no line over about 30 words.
        assert!(SUMMARY.iter().all(|s| s.split_whitespace().count() <= 30));
    }
}
