//! Request extractors whose every failure is a problem with a field pointer: JSON bodies (size
//! limit, content type, unknown fields), query strings, path ids, and `If-Match`.

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{FromRequest, HttpRequest};
use futures_util::StreamExt;
use futures_util::future::{LocalBoxFuture, Ready, ready};
use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;

use wex_domain::FieldError;

use crate::problem::{ApiError, ApiResult};

/// The largest request body accepted, in bytes (`WEX_BODY_LIMIT_BYTES`).
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// The largest body a bulk import accepts, in bytes (`WEX_IMPORT_BODY_LIMIT_BYTES`): a season's
/// placements do not fit in [`BodyLimit`], and raising that for every route would let any route be
/// sent megabytes.
#[derive(Debug, Clone, Copy)]
pub struct ImportBodyLimit(pub usize);

/// The import limit when none is configured: 5 MiB, room for several thousand placements.
pub const DEFAULT_IMPORT_BODY_LIMIT: usize = 5 * 1024 * 1024;

/// A JSON request body, with the raw bytes kept for idempotency fingerprints.
pub struct Json<T> {
    pub value: T,
    pub raw: Bytes,
}

fn pointer(path: &serde_path_to_error::Path) -> String {
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => out.push_str(&format!("/{}", key.replace('~', "~0").replace('/', "~1"))),
            Segment::Enum { variant } => out.push_str(&format!("/{variant}")),
            Segment::Unknown => out.push_str("/?"),
        }
    }
    out
}

/// The name between the first pair of backticks of a serde message (`unknown field `x``).
fn quoted_name(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

/// Maps a deserialisation error of well-formed JSON to a 422 problem naming the field.
fn json_problem(e: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let error = shape_error(e);
    ApiError::bad_field(StatusCode::UNPROCESSABLE_ENTITY, &error.field, &error.code, &error.message)
}

/// The field error of JSON of the wrong shape: an unknown or missing field, or a wrong value.
pub fn shape_error(e: serde_path_to_error::Error<serde_json::Error>) -> FieldError {
    let mut field = pointer(e.path());
    let message = e.inner().to_string();
    let (code, text) = if message.starts_with("unknown field") {
        ("unknown_field", "This field is not part of the request. Remove it.".to_string())
    } else if message.starts_with("missing field") {
        ("required", "This field is required.".to_string())
    } else {
        ("invalid_value", plain(&message))
    };
    if code != "invalid_value"
        && let Some(name) = quoted_name(&message)
        && !field.ends_with(&format!("/{name}"))
    {
        field.push('/');
        field.push_str(name);
    }
    FieldError::new(field, code, text)
}

/// serde's messages, without the position suffix and with a capital letter.
fn plain(message: &str) -> String {
    let cut = message.find(" at line ").map_or(message, |i| &message[..i]);
    let mut chars = cut.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => "This value is not valid.".to_string(),
    }
}

/// Parses JSON text into a value: text that is not JSON, or that names a member twice, is 400.
pub fn json_value(bytes: &[u8]) -> ApiResult<serde_json::Value> {
    crate::input::parse_unique(bytes).map_err(|e| match e {
        crate::input::ParseError::Syntax { line, column } => ApiError::bad_request(
            "malformed_json",
            format!("The body is not valid JSON (line {line}, column {column})."),
        ),
        crate::input::ParseError::DuplicateKey(field) => ApiError::bad_field(
            StatusCode::BAD_REQUEST,
            &field,
            "duplicate_key",
            "This member appears more than once in its object. Send it once.",
        ),
    })
}

/// Parses JSON text into `T`: text that is not JSON, or that names a member twice, is 400; JSON
/// of the wrong shape, or with text that breaks the rules of [`crate::input`], is 422 naming the
/// field. (Parsing to a value first keeps the two apart: serde_json reports some wrong types, such
/// as a number where an enum is expected, as syntax errors.)
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> ApiResult<T> {
    let value = json_value(bytes)?;
    let errors = crate::input::text_errors(&value);
    if !errors.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "Some fields are not valid",
            "Correct the fields listed in errors and try again.",
        )
        .with_errors(errors));
    }
    from_value(value)
}

/// Deserialises a JSON value into `T` (for merge patches), with field pointers on failure.
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> ApiResult<T> {
    serde_path_to_error::deserialize(value).map_err(json_problem)
}

/// The media type of the body (`text/csv`), lower case and without parameters.
pub fn media_type(req: &HttpRequest) -> Option<String> {
    let ct = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok())?;
    Some(ct.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
}

pub fn is_json(req: &HttpRequest) -> bool {
    let Some(mime) = media_type(req) else { return false };
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req.app_data::<BodyLimit>().map_or(64 * 1024, |l| l.0);
        let declared = declared_length(req);
        let json = is_json(req);
        let payload = payload.take();
        Box::pin(async move {
            if declared.is_some_and(|n| n > limit) {
                return Err(ApiError::payload_too_large());
            }
            if !json {
                return Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "Send JSON",
                    "Send the body as JSON with Content-Type: application/json.",
                ));
            }
            let raw = read_body(payload, limit, ApiError::payload_too_large).await?;
            let value = parse_json(&raw)?;
            Ok(Json { value, raw })
        })
    }
}

/// The size a request declares in `Content-Length`, if it declares one.
pub fn declared_length(req: &HttpRequest) -> Option<usize> {
    req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok())
}

/// Reads the whole body, refusing it with `too_large()` as soon as it passes `limit` bytes (a body
/// sent without `Content-Length`, or with a false one, is counted as it arrives).
pub async fn read_body(mut payload: Payload, limit: usize, too_large: impl Fn() -> ApiError) -> ApiResult<Bytes> {
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|_| ApiError::bad_request("unreadable_body", "The request body could not be read."))?;
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// A JSON body that may be left out altogether (no body and no `Content-Type`): then `T::default()`.
/// A body that is sent must be JSON, as for [`Json`].
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + Default + 'static> FromRequest for OptionalJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let empty = !req.headers().contains_key(header::CONTENT_TYPE)
            && req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).is_none_or(|v| v.trim() == "0");
        if empty {
            return Box::pin(async { Ok(OptionalJson(T::default())) });
        }
        let json = Json::<T>::from_request(req, payload);
        Box::pin(async move { json.await.map(|j| OptionalJson(j.value)) })
    }
}

/// A query string deserialised into `T`, which should use `deny_unknown_fields` and string fields
/// so that values are parsed (with field-specific errors) by the handler.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(parse_query(req.query_string()).map(Query))
    }
}

/// Deserialises a query string, naming the offending parameter in the error.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    serde_urlencoded::from_str::<T>(query).map_err(|e| {
        let message = e.to_string();
        let field = quoted_name(&message).map_or(String::new(), |n| format!("/{n}"));
        let text = if message.starts_with("unknown field") {
            "This query parameter is not supported. Remove it."
        } else if message.starts_with("duplicate field") {
            "Give this query parameter only once."
        } else {
            "The query string is not valid."
        };
        ApiError::bad_field(StatusCode::BAD_REQUEST, &field, "invalid_query_parameter", text)
    })
}

/// Parses one query value, naming the parameter in the error.
pub fn query_value<T>(
    name: &str,
    value: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
    hint: &str,
) -> ApiResult<Option<T>> {
    match value {
        None => Ok(None),
        Some(v) => parse(v).map(Some).ok_or_else(|| {
            ApiError::bad_field(StatusCode::BAD_REQUEST, &format!("/{name}"), "invalid_query_parameter", hint)
        }),
    }
}

/// The problem for a malformed id in a path.
pub fn path_error(err: actix_web::error::PathError, _req: &HttpRequest) -> actix_web::Error {
    log::debug!("bad path parameter: {err}");
    ApiError::bad_request("invalid_id", "Ids in paths are UUIDs, such as 0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b.").into()
}

/// The strong ETag of a version.
pub fn etag(version: i64) -> String {
    format!("\"v{version}\"")
}

/// The version named by `If-Match`: `None` when absent or `*`. A value that is not one of our
/// ETags can never match, so it fails as stale.
pub fn if_match(req: &HttpRequest) -> ApiResult<Option<i64>> {
    let Some(value) = req.headers().get(header::IF_MATCH) else { return Ok(None) };
    let text = value.to_str().unwrap_or_default().trim();
    if text == "*" {
        return Ok(None);
    }
    text.strip_prefix("\"v")
        .and_then(|t| t.strip_suffix('"'))
        .and_then(|t| t.parse::<i64>().ok())
        .map(Some)
        .ok_or_else(|| wex_domain::DomainError::PreconditionFailed.into())
}

/// Like [`if_match`], for changes that must say which version they change (428 without it;
/// `*` is not accepted either).
pub fn require_if_match(req: &HttpRequest) -> ApiResult<i64> {
    if_match(req)?.ok_or_else(ApiError::precondition_required)
}
