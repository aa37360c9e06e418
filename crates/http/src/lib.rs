//! The wex JSON REST API: routes, authentication, problem+json errors and the OpenAPI document.

pub mod access_log;
pub mod auth;
pub mod client_scopes;
pub mod client_tokens;
pub mod errors_doc;
pub mod extract;
pub mod idempotency;
pub mod input;
pub mod jobs;
pub mod jwks;
pub mod keys;
pub mod metrics;
pub mod openapi;
mod openapi_rewrites;
pub mod pagination;
pub mod problem;
pub mod rate_limit;
pub mod request_id;
mod request_metrics;
pub mod request_scope;
pub mod route_pattern;
pub mod routes;
pub mod routing;
pub mod state;
#[cfg(feature = "testing")]
pub mod testing;
pub mod throttle;
pub mod tokens;
pub mod wire;

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::{Condition, Logger, from_fn};
use actix_web::{App, HttpResponse, web};
use utoipa_swagger_ui::SwaggerUi;

pub use state::AppState;

/// Which browser origins may call the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorsOrigins {
    /// Any origin (`*`): the API uses bearer tokens, never cookies.
    Any,
    /// Only these origins; an empty list allows none.
    List(Vec<String>),
}

#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub body_limit: usize,
    /// The body limit of bulk imports, which carry a season's placements at once.
    pub import_body_limit: usize,
    pub cors: CorsOrigins,
}

fn cors(origins: &CorsOrigins) -> Cors {
    let base = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::ACCEPT,
            header::HeaderName::from_static("idempotency-key"),
            client_scopes::ATTRIBUTION,
            request_id::REQUEST_ID,
            request_id::CORRELATION_ID,
        ])
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            header::LINK,
            header::RETRY_AFTER,
            header::HeaderName::from_static("ratelimit-limit"),
            header::HeaderName::from_static("ratelimit-remaining"),
            header::HeaderName::from_static("ratelimit-reset"),
            request_id::REQUEST_ID,
            request_id::CORRELATION_ID,
            idempotency::REPLAYED,
        ])
        .max_age(3600);
    match origins {
        CorsOrigins::Any => base.allow_any_origin(),
        CorsOrigins::List(list) => list.iter().fold(base, |c, o| c.allowed_origin(o)),
    }
}

/// `/docs` is where people look; the UI lives under `/docs/`.
async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect().insert_header((header::LOCATION, "/docs/")).finish()
}

/// The OpenAPI document the docs page reads, written once for the process ([`openapi::document_json`]).
async fn openapi_document() -> HttpResponse {
    HttpResponse::Ok().content_type(header::ContentType::json()).body(openapi::document_json())
}

/// The whole application: routes, docs, and the middleware every response passes through.
pub fn build_app(
    state: web::Data<AppState>,
    settings: HttpSettings,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let sandbox = state.sandbox();
    let serve_metrics = state.metrics_access.served();
    App::new()
        .app_data(state)
        .app_data(route_pattern::KnownPatterns::default())
        .app_data(extract::BodyLimit(settings.body_limit))
        .app_data(extract::ImportBodyLimit(settings.import_body_limit))
        .app_data(web::PayloadConfig::new(settings.body_limit))
        .app_data(web::PathConfig::default().error_handler(extract::path_error))
        .configure(|cfg| routes::configure(cfg, sandbox, serve_metrics))
        .route("/docs", web::get().to(docs_redirect))
        .route("/openapi.json", web::get().to(openapi_document))
        .service(SwaggerUi::new("/docs/{_:.*}").config(utoipa_swagger_ui::Config::new(["/openapi.json"])))
        .default_service(web::to(routing::no_route))
        .wrap(from_fn(routing::middleware))
        .wrap(from_fn(client_scopes::middleware))
        .wrap(from_fn(throttle::middleware))
        .wrap(cors(&settings.cors))
        .wrap(from_fn(request_id::middleware))
        // Outside everything that can answer by itself (CORS, throttling, routing checks), so that
        // every response is counted.
        .wrap(from_fn(request_metrics::middleware))
        // No peer address and no personal values in the request line (see `access_log`). Only
        // when the log keeps it: actix's logger renders every line before asking the log's level.
        .wrap(Condition::new(
            log::log_enabled!(target: "actix_web::middleware::logger", log::Level::Info),
            Logger::new("\"%{request}xi\" %s %b %Dms request_id=%{x-request-id}o")
                .custom_request_replace("request", access_log::request_line),
        ))
}
