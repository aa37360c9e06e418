//! Sandbox test data: a batch of organisations, placements, applicants and applications made at a
//! requested size, and deleting batches again. A batch is made through the same use cases the API's
//! callers use (create an organisation, grant its coordinator, create a site, a department and
//! placements, publish them, create profiles, apply), as the people concerned would, so every
//! change is a real event and the change feed and webhooks show the batch as they would show real
//! activity. All of it happens in one transaction: a batch is made whole or not at all.

use chrono::{DateTime, Utc};
use serde_json::Value;
use uuid::Uuid;

use super::content;
use crate::codes;
use crate::error::StoreError;
use crate::model::application::ApplyRequest;
use crate::model::auth::{Actor, MembershipRole};
use crate::model::event::{DomainEvent, Entity, EventActor, FIRST_VERSION, next_version};
use crate::model::lottery::DrawSeed;
use crate::model::privacy::PRIVACY_NOTICE_VERSION;
use crate::model::test_data::{DeletedCounts, SeededRng, TestBatch, TestDataRequest, TestDataSpec};
use crate::ports::Store;
use crate::unit_of_work::write;
use crate::use_case_error::{Invalid, UseCaseError};
use crate::{applying, grants, organisations, placements, profiles};

crate::use_case_error! {
    /// Why a batch of test data could not be made.
    pub enum GenerateTestDataError {
        /// Only platform admins make test data.
        NotAdmin(()) = codes::ADMIN_ROLE_REQUIRED,
        /// A size out of bounds (each error points at its field).
        Invalid(Invalid),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why test data could not be deleted: no such batch (`not_found`), or the store failed.
    pub enum DeleteTestDataError {
        /// Only platform admins delete test data.
        NotAdmin(()) = codes::ADMIN_ROLE_REQUIRED,
        Store(StoreError),
    }
}

/// One organisation a batch made, with who to act as to work on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MadeOrganisation {
    pub id: Uuid,
    pub name: String,
    /// The subject granted its coordinator role: mint a coordinator token for it.
    pub coordinator_subject: String,
    pub site_id: Uuid,
    pub department_id: Uuid,
    /// Its placements, published and taking applications.
    pub placement_ids: Vec<Uuid>,
}

/// What a batch made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MadeBatch {
    pub id: Uuid,
    pub seed: u64,
    pub created_at: DateTime<Utc>,
    pub organisations: Vec<MadeOrganisation>,
    /// Each applicant's subject, in order: mint an applicant token for one to act as them.
    pub applicant_subjects: Vec<String>,
    pub applications: u32,
}

/// The subject of the `n`th coordinator or applicant of a batch: it names the batch, so subjects
/// of two batches never collide, even with the same seed.
fn subject(batch_id: Uuid, who: &str, n: u32) -> String {
    format!("test-{batch_id}-{who}-{n}")
}

/// A step's failure: generated input always passes the rules, so anything but a store failure is a
/// defect, reported by the step's code and fields (never personal data: the data is fictional).
fn step<T, E: UseCaseError>(what: &str, result: Result<T, E>) -> Result<T, StoreError> {
    result.map_err(|e| match e.store_error() {
        Some(store) => store.clone(),
        None => StoreError::Internal(format!("test data: {what} refused: {} {:?}", e.code().code, e.field_errors())),
    })
}

fn random_seed() -> Result<u64, StoreError> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Internal(e.to_string()))?;
    Ok(u64::from_le_bytes(bytes))
}

/// Sandbox only: makes a batch of the size asked for (see [`TestDataRequest::checked`] for the
/// bounds), as `actor`, a platform admin. The content follows from the seed; ids and times do not.
pub fn generate_test_data(
    store: &dyn Store,
    actor: &Actor,
    request: TestDataRequest,
    active_cap: u32,
    now: DateTime<Utc>,
) -> Result<MadeBatch, GenerateTestDataError> {
    if !actor.is_admin() {
        return Err(GenerateTestDataError::NotAdmin(()));
    }
    let spec = request.checked(random_seed()?, active_cap)?;
    let id = Uuid::now_v7();
    Ok(write(store, |tx| make(tx, actor, id, &spec, active_cap, now))?)
}

fn make(
    tx: &dyn Store,
    admin: &Actor,
    id: Uuid,
    spec: &TestDataSpec,
    active_cap: u32,
    now: DateTime<Utc>,
) -> Result<MadeBatch, StoreError> {
    let mut rng = SeededRng::new(spec.seed);
    let mut made = Vec::new();
    for n in 1..=spec.organisations {
        made.push(organisation(tx, admin, &mut rng, subject(id, "coordinator", n), n, spec, now)?);
    }
    let all: Vec<Uuid> = made.iter().flat_map(|o| o.placement_ids.iter().copied()).collect();
    let today = now.date_naive();
    let (mut applicant_subjects, mut profile_ids) = (Vec::new(), Vec::new());
    for n in 1..=spec.applicants {
        let applicant = Actor::new(subject(id, "applicant", n));
        let input = step("a profile", content::profile(&mut rng, n, today))?;
        let (profile, _) = step("a profile", profiles::put_own_profile(tx, &applicant, input, None, now))?;
        // Consecutive placements from a random one: each application is to a different placement.
        let first = rng.below(all.len());
        for k in 0..spec.applications_per_applicant as usize {
            let request = ApplyRequest {
                privacy_notice_version: PRIVACY_NOTICE_VERSION.to_string(),
                answers: Vec::new(),
                can_travel: None,
                on_behalf_of: None,
            };
            let placement_id = all[(first + k) % all.len()];
            step("applying", applying::apply(tx, &applicant, placement_id, request, active_cap, now))?;
        }
        profile_ids.push(profile.id);
        applicant_subjects.push(applicant.subject);
    }
    let batch = TestBatch {
        id,
        seed: spec.seed,
        created_by: admin.subject.clone(),
        created_at: now,
        organisation_ids: made.iter().map(|o| o.id).collect(),
        profile_ids,
        deleted_at: None,
    };
    tx.insert_test_batch(&batch)?;
    let (_, mut event) = DomainEvent::created(Entity::TestData, id, "generated", EventActor::Admin, now);
    for (key, count) in [
        ("organisations", spec.organisations),
        ("placements", spec.placements()),
        ("applicants", spec.applicants),
        ("applications", spec.applications()),
    ] {
        event.data.insert(key.to_string(), Value::from(count));
    }
    tx.append_events(&[event])?;
    Ok(MadeBatch {
        id,
        seed: spec.seed,
        created_at: now,
        organisations: made,
        applicant_subjects,
        applications: spec.applications(),
    })
}

/// One organisation with its coordinator, a site, a department and its placements, published.
fn organisation(
    tx: &dyn Store,
    admin: &Actor,
    rng: &mut SeededRng,
    coordinator_subject: String,
    n: u32,
    spec: &TestDataSpec,
    now: DateTime<Utc>,
) -> Result<MadeOrganisation, StoreError> {
    let place = content::place_of(rng);
    let org = step(
        "an organisation",
        organisations::create_organisation(tx, admin, content::organisation(rng, n, place), now),
    )?;
    let role = MembershipRole::Coordinator;
    step("a coordinator", grants::grant_membership(tx, admin, org.id, &coordinator_subject, role, now))?;
    let coordinator = Actor { memberships: vec![(org.id, role)], ..Actor::new(coordinator_subject.clone()) };
    let site = step("a site", content::site(place))?;
    let site = step("a site", organisations::create_site(tx, &coordinator, org.id, site, now))?;
    let department = content::department(rng, site.id);
    let specialty = department.specialty;
    let department = step("a department", organisations::create_department(tx, &coordinator, org.id, department, now))?;
    let mut placement_ids = Vec::new();
    for _ in 0..spec.placements_per_organisation {
        let details = content::placement(rng, site.id, (department.id, specialty), now);
        let draft = step("a placement", placements::create_placement(tx, &coordinator, org.id, details, now))?;
        // A fresh secret seed, as publishing through the API makes: the batch's seed decides what
        // the data says, never how a draw falls.
        let seed = DrawSeed::generate().map_err(|e| StoreError::Internal(format!("{e:?}")))?;
        step("publishing", placements::publish_placement(tx, &coordinator, draft.id, Some(draft.version), &seed, now))?;
        placement_ids.push(draft.id);
    }
    Ok(MadeOrganisation {
        id: org.id,
        name: org.input.name,
        coordinator_subject,
        site_id: site.id,
        department_id: department.id,
        placement_ids,
    })
}

/// Sandbox only: deletes one batch (`Some`) or every batch (`None`) with everything that depends
/// on what it made (see [`crate::ports::TestDataStore::delete_test_batches`]), as a platform admin.
/// Deleting a batch deleted already deletes nothing and succeeds; a batch that never existed is
/// `not_found`. The events of what is deleted go too, so the change feed reads as if the batch had
/// never been; the log keeps one `test_data.deleted` event per batch, which the feed does not carry.
pub fn delete_test_data(
    store: &dyn Store,
    actor: &Actor,
    batch: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<DeletedCounts, DeleteTestDataError> {
    if !actor.is_admin() {
        return Err(DeleteTestDataError::NotAdmin(()));
    }
    Ok(write(store, |tx| -> Result<_, StoreError> {
        let ids = match batch {
            Some(id) => match tx.test_batch(id)? {
                b if b.deleted_at.is_some() => Vec::new(),
                b => vec![b.id],
            },
            None => tx.live_test_batches()?,
        };
        if ids.is_empty() {
            return Ok(DeletedCounts::default());
        }
        let counts = tx.delete_test_batches(&ids, now)?;
        let version = next_version(FIRST_VERSION);
        let events: Vec<DomainEvent> = ids
            .iter()
            .map(|id| DomainEvent::edit(Entity::TestData, *id, version, "deleted", EventActor::Admin, now))
            .collect();
        tx.append_events(&events)?;
        Ok(counts)
    })?)
}
