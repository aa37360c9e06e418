//! `/v1/organisations` and `/v1/me`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use wex_domain::model::auth::{MembershipRole, PlatformRole};
use wex_domain::model::organisation::Organisation;
use wex_domain::organisations;

use crate::auth::SignedIn;
use crate::errors_doc::Errors;
use crate::extract::{Json, Query};
use crate::idempotency::{self, Created};
use crate::pagination::{id_page_request, list_response, versioned};
use crate::problem::{ApiResult, Problem};
use crate::routes::apply_patch;
use crate::state::AppState;
use crate::wire::codes;
use crate::wire::organisations::OrganisationInput;

#[derive(Serialize, ToSchema)]
pub struct OrganisationResponse {
    #[schema(example = "0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b")]
    pub id: Uuid,
    #[serde(flatten)]
    pub input: OrganisationInput,
    /// Increases by one on every change; the ETag is `"v{version}"`.
    #[schema(example = 1)]
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Organisation> for OrganisationResponse {
    fn from(o: Organisation) -> Self {
        Self { id: o.id, input: o.input.into(), version: o.version, created_at: o.created_at, updated_at: o.updated_at }
    }
}

/// Paging parameters of simple lists.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// How many items per page, 1 to 100 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, example = 20)]
    pub limit: Option<String>,
    /// `next_cursor` from the previous page; empty or absent for the first page.
    pub cursor: Option<String>,
}

/// Create an organisation.
///
/// Who may call: platform admins. Accepts `Idempotency-Key`.
#[utoipa::path(tag = "organisations", operation_id = "createOrganisation", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: the same key and body return the first response.")),
    request_body(content = OrganisationInput, example = json!({"name": "Wessex Coast NHS Foundation Trust", "kind": "nhs_trust", "region": "south_east", "ods_code": "RWX"})),
    responses(
        (status = 201, description = "Created.", body = OrganisationResponse, headers(("Location" = String), ("ETag" = String))),
        Errors<organisations::CreateOrganisationError>,
    ))]
#[post("/organisations")]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    body: Json<OrganisationInput>,
) -> ApiResult<HttpResponse> {
    let subject = actor.subject.clone();
    idempotency::create(&state, &req, &subject, &body.raw, || async {
        let now = state.now();
        let input = wex_domain::model::organisation::OrganisationInput::try_from(body.value)?;
        let org = state.run(move |s| Ok(organisations::create_organisation(s, &actor, input, now)?)).await?;
        Created::new(
            &OrganisationResponse::from(org.clone()),
            format!("/v1/organisations/{}", org.id),
            Some(org.version),
        )
    })
    .await
}

/// List organisations.
///
/// Who may call: anyone. In creation order.
#[utoipa::path(tag = "organisations", operation_id = "listOrganisations", security((), ("bearer" = [])), params(PageQuery),
    responses((status = 200, description = "A page of organisations.", body = crate::pagination::List<OrganisationResponse>,
        headers(("Link" = String, description = "The next page, when there is one: `<...>; rel=\"next\"`.")))))]
#[get("/organisations")]
pub async fn list(state: web::Data<AppState>, req: HttpRequest, Query(q): Query<PageQuery>) -> ApiResult<HttpResponse> {
    let page = id_page_request(q.limit.as_deref(), q.cursor.as_deref())?;
    let result = state.run(move |s| Ok(s.organisations(&page)?)).await?;
    Ok(list_response(&req, result, |k| k.to_string(), OrganisationResponse::from))
}

/// Read an organisation.
///
/// Who may call: anyone.
#[utoipa::path(tag = "organisations", operation_id = "getOrganisation", security((), ("bearer" = [])),
    params(("organisation_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The organisation.", body = OrganisationResponse, headers(("ETag" = String))),
        Errors<wex_domain::StoreError>,
    ))]
#[get("/organisations/{organisation_id}")]
pub async fn get(state: web::Data<AppState>, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let org = state.run(move |s| Ok(s.organisation(id)?)).await?;
    Ok(versioned(StatusCode::OK, org.version, &OrganisationResponse::from(org)))
}

/// Change an organisation.
///
/// Who may call: platform admins. The body is a JSON merge patch (RFC 7386) of the fields to
/// change; `If-Match` with the ETag you read is required.
#[utoipa::path(tag = "organisations", operation_id = "updateOrganisation", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), ("If-Match" = String, Header, description = "The ETag you read, such as \"v1\".")),
    request_body(content = serde_json::Value, content_type = "application/merge-patch+json", example = json!({"description": "Acute and community services across the Wessex coast."})),
    responses(
        (status = 200, description = "Changed.", body = OrganisationResponse, headers(("ETag" = String))),
        (status = 428, description = "If-Match is missing.", body = Problem, content_type = "application/problem+json"),
        Errors<organisations::UpdateOrganisationError>,
    ))]
#[patch("/organisations/{organisation_id}")]
pub async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    body: Json<serde_json::Value>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    let viewer = actor.clone();
    let org = apply_patch(
        &state,
        &req,
        body.value,
        move |s| Ok(organisations::organisation_to_edit(s, &viewer, id)?),
        |org| OrganisationInput::from(org.input.clone()),
        move |s, expected, input| {
            Ok(organisations::update_organisation(s, &actor, id, expected, input.try_into()?, now)?)
        },
    )
    .await?;
    Ok(versioned(StatusCode::OK, org.version, &OrganisationResponse::from(org)))
}

#[derive(Serialize, ToSchema)]
pub struct MembershipSummary {
    pub organisation_id: Uuid,
    #[schema(value_type = codes::MembershipRole)]
    pub role: MembershipRole,
}

/// Who the caller is, as the platform knows them.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"subject": "coordinator-1", "platform_roles": [], "memberships": [{"organisation_id": "0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b", "role": "coordinator"}]}))]
pub struct MeResponse {
    pub subject: String,
    #[schema(value_type = Vec<codes::PlatformRole>)]
    pub platform_roles: Vec<PlatformRole>,
    pub memberships: Vec<MembershipSummary>,
}

/// Who am I?
///
/// Who may call: anyone signed in. Returns the caller's subject and the roles the platform has
/// granted them; anyone signed in may also act as an applicant.
#[utoipa::path(tag = "me", operation_id = "getMe", security(("bearer" = [])),
    responses((status = 200, description = "The caller's grants.", body = MeResponse)))]
#[get("/me")]
pub async fn me(SignedIn(actor): SignedIn) -> HttpResponse {
    HttpResponse::Ok().json(MeResponse {
        subject: actor.subject,
        platform_roles: actor.platform_roles,
        memberships: actor
            .memberships
            .into_iter()
            .map(|(organisation_id, role)| MembershipSummary { organisation_id, role })
            .collect(),
    })
}
