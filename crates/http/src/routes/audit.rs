//! The audit trail: platform admins and data protection officers search it by person, by actor
//! and by action.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;
use wex_domain::model::audit::{AuditAction, AuditFilter};
use wex_domain::participation;

use crate::auth::SignedIn;
use crate::errors_doc::Errors;
use crate::extract::Query;
use crate::pagination::{List, id_page_request, list_response};
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;
use crate::wire::audit::AuditEntryResponse;
use crate::wire::codes;

/// The longest actor a search takes: the longest subject an identity provider may give.
const MAX_ACTOR_CHARS: usize = 255;

/// Which audit entries to list: every filter given must match.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries about this applicant profile (whose data was read).
    #[param(value_type = Option<Uuid>)]
    pub data_subject: Option<String>,
    /// Only entries by this account (an identity provider's subject, or `client:{client_id}`),
    /// matched exactly; empty or absent for every actor.
    #[param(max_length = 255)]
    pub actor: Option<String>,
    /// Only entries of this action.
    #[param(value_type = Option<codes::AuditAction>)]
    pub action: Option<String>,
    /// `oldest_first` (the default) or `newest_first`.
    #[param(value_type = Option<String>, pattern = "^(oldest_first|newest_first)$")]
    pub order: Option<String>,
    /// How many items per page, 1 to 100 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, example = 20)]
    pub limit: Option<String>,
    /// `next_cursor` from the previous page; empty or absent for the first page. Keep the same
    /// filters and order from page to page.
    pub cursor: Option<String>,
}

impl AuditQuery {
    /// The filter, or 400 pointing at the first parameter that is not valid.
    fn filter(&self) -> ApiResult<AuditFilter> {
        let data_subject = self
            .data_subject
            .as_deref()
            .map(|id| {
                Uuid::parse_str(id).map_err(|_| bad("/data_subject", "must be an applicant profile id (a UUID)."))
            })
            .transpose()?;
        // A search term, matched exactly: a value no account has simply finds nothing. Empty is
        // no filter, like an empty cursor.
        let actor = match self.actor.as_deref() {
            None | Some("") => None,
            Some(subject) if subject.chars().count() > MAX_ACTOR_CHARS => {
                return Err(bad("/actor", "must be an account's subject: at most 255 characters."));
            }
            Some(subject) => Some(subject.to_string()),
        };
        let action = self
            .action
            .as_deref()
            .map(|code| AuditAction::parse(code).ok_or_else(|| bad("/action", "must be one of the audit actions.")))
            .transpose()?;
        let newest_first = match self.order.as_deref() {
            None | Some("oldest_first") => false,
            Some("newest_first") => true,
            Some(_) => return Err(bad("/order", "must be oldest_first or newest_first.")),
        };
        Ok(AuditFilter { data_subject, actor, action, newest_first })
    }
}

/// A filter that is not valid: `400 invalid_query_parameter` naming it, as for any query parameter.
fn bad(pointer: &str, detail: &str) -> ApiError {
    let message = format!("{} {detail}", pointer.trim_start_matches('/'));
    ApiError::bad_field(StatusCode::BAD_REQUEST, pointer, "invalid_query_parameter", &message)
}

/// Search the audit trail.
///
/// Who may call: platform admins and data protection officers. Every read of another person's
/// identifying data, every role granted or revoked and every erasure has an entry: who acted, in
/// which role and for which organisation, whose data it was, why, and in which request. Filters
/// combine; oldest first unless `order=newest_first`.
#[utoipa::path(tag = "participation", operation_id = "listAuditEvents", security(("bearer" = [])), params(AuditQuery),
    responses(
        (status = 200, description = "A page of audit entries, in the order asked for.", body = List<AuditEntryResponse>, headers(("Link" = String))),
        Errors<participation::AuditTrailError>,
    ))]
#[get("/audit-events")]
pub async fn audit(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    Query(q): Query<AuditQuery>,
) -> ApiResult<HttpResponse> {
    let page = id_page_request(q.limit.as_deref(), q.cursor.as_deref())?;
    let filter = q.filter()?;
    let result = state.run(move |s| Ok(participation::audit_log(s, &actor, &filter, &page)?)).await?;
    Ok(list_response(&req, result, |k| k.to_string(), AuditEntryResponse::from))
}
