//! The privacy notice applicants accept when they apply. Each application records the version it
//! was sent under; applying under an older version is refused, so nobody is held to words they
//! have not seen.

/// The current version. Change it whenever the text changes.
pub const PRIVACY_NOTICE_VERSION: &str = "2026-11-29";

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
    "You can see and change your profile, withdraw an application, and change or delete your equality answers yourself.",
    "To get a copy of everything we hold about you, or to have it deleted, ask the service team.",
];

pub const SECTIONS: &[Section] = &[
    Section {
        heading: "Who we are",
        text: "The NHS work experience platform is run for the NHS in England. It is the data controller for the information you give it. Each NHS organisation that offers a placement is responsible for the information it sees about the people it hosts.",
    },
    Section {
        heading: "What we collect and why",
        text: "Your email address, to tell you about your applications. Your date of birth, to check the age limits of a placement on its start date. Your postcode district, to check a placement's local area (if you have no fixed address you are never refused for this). The groups you belong to and whether you are care experienced, because some placements are for, or put first, particular groups. Anything you choose to tell us about adjustments, so the placement can support you. Your answers to a placement's own questions.",
    },
    Section {
        heading: "Who sees it",
        text: "Coordinators see applications without your name, contact details, date of birth, postcode, school or support worker: only whether you meet the rules, and your answers. If you are offered a place and accept it, the placement's coordinator and host see your name and contact details, and we record that they did. A support worker you name is told when you apply and what the outcome is.",
    },
    Section {
        heading: "How long we keep it",
        text: "We keep your profile and applications until you ask us to delete them, so that we can show the service is fair. The service does not yet delete them automatically after a set time; when it does, this notice will change and you will be asked to read it again. Your equality answers are deleted as soon as you delete them.",
    },
    Section {
        heading: "Your rights",
        text: "In the service you can see and correct your profile, see your applications and what happened to them, withdraw an application that is waiting for an outcome, and change or delete your equality answers at any time. To get a copy of all your information, or to have it deleted, ask the service team: the service cannot do this for you by itself yet. You can also complain to the Information Commissioner's Office (ico.org.uk).",
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
