//! `/v1/organisations/{organisation_id}/sites` and `/v1/sites/{site_id}`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::model::organisation::Site;
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
use crate::wire::organisations::SiteInput;

#[derive(Serialize, ToSchema)]
pub struct SiteResponse {
    pub id: Uuid,
    pub organisation_id: Uuid,
    #[serde(flatten)]
    pub input: SiteInput,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Site> for SiteResponse {
    fn from(s: Site) -> Self {
        Self {
            id: s.id,
            organisation_id: s.organisation_id,
            input: s.input.into(),
            version: s.version,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// Add a site to an organisation.
///
/// Who may call: the organisation's coordinators. Accepts `Idempotency-Key`.
#[utoipa::path(tag = "sites", operation_id = "createSite", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe.")),
    request_body(content = SiteInput, example = json!({"name": "Southampton General Hospital", "address_line_1": "Tremona Road", "town": "Southampton", "postcode": "SO16 6YD", "travel_notes": "Buses U1 and 17 stop outside.", "accessibility": "Step-free entrance at Tremona Road."})),
    responses(
        (status = 201, description = "Created.", body = SiteResponse, headers(("Location" = String), ("ETag" = String))),
        Errors<organisations::CreateInOrganisationError>,
    ))]
#[post("/organisations/{organisation_id}/sites")]
pub async fn create_site(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    organisation_id: web::Path<Uuid>,
    body: Json<SiteInput>,
) -> ApiResult<HttpResponse> {
    let subject = actor.subject.clone();
    let organisation_id = organisation_id.into_inner();
    idempotency::create(&state, &req, &subject, &body.raw, || async {
        let now = state.now();
        let input = wex_domain::model::organisation::SiteInput::try_from(body.value)?;
        let site = state.run(move |s| Ok(organisations::create_site(s, &actor, organisation_id, input, now)?)).await?;
        Created::new(&SiteResponse::from(site.clone()), format!("/v1/sites/{}", site.id), Some(site.version))
    })
    .await
}

/// List an organisation's sites.
///
/// Who may call: anyone (sites are where placements happen, and are shown on them).
#[utoipa::path(tag = "sites", operation_id = "listSites", security((), ("bearer" = [])),
    params(("organisation_id" = Uuid, Path), PageQuery),
    responses(
        (status = 200, description = "A page of sites.", body = crate::pagination::List<SiteResponse>, headers(("Link" = String))),
        Errors<wex_domain::StoreError>,
    ))]
#[get("/organisations/{organisation_id}/sites")]
pub async fn list_sites(
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
            Ok(s.sites_of(organisation_id, &page)?)
        })
        .await?;
    Ok(list_response(&req, result, |k| k.to_string(), SiteResponse::from))
}

/// Read a site.
///
/// Who may call: anyone.
#[utoipa::path(tag = "sites", operation_id = "getSite", security((), ("bearer" = [])), params(("site_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The site.", body = SiteResponse, headers(("ETag" = String))),
        Errors<wex_domain::StoreError>,
    ))]
#[get("/sites/{site_id}")]
pub async fn get_site(state: web::Data<AppState>, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let site = state.run(move |s| Ok(s.site(id)?)).await?;
    Ok(versioned(StatusCode::OK, site.version, &SiteResponse::from(site)))
}

/// Change a site.
///
/// Who may call: coordinators of the site's organisation (others get 404). JSON merge patch;
/// `If-Match` required.
#[utoipa::path(tag = "sites", operation_id = "updateSite", security(("bearer" = [])),
    params(("site_id" = Uuid, Path), ("If-Match" = String, Header, description = "The ETag you read.")),
    request_body(content = serde_json::Value, content_type = "application/merge-patch+json", example = json!({"travel_notes": "Bus U1 every 10 minutes from the railway station."})),
    responses(
        (status = 200, description = "Changed.", body = SiteResponse, headers(("ETag" = String))),
        (status = 428, description = "If-Match is missing.", body = Problem, content_type = "application/problem+json"),
        Errors<organisations::UpdateInOrganisationError>,
    ))]
#[patch("/sites/{site_id}")]
pub async fn update_site(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    body: Json<serde_json::Value>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let viewer = actor.clone();
    let now = state.now();
    let site = apply_patch(
        &state,
        &req,
        body.value,
        move |s| Ok(organisations::site_to_edit(s, &viewer, id)?),
        |current| SiteInput::from(current.input.clone()),
        move |s, expected, input| Ok(organisations::update_site(s, &actor, id, expected, input.try_into()?, now)?),
    )
    .await?;
    Ok(versioned(StatusCode::OK, site.version, &SiteResponse::from(site)))
}
