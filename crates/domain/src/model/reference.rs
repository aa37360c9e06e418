//! Reference data: the closed lists of codes the API accepts, each with a label and a plain-language
//! description that front ends can show (and localise by code).

use std::fmt;

/// Declares an enumeration of stable snake_case codes with a label and a description for each.
macro_rules! code_enum {
    ($(#[doc = $doc:literal])* $name:ident { $($variant:ident => ($code:literal, $label:literal, $desc:literal)),+ $(,)? }) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $( #[serde(rename = $code)] $variant ),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// What the list is, as its doc comment says (the API document describes the list with it).
            pub const DOC: &'static str = concat!($($doc, "\n"),*);

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn description(self) -> &'static str {
                match self { $($name::$variant => $desc),+ }
            }

            pub fn parse(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
pub(crate) use code_enum;

code_enum! {
    /// The nine user groups of the Discovery Report (chapter 4). A person can belong to several.
    UserGroup {
        SchoolPupils14To16 => ("school_pupils_14_16", "School pupils aged 14 to 16",
            "You are at school and aged 14, 15 or 16."),
        YoungPeople16To18 => ("young_people_16_18", "Young people aged 16 to 18",
            "You are 16, 17 or 18, at college, in sixth form, in training or not."),
        Unemployed => ("unemployed", "Unemployed people",
            "You are not in paid work at the moment and would like to be."),
        CareExperienced => ("care_experienced", "Care-experienced people",
            "You are or have been in care, for example in foster care or a children's home, at any age."),
        AdditionalNeeds => ("additional_needs", "People with additional needs",
            "You have a disability, a long-term health condition, a learning difficulty or other needs that mean you may want support or changes to take part."),
        Veterans => ("veterans", "Veterans and service leavers",
            "You have served in the armed forces, or are leaving them."),
        PrisonLeavers => ("prison_leavers", "Prison leavers",
            "You have left prison, or you are on release on temporary licence."),
        CareerChangers => ("career_changers", "Career changers",
            "You work, or have worked, in another field and are thinking about a career in health or care. Any age."),
        ResettledRefugees => ("resettled_refugees", "Resettled refugees",
            "You came to the UK as a refugee and are building a life and a career here."),
    }
}

code_enum! {
    /// NHS Health Careers families.
    Specialty {
        AlliedHealthProfessions => ("allied_health_professions", "Allied health professions",
            "Fourteen professions such as physiotherapy, paramedics, radiography, dietetics and speech and language therapy."),
        Ambulance => ("ambulance", "Ambulance service", "Call handling, patient transport and emergency care."),
        Dental => ("dental", "Dental team", "Dentists, dental nurses, hygienists and technicians."),
        HealthInformatics => ("health_informatics", "Health informatics",
            "Data, digital, IT and records: the technology behind patient care."),
        HealthcareSupportWorker => ("healthcare_support_worker", "Healthcare support worker",
            "Hands-on support for patients alongside nurses, therapists and other staff."),
        HealthcareScience => ("healthcare_science", "Healthcare science",
            "Scientists and technicians in laboratories, physiology and medical physics."),
        Medicine => ("medicine", "Medicine", "Doctors in hospitals, GP practices and the community."),
        Midwifery => ("midwifery", "Midwifery", "Care for women and babies before, during and after birth."),
        Management => ("management", "Management", "Running services, finance, HR and operations."),
        Nursing => ("nursing", "Nursing", "Adult, children's, learning disability and mental health nursing."),
        Pharmacy => ("pharmacy", "Pharmacy", "Pharmacists and pharmacy technicians: medicines and advice."),
        PsychologicalProfessions => ("psychological_professions", "Psychological professions",
            "Psychologists, psychotherapists and wellbeing practitioners."),
        PublicHealth => ("public_health", "Public health", "Protecting and improving the health of whole communities."),
        WiderHealthcareTeam => ("wider_healthcare_team", "Wider healthcare team",
            "Estates, catering, admin, porters, domestic services and many other roles that keep the NHS running."),
    }
}

code_enum! {
    PlacementKind {
        WorkExperience => ("work_experience", "Work experience",
            "A short placement to see what working in the NHS is like. Unpaid, and you do not do the job yourself."),
        WorkRelatedLearning => ("work_related_learning", "Work-related learning",
            "Learning about NHS careers through talks, online sessions, tours and activities."),
        TLevelIndustryPlacement => ("t_level_industry_placement", "T level industry placement",
            "A placement of at least 315 hours that is part of a T level course, arranged with your college."),
    }
}

code_enum! {
    Delivery {
        InPerson => ("in_person", "In person", "You go to an NHS site."),
        Online => ("online", "Online", "You take part from home or school on a computer, tablet or phone."),
        Hybrid => ("hybrid", "Hybrid", "Partly online and partly at an NHS site."),
    }
}

code_enum! {
    /// NHS England's seven regions.
    Region {
        EastOfEngland => ("east_of_england", "East of England", "NHS England East of England region."),
        London => ("london", "London", "NHS England London region."),
        Midlands => ("midlands", "Midlands", "NHS England Midlands region."),
        NorthEastAndYorkshire => ("north_east_and_yorkshire", "North East and Yorkshire",
            "NHS England North East and Yorkshire region."),
        NorthWest => ("north_west", "North West", "NHS England North West region."),
        SouthEast => ("south_east", "South East", "NHS England South East region."),
        SouthWest => ("south_west", "South West", "NHS England South West region."),
    }
}

code_enum! {
    OrganisationKind {
        NhsTrust => ("nhs_trust", "NHS trust", "A hospital, community, mental health or ambulance trust."),
        IntegratedCareBoard => ("integrated_care_board", "Integrated care board",
            "An ICB, which plans and pays for health services in an area."),
        GpPractice => ("gp_practice", "GP practice", "A general practice."),
        SocialCareProvider => ("social_care_provider", "Social care provider", "A care home or home care provider."),
        Partner => ("partner", "Partner organisation", "A charity, college, university or other partner."),
        EducationProvider => ("education_provider", "Education provider",
            "A college or other provider of T level courses, whose provider coordinators place their students."),
    }
}

code_enum! {
    /// How entries are chosen (see the selection algorithm). First come, first served is not offered.
    SelectionMethod {
        Lottery => ("lottery", "Lottery",
            "Every eligible application has the same chance, in the order of the priority rules."),
        NameBlindReview => ("name_blind_review", "Name-blind review, then lottery",
            "Coordinators check each application against the criteria without seeing who sent it; a lottery then chooses among those that meet them."),
        ByAgreement => ("by_agreement", "By agreement with the education provider",
            "T level industry placements only: a college's provider coordinator proposes a named student and the organisation accepts or declines. Never drawn."),
    }
}

code_enum! {
    PlacementStatus {
        Draft => ("draft", "Draft", "Being prepared; only its organisation's coordinators see it."),
        Published => ("published", "Published", "Advertised; open for applications between its opening and closing times."),
        Closed => ("closed", "Closed", "No longer taking applications; the draw is due."),
        Allocated => ("allocated", "Allocated", "Places have been offered."),
        Completed => ("completed", "Completed", "The placement has taken place."),
        Cancelled => ("cancelled", "Cancelled", "Withdrawn by the organisation."),
    }
}

impl Default for PlacementStatus {
    /// Searches show what is advertised unless asked otherwise.
    fn default() -> Self {
        PlacementStatus::Published
    }
}

/// A rule that puts some entries in an earlier tier of the draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PriorityRule {
    CareExperienced,
    InCatchment,
    UserGroup(UserGroup),
}

impl PriorityRule {
    /// Every rule a placement may use, in a stable order.
    pub fn all() -> Vec<PriorityRule> {
        let mut rules = vec![PriorityRule::CareExperienced, PriorityRule::InCatchment];
        rules.extend(UserGroup::ALL.iter().map(|g| PriorityRule::UserGroup(*g)));
        rules
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "care_experienced" => Some(PriorityRule::CareExperienced),
            "in_catchment" => Some(PriorityRule::InCatchment),
            _ => code.strip_prefix("user_group:").and_then(UserGroup::parse).map(PriorityRule::UserGroup),
        }
    }
}

impl fmt::Display for PriorityRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PriorityRule::CareExperienced => f.write_str("care_experienced"),
            PriorityRule::InCatchment => f.write_str("in_catchment"),
            PriorityRule::UserGroup(g) => write!(f, "user_group:{g}"),
        }
    }
}

/// Reasons shown beside each priority rule, in words a 14-year-old understands.
pub fn priority_rule_reason(rule: &PriorityRule) -> String {
    match rule {
        PriorityRule::CareExperienced => "People who are or have been in care are less likely to know someone in the NHS who can help them get work experience, so they go first in the draw.".to_string(),
        PriorityRule::InCatchment => "People who live in this placement's local area go first, because the organisation serves them and travel is easier.".to_string(),
        PriorityRule::UserGroup(g) => format!(
            "This placement was set up especially for this group ({}), so they go first in the draw.",
            g.label().to_lowercase()
        ),
    }
}

/// Guidance for hosts on supporting participants of each user group.
pub fn host_guidance(group: UserGroup) -> &'static str {
    match group {
        UserGroup::SchoolPupils14To16 => {
            "School pupils may never have been in a workplace. Meet them at the door, show them where the toilets and break room are, explain who to ask for help, and keep them busy: short, varied tasks work best. Safeguarding rules for under-18s apply."
        }
        UserGroup::YoungPeople16To18 => {
            "Many are weighing up courses or apprenticeships: let them talk to staff in several roles and about how they got there. Safeguarding rules for under-18s apply."
        }
        UserGroup::Unemployed => {
            "Be clear about what the placement can and cannot lead to, and point to current vacancies and training schemes. Treat them as a colleague: confidence matters."
        }
        UserGroup::CareExperienced => {
            "Care-experienced people may have had disrupted schooling and little support. Be patient with timekeeping at first, explain the unwritten rules, and make sure they know who to ask. Do not ask about their care history."
        }
        UserGroup::AdditionalNeeds => {
            "Read the adjustments they asked for before the first day and check on the day that they are in place. Ask the participant what works for them."
        }
        UserGroup::Veterans => {
            "Veterans bring discipline and experience of high-pressure teams. Help them translate their skills into NHS roles and explain NHS structures and language."
        }
        UserGroup::PrisonLeavers => {
            "Prison leavers may worry how they will be seen. Treat them like any participant, explain clearly what is expected, and do not ask about convictions."
        }
        UserGroup::CareerChangers => {
            "Career changers often have transferable skills: ask what they did before, and show them realistic routes into NHS roles at their stage of life."
        }
        UserGroup::ResettledRefugees => {
            "Explain UK workplace culture plainly: timekeeping, first names, breaks, asking questions. Speak clearly, check understanding, and explain NHS terms and acronyms."
        }
    }
}
