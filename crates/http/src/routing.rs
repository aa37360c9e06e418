//! Checks on the request line that every route shares, made once before routing so that no handler
//! can forget them, and the answer for a request no route takes (404, or 405 with `Allow`).

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpRequest, HttpResponse, ResponseError};
use std::sync::OnceLock;
use uuid::Uuid;

use crate::problem::{ApiError, ApiResult};

/// Refuses, on a path some route serves, a path segment with a control character (`400
/// invalid_path`: PostgreSQL cannot store NUL, and no id or code holds one), an id in a form other
/// than the canonical lowercase hyphenated UUID (`400 invalid_id`: one resource, one address), and
/// a query parameter with a control character (`400 invalid_query_parameter` naming it). Unknown
/// paths are left to answer 404. A `412` to a request that sent no `If-Match` becomes `409 conflict`.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if let Some(pattern) = crate::route_pattern::pattern_of(&req)
        && let Err(e) = check_path(&pattern, req.path()).and_then(|()| check_query(req.query_string()))
    {
        let res = e.error_response();
        return Ok(req.into_response(res));
    }
    let sent_precondition = req.headers().contains_key(header::IF_MATCH);
    let res = next.call(req).await?.map_into_boxed_body();
    if res.status() == StatusCode::PRECONDITION_FAILED && !sent_precondition {
        // 412 answers a precondition the client sent. Without one, a version clash is a change
        // that lost a race to another: say so as a conflict to read again and retry.
        let (req, _) = res.into_parts();
        let conflict = ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            "Conflicts with the current state",
            "This changed while your request was being handled. Read it again and retry.",
        );
        return Ok(ServiceResponse::new(req, conflict.error_response()));
    }
    Ok(res)
}

/// Checks each segment of `path`; those matched by an `{..._id}` parameter of the route's
/// `pattern` must be canonical UUIDs. (Other parameters, such as a host's subject, may hold a UUID
/// in any form: an identity provider's subjects are not ours to normalise.)
fn check_path(pattern: &str, path: &str) -> ApiResult<()> {
    let names: Vec<&str> = pattern.split('/').collect();
    for (i, segment) in path.split('/').enumerate() {
        let bad_path = || ApiError::bad_request("invalid_path", "The path holds a control character or is not UTF-8.");
        let decoded = percent_encoding::percent_decode_str(segment).decode_utf8().map_err(|_| bad_path())?;
        if decoded.chars().any(char::is_control) {
            return Err(bad_path());
        }
        let is_id = names.get(i).is_some_and(|n| n.starts_with('{') && n.ends_with("_id}"));
        if is_id
            && let Ok(id) = Uuid::try_parse(&decoded)
            && decoded != id.hyphenated().to_string()
        {
            return Err(ApiError::bad_request(
                "invalid_id",
                "Ids in paths are lowercase hyphenated UUIDs, such as 0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b.",
            ));
        }
    }
    Ok(())
}

fn check_query(query: &str) -> ApiResult<()> {
    // A query string that does not parse is left to the handler, which names the problem.
    let Ok(pairs) = serde_urlencoded::from_str::<Vec<(String, String)>>(query) else { return Ok(()) };
    for (name, value) in pairs {
        if name.chars().chain(value.chars()).any(char::is_control) {
            let field = if name.chars().any(char::is_control) { String::new() } else { format!("/{name}") };
            return Err(ApiError::bad_field(
                StatusCode::BAD_REQUEST,
                &field,
                "invalid_query_parameter",
                "This query parameter holds a control character (such as NUL). Remove it.",
            ));
        }
    }
    Ok(())
}

/// Each documented path, split into segments (`None` for a `{parameter}`), with its methods.
type Template = (Vec<Option<String>>, Vec<&'static str>);

fn templates() -> &'static [Template] {
    static TEMPLATES: OnceLock<Vec<Template>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        use utoipa::OpenApi;
        let doc = crate::openapi::ApiDoc::openapi();
        doc.paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path
                    .split('/')
                    .map(|s| if s.starts_with('{') && s.ends_with('}') { None } else { Some(s.to_string()) })
                    .collect();
                let methods = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ];
                (segments, methods.into_iter().filter(|(_, served)| *served).map(|(m, _)| m).collect())
            })
            .collect()
    })
}

/// The methods some route serves at `path`: the union over every documented path it matches
/// (routes are tried in turn until one takes the method). Undocumented routes (the API explorer)
/// serve GET.
fn allowed_methods(path: &str) -> Vec<&'static str> {
    let segments: Vec<&str> = path.split('/').collect();
    let mut allowed: Vec<&'static str> = Vec::new();
    for (template, methods) in templates() {
        let matches = template.len() == segments.len()
            && template.iter().zip(&segments).all(|(t, s)| t.as_deref().map_or(!s.is_empty(), |t| t == *s));
        for method in methods.iter().filter(|_| matches) {
            if !allowed.contains(method) {
                allowed.push(method);
            }
        }
    }
    if allowed.is_empty() {
        allowed.push("GET");
    }
    allowed
}

/// The answer when no route takes a request: 405 with `Allow` when some route serves the path
/// with another method, 404 otherwise.
pub async fn no_route(req: HttpRequest) -> HttpResponse {
    if !req.resource_map().has_resource(req.path()) {
        return ApiError::not_found().error_response();
    }
    let mut res = ApiError::for_status(StatusCode::METHOD_NOT_ALLOWED).error_response();
    if let Ok(allow) = HeaderValue::from_str(&allowed_methods(req.path()).join(", ")) {
        res.headers_mut().insert(header::ALLOW, allow);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test as service;
    use actix_web::{App, middleware::from_fn, web};

    #[actix_web::test]
    async fn a_412_without_if_match_is_a_409_conflict() {
        let stale = || async { Err::<HttpResponse, ApiError>(wex_domain::DomainError::PreconditionFailed.into()) };
        let app = service::init_service(App::new().route("/x", web::post().to(stale)).wrap(from_fn(middleware))).await;
        let res = service::call_service(&app, service::TestRequest::post().uri("/x").to_request()).await;
        assert_eq!(res.status(), StatusCode::CONFLICT);
        let body: serde_json::Value = service::read_body_json(res).await;
        assert_eq!(body["code"], "conflict");
        let sent = service::TestRequest::post().uri("/x").insert_header((header::IF_MATCH, "\"v1\"")).to_request();
        assert_eq!(service::call_service(&app, sent).await.status(), StatusCode::PRECONDITION_FAILED);
    }

    #[test]
    fn allow_lists_every_method_of_every_matching_route() {
        assert_eq!(allowed_methods("/v1/placements/0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b"), vec!["GET", "PATCH"]);
        assert_eq!(allowed_methods("/v1/me/profile"), vec!["GET", "PUT"]);
        assert_eq!(allowed_methods("/docs/index.html"), vec!["GET"]);
    }

    #[test]
    fn only_canonical_ids_and_clean_text_pass() {
        let pattern = "/v1/placements/{placement_id}";
        assert!(check_path(pattern, "/v1/placements/0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b").is_ok());
        let host = "/v1/placements/0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b/hosts/0193A5C2-8D4E-7F00-9A1B-2C3D4E5F6A7B";
        assert!(check_path("/v1/placements/{placement_id}/hosts/{subject}", host).is_ok(), "subjects are not ids");
        for bad in [
            "/v1/placements/0193a5c28d4e7f009a1b2c3d4e5f6a7b",
            "/v1/placements/0193A5C2-8D4E-7F00-9A1B-2C3D4E5F6A7B",
            "/v1/placements/%7B0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b%7D",
            "/v1/placements/urn:uuid:0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b",
        ] {
            assert_eq!(check_path(pattern, bad).map_err(|e| e.code), Err("invalid_id".to_string()), "{bad}");
        }
        assert_eq!(
            check_path("/v1/certificates/{code}", "/v1/certificates/%00").map_err(|e| e.code),
            Err("invalid_path".to_string())
        );
        assert!(check_query("q=ward&limit=5").is_ok());
        assert_eq!(check_query("q=%00").map_err(|e| e.errors[0].field.clone()), Err("/q".to_string()));
    }
}
