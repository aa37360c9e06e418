//! Which operations an organisation's API client may call, and with which scope: one table,
//! checked before any use case runs. An operation not listed is refused to every client, so a new
//! route is closed to clients until someone decides it should be open.
//!
//! Inside an operation it may call, a client is its organisation's coordinator: the use case then
//! decides as it does for a person (another organisation's placement is 404, and so on).

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header::HeaderName};
use actix_web::middleware::Next;
use actix_web::{Error, HttpRequest, ResponseError, web};
use wex_domain::model::api_client::{ClientScope, valid_attribution};

use crate::problem::ApiError;
use crate::state::AppState;
use crate::tokens::{Verified, carries_client_token, verified_caller};

/// The header that names the person in the client's own system behind a request.
pub const ATTRIBUTION: HeaderName = HeaderName::from_static("wex-attribution");

/// What an operation asks of a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Any scope: reading the organisation's change feed, which is thin (ids and links) and
    /// scoped to the organisation.
    AnyScope,
    /// This scope.
    Scope(ClientScope),
    /// This scope, and the request must say who it is for (a view of people's identities).
    AttributedScope(ClientScope),
}

use ClientScope::{ApplicationsRead, AttendanceWrite, ParticipantsRead, PlacementsRead, PlacementsWrite};
use Need::{AnyScope, AttributedScope, Scope};

/// Method, route pattern, and what it needs.
pub const OPEN_TO_CLIENTS: &[(&str, &str, Need)] = &[
    ("GET", "/v1/events", AnyScope),
    ("GET", "/v1/placements", Scope(PlacementsRead)),
    ("GET", "/v1/placements/{placement_id}", Scope(PlacementsRead)),
    ("GET", "/v1/placements/{placement_id}/application-form", Scope(PlacementsRead)),
    ("GET", "/v1/placements/{placement_id}/draw", Scope(PlacementsRead)),
    ("GET", "/v1/organisations/{organisation_id}", Scope(PlacementsRead)),
    ("GET", "/v1/organisations/{organisation_id}/sites", Scope(PlacementsRead)),
    ("GET", "/v1/organisations/{organisation_id}/departments", Scope(PlacementsRead)),
    ("GET", "/v1/sites/{site_id}", Scope(PlacementsRead)),
    ("GET", "/v1/departments/{department_id}", Scope(PlacementsRead)),
    ("POST", "/v1/organisations/{organisation_id}/placements", Scope(PlacementsWrite)),
    ("POST", "/v1/organisations/{organisation_id}/placement-imports", Scope(PlacementsWrite)),
    ("PATCH", "/v1/placements/{placement_id}", Scope(PlacementsWrite)),
    ("POST", "/v1/placements/{placement_id}/publish", Scope(PlacementsWrite)),
    ("POST", "/v1/placements/{placement_id}/close", Scope(PlacementsWrite)),
    ("POST", "/v1/placements/{placement_id}/cancel", Scope(PlacementsWrite)),
    ("POST", "/v1/organisations/{organisation_id}/sites", Scope(PlacementsWrite)),
    ("PATCH", "/v1/sites/{site_id}", Scope(PlacementsWrite)),
    ("POST", "/v1/organisations/{organisation_id}/departments", Scope(PlacementsWrite)),
    ("PATCH", "/v1/departments/{department_id}", Scope(PlacementsWrite)),
    ("GET", "/v1/placements/{placement_id}/applications", Scope(ApplicationsRead)),
    ("GET", "/v1/placements/{placement_id}/participants", AttributedScope(ParticipantsRead)),
    ("POST", "/v1/applications/{application_id}/attendance", Scope(AttendanceWrite)),
    ("POST", "/v1/applications/{application_id}/complete", Scope(AttendanceWrite)),
];

/// What the operation a request was routed to asks of a client (`None`: closed to clients).
pub fn need(method: &Method, pattern: &str) -> Option<Need> {
    OPEN_TO_CLIENTS.iter().find(|(m, p, _)| *m == method.as_str() && *p == pattern).map(|(_, _, need)| *need)
}

/// Refuses a client's request for an operation closed to clients, or outside its token's scopes,
/// before anything else reads the request (its body, the database): 403 whatever else is wrong
/// with it. The `Caller` extractor checks again against the scopes the client still holds.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let state = req.app_data::<web::Data<AppState>>().filter(|_| carries_client_token(req.request())).cloned();
    if let Some(state) = state
        && let Ok(Some(Verified::Client(token))) = verified_caller(req.request(), &state.auth).await
        && let Some(pattern) = crate::route_pattern::pattern_of(&req)
        && let Err(e) = check_scope(req.method(), &pattern, &token.scopes)
    {
        let res = e.error_response();
        return Ok(req.into_response(res));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

fn check_scope(method: &Method, pattern: &str, scopes: &[ClientScope]) -> Result<(), ApiError> {
    let scope = match need(method, pattern) {
        None => return Err(insufficient("API clients cannot call this operation; a person must.".to_string())),
        Some(AnyScope) => None,
        Some(Scope(s)) | Some(AttributedScope(s)) => Some(s),
    };
    match scope.filter(|s| !scopes.contains(s)) {
        Some(s) => Err(insufficient(format!("This operation needs the {s} scope, which this token does not carry."))),
        None => Ok(()),
    }
}

fn insufficient(detail: String) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "insufficient_scope", "Not within this client's scopes", detail)
}

/// Checks a client's request against the table: 403 `insufficient_scope` when the operation is
/// closed to clients or needs a scope the token lacks; 400 `attribution_required` when a write
/// (or a view of identities) does not say, in `Wex-Attribution`, who in the client's system made
/// it. Returns the attribution sent, if any.
pub fn authorise(req: &HttpRequest, scopes: &[ClientScope]) -> Result<Option<String>, ApiError> {
    let pattern = req.match_pattern().unwrap_or_default();
    check_scope(req.method(), &pattern, scopes)?;
    let sent = req.headers().get(&ATTRIBUTION);
    let attribution = match sent.map(|v| v.to_str().map(str::trim)) {
        None => None,
        Some(Ok(text)) if valid_attribution(text) => Some(text.to_string()),
        Some(_) => return Err(attribution_error("Wex-Attribution must be 1 to 200 printable ASCII characters.")),
    };
    let must_attribute = !matches!(*req.method(), Method::GET | Method::HEAD)
        || matches!(need(req.method(), &pattern), Some(AttributedScope(_)));
    if must_attribute && attribution.is_none() {
        return Err(attribution_error(
            "Say who in your system made this request: send Wex-Attribution with their identifier there, \
             such as a staff id.",
        ));
    }
    Ok(attribution)
}

fn attribution_error(message: &str) -> ApiError {
    ApiError::bad_field(StatusCode::BAD_REQUEST, "/headers/wex-attribution", "attribution_required", message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use utoipa::OpenApi;

    #[test]
    fn every_operation_open_to_clients_exists() {
        let doc = crate::openapi::ApiDoc::openapi();
        for (method, path, _) in OPEN_TO_CLIENTS {
            let item = doc.paths.paths.get(*path).unwrap_or_else(|| panic!("{path} is not a documented path"));
            let operation = match *method {
                "GET" => &item.get,
                "POST" => &item.post,
                "PATCH" => &item.patch,
                "PUT" => &item.put,
                "DELETE" => &item.delete,
                other => panic!("{other} is not a method the table uses"),
            };
            assert!(operation.is_some(), "{method} {path} is not documented");
        }
    }

    #[test]
    fn people_work_stays_with_people() {
        for (method, path) in [
            ("POST", "/v1/placements/{placement_id}/draw"),
            ("POST", "/v1/applications/{application_id}/review"),
            ("POST", "/v1/organisations/{organisation_id}/members"),
            ("POST", "/v1/organisations/{organisation_id}/webhooks"),
            ("POST", "/v1/organisations/{organisation_id}/api-clients"),
            ("GET", "/v1/me"),
            ("GET", "/v1/audit-events"),
        ] {
            let method = Method::from_bytes(method.as_bytes()).unwrap_or(Method::GET);
            assert_eq!(need(&method, path), None, "{method} {path}");
        }
    }
}
