//! Cursor pagination: `{"items": [...], "next_cursor": ...}` plus a `Link: <...>; rel="next"`
//! header. Cursors are opaque (base64url of the last row's sort key).

use actix_web::http::StatusCode;
use actix_web::http::header::{self, ETAG};
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::model::page::{DEFAULT_LIMIT, MAX_LIMIT, Page, PageRequest};

use crate::extract::etag;
use crate::problem::{ApiError, ApiResult};

/// A page of results.
#[derive(Debug, Serialize, ToSchema)]
pub struct List<T: ToSchema> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

pub fn encode_cursor(key: &str) -> String {
    URL_SAFE_NO_PAD.encode(key)
}

/// The text of a cursor made by [`encode_cursor`].
pub fn decode_cursor(cursor: &str) -> Option<String> {
    decode_cursor_text(cursor)
}

fn decode_cursor_text(cursor: &str) -> Option<String> {
    String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).ok()?).ok()
}

fn bad_cursor() -> ApiError {
    ApiError::bad_field(
        StatusCode::BAD_REQUEST,
        "/cursor",
        "invalid_cursor",
        "This cursor is not valid. Use next_cursor from the previous page, unchanged.",
    )
}

/// Reads `limit`: 1 to 100, default 20.
pub fn page_limit(limit: Option<&str>) -> ApiResult<u32> {
    limit.map_or(Ok(DEFAULT_LIMIT), |text| {
        text.parse::<u32>().ok().filter(|n| (1..=MAX_LIMIT).contains(n)).ok_or_else(|| {
            ApiError::bad_field(
                StatusCode::BAD_REQUEST,
                "/limit",
                "invalid_limit",
                "limit must be a whole number from 1 to 100.",
            )
        })
    })
}

/// Reads `limit` (1 to 100, default 20) and `cursor`, decoding the cursor with `decode`.
pub fn page_request<K>(
    limit: Option<&str>,
    cursor: Option<&str>,
    decode: impl Fn(&str) -> Option<K>,
) -> ApiResult<PageRequest<K>> {
    let limit = page_limit(limit)?;
    // An empty cursor is the first page, as if none were sent: clients often build the URL as
    // `cursor=${next_cursor ?? ""}`.
    let after = match cursor {
        None | Some("") => None,
        Some(c) => Some(decode_cursor_text(c).and_then(|t| decode(&t)).ok_or_else(bad_cursor)?),
    };
    Ok(PageRequest { after, limit })
}

/// A page request over id-ordered rows.
pub fn id_page_request(limit: Option<&str>, cursor: Option<&str>) -> ApiResult<PageRequest<Uuid>> {
    page_request(limit, cursor, |t| Uuid::parse_str(t).ok())
}

/// The link to the next page: this request's path and query with `cursor` replaced.
pub fn next_link(req: &HttpRequest, cursor: &str) -> String {
    let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    pairs.retain(|(k, _)| k != "cursor");
    pairs.push(("cursor".to_string(), cursor.to_string()));
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    format!("<{}?{}>; rel=\"next\"", req.path(), query)
}

/// Renders a page, with `Link` when there is a next page.
pub fn list_response<T, K, U: ToSchema + Serialize>(
    req: &HttpRequest,
    page: Page<T, K>,
    cursor_text: impl Fn(&K) -> String,
    item: impl FnMut(T) -> U,
) -> HttpResponse {
    let next_cursor = page.next.as_ref().map(|k| encode_cursor(&cursor_text(k)));
    let body = List { items: page.items.into_iter().map(item).collect(), next_cursor };
    let mut res = HttpResponse::Ok();
    if let Some(c) = &body.next_cursor {
        res.insert_header((header::LINK, next_link(req, c)));
    }
    res.json(body)
}

/// A single versioned resource with its ETag.
pub fn versioned<T: Serialize>(status: StatusCode, version: i64, body: &T) -> HttpResponse {
    HttpResponse::build(status).insert_header((ETAG, etag(version))).json(body)
}
