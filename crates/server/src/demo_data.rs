//! Synthetic demo data: eleven fictional NHS and partner organisations across all seven NHS England
//! regions, their sites and host departments, and 37 placements covering every specialty, kind and
//! delivery mode. Most placements are published and open for applications when loaded, a few open
//! later and a few are left as drafts.
//!
//! Loading is idempotent: every object has a fixed id, objects that already exist are left alone, and
//! running it again creates nothing. Names, ODS codes and addresses are made up (postcodes have real
//! formats and fit the area); every description says it is demo data.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, SubsecRound, TimeDelta, Utc, Weekday};
use uuid::Uuid;
use wex_domain::model::lottery::DrawSeed;
use wex_domain::model::organisation::{Department, DepartmentInput, Organisation, OrganisationInput, Site, SiteInput};
use wex_domain::model::placement::{DailyHours, Eligibility, Placement, PlacementDetails, Preparation, Question};
use wex_domain::model::reference::{
    Delivery as D, OrganisationKind, PlacementKind as K, PriorityRule, Region, SelectionMethod, Specialty as S,
    UserGroup as G,
};
use wex_domain::ports::Store;
use wex_domain::{DomainError, StoreError};

/// What the demo data holds and how much of it this run inserted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    pub organisations: usize,
    pub sites: usize,
    pub departments: usize,
    pub placements: usize,
    /// Objects of any kind inserted by this run: 0 when everything was already there.
    pub created: usize,
}

/// Loads the demo organisations, sites, departments and placements; running it again changes nothing
/// (objects that already exist, by their fixed id, are left alone). `now` sets the dates so that most
/// placements are open for applications when loaded.
pub fn load(store: &dyn Store, now: DateTime<Utc>) -> Result<DemoSummary, DomainError> {
    // The database keeps microseconds; truncating again is harmless if the caller already did.
    let now = now.trunc_subsecs(6);
    let demo = build(now)?;
    let mut created = 0;
    for org in &demo.organisations {
        if is_missing(store.organisation(org.id))? {
            store.insert_organisation(org)?;
            created += 1;
        }
    }
    for site in &demo.sites {
        if is_missing(store.site(site.id))? {
            store.insert_site(site)?;
            created += 1;
        }
    }
    for department in &demo.departments {
        if is_missing(store.department(department.id))? {
            store.insert_department(department)?;
            created += 1;
        }
    }
    for (draft, publish) in &demo.placements {
        if is_missing(store.placement(draft.id))? {
            store.insert_placement(draft)?;
            if *publish {
                publish_draft(store, draft, now)?;
            }
            created += 1;
        }
    }
    Ok(DemoSummary {
        organisations: demo.organisations.len(),
        sites: demo.sites.len(),
        departments: demo.departments.len(),
        placements: demo.placements.len(),
        created,
    })
}

/// `NotFound` means insert; anything else but success is a real failure.
fn is_missing<T>(found: Result<T, StoreError>) -> Result<bool, DomainError> {
    match found {
        Ok(_) => Ok(false),
        Err(StoreError::NotFound) => Ok(true),
        Err(e) => Err(DomainError::from(e)),
    }
}

/// Publishes like `wex_domain::placements::publish_placement`, without an actor: a fresh secret seed
/// and its public commitment, stored with the placement in one transaction.
fn publish_draft(store: &dyn Store, draft: &Placement, now: DateTime<Utc>) -> Result<(), DomainError> {
    let seed = DrawSeed::generate().map_err(|e| DomainError::Store(StoreError::Internal(e.to_string())))?;
    let published = draft.clone().published(&seed, now);
    store.publish_placement(&published, draft.version, &seed)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------------
// Building the objects (no database), checked by the same rules as the API.

const DEMO_ORGANISATION: &str = "This is demo data: the organisation is fictional.";
const DEMO_PLACEMENT: &str = "This is demo data: the placement is fictional.";

/// Kinds of object, part of each id so that spec numbers can repeat across kinds.
const ORGANISATION: u128 = 1;
const SITE: u128 = 2;
const DEPARTMENT: u128 = 3;
const PLACEMENT: u128 = 4;

/// A fixed UUIDv7-shaped id (version 7, variant 10, a timestamp in November 2024), such as
/// `01930000-0000-7000-8000-000100000001` for organisation 1.
fn demo_id(kind: u128, n: u32) -> Uuid {
    Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0000 | (kind << 32) | u128::from(n))
}

#[derive(Default)]
struct Demo {
    organisations: Vec<Organisation>,
    sites: Vec<Site>,
    departments: Vec<Department>,
    /// Each as a draft, and whether to publish it.
    placements: Vec<(Placement, bool)>,
}

fn defect(message: String) -> DomainError {
    DomainError::Store(StoreError::Internal(format!("demo data: {message}")))
}

fn build(now: DateTime<Utc>) -> Result<Demo, DomainError> {
    let mut demo = Demo::default();
    for org in ORGANISATIONS {
        let organisation_id = demo_id(ORGANISATION, org.id);
        let input = OrganisationInput {
            name: org.name.to_string(),
            kind: org.kind,
            region: org.region,
            ods_code: org.ods_code.map(str::to_string),
            description: Some(format!("{} {DEMO_ORGANISATION}", org.about)),
        };
        let input = input.checked()?;
        demo.organisations.push(Organisation {
            id: organisation_id,
            input,
            version: 1,
            created_at: now,
            updated_at: now,
        });
        for s in org.sites {
            let input = SiteInput {
                name: s.name.to_string(),
                address_line_1: s.street.to_string(),
                address_line_2: None,
                town: s.town.to_string(),
                postcode: s.postcode.to_string(),
                travel_notes: Some(s.travel.to_string()),
                accessibility: Some(s.access.to_string()),
            };
            let input = input.checked()?;
            let id = demo_id(SITE, s.id);
            demo.sites.push(Site { id, organisation_id, input, version: 1, created_at: now, updated_at: now });
        }
        for d in org.departments {
            let site = d.site.map(|i| site_of(org, i)).transpose()?;
            let input = DepartmentInput {
                name: d.name.to_string(),
                specialty: d.specialty,
                site_id: site.map(|s| demo_id(SITE, s.id)),
                description: Some(d.about.to_string()),
            };
            let input = input.checked()?;
            let id = demo_id(DEPARTMENT, d.id);
            demo.departments.push(Department {
                id,
                organisation_id,
                input,
                version: 1,
                created_at: now,
                updated_at: now,
            });
        }
    }
    for spec in PLACEMENTS {
        demo.placements.push(placement(spec, now)?);
    }
    Ok(demo)
}

fn site_of(org: &'static OrgSpec, index: usize) -> Result<&'static SiteSpec, DomainError> {
    org.sites.get(index).ok_or_else(|| defect(format!("{} has no site {index}", org.name)))
}

fn placement(spec: &PlacementSpec, now: DateTime<Utc>) -> Result<(Placement, bool), DomainError> {
    // Sites and departments are indexes into the organisation's own lists, so they always belong to it.
    let org = ORGANISATIONS
        .iter()
        .find(|o| o.id == spec.org)
        .ok_or_else(|| defect(format!("placement {} names no organisation", spec.id)))?;
    let site = spec.site.map(|i| site_of(org, i)).transpose()?;
    let department = spec
        .department
        .map(|i| org.departments.get(i).ok_or_else(|| defect(format!("{} has no department {i}", org.name))))
        .transpose()?;

    // Applications open at 08:00 and close at 17:00 UTC on whole days from today, so "open" ones
    // opened at least yesterday and close at least tomorrow whatever the time of day.
    let today = now.date_naive();
    let (opens_at, closes_at, publish) = match spec.window {
        Window::Open { opened_days_ago, closes_in } => {
            (at(days_before(today, opened_days_ago)?, 8)?, at(days_after(today, closes_in)?, 17)?, true)
        }
        Window::Upcoming { opens_in, closes_in } => {
            (at(days_after(today, opens_in)?, 8)?, at(days_after(today, closes_in)?, 17)?, true)
        }
        Window::Draft { .. } => (at(days_after(today, 21)?, 8)?, at(days_after(today, 63)?, 17)?, false),
    };
    // Outcomes are promised 7 to 14 days after closing (varied by id); placements start on the first
    // Monday a week after that, or a Wednesday for a single online session.
    let outcome_by = days_after(closes_at.date_naive(), 7 + spec.id % 8)?;
    let first_day = if spec.days == 1 && spec.delivery == D::Online { Weekday::Wed } else { Weekday::Mon };
    let start_date = on_or_after(days_after(outcome_by, 7)?, first_day)?;
    let end_date = last_weekday(start_date, spec.days)?;
    let daily_hours = DailyHours { start: time(spec.hours.0)?, end: time(spec.hours.1)? };
    let complete = !matches!(spec.window, Window::Draft { complete: false });

    let details = PlacementDetails {
        kind: spec.kind,
        delivery: spec.delivery,
        specialty: spec.specialty,
        title: spec.title.to_string(),
        description: format!("{} {DEMO_PLACEMENT}", spec.about),
        site_id: site.map(|s| demo_id(SITE, s.id)),
        department_id: department.map(|d| demo_id(DEPARTMENT, d.id)),
        start_date,
        end_date,
        daily_hours,
        capacity: spec.capacity,
        eligibility: spec.who.eligibility(spec.catchment),
        opens_at,
        closes_at,
        outcome_by,
        // T level placements must fit the student's course, so coordinators check each application
        // against it without seeing names; everything else is a plain lottery.
        selection_method: if spec.kind == K::TLevelIndustryPlacement {
            SelectionMethod::NameBlindReview
        } else {
            SelectionMethod::Lottery
        },
        priority_rules: spec.priority.to_vec(),
        preparation: preparation(spec, org, site, daily_hours, complete),
        questions: questions(spec),
        offer_response_days: 5,
    };
    let details = details.checked()?;
    if publish {
        let errors = details.publishing_errors(now);
        if !errors.is_empty() {
            return Err(DomainError::Invalid(errors));
        }
    }
    let draft = Placement::draft(demo_id(PLACEMENT, spec.id), demo_id(ORGANISATION, org.id), details, now);
    Ok((draft, publish))
}

/// One optional question of the placement's own on in-person placements, to show how a question
/// explains itself; online sessions ask nothing.
fn questions(spec: &PlacementSpec) -> Vec<Question> {
    if spec.delivery == D::Online {
        return Vec::new();
    }
    vec![Question {
        text: "What would you most like to see or learn during the placement?".to_string(),
        why_we_ask: "So that the team can plan your time around what interests you. It is never used to choose who gets a place."
            .to_string(),
        required: false,
        max_length: 500,
    }]
}

/// The preparation text: specific parts from the spec, practical parts from the organisation and site.
/// An incomplete draft leaves out what coordinators most often fill in last.
fn preparation(
    spec: &PlacementSpec,
    org: &OrgSpec,
    site: Option<&SiteSpec>,
    hours: DailyHours,
    complete: bool,
) -> Preparation {
    let online = spec.delivery == D::Online;
    let arrive = (hours.start - TimeDelta::minutes(15)).format("%H:%M");
    let contact = lower_first(spec.contact);
    let arrival = match site {
        Some(s) if spec.delivery == D::InPerson => format!(
            "On your first day, arrive at {} at {arrive}, 15 minutes before the start. {} The {contact} will meet you.",
            s.name, s.meeting_point
        ),
        Some(s) => format!(
            "The first days are online: we email you the video call link a week before. On your first day at {}, \
             arrive at {arrive}. {} The {contact} will meet you.",
            s.name, s.meeting_point
        ),
        None => ONLINE_ARRIVAL.to_string(),
    };
    let breaks = if online {
        ONLINE_BREAKS.to_string()
    } else if hours.end - hours.start >= TimeDelta::hours(5) {
        format!("{LONG_DAY_BREAKS} {}", org.food)
    } else {
        format!("{SHORT_DAY_BREAKS} {}", org.food)
    };
    let travel = if online { ONLINE_TRAVEL } else { org.travel };
    let mut support = SUPPORT.to_string();
    if spec.delivery != D::InPerson {
        support = format!("{support} {ONLINE_SUPPORT}");
    }
    if !spec.support.is_empty() {
        support = format!("{support} {}", spec.support);
    }
    let mut dress = spec.dress.text().to_string();
    if spec.delivery == D::Hybrid {
        dress = format!("{dress} For the online days, wear whatever is comfortable.");
    }
    Preparation {
        what_you_will_do: Some(spec.does.to_string()),
        what_you_will_not_do: Some(spec.does_not.to_string()),
        dress_code: complete.then_some(dress),
        arrival_instructions: complete.then_some(arrival),
        contact_role: Some(spec.contact.to_string()),
        breaks_and_food: Some(breaks),
        travel_expenses: Some(travel.to_string()),
        support_available: Some(support),
        leads_to_job: complete.then_some(spec.leads_to_job),
        paid: false,
    }
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

fn days_after(date: NaiveDate, days: u32) -> Result<NaiveDate, DomainError> {
    date.checked_add_days(Days::new(u64::from(days))).ok_or_else(|| defect(format!("{date} + {days} days")))
}

fn days_before(date: NaiveDate, days: u32) -> Result<NaiveDate, DomainError> {
    date.checked_sub_days(Days::new(u64::from(days))).ok_or_else(|| defect(format!("{date} - {days} days")))
}

fn at(date: NaiveDate, hour: u32) -> Result<DateTime<Utc>, DomainError> {
    date.and_hms_opt(hour, 0, 0).map(|t| t.and_utc()).ok_or_else(|| defect(format!("{date} at {hour}:00")))
}

fn time(text: &str) -> Result<NaiveTime, DomainError> {
    NaiveTime::parse_from_str(text, "%H:%M").map_err(|e| defect(format!("time {text}: {e}")))
}

fn on_or_after(date: NaiveDate, weekday: Weekday) -> Result<NaiveDate, DomainError> {
    let ahead = (7 + weekday.num_days_from_monday() - date.weekday().num_days_from_monday()) % 7;
    days_after(date, ahead)
}

/// The last day of a placement that runs on `days` weekdays from `start`.
fn last_weekday(start: NaiveDate, days: u32) -> Result<NaiveDate, DomainError> {
    let mut day = start;
    let mut left = days.saturating_sub(1);
    while left > 0 {
        day = days_after(day, 1)?;
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    Ok(day)
}

// ---------------------------------------------------------------------------------------------------
// Shared preparation text.

const ONLINE_ARRIVAL: &str = "There is nowhere to travel to. We email you the video call link a week before the first \
    session and a reminder the day before. Join 5 minutes early to check your sound. If the link does not work, reply \
    to the email and we will help.";
const ONLINE_BREAKS: &str =
    "Each session has a 10-minute break in the middle. Have a drink with you. You do not need to bring or buy food.";
const ONLINE_TRAVEL: &str = "There are no travel costs: you take part from home, school, college or anywhere with \
    internet. If you do not have a device or internet, tell us and we will help you find somewhere free to join from, \
    such as a library.";
const LONG_DAY_BREAKS: &str = "You get a 30-minute lunch break and a short break in the morning and in the afternoon.";
const SHORT_DAY_BREAKS: &str = "You get a 20-minute break in the middle of the day.";
const SUPPORT: &str = "Tell us about any adjustments you need, such as extra breaks, a quiet space, instructions in \
    writing or someone to meet you at the door. We will talk them through with you before you start. A parent, carer \
    or support worker is welcome to come with you on the first morning.";
const ONLINE_SUPPORT: &str = "Online sessions have live captions and we send the slides the day before. You can keep \
    your camera off and ask questions in the chat instead of out loud.";

#[derive(Clone, Copy)]
enum Dress {
    /// Wards and clinics: infection control rules.
    Clinical,
    Office,
    Lab,
    Ambulance,
    CareHome,
    Online,
}

impl Dress {
    fn text(self) -> &'static str {
        match self {
            Dress::Clinical => {
                "Smart casual. No jeans or trainers. Flat closed shoes you can stand in all day. Long hair tied \
                 back. To stop infections spreading, sleeves must be short or rolled up to the elbow, and no watches, \
                 bracelets or rings (a plain band is fine). We give you a visitor badge to wear."
            }
            Dress::Office => {
                "Smart casual, as you might wear to an interview. No ripped jeans, sportswear or flip-flops. \
                 Comfortable shoes, as there is some walking."
            }
            Dress::Lab => {
                "Smart casual. Long trousers or a long skirt and flat closed shoes, because of chemicals and \
                 equipment. Long hair tied back. We lend you a lab coat, gloves and safety glasses."
            }
            Dress::Ambulance => {
                "Smart casual. Dark trousers, a plain top and flat closed shoes or boots with a good grip, because \
                 you will walk across a vehicle yard. Long hair tied back. We lend you a high-visibility jacket."
            }
            Dress::CareHome => {
                "Smart casual. No jeans. Flat closed shoes. Long hair tied back, short nails and no rings or \
                 bracelets, because you may help residents at mealtimes. We give you a tabard to wear over your \
                 clothes."
            }
            Dress::Online => {
                "There is no dress code for online sessions: wear whatever is comfortable. You can keep your \
                 camera off."
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// The specs.

struct OrgSpec {
    id: u32,
    name: &'static str,
    kind: OrganisationKind,
    region: Region,
    ods_code: Option<&'static str>,
    about: &'static str,
    /// Travel costs policy, for placements on site.
    travel: &'static str,
    /// Where to eat, for placements on site.
    food: &'static str,
    sites: &'static [SiteSpec],
    departments: &'static [DeptSpec],
}

struct SiteSpec {
    id: u32,
    name: &'static str,
    street: &'static str,
    town: &'static str,
    postcode: &'static str,
    travel: &'static str,
    access: &'static str,
    /// Where to go on arrival, for the arrival instructions.
    meeting_point: &'static str,
}

struct DeptSpec {
    id: u32,
    name: &'static str,
    specialty: S,
    /// Index into the organisation's sites.
    site: Option<usize>,
    about: &'static str,
}

/// When applications open and close, relative to the day of loading.
#[derive(Clone, Copy)]
enum Window {
    /// Published and taking applications now.
    Open { opened_days_ago: u32, closes_in: u32 },
    /// Published, taking applications from a later day.
    Upcoming { opens_in: u32, closes_in: u32 },
    /// Not published; `complete: false` leaves out the dress code, arrival and job fields.
    Draft { complete: bool },
}

/// Who may apply. There is never an upper age limit unless the placement is for an age group.
#[derive(Clone, Copy)]
enum Who {
    /// School pupils aged 14 to 16.
    Pupils,
    /// Young people aged 16 to 18.
    YoungPeople,
    /// Anyone from this age: career changers and veterans included.
    AnyoneFrom(u8),
    /// Only these groups, from this age.
    Only(u8, &'static [G]),
}

impl Who {
    fn eligibility(self, catchment: Option<&[&str]>) -> Eligibility {
        let (min_age, max_age, user_groups) = match self {
            Who::Pupils => (Some(14), Some(16), Some(vec![G::SchoolPupils14To16])),
            Who::YoungPeople => (Some(16), Some(18), Some(vec![G::YoungPeople16To18])),
            Who::AnyoneFrom(age) => (Some(age), None, None),
            Who::Only(age, groups) => (Some(age), None, Some(groups.to_vec())),
        };
        let catchment = catchment.map(|districts| districts.iter().map(|d| d.to_string()).collect());
        Eligibility { min_age, max_age, user_groups, catchment }
    }
}

struct PlacementSpec {
    id: u32,
    org: u32,
    /// Index into the organisation's sites; none for online placements.
    site: Option<usize>,
    /// Index into the organisation's departments.
    department: Option<usize>,
    kind: K,
    delivery: D,
    specialty: S,
    title: &'static str,
    about: &'static str,
    window: Window,
    /// How many weekdays it runs on.
    days: u32,
    hours: (&'static str, &'static str),
    capacity: i32,
    who: Who,
    catchment: Option<&'static [&'static str]>,
    priority: &'static [PriorityRule],
    does: &'static str,
    does_not: &'static str,
    contact: &'static str,
    dress: Dress,
    leads_to_job: bool,
    /// Support beyond the shared text; empty for none.
    support: &'static str,
}

const CARE: PriorityRule = PriorityRule::CareExperienced;
const LOCAL: PriorityRule = PriorityRule::InCatchment;
const fn first(group: G) -> PriorityRule {
    PriorityRule::UserGroup(group)
}

const WESSEX: u32 = 1;
const THAMES: u32 = 2;
const TAMAR: u32 = 3;
const FENLAND: u32 = 4;
const MERCIA: u32 = 5;
const PENNINE: u32 = 6;
const MERSEY: u32 = 7;
const TRENT: u32 = 8;
const BECKSIDE: u32 = 9;
const BRIGHTWATER: u32 = 10;
const STEP_FORWARD: u32 = 11;

const ORGANISATIONS: &[OrgSpec] = &[
    OrgSpec {
        id: WESSEX,
        name: "Wessex Coast NHS Foundation Trust",
        kind: OrganisationKind::NhsTrust,
        region: Region::SouthEast,
        ods_code: Some("ZWC"),
        about: "Hospitals and community services for Southampton, Portsmouth and mid-Hampshire.",
        travel: "We pay back bus and train fares up to £10 a day. Keep your tickets (a photo is fine) and give them to \
            your contact on your last day; the money is paid into your bank account, or a parent's or carer's, within \
            4 weeks. We cannot pay back parking.",
        food: "Bring a packed lunch, or buy food in the staff restaurant, where a hot meal costs about £4. Drinking \
            water is free.",
        sites: &[
            SiteSpec {
                id: 101,
                name: "Wessex Coast General Hospital",
                street: "Coxford Road",
                town: "Southampton",
                postcode: "SO16 6YD",
                travel: "Buses 2, 17 and 18 stop outside the main entrance. Southampton Central station is 15 minutes \
                    away by bus. Parking is limited and costs money, so please come by bus if you can.",
                access: "Step-free from the bus stop to every floor, with lifts and accessible toilets on every \
                    floor. There is a quiet room near the education centre: ask your contact.",
                meeting_point: "Go to the main entrance and wait at the volunteers' desk, just inside on the left.",
            },
            SiteSpec {
                id: 102,
                name: "Portsdown Hill Hospital",
                street: "Cosham Park Avenue",
                town: "Portsmouth",
                postcode: "PO6 3LY",
                travel: "Bus 3 from Portsmouth city centre stops at the hospital. Cosham station is a 15-minute walk, \
                    mostly uphill.",
                access: "Step-free entrance with automatic doors. Lifts to all floors. Accessible toilets near the \
                    main reception.",
                meeting_point: "Go to the main reception in the atrium and say you are here for work experience.",
            },
            SiteSpec {
                id: 103,
                name: "Winchester Community Clinic",
                street: "Romsey Road",
                town: "Winchester",
                postcode: "SO22 5DG",
                travel: "A 15-minute walk from Winchester station, or bus 5 from the city centre. Free parking for \
                    visitors.",
                access: "A single-storey building with step-free access, an accessible toilet and a hearing loop at \
                    reception.",
                meeting_point: "Go to the reception desk inside the front door.",
            },
        ],
        departments: &[
            DeptSpec {
                id: 111,
                name: "Children's physiotherapy",
                specialty: S::AlliedHealthProfessions,
                site: Some(0),
                about: "Physiotherapists who help babies, children and teenagers move, grow and recover.",
            },
            DeptSpec {
                id: 112,
                name: "Pathology laboratories",
                specialty: S::HealthcareScience,
                site: Some(0),
                about: "Scientists who test blood and tissue samples from across the trust, day and night.",
            },
            DeptSpec {
                id: 113,
                name: "Maternity unit",
                specialty: S::Midwifery,
                site: Some(1),
                about: "Midwives, maternity support workers and doctors caring for women and babies.",
            },
        ],
    },
    OrgSpec {
        id: THAMES,
        name: "Thames Riverside Hospitals NHS Trust",
        kind: OrganisationKind::NhsTrust,
        region: Region::London,
        ods_code: Some("ZTR"),
        about: "Teaching hospitals and health centres along the river in south and east London.",
        travel: "We pay back bus and Tube fares up to £8 a day: show your contact your Oyster or contactless journey \
            history. If you are under 18 you may already travel free on London buses with a Zip Oyster photocard.",
        food: "We give you a £5 voucher for the staff restaurant each day. You can also bring a packed lunch: there \
            is a fridge and a microwave in the education centre.",
        sites: &[
            SiteSpec {
                id: 201,
                name: "Thames Riverside Hospital",
                street: "Westminster Bridge Road",
                town: "London",
                postcode: "SE1 7EH",
                travel: "Waterloo and Lambeth North stations are a 5 to 10-minute walk. Many buses stop on \
                    Westminster Bridge Road. There is no parking for visitors.",
                access: "Step-free from the street to every floor, with accessible toilets on every floor and a \
                    Changing Places toilet by the main entrance.",
                meeting_point: "Go to the education centre reception on the ground floor of the north wing: follow \
                    the yellow signs from the main entrance.",
            },
            SiteSpec {
                id: 202,
                name: "Whitechapel Health Centre",
                street: "Commercial Road",
                town: "London",
                postcode: "E1 1FR",
                travel: "Aldgate East station is a 5-minute walk. Buses 15 and 115 stop nearby.",
                access: "Step-free entrance and a lift to every floor. Accessible toilet on the ground floor.",
                meeting_point: "Go to the main reception on the ground floor.",
            },
        ],
        departments: &[
            DeptSpec {
                id: 211,
                name: "Emergency department",
                specialty: S::Medicine,
                site: Some(0),
                about: "Adult and children's emergency care, open every hour of every day.",
            },
            DeptSpec {
                id: 212,
                name: "Adult inpatient wards",
                specialty: S::Nursing,
                site: Some(0),
                about: "Medical and surgical wards where patients stay overnight or longer.",
            },
            DeptSpec {
                id: 213,
                name: "Digital and data services",
                specialty: S::HealthInformatics,
                site: None,
                about: "The electronic patient record, IT support, cyber security and data analysis.",
            },
        ],
    },
    OrgSpec {
        id: TAMAR,
        name: "Tamar and Moor Community Health NHS Trust",
        kind: OrganisationKind::NhsTrust,
        region: Region::SouthWest,
        ods_code: Some("ZTM"),
        about: "Community nursing, therapy and mental health services for Plymouth, Exeter and the villages of \
            Dartmoor.",
        travel: "We pay back bus and train fares, or 25p a mile if someone drives you, up to £12 a day. Fill in a \
            short form with your contact on your last day.",
        food: "There is a café on site. Bring a packed lunch if you prefer: there is a kitchen you can use.",
        sites: &[
            SiteSpec {
                id: 301,
                name: "Moorview Community Hospital",
                street: "Crownhill Road",
                town: "Plymouth",
                postcode: "PL6 5DH",
                travel: "Citybus 42 and 43 stop outside. Free parking on site.",
                access: "Step-free throughout, with lifts, accessible toilets and a quiet room.",
                meeting_point: "Go to the main reception and ask for the learning and development office.",
            },
            SiteSpec {
                id: 302,
                name: "Exe Valley Health Centre",
                street: "Barrack Road",
                town: "Exeter",
                postcode: "EX2 5DW",
                travel: "Buses from Exeter city centre stop outside. Exeter St Davids station is 25 minutes away by \
                    bus. Free parking.",
                access: "Step-free entrance and a lift. Accessible toilet on each floor.",
                meeting_point: "Go to the reception in the main entrance.",
            },
        ],
        departments: &[
            DeptSpec {
                id: 311,
                name: "Community mental health team",
                specialty: S::PsychologicalProfessions,
                site: Some(0),
                about: "Psychologists, mental health nurses, occupational therapists and peer support workers who \
                    support adults with serious mental illness.",
            },
            DeptSpec {
                id: 312,
                name: "Community nursing",
                specialty: S::Nursing,
                site: Some(1),
                about: "District nurses and healthcare support workers who care for people in their own homes.",
            },
        ],
    },
    OrgSpec {
        id: FENLAND,
        name: "Fenland and Ouse Hospitals NHS Trust",
        kind: OrganisationKind::NhsTrust,
        region: Region::EastOfEngland,
        ods_code: Some("ZFO"),
        about: "Two hospitals serving Cambridge, Peterborough and the Fens.",
        travel: "We pay back bus and train fares up to £10 a day. Keep your tickets and give them to your contact. \
            If you cycle, there is secure bike parking by both main entrances.",
        food: "Buy food in the hospital restaurant or bring a packed lunch. We give you a free hot drink and a piece \
            of fruit each morning.",
        sites: &[
            SiteSpec {
                id: 401,
                name: "Fen Edge Hospital",
                street: "Hills Road",
                town: "Cambridge",
                postcode: "CB2 0QQ",
                travel: "The guided busway and buses from the city centre stop at the hospital. Cambridge station is \
                    a 20-minute walk, and cycle paths lead to the entrance.",
                access: "Step-free throughout, with lifts and accessible toilets on every floor. All staff recognise \
                    the Sunflower lanyard.",
                meeting_point: "Go to the main reception in the outpatients' concourse and ask for the education \
                    team.",
            },
            SiteSpec {
                id: 402,
                name: "Nene Valley Hospital",
                street: "Bretton Gate",
                town: "Peterborough",
                postcode: "PE3 9GZ",
                travel: "Bus 1 from Queensgate bus station stops outside. Paid parking on site.",
                access: "Step-free entrance. Lifts to every floor. Accessible toilets by the main reception.",
                meeting_point: "Go to the main reception in the atrium.",
            },
        ],
        departments: &[
            DeptSpec {
                id: 411,
                name: "Hospital pharmacy",
                specialty: S::Pharmacy,
                site: Some(0),
                about: "Pharmacists, pharmacy technicians and assistants who supply medicines to every ward.",
            },
            DeptSpec {
                id: 412,
                name: "Radiology",
                specialty: S::AlliedHealthProfessions,
                site: Some(0),
                about: "Radiographers who take X-rays and run CT, MRI and ultrasound scans.",
            },
        ],
    },
    OrgSpec {
        id: MERCIA,
        name: "Heart of Mercia NHS Foundation Trust",
        kind: OrganisationKind::NhsTrust,
        region: Region::Midlands,
        ods_code: Some("ZHM"),
        about: "Hospitals in Birmingham and Coventry, including a dental hospital and a healthcare support worker \
            academy.",
        travel: "We pay back bus, tram and train fares up to £10 a day. Keep your tickets, or show your contact the \
            journey history on your travel card.",
        food: "Bring a packed lunch, or buy food in the restaurant or the coffee shop. There is a room with a fridge \
            and a microwave.",
        sites: &[
            SiteSpec {
                id: 501,
                name: "Edgbaston Dental and General Hospital",
                street: "Pritchatts Road",
                town: "Birmingham",
                postcode: "B15 2TH",
                travel: "University station is a 5-minute walk. Several buses stop nearby. Parking is very limited.",
                access: "Step-free throughout, with lifts, accessible toilets and a Changing Places toilet on the \
                    ground floor.",
                meeting_point: "Go to the main reception and ask for the education centre.",
            },
            SiteSpec {
                id: 502,
                name: "Coventry Health Campus",
                street: "Clifford Bridge Road",
                town: "Coventry",
                postcode: "CV2 2DX",
                travel: "Buses from Pool Meadow bus station stop at the main entrance. Paid parking on site.",
                access: "Step-free throughout, with lifts and accessible toilets. Quiet rooms in the academy \
                    building.",
                meeting_point: "Go to the academy building next to car park B and wait in the ground-floor \
                    reception.",
            },
        ],
        departments: &[
            DeptSpec {
                id: 511,
                name: "Dental hospital",
                specialty: S::Dental,
                site: Some(0),
                about: "Dentists, dental nurses, hygienists, therapists and dental technicians.",
            },
            DeptSpec {
                id: 512,
                name: "Healthcare support worker academy",
                specialty: S::HealthcareSupportWorker,
                site: Some(1),
                about: "Trains new healthcare support workers, many of them starting their first NHS job.",
            },
            DeptSpec {
                id: 513,
                name: "Finance and operations",
                specialty: S::Management,
                site: None,
                about: "Budgets, people (HR), planning and the daily running of the hospitals.",
            },
        ],
    },
    OrgSpec {
        id: PENNINE,
        name: "Pennine Dales Ambulance Service NHS Trust",
        kind: OrganisationKind::NhsTrust,
        region: Region::NorthEastAndYorkshire,
        ods_code: Some("ZPD"),
        about: "The 999 emergency ambulance service and non-emergency patient transport for the Pennines, the Dales \
            and West Yorkshire.",
        travel: "We pay back bus and train fares up to £12 a day. Keep your tickets and give them to your contact.",
        food: "There is no canteen: bring a packed lunch and a drink. There is a kitchen with a fridge, a microwave \
            and a kettle.",
        sites: &[
            SiteSpec {
                id: 601,
                name: "Pennine Dales Emergency Operations Centre",
                street: "Calder Park Way",
                town: "Wakefield",
                postcode: "WF2 7AA",
                travel: "Buses from Wakefield bus station stop a 5-minute walk away. Free parking on site.",
                access: "Step-free entrance and a lift. The control room is busy and can be noisy: there is a quiet \
                    room next to it.",
                meeting_point: "Press the buzzer at the main gate and say you are here for work experience. Security \
                    staff will sign you in.",
            },
            SiteSpec {
                id: 602,
                name: "Leeds Ambulance Station",
                street: "Kirkstall Road",
                town: "Leeds",
                postcode: "LS4 2BP",
                travel: "Buses from Leeds city centre stop outside. Burley Park station is a 10-minute walk.",
                access: "Ground-floor rooms are step-free with an accessible toilet. The vehicle yard has uneven \
                    ground in places.",
                meeting_point: "Go to the station office at the front of the building, not the vehicle gate.",
            },
        ],
        departments: &[
            DeptSpec {
                id: 611,
                name: "Emergency operations centre",
                specialty: S::Ambulance,
                site: Some(0),
                about: "Call handlers, dispatchers and clinicians who answer 999 calls and send ambulances.",
            },
            DeptSpec {
                id: 612,
                name: "Patient transport service",
                specialty: S::Ambulance,
                site: Some(1),
                about: "Crews who take patients to and from hospital appointments.",
            },
        ],
    },
    OrgSpec {
        id: MERSEY,
        name: "Mersey and Irwell Teaching Hospitals NHS Trust",
        kind: OrganisationKind::NhsTrust,
        region: Region::NorthWest,
        ods_code: Some("ZMI"),
        about: "Teaching hospitals in Manchester and Salford, with a regional heart centre.",
        travel: "We pay back bus, tram and train fares up to £10 a day. Keep your tickets, or take a photo of them, \
            and give them to your contact on your last day.",
        food: "We give you a free lunch in the staff restaurant each day. Tell us about any food needs, such as \
            halal, vegetarian or allergies.",
        sites: &[
            SiteSpec {
                id: 701,
                name: "Irwell Royal Infirmary",
                street: "Oxford Road",
                town: "Manchester",
                postcode: "M13 9WL",
                travel: "Many buses run along Oxford Road from Piccadilly Gardens. Manchester Oxford Road station is \
                    a 15-minute walk. There is no parking for work experience.",
                access: "Step-free throughout, with lifts and accessible toilets on every floor and a quiet room in \
                    the education centre.",
                meeting_point: "Go to the education centre on the ground floor of the main building and sign in at \
                    the front desk.",
            },
            SiteSpec {
                id: 702,
                name: "Salford Quays Hospital",
                street: "Stott Lane",
                town: "Salford",
                postcode: "M6 8HD",
                travel: "Buses from Manchester and Salford stop at the main entrance. Salford Crescent station is a \
                    20-minute walk. Paid parking on site.",
                access: "Step-free, with lifts and accessible toilets. Hearing loops at every reception.",
                meeting_point: "Go to the main reception and ask for the pharmacy department.",
            },
        ],
        departments: &[
            DeptSpec {
                id: 711,
                name: "Cardiac physiology",
                specialty: S::HealthcareScience,
                site: Some(0),
                about: "Healthcare scientists who test how hearts work: ECGs, heart scans and pacemaker checks.",
            },
            DeptSpec {
                id: 712,
                name: "General surgery and theatres",
                specialty: S::Medicine,
                site: Some(0),
                about: "Surgeons, anaesthetists and theatre teams.",
            },
            DeptSpec {
                id: 713,
                name: "Pharmacy",
                specialty: S::Pharmacy,
                site: Some(1),
                about: "The dispensary and ward pharmacy teams.",
            },
        ],
    },
    OrgSpec {
        id: TRENT,
        name: "Trent Valley Integrated Care Board",
        kind: OrganisationKind::IntegratedCareBoard,
        region: Region::Midlands,
        ods_code: Some("ZQT"),
        about: "Plans and pays for health services for Nottingham and the surrounding area, working with the local \
            councils on public health.",
        travel: "We pay back bus and tram fares up to £8 a day. Keep your tickets.",
        food: "Bring a packed lunch: there is a kitchen you can use, and cafés nearby.",
        sites: &[SiteSpec {
            id: 801,
            name: "Trent Valley ICB offices",
            street: "Canal Street",
            town: "Nottingham",
            postcode: "NG1 7EH",
            travel: "A 5-minute walk from Nottingham station and the tram stop. No parking.",
            access: "Step-free entrance and lifts. Accessible toilets on every floor and quiet rooms you can book.",
            meeting_point: "Go to the ground-floor reception and say you are here for work experience with the ICB.",
        }],
        departments: &[
            DeptSpec {
                id: 811,
                name: "Population and public health",
                specialty: S::PublicHealth,
                site: Some(0),
                about: "Uses data to find where health is worst and plans how to improve it.",
            },
            DeptSpec {
                id: 812,
                name: "Strategy and planning",
                specialty: S::Management,
                site: Some(0),
                about: "Decides which services the area needs and how the money is spent.",
            },
        ],
    },
    OrgSpec {
        id: BECKSIDE,
        name: "Beckside Medical Practice",
        kind: OrganisationKind::GpPractice,
        region: Region::NorthEastAndYorkshire,
        ods_code: Some("Z86012"),
        about: "A GP practice in north Leeds with about 12,000 patients, seven GPs, practice nurses, a clinical \
            pharmacist and a reception team.",
        travel: "We cannot pay travel costs. If getting here would cost money you do not have, tell us before you \
            apply and we will try to help.",
        food: "Bring a packed lunch. There is a staff room with a fridge, a microwave and a kettle.",
        sites: &[SiteSpec {
            id: 901,
            name: "Beckside Medical Practice",
            street: "Otley Road",
            town: "Leeds",
            postcode: "LS16 6EB",
            travel: "Buses from Leeds city centre stop outside. Headingley station is a 15-minute walk. Small car \
                park.",
            access: "Step-free entrance, ground-floor consulting rooms, an accessible toilet and a hearing loop at \
                reception.",
            meeting_point: "Go to the reception desk and give your name. Staff will take you to the staff room.",
        }],
        departments: &[DeptSpec {
            id: 911,
            name: "Practice team",
            specialty: S::Medicine,
            site: Some(0),
            about: "GPs, nurses, the clinical pharmacist, receptionists and the practice manager.",
        }],
    },
    OrgSpec {
        id: BRIGHTWATER,
        name: "Brightwater Care",
        kind: OrganisationKind::SocialCareProvider,
        region: Region::EastOfEngland,
        ods_code: Some("ZBW01"),
        about: "A family-run care home in Norwich for 48 older people, some living with dementia.",
        travel: "We pay back bus fares up to £6 a day. Keep your tickets.",
        food: "You have lunch with the staff each day, cooked in our kitchen, for free. Tell us about any food needs.",
        sites: &[SiteSpec {
            id: 1001,
            name: "Brightwater House",
            street: "Ipswich Road",
            town: "Norwich",
            postcode: "NR4 6QT",
            travel: "Buses from Norwich city centre stop outside every 15 minutes. Free parking.",
            access: "Step-free throughout, with a lift and accessible toilets, and a quiet garden room you can use \
                on breaks.",
            meeting_point: "Ring the bell at the front door. It is locked to keep residents safe, so wait to be let \
                in.",
        }],
        departments: &[DeptSpec {
            id: 1011,
            name: "Care team",
            specialty: S::HealthcareSupportWorker,
            site: Some(0),
            about: "Care workers, senior carers and the activities team.",
        }],
    },
    OrgSpec {
        id: STEP_FORWARD,
        name: "Step Forward Careers Trust",
        kind: OrganisationKind::Partner,
        region: Region::NorthWest,
        ods_code: None,
        about: "A charity that helps adults facing barriers to work, including veterans, prison leavers and \
            refugees, into jobs in health and care. We run online NHS careers courses with local trusts.",
        travel: "We pay back bus and tram fares up to £8 a day.",
        food: "Tea, coffee and biscuits are free. Bring a packed lunch.",
        sites: &[SiteSpec {
            id: 1101,
            name: "Step Forward Careers Hub",
            street: "Oldham Street",
            town: "Manchester",
            postcode: "M1 1JN",
            travel: "A 5-minute walk from Piccadilly Gardens. Manchester Piccadilly station is 10 minutes away.",
            access: "Step-free entrance and a lift. Accessible toilet and a quiet room.",
            meeting_point: "Go to the second floor and ring the bell.",
        }],
        departments: &[DeptSpec {
            id: 1111,
            name: "Employment programmes",
            specialty: S::WiderHealthcareTeam,
            site: None,
            about: "Online courses and one-to-one advice about jobs in health and care.",
        }],
    },
];

const PLACEMENTS: &[PlacementSpec] = &[
    PlacementSpec {
        id: 1,
        org: WESSEX,
        site: Some(0),
        department: Some(0),
        kind: K::WorkExperience,
        delivery: D::InPerson,
        specialty: S::AlliedHealthProfessions,
        title: "Children's physiotherapy: a week with the team",
        about: "Spend a week with the physiotherapists who help children recover from operations, injuries and \
            long-term conditions. See how they use play, exercise and equipment to help children move, and find out \
            how to become a physiotherapist or a physiotherapy assistant. For school pupils in Southampton.",
        window: Window::Open { opened_days_ago: 3, closes_in: 35 },
        days: 5,
        hours: ("09:00", "15:30"),
        capacity: 4,
        who: Who::Pupils,
        catchment: Some(&["SO14", "SO15", "SO16", "SO17", "SO18", "SO19"]),
        priority: &[CARE, LOCAL],
        does: "Watch physiotherapists work with children on the ward and in the outpatient gym. Help set up and tidy \
            equipment. Join a team meeting. Try some of the exercises yourself. Talk to a physiotherapy student about \
            university.",
        does_not: "You will not treat or touch patients or read their records. You will never be left alone with a \
            child or a family.",
        contact: "Work experience coordinator",
        dress: Dress::Clinical,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 2,
        org: WESSEX,
        site: Some(0),
        department: Some(1),
        kind: K::WorkExperience,
        delivery: D::InPerson,
        specialty: S::HealthcareScience,
        title: "Pathology labs: where patients' samples go",
        about: "Every day thousands of blood and tissue samples arrive at our laboratories. Follow a sample from \
            arrival to result and meet the biomedical scientists, support workers and doctors who test them. Open to \
            anyone aged 16 or over, including adults thinking about a change of career.",
        window: Window::Open { opened_days_ago: 5, closes_in: 28 },
        days: 3,
        hours: ("09:30", "15:00"),
        capacity: 3,
        who: Who::AnyoneFrom(16),
        catchment: None,
        priority: &[CARE],
        does: "Watch samples being sorted, tested and reported. See the analysers in blood sciences and the \
            microscopes in cellular pathology. Try safe practice tasks, such as pipetting coloured water. Talk to \
            staff about apprenticeships and degrees in healthcare science.",
        does_not: "You will not handle patients' samples or chemicals, or see patients' names. You will not meet \
            patients: the labs are away from the wards.",
        contact: "Laboratory training officer",
        dress: Dress::Lab,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 3,
        org: WESSEX,
        site: Some(1),
        department: Some(2),
        kind: K::WorkExperience,
        delivery: D::InPerson,
        specialty: S::Midwifery,
        title: "Maternity: two days with the midwives",
        about: "See how midwives care for women and babies before, during and after birth, in the antenatal clinic \
            and on the postnatal ward. Many of our midwives came to midwifery later in life, so career changers are \
            very welcome.",
        window: Window::Open { opened_days_ago: 2, closes_in: 42 },
        days: 2,
        hours: ("08:30", "15:00"),
        capacity: 2,
        who: Who::AnyoneFrom(16),
        catchment: None,
        priority: &[CARE, first(G::CareerChangers)],
        does: "Watch antenatal check-ups when the woman agrees. Spend time on the postnatal ward, helping with drinks \
            and tidying. Talk to midwives, maternity support workers and a student midwife about how they got into \
            the job.",
        does_not: "You will not go into the labour rooms or theatre, touch patients or babies, or see records. If a \
            woman would rather you were not there, you will step out: this is normal.",
        contact: "Maternity practice educator",
        dress: Dress::Clinical,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 4,
        org: WESSEX,
        site: None,
        department: None,
        kind: K::WorkRelatedLearning,
        delivery: D::Online,
        specialty: S::WiderHealthcareTeam,
        title: "Thinking of a change? NHS careers for adults (online evening)",
        about: "An online evening for adults of any age who want to know about the hundreds of jobs in the NHS, many \
            of which need no degree. Hear from a porter who used to be a chef, a healthcare support worker who left \
            the army, and a recruiter who explains how NHS applications work.",
        window: Window::Open { opened_days_ago: 4, closes_in: 21 },
        days: 1,
        hours: ("18:00", "19:30"),
        capacity: 12,
        who: Who::AnyoneFrom(18),
        catchment: None,
        priority: &[first(G::Unemployed)],
        does: "Listen to three short talks and ask questions in the chat or out loud. Find out which jobs fit what you \
            have done before. Get a list of our current vacancies and training schemes.",
        does_not: "This is not a job interview and you will not be assessed. You do not have to speak or turn your \
            camera on.",
        contact: "Recruitment and widening participation lead",
        dress: Dress::Online,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 5,
        org: WESSEX,
        site: Some(2),
        department: None,
        kind: K::WorkExperience,
        delivery: D::Hybrid,
        specialty: S::AlliedHealthProfessions,
        title: "Therapy careers taster: online and in Winchester",
        about: "Four days to find out about the allied health professions: physiotherapy, occupational therapy, \
            speech and language therapy, dietetics and more. The first two days are online and the last two are at \
            our Winchester clinic. For young people aged 16 to 18 living around Winchester.",
        window: Window::Upcoming { opens_in: 10, closes_in: 45 },
        days: 4,
        hours: ("10:00", "15:00"),
        capacity: 6,
        who: Who::YoungPeople,
        catchment: Some(&["SO21", "SO22", "SO23", "SO24"]),
        priority: &[CARE, LOCAL],
        does: "Online: meet therapists from six professions and try short activities. In Winchester: watch therapy \
            sessions when patients agree, try equipment such as walking aids, and plan a short talk about the \
            profession you liked most.",
        does_not: "You will not treat patients or see records. You do not have to give the talk if you would rather \
            not.",
        contact: "Therapies education lead",
        dress: Dress::Clinical,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 6,
        org: THAMES,
        site: Some(0),
        department: Some(0),
        kind: K::WorkExperience,
        delivery: D::InPerson,
        specialty: S::Medicine,
        title: "Thinking about medicine? A week in the emergency department",
        about: "For 16 to 18-year-olds thinking about becoming doctors. See how the emergency department decides who \
            is seen first, how doctors, nurses and paramedics work as a team, and what studying medicine involves. \
            Medical schools look for experience like this when you apply.",
        window: Window::Open { opened_days_ago: 6, closes_in: 30 },
        days: 5,
        hours: ("09:00", "16:00"),
        capacity: 4,
        who: Who::YoungPeople,
        catchment: None,
        priority: &[CARE],
        does: "Shadow doctors and nurses in the minor injuries area and the children's emergency department. Watch \
            triage, when patients are first assessed. Take part in a simulation with a practice mannequin. Meet \
            medical students and ask about applying.",
        does_not: "You will not examine or treat patients or read records. You will not go into the resuscitation \
            area during emergencies.",
        contact: "Emergency department clinical educator",
        dress: Dress::Clinical,
        leads_to_job: false,
        support: "Emergency departments can be upsetting. You can take a break whenever you need one, and there is a \
            chat with your contact at the end of every day.",
    },
    PlacementSpec {
        id: 7,
        org: THAMES,
        site: Some(0),
        department: Some(1),
        kind: K::WorkExperience,
        delivery: D::InPerson,
        specialty: S::Nursing,
        title: "Nursing on the wards: a week for Year 10 and 11 pupils",
        about: "Spend a week on our adult wards with nurses and healthcare support workers. See what nurses do all \
            day, from medicine rounds to talking with families, and find out about the routes into nursing, \
            including apprenticeships. For school pupils living in Lambeth and Southwark.",
        window: Window::Open { opened_days_ago: 3, closes_in: 24 },
        days: 5,
        hours: ("09:00", "15:00"),
        capacity: 6,
        who: Who::Pupils,
        catchment: Some(&["SE1", "SE5", "SE11", "SE17", "SW8", "SW9"]),
        priority: &[CARE, LOCAL],
        does: "Watch nurses and support workers on two wards. Help with tasks that do not involve touching patients, \
            such as making beds, filling water jugs and restocking. Learn hand washing and basic life support on a \
            mannequin. Spend a morning with student nurses.",
        does_not: "You will not wash, lift or move patients, give medicines or read records. You will always be with \
            a member of staff.",
        contact: "Nursing work experience coordinator",
        dress: Dress::Clinical,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 8,
        org: THAMES,
        site: None,
        department: Some(2),
        kind: K::WorkRelatedLearning,
        delivery: D::Online,
        specialty: S::HealthInformatics,
        title: "Data, digital and the NHS: three online sessions",
        about: "Three short online sessions about the technology behind patient care: electronic patient records, \
            cyber security, and how data helps plan services. For anyone aged 14 or over who likes computers, maths \
            or solving problems. No experience needed.",
        window: Window::Open { opened_days_ago: 2, closes_in: 18 },
        days: 3,
        hours: ("16:30", "18:00"),
        capacity: 12,
        who: Who::AnyoneFrom(14),
        catchment: None,
        priority: &[],
        does: "Hear from data analysts, developers and a cyber security specialist. Work in a small group on a \
            made-up data set to find out why a clinic's waiting times are growing. Find out about digital \
            apprenticeships.",
        does_not: "You will not see real patient data. You do not need to write code or install anything: the \
            sessions run in a web browser.",
        contact: "Digital apprenticeships lead",
        dress: Dress::Online,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 9,
        org: THAMES,
        site: Some(1),
        department: None,
        kind: K::WorkExperience,
        delivery: D::InPerson,
        specialty: S::WiderHealthcareTeam,
        title: "Behind the scenes: porters, catering and cleaning (adults)",
        about: "A week with the teams who keep a health centre running: porters, domestic staff, catering and \
            reception. Many of these jobs need no qualifications to start, and we train you. For adults of any age, \
            including people who have been out of work or have recently left prison.",
        window: Window::Open { opened_days_ago: 5, closes_in: 35 },
        days: 5,
        hours: ("08:00", "14:00"),
        capacity: 6,
        who: Who::AnyoneFrom(18),
        catchment: None,
        priority: &[first(G::PrisonLeavers), first(G::Unemployed)],
        does: "Work alongside porters, domestic staff and the catering team. Learn how cleaning keeps infections \
            away. Try the reception desk. Get help with an NHS job application on the last day.",
        does_not: "You will not work on your own or use cleaning chemicals or machines. This is not a job trial, and \
            nobody on the placement will ask about your past.",
        contact: "Facilities supervisor",
        dress: Dress::Clinical,
        leads_to_job: false,
        support: "If you have a criminal conviction, our recruitment team can tell you in private which jobs need a \
            criminal record check and how we decide.",
    },
    PlacementSpec {
        id: 10,
        org: THAMES,
        site: Some(0),
        department: None,
        kind: K::WorkExperience,
        delivery: D::InPerson,
        specialty: S::AlliedHealthProfessions,
        title: "Speech and language therapy: three days shadowing",
        about: "Shadow the speech and language therapists who help adults communicate and swallow safely after a \
            stroke.",
        window: Window::Draft { complete: false },
        days: 3,
        hours: ("09:00", "16:00"),
        capacity: 2,
        who: Who::AnyoneFrom(17),
        catchment: None,
        priority: &[],
        does: "Watch therapy sessions on the stroke unit and in the outpatient clinic when patients agree. Help \
            prepare picture boards and therapy materials.",
        does_not: "You will not carry out assessments or therapy, or read records.",
        contact: "Speech and language therapy team lead",
        dress: Dress::Clinical,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 11,
        org: TAMAR,
        site: None,
        department: Some(0),
        kind: K::WorkRelatedLearning,
        delivery: D::Online,
        specialty: S::PsychologicalProfessions,
        title: "How talking therapies work: two online sessions",
        about: "Two online sessions with psychologists and wellbeing practitioners. Find out how talking therapies \
            help people with anxiety and low mood, and the many routes into the psychological professions, from a \
            psychology degree to training as a psychological wellbeing practitioner.",
        window: Window::Open { opened_days_ago: 4, closes_in: 26 },
        days: 2,
        hours: ("17:00", "18:30"),
        capacity: 12,
        who: Who::AnyoneFrom(16),
        catchment: None,
        priority: &[CARE],
        does: "Listen to short talks, watch a role play of a first appointment (with actors, not patients) and ask \
            questions. Try a simple wellbeing exercise if you want to.",
        does_not: "You will not be asked about your own mental health. This is not therapy: the session ends with \
            where to find support if you need it.",
        contact: "Psychology workforce lead",
        dress: Dress::Online,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 12,
        org: TAMAR,
        site: Some(0),
        department: Some(0),
        kind: K::WorkExperience,
        delivery: D::InPerson,
        specialty: S::PsychologicalProfessions,
        title: "Community mental health team: four days shadowing (adults)",
        about: "Shadow the community mental health team, who support adults with serious mental illness at home and \
            in clinics. See the work of psychologists, mental health nurses, occupational therapists and support \
            workers. For adults of any age: many of our team changed careers to join us.",
        window: Window::Open { opened_days_ago: 7, closes_in: 33 },
        days: 4,
        hours: ("09:00", "16:30"),
        capacity: 2,
        who: Who::AnyoneFrom(18),
        catchment: None,
        priority: &[CARE, first(G::CareerChangers)],
        does: "Sit in on team meetings where cases are discussed without names. Join clinic sessions when the \
            patient agrees. Spend time with a peer support worker, who uses their own experience of mental illness \
            to help others. Shadow the duty worker answering calls.",
        does_not: "You will not visit patients at home, see records or talk to patients alone. You will not be told \
            patients' names.",
        contact: "Team manager",
        dress: Dress::Office,
        leads_to_job: false,
        support: "Some of what you hear may be upsetting. You will have a private chat with your contact at the end \
            of each day.",
    },
    PlacementSpec {
        id: 13,
        org: TAMAR,
        site: Some(1),
        department: Some(1),
        kind: K::WorkExperience,
        delivery: D::InPerson,
        specialty: S::Nursing,
        title: "Community nursing in Exeter: three days with the district nurses",
        about: "District nurses care for people in their own homes: dressing wounds, managing diabetes and helping \
            people stay out of hospital. Spend three days with the Exeter team, including home visits with a nurse. \
            For adults living in and around Exeter.",
        window: Window::Open { opened_days_ago: 3, closes_in: 40 },
        days: 3,
        hours: ("08:30", "15:30"),
        capacity: 3,
        who: Who::AnyoneFrom(18),
        catchment: Some(&["EX1", "EX2", "EX3", "EX4", "EX5", "EX6"]),
        priority: &[CARE],
        does: "Go on home visits with a district nurse when the patient agrees. Watch how the team plans the day and \
            works with GPs and carers. Learn how wounds are dressed, on a practice model.",
        does_not: "You will not give care, touch patients or enter a home unless the patient agrees. You will not \
            drive: you travel with the nurse.",
        contact: "District nursing team leader",
        dress: Dress::Clinical,
        leads_to_job: false,
        support: "Home visits mean getting in and out of a car a lot. Tell us if this is hard for you and we will \
            plan clinic days instead.",
    },
    PlacementSpec {
        id: 14,
        org: TAMAR,
        site: Some(1),
        department: Some(1),
        kind: K::TLevelIndustryPlacement,
        delivery: D::InPerson,
        specialty: S::Nursing,
        title: "T level in Health: community nursing industry placement",
        about: "The industry placement for students on the T level in Health at colleges around Exeter, arranged \
            with your college: 45 days (315 hours) with the community nursing team, with a supervisor who signs off \
            your placement log.",
        window: Window::Open { opened_days_ago: 8, closes_in: 38 },
        days: 45,
        hours: ("08:30", "15:30"),
        capacity: 2,
        who: Who::AnyoneFrom(16),
        catchment: Some(&["EX1", "EX2", "EX4", "EX5", "EX8", "EX14"]),
        priority: &[CARE],
        does: "Work alongside healthcare support workers and nurses in clinics and on home visits. Once trained and \
            supervised, help with tasks such as taking temperatures and blood pressure and keeping equipment clean. \
            Complete your T level placement log with your supervisor.",
        does_not: "You will not give medicines, do any task you have not been trained and signed off for, or work \
            without supervision.",
        contact: "Clinical placement facilitator",
        dress: Dress::Clinical,
        leads_to_job: false,
        support: "Your college tutor visits at least twice, and we agree the days with your college.",
    },
    PlacementSpec {
        id: 15,
        org: FENLAND,
        site: Some(0),
        department: Some(0),
        kind: K::WorkExperience,
        delivery: D::InPerson,
        specialty: S::Pharmacy,
        title: "Hospital pharmacy: medicines from order to ward",
        about: "Find out how a hospital pharmacy makes sure every patient gets the right medicine. Meet pharmacists, \
            pharmacy technicians and assistants, and see the robot that picks medicines. For school pupils aged 14 \
            to 16 in Cambridge.",
        window: Window::Open { opened_days_ago: 2, closes_in: 27 },
        days: 3,
        hours: ("09:30", "15:00"),
        capacity: 4,
        who: Who::Pupils,
        catchment: Some(&["CB1", "CB2", "CB3", "CB4", "CB5"]),
        priority: &[CARE, LOCAL],
        does: "Watch medicines being checked and dispensed. See the dispensing robot, and the sterile unit through \
            its window. Go on a ward round with a pharmacist. Try a medicines quiz and label practice packs.",
        does_not: "You will not handle real medicines or see prescriptions with patients' names on. You will not go \
            into the sterile rooms.",
        contact: "Pharmacy education and training lead",
        dress: Dress::Clinical,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 16,
        org: FENLAND,
        site: Some(0),
        department: Some(1),
        kind: K::WorkExperience,
        delivery: D::InPerson,
        specialty: S::AlliedHealthProfessions,
        title: "Radiography: how X-rays and scans are made",
        about: "Two days with diagnostic radiographers in X-ray, CT and ultrasound. Find out how images help find \
            illness and how radiation is kept safe. Open to anyone aged 16 or over: radiography degree \
            apprenticeships suit people changing career.",
        window: Window::Upcoming { opens_in: 7, closes_in: 40 },
        days: 2,
        hours: ("09:00", "16:00"),
        capacity: 2,
        who: Who::AnyoneFrom(16),
        catchment: None,
        priority: &[first(G::CareerChangers)],
        does: "Watch X-rays and scans from the control room. See how images are checked and reported. Learn the \
            basics of radiation safety.",
        does_not: "You will not be in the room while an X-ray is taken, use equipment or see patients' names. You \
            will not go into the MRI scanner room, because of its strong magnet.",
        contact: "Radiography practice educator",
        dress: Dress::Clinical,
        leads_to_job: false,
        support: "Tell us before you come if you have a pacemaker or any metal implant, so that we can plan around \
            the MRI area.",
    },
    PlacementSpec {
        id: 17,
        org: WESSEX,
        site: Some(0),
        department: Some(1),
        kind: K::TLevelIndustryPlacement,
        delivery: D::InPerson,
        specialty: S::HealthcareScience,
        title: "T level in Healthcare Science: pathology industry placement",
        about: "The industry placement for students on the T level in Healthcare Science, arranged with your \
            college: 45 days (315 hours) in our pathology laboratories, moving between blood sciences, microbiology \
            and cellular pathology.",
        window: Window::Open { opened_days_ago: 5, closes_in: 30 },
        days: 45,
        hours: ("08:30", "15:30"),
        capacity: 2,
        who: Who::AnyoneFrom(16),
        catchment: None,
        priority: &[CARE],
        does: "Once trained, help with sample reception, labelling and quality checks under supervision. Learn \
            laboratory safety and quality control. Keep your placement log, signed off by your supervisor each week.",
        does_not: "You will not report results or work on patient samples without supervision. You will not work \
            nights or weekends.",
        contact: "Laboratory training officer",
        dress: Dress::Lab,
        leads_to_job: false,
        support: "You have a named supervisor for the whole placement and a weekly check-in with your college.",
    },
    PlacementSpec {
        id: 18,
        org: MERCIA,
        site: Some(0),
        department: Some(0),
        kind: K::WorkExperience,
        delivery: D::InPerson,
        specialty: S::Dental,
        title: "Dental hospital: meet the whole dental team",
        about: "Spend three days at our dental hospital with dentists, dental nurses, hygienists and the technicians \
            who make crowns and braces. For school pupils aged 14 to 16 living in south Birmingham.",
        window: Window::Open { opened_days_ago: 4, closes_in: 30 },
        days: 3,
        hours: ("09:00", "15:00"),
        capacity: 4,
        who: Who::Pupils,
        catchment: Some(&["B5", "B12", "B13", "B15", "B16", "B17", "B29", "B30"]),
        priority: &[CARE, LOCAL],
        does: "Watch treatment in clinics when patients agree. See the laboratory where false teeth and braces are \
            made, and make a plaster model. Practise brushing techniques on a model.",
        does_not: "You will not treat or touch patients, or see records.",
        contact: "Dental education coordinator",
        dress: Dress::Clinical,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 19,
        org: MERCIA,
        site: Some(1),
        department: Some(1),
        kind: K::WorkExperience,
        delivery: D::Hybrid,
        specialty: S::HealthcareSupportWorker,
        title: "Healthcare support worker academy: two weeks with a guaranteed interview",
        about: "A two-week academy for adults of any age who want to become healthcare support workers, the people \
            who help nurses care for patients on the wards. The first two days are online; the rest are at our \
            Coventry academy and on a ward. If you attend all ten days, you are guaranteed an interview for a paid \
            healthcare support worker job with us. An interview is not a job offer: you still need to do well at \
            the interview and pass the usual checks.",
        window: Window::Open { opened_days_ago: 3, closes_in: 45 },
        days: 10,
        hours: ("09:00", "15:00"),
        capacity: 12,
        who: Who::AnyoneFrom(18),
        catchment: None,
        priority: &[CARE, first(G::Unemployed)],
        does: "Learn the basics on our practice ward: hand hygiene, moving and handling, basic life support, dignity \
            and communication. Spend three days shadowing on a ward. Get help writing your application and \
            practising for the interview.",
        does_not: "On the ward you will not give personal care, move patients or give medicines: you watch and help \
            with tasks that do not involve touching patients. The academy itself is unpaid.",
        contact: "Healthcare support worker academy lead",
        dress: Dress::Clinical,
        leads_to_job: true,
        support: "Each group has a mentor who started as a support worker. If you claim benefits, we can help you \
            talk to your work coach about how the academy fits with them.",
    },
    PlacementSpec {
        id: 20,
        org: MERCIA,
        site: Some(0),
        department: Some(2),
        kind: K::WorkExperience,
        delivery: D::InPerson,
        specialty: S::Management,
        title: "How a hospital is run: finance, HR and operations",
        about: "Behind every ward are the people who plan budgets, recruit staff and make sure there are beds. Spend \
            three days with our finance, people (HR) and operations teams, and find out about management \
            apprenticeships and the NHS graduate management training scheme.",
        window: Window::Open { opened_days_ago: 6, closes_in: 34 },
        days: 3,
        hours: ("09:00", "16:00"),
        capacity: 3,
        who: Who::AnyoneFrom(16),
        catchment: None,
        priority: &[],
        does: "Sit in on the morning bed meeting. Shadow an operations manager. Help the finance team with a practice \
            budget exercise. Meet apprentices from HR and finance.",
        does_not: "You will not see personal information about staff or patients. You will not make or answer phone \
            calls for the teams.",
        contact: "Management apprenticeships lead",
        dress: Dress::Office,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 21,
        org: MERCIA,
        site: Some(0),
        department: Some(0),
        kind: K::TLevelIndustryPlacement,
        delivery: D::InPerson,
        specialty: S::Dental,
        title: "T level in Health (dental nursing): industry placement",
        about: "The industry placement for T level in Health students who want to become dental nurses.",
        window: Window::Draft { complete: false },
        days: 45,
        hours: ("08:30", "15:30"),
        capacity: 2,
        who: Who::AnyoneFrom(16),
        catchment: None,
        priority: &[],
        does: "Work alongside dental nurses in clinics. Prepare and clean instruments under supervision.",
        does_not: "You will not treat patients.",
        contact: "Dental nurse tutor",
        dress: Dress::Clinical,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 22,
        org: PENNINE,
        site: Some(0),
        department: Some(0),
        kind: K::WorkExperience,
        delivery: D::InPerson,
        specialty: S::Ambulance,
        title: "How 999 calls are answered: two days in the control room",
        about: "Sit with the call handlers and dispatchers who answer 999 calls and send ambulances across the \
            region. Find out how calls are prioritised and how clinicians give advice over the phone. Many of our \
            call handlers are veterans or changed career: anyone aged 16 or over can apply.",
        window: Window::Open { opened_days_ago: 2, closes_in: 22 },
        days: 2,
        hours: ("10:00", "16:00"),
        capacity: 2,
        who: Who::AnyoneFrom(16),
        catchment: None,
        priority: &[first(G::Veterans)],
        does: "Listen in to live 999 calls on a headset while staying silent. Watch dispatchers track ambulances on \
            the map. Try a practice call with a trainer.",
        does_not: "You will not speak to callers or use the computer systems. Some calls are distressing: you can \
            take the headset off at any time.",
        contact: "Control room training officer",
        dress: Dress::Office,
        leads_to_job: false,
        support: "You will have a private chat with your contact at the end of each day about anything you heard.",
    },
    PlacementSpec {
        id: 23,
        org: PENNINE,
        site: Some(1),
        department: Some(1),
        kind: K::WorkExperience,
        delivery: D::InPerson,
        specialty: S::Ambulance,
        title: "Patient transport: three days with a crew",
        about: "Patient transport crews take people to and from hospital appointments such as dialysis and cancer \
            treatment. Ride along with a crew for three days. For adults of any age: it is a common first step into \
            an ambulance career and needs no qualifications to start.",
        window: Window::Upcoming { opens_in: 14, closes_in: 50 },
        days: 3,
        hours: ("08:00", "15:00"),
        capacity: 2,
        who: Who::AnyoneFrom(18),
        catchment: None,
        priority: &[first(G::Veterans), first(G::CareerChangers)],
        does: "Travel with a crew in the vehicle. See how the crew helps patients in and out safely and how journeys \
            are planned. Learn about the driving and clinical training the service pays for when you join.",
        does_not: "You will not lift, move or help patients yourself, and you will not drive. You will not go on \
            emergency 999 calls.",
        contact: "Patient transport team leader",
        dress: Dress::Ambulance,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 24,
        org: PENNINE,
        site: None,
        department: None,
        kind: K::WorkRelatedLearning,
        delivery: D::Online,
        specialty: S::Ambulance,
        title: "Ambulance careers online: for school pupils",
        about: "A one-hour online session for pupils aged 14 to 16 about jobs in the ambulance service: paramedics, \
            emergency medical technicians, call handlers and more. Hear what a shift is really like and how to get \
            in.",
        window: Window::Open { opened_days_ago: 1, closes_in: 19 },
        days: 1,
        hours: ("16:00", "17:00"),
        capacity: 12,
        who: Who::Pupils,
        catchment: None,
        priority: &[],
        does: "Hear from a paramedic and a call handler. Watch a short film from inside an ambulance. Ask questions \
            in the chat.",
        does_not: "You will not see real patients or upsetting images. You do not need to speak or turn on your \
            camera.",
        contact: "Schools engagement officer",
        dress: Dress::Online,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 25,
        org: MERSEY,
        site: Some(0),
        department: Some(0),
        kind: K::WorkExperience,
        delivery: D::InPerson,
        specialty: S::HealthcareScience,
        title: "Cardiac physiology: how we check hearts",
        about: "Cardiac physiologists are healthcare scientists who test how the heart works: heart traces (ECGs), \
            heart scans, exercise tests and pacemaker checks. Spend three days in our regional heart centre.",
        window: Window::Open { opened_days_ago: 4, closes_in: 29 },
        days: 3,
        hours: ("09:00", "16:00"),
        capacity: 2,
        who: Who::AnyoneFrom(16),
        catchment: None,
        priority: &[CARE],
        does: "Watch ECGs, heart scans and pacemaker checks when patients agree. Have an ECG done on yourself if you \
            want to. Learn what a normal heart trace looks like.",
        does_not: "You will not carry out tests on patients, go into the catheter lab during procedures or read \
            records.",
        contact: "Cardiac physiology training lead",
        dress: Dress::Clinical,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 26,
        org: MERSEY,
        site: Some(0),
        department: Some(1),
        kind: K::WorkExperience,
        delivery: D::InPerson,
        specialty: S::Medicine,
        title: "Surgery and theatres: a week for future doctors",
        about: "For 16 to 18-year-olds in central and north Manchester who are thinking about medicine. Spend a week \
            with our surgical teams: ward rounds, clinics and a day watching operations from inside the theatre.",
        window: Window::Open { opened_days_ago: 5, closes_in: 36 },
        days: 5,
        hours: ("08:30", "15:30"),
        capacity: 4,
        who: Who::YoungPeople,
        catchment: Some(&["M8", "M9", "M11", "M12", "M13", "M14", "M15", "M16", "M40"]),
        priority: &[CARE, LOCAL],
        does: "Join ward rounds and outpatient clinics. Watch an operation from a safe spot in theatre, in theatre \
            clothes we give you. Practise stitching on a training pad. Get advice on applying to medical school from \
            junior doctors.",
        does_not: "You will not touch patients, scrub in or read records. You can leave theatre at any time if you \
            feel faint: many people do, and it is fine.",
        contact: "Surgical education fellow",
        dress: Dress::Clinical,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 27,
        org: MERSEY,
        site: Some(1),
        department: Some(2),
        kind: K::WorkExperience,
        delivery: D::InPerson,
        specialty: S::Pharmacy,
        title: "Pharmacy technicians: four days in the dispensary",
        about: "Pharmacy technicians prepare and check medicines and help patients understand them. Spend four days \
            in our dispensary and on the wards. Open to anyone aged 16 or over. If you trained in pharmacy in another \
            country, you are very welcome: we can explain how to register in the UK.",
        window: Window::Open { opened_days_ago: 3, closes_in: 24 },
        days: 4,
        hours: ("09:00", "15:30"),
        capacity: 2,
        who: Who::AnyoneFrom(16),
        catchment: None,
        priority: &[first(G::CareerChangers), first(G::ResettledRefugees)],
        does: "Watch medicines being dispensed and checked. Go with a technician to check patients' own medicines on \
            a ward. Learn about the pharmacy technician apprenticeship.",
        does_not: "You will not handle or give medicines, or see patients' names.",
        contact: "Pharmacy technician training lead",
        dress: Dress::Clinical,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 28,
        org: MERSEY,
        site: None,
        department: None,
        kind: K::WorkRelatedLearning,
        delivery: D::Online,
        specialty: S::Midwifery,
        title: "What midwives really do: an online evening",
        about: "An online evening with midwives and student midwives. Find out what midwives do beyond delivering \
            babies, what the degree and the apprenticeship are like, and what a shift feels like. For anyone aged \
            14 or over.",
        window: Window::Open { opened_days_ago: 2, closes_in: 20 },
        days: 1,
        hours: ("17:00", "18:30"),
        capacity: 12,
        who: Who::AnyoneFrom(14),
        catchment: None,
        priority: &[],
        does: "Hear from a community midwife, a labour ward midwife and two student midwives. Ask questions in the \
            chat or out loud.",
        does_not: "You will not see births or medical images. You do not need to turn on your camera.",
        contact: "Midwifery recruitment lead",
        dress: Dress::Online,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 29,
        org: MERSEY,
        site: Some(0),
        department: None,
        kind: K::WorkExperience,
        delivery: D::Hybrid,
        specialty: S::Nursing,
        title: "Nursing for career changers: online and on the wards",
        about: "Five days for adults thinking about a move into nursing: two online days about the routes into \
            nursing and three days shadowing on adult wards.",
        window: Window::Draft { complete: true },
        days: 5,
        hours: ("09:00", "15:00"),
        capacity: 6,
        who: Who::AnyoneFrom(18),
        catchment: None,
        priority: &[first(G::CareerChangers)],
        does: "Online: hear from nurses who changed career, and learn about degrees, apprenticeships and funding. On \
            the wards: shadow nurses and healthcare support workers.",
        does_not: "You will not give care or medicines, or read records.",
        contact: "Practice development nurse",
        dress: Dress::Clinical,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 30,
        org: TRENT,
        site: Some(0),
        department: Some(0),
        kind: K::WorkExperience,
        delivery: D::Hybrid,
        specialty: S::PublicHealth,
        title: "Public health: keeping a whole city healthy",
        about: "Public health teams look after the health of everyone in an area: helping people stop smoking, \
            vaccinations, healthy food, and closing the gap in how long people live in richer and poorer areas. Two \
            days online and two in our Nottingham office, for people aged 16 or over living in Nottingham.",
        window: Window::Open { opened_days_ago: 4, closes_in: 31 },
        days: 4,
        hours: ("09:30", "16:00"),
        capacity: 3,
        who: Who::AnyoneFrom(16),
        catchment: Some(&["NG1", "NG2", "NG3", "NG5", "NG6", "NG7", "NG8", "NG9"]),
        priority: &[CARE, LOCAL],
        does: "Look at anonymous data on health in Nottingham's neighbourhoods. Join a project meeting about a \
            vaccination campaign. Design a short health message for young people and get feedback from the team.",
        does_not: "You will not see any information about named people.",
        contact: "Public health intelligence manager",
        dress: Dress::Office,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 31,
        org: TRENT,
        site: None,
        department: Some(1),
        kind: K::WorkRelatedLearning,
        delivery: D::Online,
        specialty: S::Management,
        title: "Planning local health services: three online sessions",
        about: "How does an area decide how many GP appointments, ambulances or mental health services it needs? \
            Three short online sessions with the ICB's planners, for anyone aged 16 or over.",
        window: Window::Upcoming { opens_in: 5, closes_in: 35 },
        days: 3,
        hours: ("15:30", "17:00"),
        capacity: 10,
        who: Who::AnyoneFrom(16),
        catchment: None,
        priority: &[],
        does: "Hear how money and services are planned. Work in a small group on a made-up planning problem. Share \
            your ideas in a few slides if you want to.",
        does_not: "You will not need any maths beyond percentages. You will not see personal information.",
        contact: "Strategy and planning manager",
        dress: Dress::Online,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 32,
        org: BECKSIDE,
        site: Some(0),
        department: Some(0),
        kind: K::WorkExperience,
        delivery: D::InPerson,
        specialty: S::Medicine,
        title: "A week in a GP practice",
        about: "See how a GP practice works: the GPs, practice nurses, clinical pharmacist, receptionists and the \
            practice manager. For people aged 16 or over living near the practice in north Leeds.",
        window: Window::Open { opened_days_ago: 2, closes_in: 26 },
        days: 4,
        hours: ("09:00", "15:30"),
        capacity: 1,
        who: Who::AnyoneFrom(16),
        catchment: Some(&["LS6", "LS16", "LS17", "LS18"]),
        priority: &[CARE],
        does: "Sit in on some GP and nurse appointments when the patient agrees. Spend time on reception and with \
            the prescriptions team. Learn how the practice books and sorts appointments.",
        does_not: "You will not examine patients, give advice or look at records. If a patient is someone you know, \
            you will step out.",
        contact: "Practice manager",
        dress: Dress::Office,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 33,
        org: BRIGHTWATER,
        site: Some(0),
        department: Some(0),
        kind: K::WorkExperience,
        delivery: D::InPerson,
        specialty: S::HealthcareSupportWorker,
        title: "Care home work experience: getting to know our residents",
        about: "Spend a week in our care home for older people, some living with dementia. Find out what care \
            workers do, from helping people enjoy their day to working with nurses and GPs. We often recruit care \
            workers and will tell you how to apply, but this placement does not guarantee an interview or a job.",
        window: Window::Open { opened_days_ago: 3, closes_in: 25 },
        days: 5,
        hours: ("09:00", "15:00"),
        capacity: 3,
        who: Who::AnyoneFrom(16),
        catchment: None,
        priority: &[CARE, first(G::Unemployed)],
        does: "Chat with residents, help with activities such as music, games and gardening, and help serve drinks \
            and meals. Learn about dementia from our dementia lead. Shadow care workers on their morning routine, \
            apart from personal care.",
        does_not: "You will not give personal care, such as washing, dressing or help with the toilet. You will not \
            move residents or give medicines.",
        contact: "Deputy care home manager",
        dress: Dress::CareHome,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 34,
        org: BRIGHTWATER,
        site: Some(0),
        department: Some(0),
        kind: K::TLevelIndustryPlacement,
        delivery: D::InPerson,
        specialty: S::HealthcareSupportWorker,
        title: "T level in Health: adult social care industry placement",
        about: "The industry placement for T level in Health students who want to work in adult social care: 45 \
            days (315 hours) in our care home, arranged with your college.",
        window: Window::Open { opened_days_ago: 6, closes_in: 44 },
        days: 45,
        hours: ("08:00", "15:00"),
        capacity: 1,
        who: Who::AnyoneFrom(16),
        catchment: None,
        priority: &[],
        does: "Once trained and supervised, help residents with daily living, activities and meals. Complete your T \
            level placement log with your supervisor. Join our staff training on dementia, safeguarding and moving \
            and handling.",
        does_not: "You will not give medicines or work without supervision. You will not work nights.",
        contact: "Deputy care home manager",
        dress: Dress::CareHome,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 35,
        org: STEP_FORWARD,
        site: None,
        department: Some(0),
        kind: K::WorkRelatedLearning,
        delivery: D::Online,
        specialty: S::WiderHealthcareTeam,
        title: "From the forces to the NHS: online sessions for veterans",
        about: "Two online evenings for veterans and service leavers of any age. Hear from people who moved from the \
            armed forces into NHS jobs such as paramedic, estates manager, operating department practitioner and \
            project manager, and find out how your training and experience count.",
        window: Window::Open { opened_days_ago: 5, closes_in: 32 },
        days: 2,
        hours: ("18:00", "19:30"),
        capacity: 12,
        who: Who::Only(18, &[G::Veterans]),
        catchment: None,
        priority: &[],
        does: "Listen to short talks and ask questions. Book a one-to-one chat after the second session about your \
            next steps. Learn about NHS programmes for the armed forces community.",
        does_not: "You will not be asked about your service record or your health. This is not a job interview.",
        contact: "Veterans employment adviser",
        dress: Dress::Online,
        leads_to_job: false,
        support: "",
    },
    PlacementSpec {
        id: 36,
        org: STEP_FORWARD,
        site: None,
        department: Some(0),
        kind: K::WorkRelatedLearning,
        delivery: D::Online,
        specialty: S::HealthcareSupportWorker,
        title: "Working in the NHS: online sessions for resettled refugees",
        about: "Three online morning sessions for refugees building a career in the UK. Find out about jobs in \
            health and care, what UK workplaces expect (from being on time to how to disagree politely), and how to \
            get qualifications from another country recognised.",
        window: Window::Open { opened_days_ago: 4, closes_in: 28 },
        days: 3,
        hours: ("10:00", "11:30"),
        capacity: 12,
        who: Who::Only(16, &[G::ResettledRefugees]),
        catchment: None,
        priority: &[],
        does: "Hear from NHS staff who came to the UK as refugees. Practise introducing yourself and answering common \
            interview questions. Get help finding the right route if you worked in health in your home country.",
        does_not: "You will not be asked about your immigration case or your past. You do not need perfect English: \
            speak as much or as little as you like.",
        contact: "Refugee employment adviser",
        dress: Dress::Online,
        leads_to_job: false,
        support: "Tell us if you would like an interpreter: we can arrange one for Arabic, Dari, Pashto, Ukrainian \
            and other languages.",
    },
    PlacementSpec {
        id: 37,
        org: STEP_FORWARD,
        site: None,
        department: Some(0),
        kind: K::WorkRelatedLearning,
        delivery: D::Online,
        specialty: S::WiderHealthcareTeam,
        title: "NHS jobs after prison: an online introduction",
        about: "Two online sessions for prison leavers and people on release on temporary licence about NHS jobs and \
            how criminal records are considered.",
        window: Window::Draft { complete: false },
        days: 2,
        hours: ("10:00", "11:30"),
        capacity: 8,
        who: Who::Only(18, &[G::PrisonLeavers]),
        catchment: None,
        priority: &[],
        does: "Hear from people who work in the NHS after prison. Learn which jobs need a criminal record check and \
            how to talk about a conviction.",
        does_not: "You will not be asked about your offence.",
        contact: "Justice employment adviser",
        dress: Dress::Online,
        leads_to_job: false,
        support: "",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use wex_domain::model::reference::{Delivery, PlacementKind, Specialty};

    fn times() -> Result<Vec<DateTime<Utc>>, DomainError> {
        // Just after midnight, late evening, a Sunday and the real clock: dates must work from any of them.
        let fixed = [1_798_761_660, 1_815_778_740, 1_806_836_400]
            .into_iter()
            .map(|secs| DateTime::from_timestamp(secs, 0).ok_or_else(|| defect(format!("timestamp {secs}"))));
        let mut all = fixed.collect::<Result<Vec<_>, _>>()?;
        all.push(Utc::now().trunc_subsecs(6));
        Ok(all)
    }

    #[test]
    fn every_spec_is_valid_and_published_ones_are_publishable() -> Result<(), DomainError> {
        for now in times()? {
            let demo = build(now)?;
            let published: Vec<&Placement> = demo.placements.iter().filter(|(_, p)| *p).map(|(d, _)| d).collect();
            let open = published.iter().filter(|p| p.details.opens_at <= now && now < p.details.closes_at).count();
            assert_eq!((demo.placements.len(), published.len(), open), (37, 33, 29), "at {now}");
            // Incomplete drafts really are incomplete; the complete one could be published.
            for (draft, publish) in &demo.placements {
                let errors = draft.details.publishing_errors(now);
                let incomplete = draft.details.preparation.dress_code.is_none();
                assert_eq!(errors.is_empty(), *publish || !incomplete, "{}", draft.details.title);
            }
        }
        Ok(())
    }

    #[test]
    fn ids_and_ods_codes_are_unique_and_references_stay_inside_the_organisation() -> Result<(), DomainError> {
        let demo = build(Utc::now())?;
        let mut ids = BTreeSet::new();
        let all_ids = demo.organisations.iter().map(|o| o.id).chain(demo.sites.iter().map(|s| s.id));
        let all_ids =
            all_ids.chain(demo.departments.iter().map(|d| d.id)).chain(demo.placements.iter().map(|p| p.0.id));
        for id in all_ids {
            assert!(ids.insert(id), "duplicate id {id}");
            assert_eq!(id.get_version_num(), 7);
            assert_eq!(id.get_variant(), uuid::Variant::RFC4122);
        }
        let codes: Vec<_> = demo.organisations.iter().filter_map(|o| o.input.ods_code.clone()).collect();
        assert_eq!(codes.iter().collect::<BTreeSet<_>>().len(), codes.len());
        let site_org = |id| demo.sites.iter().find(|s| s.id == id).map(|s| s.organisation_id);
        for d in &demo.departments {
            if let Some(site) = d.input.site_id {
                assert_eq!(site_org(site), Some(d.organisation_id));
            }
        }
        for (p, _) in &demo.placements {
            let online = p.details.delivery == Delivery::Online;
            assert_eq!(p.details.site_id.is_none(), online, "{}", p.details.title);
            if let Some(site) = p.details.site_id {
                assert_eq!(site_org(site), Some(p.organisation_id));
            }
            if let Some(dept) = p.details.department_id {
                let org = demo.departments.iter().find(|d| d.id == dept).map(|d| d.organisation_id);
                assert_eq!(org, Some(p.organisation_id));
            }
        }
        Ok(())
    }

    #[test]
    fn published_placements_cover_every_specialty_kind_delivery_and_region() -> Result<(), DomainError> {
        let demo = build(Utc::now())?;
        let published: Vec<&Placement> = demo.placements.iter().filter(|(_, p)| *p).map(|(d, _)| d).collect();
        let region_of =
            |p: &Placement| demo.organisations.iter().find(|o| o.id == p.organisation_id).map(|o| o.input.region);
        let specialties: BTreeSet<_> = published.iter().map(|p| p.details.specialty).collect();
        let kinds: BTreeSet<_> = published.iter().map(|p| p.details.kind).collect();
        let deliveries: BTreeSet<_> = published.iter().map(|p| p.details.delivery).collect();
        let regions: BTreeSet<_> = published.iter().filter_map(|p| region_of(p)).collect();
        assert_eq!(specialties.len(), Specialty::ALL.len());
        assert_eq!(kinds.len(), PlacementKind::ALL.len());
        assert_eq!(deliveries.len(), Delivery::ALL.len());
        assert_eq!(regions.len(), Region::ALL.len());
        // Work experience is never paid, and only the academy promises anything about a job.
        assert!(published.iter().all(|p| !p.details.preparation.paid));
        let job: Vec<_> = published.iter().filter(|p| p.details.preparation.leads_to_job == Some(true)).collect();
        assert_eq!(job.len(), 1);
        Ok(())
    }
}
