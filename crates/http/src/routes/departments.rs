//! `/v1/organisations/{organisation_id}/departments` and `/v1/departments/{department_id}`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::model::organisation::Department;
use wex_domain::organisations;

use crate::auth::SignedIn;
use crate::errors_doc::Errors;
use crate::extract::{Json, Query};
use crate::idempotency::{self, Created};
use crate::pagination::{id_page_request, list_response, versioned};
use crate::problem::{ApiResult, Problem};
use crate::routes::apply_patch;
use crate::routes::organisations::PageQuery;
use crate::state::AppState;
use crate::wire::organisations::DepartmentInput;

#[derive(Serialize, ToSchema)]
pub struct DepartmentResponse {
    pub id: Uuid,
    pub organisation_id: Uuid,
    #[serde(flatten)]
    pub input: DepartmentInput,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Department> for DepartmentResponse {
    fn from(d: Department) -> Self {
        Self {
            id: d.id,
            organisation_id: d.organisation_id,
            input: d.input.into(),
            version: d.version,
            created_at: d.created_at,
            updated_at: d.updated_at,
        }
    }
}

/// Add a host department to an organisation.
///
/// Who may call: the organisation's coordinators. Accepts `Idempotency-Key`.
#[utoipa::path(tag = "departments", operation_id = "createDepartment", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe.")),
    request_body(content = DepartmentInput, example = json!({"name": "Children's physiotherapy", "specialty": "allied_health_professions"})),
    responses(
        (status = 201, description = "Created.", body = DepartmentResponse, headers(("Location" = String), ("ETag" = String))),
        Errors<organisations::CreateInOrganisationError>,
    ))]
#[post("/organisations/{organisation_id}/departments")]
pub async fn create_department(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    organisation_id: web::Path<Uuid>,
    body: Json<DepartmentInput>,
) -> ApiResult<HttpResponse> {
    let subject = actor.subject.clone();
    let organisation_id = organisation_id.into_inner();
    idempotency::create(&state, &req, &subject, &body.raw, || async {
        let now = state.now();
        let d = state
            .run(move |s| Ok(organisations::create_department(s, &actor, organisation_id, body.value.into(), now)?))
            .await?;
        Created::new(&DepartmentResponse::from(d.clone()), format!("/v1/departments/{}", d.id), Some(d.version))
    })
    .await
}

/// List an organisation's host departments.
///
/// Who may call: anyone.
#[utoipa::path(tag = "departments", operation_id = "listDepartments", security((), ("bearer" = [])),
    params(("organisation_id" = Uuid, Path), PageQuery),
    responses(
        (status = 200, description = "A page of departments.", body = crate::pagination::List<DepartmentResponse>, headers(("Link" = String))),
        Errors<wex_domain::StoreError>,
    ))]
#[get("/organisations/{organisation_id}/departments")]
pub async fn list_departments(
    state: web::Data<AppState>,
    req: HttpRequest,
    organisation_id: web::Path<Uuid>,
    Query(q): Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let page = id_page_request(q.limit.as_deref(), q.cursor.as_deref())?;
    let organisation_id = organisation_id.into_inner();
    let result = state
        .run(move |s| {
            s.organisation(organisation_id)?;
            Ok(s.departments_of(organisation_id, &page)?)
        })
        .await?;
    Ok(list_response(&req, result, |k| k.to_string(), DepartmentResponse::from))
}

/// Read a host department.
///
/// Who may call: anyone.
#[utoipa::path(tag = "departments", operation_id = "getDepartment", security((), ("bearer" = [])),
    params(("department_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The department.", body = DepartmentResponse, headers(("ETag" = String))),
        Errors<wex_domain::StoreError>,
    ))]
#[get("/departments/{department_id}")]
pub async fn get_department(state: web::Data<AppState>, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let d = state.run(move |s| Ok(s.department(id)?)).await?;
    Ok(versioned(StatusCode::OK, d.version, &DepartmentResponse::from(d)))
}

/// Change a host department.
///
/// Who may call: coordinators of the department's organisation (others get 404). JSON merge
/// patch; `If-Match` required.
#[utoipa::path(tag = "departments", operation_id = "updateDepartment", security(("bearer" = [])),
    params(("department_id" = Uuid, Path), ("If-Match" = String, Header, description = "The ETag you read.")),
    request_body(content = serde_json::Value, content_type = "application/merge-patch+json", example = json!({"description": "Physiotherapy for children and young people."})),
    responses(
        (status = 200, description = "Changed.", body = DepartmentResponse, headers(("ETag" = String))),
        (status = 428, description = "If-Match is missing.", body = Problem, content_type = "application/problem+json"),
        Errors<organisations::UpdateInOrganisationError>,
    ))]
#[patch("/departments/{department_id}")]
pub async fn update_department(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    body: Json<serde_json::Value>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let viewer = actor.clone();
    let now = state.now();
    let d = apply_patch(
        &state,
        &req,
        body.value,
        move |s| Ok(organisations::department_to_edit(s, &viewer, id)?),
        |current| DepartmentInput::from(current.input.clone()),
        move |s, expected, input| Ok(organisations::update_department(s, &actor, id, expected, input.into(), now)?),
    )
    .await?;
    Ok(versioned(StatusCode::OK, d.version, &DepartmentResponse::from(d)))
}
