//! What a coordinator writes about a placement, as the API reads and writes it.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::model::placement as domain;
use wex_domain::model::readiness::{self, RequirementKind};
use wex_domain::model::reference::{Delivery, PlacementKind, PriorityRule, SelectionMethod, Specialty, UserGroup};

use crate::wire::codes;

/// Times of day as `HH:MM`.
mod hh_mm {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&t.format("%H:%M"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let text = String::deserialize(d)?;
        NaiveTime::parse_from_str(&text, "%H:%M")
            .map_err(|_| serde::de::Error::custom("expected a time of day as HH:MM, such as 09:30"))
    }
}

/// A priority rule by its code (`care_experienced`, `in_catchment`, `user_group:<code>`).
#[derive(Debug, Clone, Copy)]
pub struct Rule(pub PriorityRule);

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        PriorityRule::parse(&code).map(Rule).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown priority rule `{code}`: expected care_experienced, in_catchment or user_group:<user group code>"
            ))
        })
    }
}

impl From<PriorityRule> for Rule {
    fn from(rule: PriorityRule) -> Self {
        Rule(rule)
    }
}

impl From<Rule> for PriorityRule {
    fn from(rule: Rule) -> Self {
        rule.0
    }
}

fn default_max_length() -> u16 {
    1000
}

fn default_offer_response_days() -> u8 {
    5
}

/// Left out, a T level industry placement is arranged by agreement (the only method it may use)
/// and every other placement is a lottery.
fn default_selection_method(kind: PlacementKind) -> SelectionMethod {
    if kind == PlacementKind::TLevelIndustryPlacement { SelectionMethod::ByAgreement } else { SelectionMethod::Lottery }
}

/// The hours of a typical day.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DailyHours {
    #[serde(with = "hh_mm")]
    #[schema(value_type = String, example = "09:00", pattern = "^[0-2][0-9]:[0-5][0-9]$")]
    pub start: NaiveTime,
    #[serde(with = "hh_mm")]
    #[schema(value_type = String, example = "15:30", pattern = "^[0-2][0-9]:[0-5][0-9]$")]
    pub end: NaiveTime,
}

/// Who may apply. Absent limits mean no limit: there is no default age cap.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Eligibility {
    /// Youngest age on the start date (14 at the lowest).
    #[serde(default)]
    #[schema(example = 16, minimum = 14, maximum = 100)]
    pub min_age: Option<u8>,
    /// Oldest age on the start date; `null` for no upper limit.
    #[serde(default)]
    #[schema(minimum = 14, maximum = 100)]
    pub max_age: Option<u8>,
    /// The user groups who may apply; `null` means everyone.
    #[serde(default)]
    #[schema(value_type = Option<Vec<codes::UserGroup>>)]
    pub user_groups: Option<Vec<UserGroup>>,
    /// Postcode districts applicants must live in (`["SO14", "SO15"]`); `null` means anywhere.
    /// Applicants with no fixed address are never refused for catchment.
    #[serde(default)]
    #[schema(example = json!(["SO14", "SO15", "SO16"]))]
    pub catchment: Option<Vec<String>>,
}

/// What applicants need to know to prepare. All of it is required before publishing.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Preparation {
    #[serde(default)]
    #[schema(example = "Shadow a physiotherapist on the children's ward; watch assessments; help set up equipment.")]
    pub what_you_will_do: Option<String>,
    #[serde(default)]
    #[schema(example = "You will not treat patients or see confidential records.")]
    pub what_you_will_not_do: Option<String>,
    #[serde(default)]
    #[schema(example = "Smart casual: no jeans, closed flat shoes, no jewellery on hands or wrists.")]
    pub dress_code: Option<String>,
    #[serde(default)]
    #[schema(
        example = "Go to main reception, Tremona Road entrance, at 8:45. Ask for the work experience coordinator."
    )]
    pub arrival_instructions: Option<String>,
    /// The role (not the name) of who meets and looks after participants.
    #[serde(default)]
    #[schema(example = "Work experience coordinator")]
    pub contact_role: Option<String>,
    #[serde(default)]
    #[schema(example = "30-minute lunch break at 12:30. Bring a packed lunch or use the staff canteen.")]
    pub breaks_and_food: Option<String>,
    #[serde(default)]
    #[schema(example = "Bus fares repaid up to £10 a day; keep your tickets.")]
    pub travel_expenses: Option<String>,
    #[serde(default)]
    #[schema(example = "Quiet room available; tell us about any adjustments you need.")]
    pub support_available: Option<String>,
    /// Whether the placement can lead to a job, honestly. Most work experience does not.
    #[serde(default)]
    pub leads_to_job: Option<bool>,
    /// Always false: work experience is unpaid, and applying is always free.
    #[serde(default)]
    pub paid: bool,
}

/// A question of the placement's own, with the reason it is asked. Answers are free text.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    #[schema(example = "Which part of a physiotherapist's work would you most like to see?")]
    pub text: String,
    #[schema(
        example = "So that we can plan your week around what interests you. It is not used to choose who gets a place."
    )]
    pub why_we_ask: String,
    #[serde(default)]
    pub required: bool,
    /// The longest answer accepted, in characters (1 to 2000).
    #[serde(default = "default_max_length")]
    pub max_length: u16,
}

/// A requirement of the placement's own, with the reason it is asked. The participant completes it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomRequirement {
    #[schema(example = "Bring photo ID on your first day.")]
    pub text: String,
    #[schema(example = "Security checks everyone coming onto the ward.")]
    pub why_we_ask: String,
}

/// What someone must do or have before they may start; see `GET /v1/reference-data/requirement-kinds`
/// for each kind's meaning and why it is asked. Under-16s always owe a parent's or carer's consent
/// and an emergency contact, listed or not; listing `parent_carer_consent` asks it of everyone
/// under 18. Fixed once applications open.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Requirements {
    #[serde(default)]
    #[schema(value_type = Vec<codes::RequirementKind>, example = json!(["participant_agreement", "induction", "emergency_contact"]))]
    pub kinds: Vec<RequirementKind>,
    /// The online induction module (`https://`); required when `induction` is listed.
    #[serde(default)]
    #[schema(example = "https://learning.example.nhs.uk/work-experience-induction")]
    pub induction_url: Option<String>,
    /// Up to ten requirements of the placement's own.
    #[serde(default)]
    pub custom: Vec<CustomRequirement>,
}

/// Everything a coordinator writes about a placement. Used to create, and to replace through a
/// merge patch.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlacementDetails {
    #[schema(value_type = codes::PlacementKind)]
    pub kind: PlacementKind,
    #[schema(value_type = codes::Delivery)]
    pub delivery: Delivery,
    #[schema(value_type = codes::Specialty)]
    pub specialty: Specialty,
    #[schema(example = "Children's physiotherapy: a week on the ward")]
    pub title: String,
    #[schema(example = "See how physiotherapists help children recover from illness and injury.")]
    pub description: String,
    /// One of the organisation's sites; required before publishing unless the placement is online.
    #[serde(default)]
    pub site_id: Option<Uuid>,
    /// One of the organisation's host departments.
    #[serde(default)]
    pub department_id: Option<Uuid>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub daily_hours: DailyHours,
    /// How many places there are (at least 1).
    #[schema(example = 4, minimum = 1, maximum = 1000)]
    pub capacity: i32,
    #[serde(default)]
    pub eligibility: Eligibility,
    /// When applications open (RFC 3339, UTC).
    pub opens_at: DateTime<Utc>,
    /// When applications close; the draw follows.
    pub closes_at: DateTime<Utc>,
    /// The date by which every applicant will hear their outcome: after closing, no later than the start.
    pub outcome_by: NaiveDate,
    /// Left out: `by_agreement` for a T level industry placement (the only method it may use),
    /// `lottery` for any other.
    #[serde(default)]
    #[schema(value_type = Option<codes::SelectionMethod>)]
    pub selection_method: Option<SelectionMethod>,
    /// Ordered rules: entries matching an earlier rule are drawn first. Fixed once applications open.
    #[serde(default)]
    #[schema(value_type = Vec<String>, example = json!(["care_experienced", "in_catchment"]))]
    pub priority_rules: Vec<Rule>,
    #[serde(default)]
    pub preparation: Preparation,
    /// Up to five questions of the placement's own. Fixed once applications open.
    #[serde(default)]
    pub questions: Vec<Question>,
    /// Days an applicant has to answer an offer of a place (1 to 30; never past the day before
    /// the start). Fixed once applications open.
    #[serde(default = "default_offer_response_days")]
    #[schema(example = 5, minimum = 1, maximum = 30)]
    pub offer_response_days: u8,
    /// What someone must do or have before they may start (none by default, beyond what the law
    /// asks of under-16s). Fixed once applications open.
    #[serde(default)]
    pub requirements: Requirements,
}

mirror! { DailyHours => domain::DailyHours { start, end } }
mirror! { domain::DailyHours => DailyHours { start, end } }
mirror! { Eligibility => domain::Eligibility { min_age, max_age, user_groups, catchment } }
mirror! { domain::Eligibility => Eligibility { min_age, max_age, user_groups, catchment } }
mirror! {
    Preparation => domain::Preparation {
        what_you_will_do, what_you_will_not_do, dress_code, arrival_instructions, contact_role, breaks_and_food,
        travel_expenses, support_available, leads_to_job, paid
    }
}
mirror! {
    domain::Preparation => Preparation {
        what_you_will_do, what_you_will_not_do, dress_code, arrival_instructions, contact_role, breaks_and_food,
        travel_expenses, support_available, leads_to_job, paid
    }
}
mirror! { Question => domain::Question { text, why_we_ask, required, max_length } }
mirror! { domain::Question => Question { text, why_we_ask, required, max_length } }
mirror! { CustomRequirement => readiness::CustomRequirement { text, why_we_ask } }
mirror! { readiness::CustomRequirement => CustomRequirement { text, why_we_ask } }
mirror! { Requirements => readiness::Requirements { kinds, induction_url, custom: vec } }
mirror! { readiness::Requirements => Requirements { kinds, induction_url, custom: vec } }
impl From<PlacementDetails> for domain::PlacementDetails {
    fn from(d: PlacementDetails) -> Self {
        let selection_method = d.selection_method.unwrap_or_else(|| default_selection_method(d.kind));
        Self {
            kind: d.kind,
            delivery: d.delivery,
            specialty: d.specialty,
            title: d.title,
            description: d.description,
            site_id: d.site_id,
            department_id: d.department_id,
            start_date: d.start_date,
            end_date: d.end_date,
            daily_hours: d.daily_hours.into(),
            capacity: d.capacity,
            eligibility: d.eligibility.into(),
            opens_at: d.opens_at,
            closes_at: d.closes_at,
            outcome_by: d.outcome_by,
            selection_method,
            priority_rules: d.priority_rules.into_iter().map(Into::into).collect(),
            preparation: d.preparation.into(),
            questions: d.questions.into_iter().map(Into::into).collect(),
            offer_response_days: d.offer_response_days,
            requirements: d.requirements.into(),
        }
    }
}
mirror! {
    domain::PlacementDetails => PlacementDetails {
        kind, delivery, specialty, title, description, site_id, department_id, start_date, end_date,
        daily_hours: into, capacity, eligibility: into, opens_at, closes_at, outcome_by, selection_method: some,
        priority_rules: vec, preparation: into, questions: vec, offer_response_days, requirements: into
    }
}
