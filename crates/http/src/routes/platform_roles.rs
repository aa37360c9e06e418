//! `/v1/platform-roles`: who is a platform admin or analyst.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::grants;
use wex_domain::model::auth::{PlatformRole, PlatformRoleGrant};

use crate::auth::SignedIn;
use crate::errors_doc::Errors;
use crate::extract::{Json, Query};
use crate::idempotency::{self, Created};
use crate::pagination::{id_page_request, list_response};
use crate::problem::ApiResult;
use crate::routes::organisations::PageQuery;
use crate::state::AppState;
use crate::wire::codes;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"subject": "analyst-17", "role": "analyst"}))]
pub struct PlatformRoleRequest {
    pub subject: String,
    #[schema(value_type = codes::PlatformRole)]
    pub role: PlatformRole,
}

#[derive(Serialize, ToSchema)]
pub struct PlatformRoleResponse {
    pub id: Uuid,
    pub subject: String,
    #[schema(value_type = codes::PlatformRole)]
    pub role: PlatformRole,
    pub granted_by: String,
    pub created_at: DateTime<Utc>,
}

impl From<PlatformRoleGrant> for PlatformRoleResponse {
    fn from(g: PlatformRoleGrant) -> Self {
        Self { id: g.id, subject: g.subject, role: g.role, granted_by: g.granted_by, created_at: g.created_at }
    }
}

/// Grant a platform role (admin or analyst).
///
/// Who may call: platform admins. Accepts `Idempotency-Key`. Admins named in `WEX_ADMIN_SUBJECTS`
/// are admins without a stored grant.
#[utoipa::path(tag = "platform-roles", operation_id = "createPlatformRole", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe.")),
    request_body = PlatformRoleRequest,
    responses(
        (status = 201, description = "Granted.", body = PlatformRoleResponse, headers(("Location" = String))),
        Errors<grants::GrantError>,
    ))]
#[post("/platform-roles")]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    body: Json<PlatformRoleRequest>,
) -> ApiResult<HttpResponse> {
    let subject = actor.subject.clone();
    idempotency::create(&state, &req, &subject, &body.raw, || async {
        let now = state.now();
        let PlatformRoleRequest { subject, role } = body.value;
        let g = state.run(move |s| Ok(grants::grant_platform_role(s, &actor, &subject, role, now)?)).await?;
        let location = format!("/v1/platform-roles/{}", g.id);
        Created::new(&PlatformRoleResponse::from(g), location, None)
    })
    .await
}

/// List platform role grants.
///
/// Who may call: platform admins.
#[utoipa::path(tag = "platform-roles", operation_id = "listPlatformRoles", security(("bearer" = [])), params(PageQuery),
    responses(
        (status = 200, description = "A page of grants.", body = crate::pagination::List<PlatformRoleResponse>, headers(("Link" = String))),
        Errors<grants::AdminOnlyError>,
    ))]
#[get("/platform-roles")]
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    Query(q): Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let page = id_page_request(q.limit.as_deref(), q.cursor.as_deref())?;
    let result = state.run(move |s| Ok(grants::list_platform_roles(s, &actor, &page)?)).await?;
    Ok(list_response(&req, result, |k| k.to_string(), PlatformRoleResponse::from))
}

/// Revoke a platform role.
///
/// Who may call: platform admins.
#[utoipa::path(tag = "platform-roles", operation_id = "deletePlatformRole", security(("bearer" = [])),
    params(("grant_id" = Uuid, Path)),
    responses(
        (status = 204, description = "Revoked."),
        Errors<grants::RevokeError>,
    ))]
#[delete("/platform-roles/{grant_id}")]
pub async fn delete(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    state.run(move |s| Ok(grants::revoke_platform_role(s, &actor, id, now)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}
