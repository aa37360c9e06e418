//! `/v1/sandbox/test-data`: generate organisations, placements, applicants and applications at a
//! requested size, and delete them again, in sandbox mode only (the routes do not exist in
//! production).
//!
//! Who may call: platform admins. Anyone can mint an admin token in the sandbox, so this guards
//! nothing there; it is asked for because a batch is made as its caller (the organisations are
//! created, and their coordinators granted, by that admin, as the event log records), and so that a
//! harness's applicant or coordinator tokens cannot swamp or empty the sandbox by mistake.

use actix_web::{HttpRequest, HttpResponse, delete, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::model::test_data::{self as model, DeletedCounts};
use wex_domain::sandbox::test_data::{self, MadeBatch};

use crate::auth::SignedIn;
use crate::errors_doc::Errors;
use crate::extract::Json;
use crate::idempotency::{self, Created};
use crate::problem::ApiResult;
use crate::state::AppState;

/// How much to make. Every field is optional; the defaults make a small batch.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"organisations": 2, "placements_per_organisation": 5, "applicants": 50, "applications_per_applicant": 2, "seed": 42}))]
pub struct TestDataRequest {
    /// Organisations, 1 to 20 (default 1). Each gets a coordinator, a site and a department.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 20, example = 2)]
    pub organisations: Option<u32>,
    /// Published placements taking applications, per organisation: at least 1, and at most 200
    /// in the batch (default 3).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 200, example = 5)]
    pub placements_per_organisation: Option<u32>,
    /// Applicants with profiles, 0 to 2000 (default 5).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 2000, example = 50)]
    pub applicants: Option<u32>,
    /// Applications each applicant makes, each to a different placement of the batch: 0 to 5, and
    /// no more than the batch's placements (default 1).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 5, example = 2)]
    pub applications_per_applicant: Option<u32>,
    /// The same seed makes the same names, places, dates and choices (ids and times differ).
    /// 0 to 9007199254740991; absent, a random one, reported in the response.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 9_007_199_254_740_991_u64, example = 42)]
    pub seed: Option<u64>,
}

/// An organisation the batch made.
#[derive(Serialize, ToSchema)]
pub struct TestDataOrganisation {
    pub id: Uuid,
    pub name: String,
    /// Mint a coordinator token for this subject, with this organisation's id, to act as its
    /// coordinator.
    #[schema(example = "test-0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b-coordinator-1")]
    pub coordinator_subject: String,
    pub site_id: Uuid,
    pub department_id: Uuid,
    /// Its placements, published and taking applications.
    pub placement_ids: Vec<Uuid>,
}

/// What a batch made.
#[derive(Serialize, ToSchema)]
pub struct TestDataBatch {
    /// Delete the batch with `DELETE /v1/sandbox/test-data/{batch_id}`.
    pub batch_id: Uuid,
    /// The seed used: send it again for a batch with the same content.
    pub seed: u64,
    pub created_at: DateTime<Utc>,
    pub organisations: Vec<TestDataOrganisation>,
    pub placements: u32,
    pub applicants: u32,
    pub applications: u32,
    /// Each applicant's subject: mint an applicant token for one to act as them.
    #[schema(example = json!(["test-0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b-applicant-1"]))]
    pub applicant_subjects: Vec<String>,
}

impl From<MadeBatch> for TestDataBatch {
    fn from(b: MadeBatch) -> Self {
        let placements = b.organisations.iter().map(|o| o.placement_ids.len() as u32).sum();
        TestDataBatch {
            batch_id: b.id,
            seed: b.seed,
            created_at: b.created_at,
            placements,
            applicants: b.applicant_subjects.len() as u32,
            applications: b.applications,
            applicant_subjects: b.applicant_subjects,
            organisations: b
                .organisations
                .into_iter()
                .map(|o| TestDataOrganisation {
                    id: o.id,
                    name: o.name,
                    coordinator_subject: o.coordinator_subject,
                    site_id: o.site_id,
                    department_id: o.department_id,
                    placement_ids: o.placement_ids,
                })
                .collect(),
        }
    }
}

/// What a delete removed (all zero when there was nothing left to delete).
#[derive(Serialize, ToSchema)]
pub struct TestDataDeleted {
    pub batches: u64,
    pub organisations: u64,
    pub placements: u64,
    pub applicants: u64,
    pub applications: u64,
}

impl From<DeletedCounts> for TestDataDeleted {
    fn from(c: DeletedCounts) -> Self {
        TestDataDeleted {
            batches: c.batches,
            organisations: c.organisations,
            placements: c.placements,
            applicants: c.applicants,
            applications: c.applications,
        }
    }
}

/// Generate sandbox test data.
///
/// Who may call: platform admins, in sandbox mode only (in production this path does not exist:
/// 404). Accepts `Idempotency-Key`. Makes organisations (each with a coordinator, a site and a
/// department), published placements taking applications, applicants with profiles, and their
/// applications, through the same rules as the rest of the API, so the change feed shows them
/// (`placement.published`, `application.submitted`). All or nothing: a batch is made in one
/// transaction. The largest batch (20 organisations, 200 placements, 2,000 applicants with 5
/// applications each) takes tens of seconds, while the sandbox's other writes wait.
#[utoipa::path(tag = "sandbox", operation_id = "generateSandboxTestData", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: the same key and body return the first response.")),
    request_body = TestDataRequest,
    responses(
        (status = 201, description = "The batch: its id, its seed, the ids made and the subjects to act as.", body = TestDataBatch, headers(("Location" = String))),
        Errors<test_data::GenerateTestDataError>,
    ))]
#[post("/sandbox/test-data")]
pub async fn generate(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    body: Json<TestDataRequest>,
) -> ApiResult<HttpResponse> {
    let subject = actor.subject.clone();
    idempotency::create(&state, &req, &subject, &body.raw, || async {
        let TestDataRequest {
            organisations,
            placements_per_organisation,
            applicants,
            applications_per_applicant,
            seed,
        } = body.value;
        let request = model::TestDataRequest {
            organisations,
            placements_per_organisation,
            applicants,
            applications_per_applicant,
            seed,
        };
        let (now, cap) = (state.now(), state.active_application_cap);
        let made = state.run(move |s| Ok(test_data::generate_test_data(s, &actor, request, cap, now)?)).await?;
        let location = format!("/v1/sandbox/test-data/{}", made.id);
        Created::new(&TestDataBatch::from(made), location, None)
    })
    .await
}

/// Delete every batch of sandbox test data.
///
/// Who may call: platform admins, in sandbox mode only (in production this path does not exist:
/// 404). Removes what every batch made and everything that depends on it: the organisations with
/// their sites, departments, grants and placements (with every application to them, whoever made
/// it), the applicants' profiles with their applications (to any placement), the messages about
/// them, and their events, so the change feed reads as if the batches had never been. Nothing
/// else is touched: the demo data and anything created through the rest of the API stay. Deleting
/// again deletes nothing.
#[utoipa::path(tag = "sandbox", operation_id = "deleteSandboxTestData", security(("bearer" = [])),
    responses(
        (status = 200, description = "What was deleted.", body = TestDataDeleted),
        Errors<test_data::DeleteTestDataError>,
    ))]
#[delete("/sandbox/test-data")]
pub async fn delete_all(state: web::Data<AppState>, SignedIn(actor): SignedIn) -> ApiResult<HttpResponse> {
    let now = state.now();
    let counts = state.run(move |s| Ok(test_data::delete_test_data(s, &actor, None, now)?)).await?;
    Ok(HttpResponse::Ok().json(TestDataDeleted::from(counts)))
}

/// Delete one batch of sandbox test data.
///
/// Who may call: platform admins, in sandbox mode only (in production this path does not exist:
/// 404). Removes what the batch made, as `deleteSandboxTestData` does for every batch. A batch
/// deleted already deletes nothing (200 with zeros); a batch that never existed is 404.
#[utoipa::path(tag = "sandbox", operation_id = "deleteSandboxTestDataBatch", security(("bearer" = [])),
    params(("batch_id" = Uuid, Path)),
    responses(
        (status = 200, description = "What was deleted.", body = TestDataDeleted),
        Errors<test_data::DeleteTestDataError>,
    ))]
#[delete("/sandbox/test-data/{batch_id}")]
pub async fn delete_batch(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let (id, now) = (id.into_inner(), state.now());
    let counts = state.run(move |s| Ok(test_data::delete_test_data(s, &actor, Some(id), now)?)).await?;
    Ok(HttpResponse::Ok().json(TestDataDeleted::from(counts)))
}
