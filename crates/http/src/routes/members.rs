//! `/v1/organisations/{organisation_id}/members`: who coordinates or hosts for an organisation.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::grants;
use wex_domain::model::auth::{Membership, MembershipRole};

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
#[schema(example = json!({"subject": "staff-4471", "role": "coordinator"}))]
pub struct MembershipRequest {
    /// The person's subject (`sub`) at the identity provider.
    pub subject: String,
    #[schema(value_type = codes::MembershipRole)]
    pub role: MembershipRole,
}

#[derive(Serialize, ToSchema)]
pub struct MembershipResponse {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub subject: String,
    #[schema(value_type = codes::MembershipRole)]
    pub role: MembershipRole,
    /// The subject of the admin who granted it (`sandbox` for sandbox tokens).
    pub granted_by: String,
    pub created_at: DateTime<Utc>,
}

impl From<Membership> for MembershipResponse {
    fn from(m: Membership) -> Self {
        Self {
            id: m.id,
            organisation_id: m.organisation_id,
            subject: m.subject,
            role: m.role,
            granted_by: m.granted_by,
            created_at: m.created_at,
        }
    }
}

/// Grant a coordinator or host role in an organisation.
///
/// Who may call: platform admins. Accepts `Idempotency-Key`.
#[utoipa::path(tag = "members", operation_id = "createMembership", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe.")),
    request_body = MembershipRequest,
    responses(
        (status = 201, description = "Granted.", body = MembershipResponse, headers(("Location" = String))),
        Errors<grants::GrantError>,
    ))]
#[post("/organisations/{organisation_id}/members")]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    organisation_id: web::Path<Uuid>,
    body: Json<MembershipRequest>,
) -> ApiResult<HttpResponse> {
    let subject = actor.subject.clone();
    let organisation_id = organisation_id.into_inner();
    idempotency::create(&state, &req, &subject, &body.raw, || async {
        let now = state.now();
        let MembershipRequest { subject, role } = body.value;
        let m =
            state.run(move |s| Ok(grants::grant_membership(s, &actor, organisation_id, &subject, role, now)?)).await?;
        let location = format!("/v1/organisations/{}/members/{}", m.organisation_id, m.id);
        Created::new(&MembershipResponse::from(m), location, None)
    })
    .await
}

/// List an organisation's members.
///
/// Who may call: platform admins and the organisation's coordinators.
#[utoipa::path(tag = "members", operation_id = "listMemberships", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), PageQuery),
    responses(
        (status = 200, description = "A page of memberships.", body = crate::pagination::List<MembershipResponse>, headers(("Link" = String))),
        Errors<grants::ListMembershipsError>,
    ))]
#[get("/organisations/{organisation_id}/members")]
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    organisation_id: web::Path<Uuid>,
    Query(q): Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let page = id_page_request(q.limit.as_deref(), q.cursor.as_deref())?;
    let organisation_id = organisation_id.into_inner();
    let result = state.run(move |s| Ok(grants::list_memberships(s, s, &actor, organisation_id, &page)?)).await?;
    Ok(list_response(&req, result, |k| k.to_string(), MembershipResponse::from))
}

/// Revoke a membership.
///
/// Who may call: platform admins.
#[utoipa::path(tag = "members", operation_id = "deleteMembership", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), ("membership_id" = Uuid, Path)),
    responses(
        (status = 204, description = "Revoked."),
        Errors<grants::RevokeError>,
    ))]
#[delete("/organisations/{organisation_id}/members/{membership_id}")]
pub async fn delete(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (organisation_id, membership_id) = path.into_inner();
    let now = state.now();
    state.run(move |s| Ok(grants::revoke_membership(s, &actor, organisation_id, membership_id, now)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}
