//! `/v1/organisations/{organisation_id}/team-contact`: where the service emails the organisation's
//! work experience team. Only its coordinators and admins read or change it.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::model::organisation::TeamContact;
use wex_domain::team_contact;

use crate::auth::SignedIn;
use crate::errors_doc::Errors;
use crate::extract::Json;
use crate::pagination::versioned;
use crate::problem::ApiResult;
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "workexperience@trust.nhs.uk"}))]
pub struct TeamContactInput {
    /// The team's shared mailbox, rather than one person's address, so that messages outlive
    /// staff changes.
    pub email: String,
}

#[derive(Serialize, ToSchema)]
pub struct TeamContactResponse {
    pub organisation_id: Uuid,
    pub email: String,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

impl From<TeamContact> for TeamContactResponse {
    fn from(c: TeamContact) -> Self {
        Self {
            organisation_id: c.organisation_id,
            email: c.email.to_string(),
            version: c.version,
            updated_at: c.updated_at,
        }
    }
}

/// Read where the work experience team is emailed.
///
/// Who may call: the organisation's coordinators and platform admins (404 until an address is
/// set). It is not on the public organisation.
#[utoipa::path(tag = "organisations", operation_id = "getTeamContact", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The team's address.", body = TeamContactResponse, headers(("ETag" = String))),
        Errors<team_contact::TeamContactError>,
    ))]
#[get("/organisations/{organisation_id}/team-contact")]
pub async fn get_team_contact(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let contact = state.run(move |s| Ok(team_contact::team_contact(s, &actor, id)?)).await?;
    Ok(versioned(StatusCode::OK, contact.version, &TeamContactResponse::from(contact)))
}

/// Set where the work experience team is emailed.
///
/// Who may call: the organisation's coordinators and platform admins. The team is emailed two
/// days before the outcome date of a name-blind review placement not yet drawn, and when someone
/// holding a place cannot be emailed. Without an address the team gets no email.
#[utoipa::path(tag = "organisations", operation_id = "putTeamContact", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path)),
    request_body = TeamContactInput,
    responses(
        (status = 200, description = "Set.", body = TeamContactResponse, headers(("ETag" = String))),
        Errors<team_contact::SetTeamContactError>,
    ))]
#[put("/organisations/{organisation_id}/team-contact")]
pub async fn put_team_contact(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
    body: Json<TeamContactInput>,
) -> ApiResult<HttpResponse> {
    let (id, now, email) = (id.into_inner(), state.now(), body.value.email);
    let contact = state.run(move |s| Ok(team_contact::set_team_contact(s, &actor, id, &email, now)?)).await?;
    Ok(versioned(StatusCode::OK, contact.version, &TeamContactResponse::from(contact)))
}

/// Stop emailing the work experience team.
///
/// Who may call: the organisation's coordinators and platform admins (404 when none is set).
#[utoipa::path(tag = "organisations", operation_id = "deleteTeamContact", security(("bearer" = [])),
    params(("organisation_id" = Uuid, Path)),
    responses(
        (status = 204, description = "Removed."),
        Errors<team_contact::TeamContactError>,
    ))]
#[delete("/organisations/{organisation_id}/team-contact")]
pub async fn delete_team_contact(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let (id, now) = (id.into_inner(), state.now());
    state.run(move |s| Ok(team_contact::remove_team_contact(s, &actor, id, now)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}
