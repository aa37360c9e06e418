//! What sandbox test data says: organisations, sites, departments, placements and applicants drawn
//! from a seeded generator, in the demo data's vocabulary (fictional, and saying so). Every value
//! passes the rules of the use case it goes through: placements take applications from a day before
//! the batch is made, and let everyone apply, so every generated application is accepted.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use uuid::Uuid;

use crate::model::organisation::{DepartmentInput, OrganisationInput, SiteInput};
use crate::model::placement::{DailyHours, Eligibility, PlacementDetails, Preparation};
use crate::model::profile::ProfileInput;
use crate::model::reference::{
    Delivery, OrganisationKind, PlacementKind, Region, SelectionMethod, Specialty, UserGroup,
};
use crate::model::test_data::SeededRng;
use crate::use_case_error::Invalid;

/// Where generated organisations are: a town, a real-format postcode there, a street, the region.
const PLACES: &[(&str, &str, &str, Region)] = &[
    ("Southampton", "SO16 6YD", "Tremona Road", Region::SouthEast),
    ("Norwich", "NR4 7UY", "Colney Lane", Region::EastOfEngland),
    ("London", "SE1 7EH", "Westminster Bridge Road", Region::London),
    ("Birmingham", "B15 2TH", "Mindelsohn Way", Region::Midlands),
    ("Leeds", "LS9 7TF", "Beckett Street", Region::NorthEastAndYorkshire),
    ("Manchester", "M13 9WL", "Oxford Road", Region::NorthWest),
    ("Bristol", "BS2 8HW", "Upper Maudlin Street", Region::SouthWest),
    ("Exeter", "EX2 5DW", "Barrack Road", Region::SouthWest),
];

const KINDS: &[(OrganisationKind, &str)] = &[
    (OrganisationKind::NhsTrust, "NHS Foundation Trust"),
    (OrganisationKind::NhsTrust, "Community NHS Trust"),
    (OrganisationKind::IntegratedCareBoard, "Integrated Care Board"),
    (OrganisationKind::GpPractice, "Medical Practice"),
    (OrganisationKind::SocialCareProvider, "Care Services"),
];

const FIRST_NAMES: &[&str] = &[
    "Aaliyah", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Hamza", "Isla", "Jack", "Kai", "Leah", "Mo", "Nia",
    "Owen", "Priya", "Rhys", "Sara", "Tom", "Zara",
];

/// Who applicants are, by age: the groups a person of that age could belong to.
const ADULT_GROUPS: &[UserGroup] = &[
    UserGroup::Unemployed,
    UserGroup::CareExperienced,
    UserGroup::AdditionalNeeds,
    UserGroup::Veterans,
    UserGroup::PrisonLeavers,
    UserGroup::CareerChangers,
    UserGroup::ResettledRefugees,
];

/// Where an organisation is: an index into the places, used for its name and its site.
pub(super) fn place_of(rng: &mut SeededRng) -> usize {
    rng.below(PLACES.len())
}

pub(super) fn organisation(rng: &mut SeededRng, n: u32, place: usize) -> OrganisationInput {
    let (town, _, _, region) = PLACES[place];
    let (kind, suffix) = *rng.pick(KINDS);
    OrganisationInput {
        name: format!("{town} Test {n} {suffix}"),
        kind,
        region,
        ods_code: None,
        description: Some("Sandbox test data: the organisation is fictional.".to_string()),
    }
}

pub(super) fn site(place: usize) -> Result<SiteInput, Invalid> {
    let (town, postcode, street, _) = PLACES[place];
    let postcode = crate::model::postcode::Postcode::parse(postcode)
        .ok_or_else(|| Invalid::one("/postcode", "invalid_postcode", "A test data postcode does not parse."))?;
    Ok(SiteInput {
        name: format!("{town} General Hospital"),
        address_line_1: format!("1 {street}"),
        address_line_2: None,
        town: town.to_string(),
        postcode,
        travel_notes: Some("Buses stop outside the main entrance. Parking is limited.".to_string()),
        accessibility: Some("Step-free access to every floor, with lifts and accessible toilets.".to_string()),
    })
}

pub(super) fn department(rng: &mut SeededRng, site_id: Uuid) -> DepartmentInput {
    let specialty = *rng.pick(Specialty::ALL);
    DepartmentInput {
        name: format!("{} team", specialty.label()),
        specialty,
        site_id: Some(site_id),
        description: Some("Sandbox test data: the department is fictional.".to_string()),
    }
}

/// A complete, publishable in-person placement that opened a day before `now` and closes two to
/// six weeks after it, open to everyone aged 14 or over.
pub(super) fn placement(
    rng: &mut SeededRng,
    site_id: Uuid,
    department: (Uuid, Specialty),
    now: DateTime<Utc>,
) -> PlacementDetails {
    let specialty = *rng.pick(Specialty::ALL);
    // Generated applicants apply to every placement generated, so no T level: a college arranges
    // those by agreement, and no one applies.
    let kind = *rng.pick(&[PlacementKind::WorkExperience, PlacementKind::WorkRelatedLearning]);
    let closes_at = now + Duration::days(rng.between(14, 42));
    let outcome_by = closes_at.date_naive() + Duration::days(rng.between(5, 10));
    let start_date = next_monday(outcome_by + Duration::days(rng.between(3, 14)));
    let days = rng.between(1, 5);
    let time = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
    PlacementDetails {
        kind,
        delivery: Delivery::InPerson,
        specialty,
        title: format!("{}: {} with the team", specialty.label(), if days == 1 { "a day" } else { "a week" }),
        description: format!(
            "Spend time with the {} team and see what the work is like. Sandbox test data: the placement is fictional.",
            specialty.label().to_lowercase()
        ),
        site_id: Some(site_id),
        department_id: (department.1 == specialty).then_some(department.0),
        start_date,
        end_date: start_date + Duration::days(days - 1),
        daily_hours: DailyHours { start: time(9, 0), end: time(if rng.below(2) == 0 { 15 } else { 16 }, 30) },
        capacity: rng.between(2, 8) as i32,
        eligibility: Eligibility::default(),
        opens_at: now - Duration::days(1),
        closes_at,
        outcome_by,
        selection_method: SelectionMethod::Lottery,
        priority_rules: Vec::new(),
        preparation: Preparation {
            what_you_will_do: Some("Shadow the team, join a handover and talk to people in different roles.".into()),
            what_you_will_not_do: Some("You will not treat patients or see confidential records.".into()),
            dress_code: Some("Smart casual, with closed flat shoes.".into()),
            arrival_instructions: Some("Come to the main reception at 8:45 and ask for your contact.".into()),
            contact_role: Some("Work experience coordinator".into()),
            breaks_and_food: Some("Lunch at 12:30; the staff restaurant is open, or bring a packed lunch.".into()),
            travel_expenses: Some("Bus fares are repaid up to £10 a day.".into()),
            support_available: Some("Tell us about any adjustments you need and we will arrange them.".into()),
            leads_to_job: Some(false),
            paid: false,
        },
        questions: Vec::new(),
        offer_response_days: 5,
        requirements: Default::default(),
    }
}

fn next_monday(date: NaiveDate) -> NaiveDate {
    date + Duration::days(i64::from((7 - date.weekday().num_days_from_monday()) % 7))
}

/// The applicant numbered `n` (from 1): aged 16 to 64 on `today`, living near one of the places.
pub(super) fn profile(rng: &mut SeededRng, n: u32, today: NaiveDate) -> Result<ProfileInput, Invalid> {
    let age = rng.between(16, 64);
    let (_, postcode, _, _) = *rng.pick(PLACES);
    let group = if age < 19 { UserGroup::YoungPeople16To18 } else { *rng.pick(ADULT_GROUPS) };
    let born = today - Duration::days(age * 365 + rng.between(10, 300));
    let raw: ProfileInput<String, String> = ProfileInput {
        preferred_name: Some((*rng.pick(FIRST_NAMES)).to_string()),
        email: format!("test-applicant-{n}@example.org"),
        phone: None,
        date_of_birth: born,
        postcode: Some(postcode.to_string()),
        no_fixed_address: false,
        user_groups: vec![group],
        care_experienced: Some(group == UserGroup::CareExperienced),
        adjustments: None,
        preferred_language: None,
        support_worker: None,
    };
    raw.parse(today)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::TimeZone;

    use super::*;

    /// Whatever the seed and the day, every generated input passes the rules of its use case, so a
    /// batch never fails half way: placements can be published and applied to at once, by anyone.
    #[test]
    fn every_generated_input_passes_its_rules() {
        let days = [
            Utc.with_ymd_and_hms(2026, 12, 31, 23, 59, 0).unwrap(),
            Utc.with_ymd_and_hms(2027, 2, 28, 0, 1, 0).unwrap(),
        ];
        for now in days {
            for seed in 0..200 {
                let mut rng = SeededRng::new(seed);
                let place = place_of(&mut rng);
                organisation(&mut rng, 1, place).checked().unwrap();
                site(place).unwrap().checked().unwrap();
                let department = department(&mut rng, Uuid::nil());
                let specialty = department.specialty;
                department.checked().unwrap();
                let p = placement(&mut rng, Uuid::nil(), (Uuid::nil(), specialty), now).checked().unwrap();
                assert_eq!(p.publishing_errors(now), Vec::new(), "seed {seed}");
                assert!(p.opens_at < now && now < p.closes_at);
                assert_eq!(p.start_date.weekday(), chrono::Weekday::Mon);
                assert_eq!(p.eligibility, Eligibility::default(), "everyone may apply");
                profile(&mut rng, 1, now.date_naive()).unwrap();
            }
        }
    }
}
