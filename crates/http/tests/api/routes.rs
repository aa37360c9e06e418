//! The served routes equal the documented ones (issue 10, item 7, minimal form).
//!
//! Documented → served is checked by behaviour: every operation in the generated document is sent
//! to the real application, in process so that the request can say which registered resource took
//! it (`HttpRequest::match_pattern`, which after routing names the resource that actually matched),
//! and that resource's pattern must be the documented path; every method the document does not
//! list at that path must get the router's 405.
//!
//! Served → documented: actix-web cannot list its routes, so this reads the one place that
//! registers them, `routes::configure`, whose only registrations are `.service(module::handler)`
//! calls, and requires each handler to be listed in the document's `paths(...)` and vice versa.
//! Each handler's method and path are written once, in its actix attribute, which utoipa also
//! reads (`actix_extras`), so the two lists naming the same handlers means the same routes.

use actix_web::http::{Method, StatusCode};
use actix_web::test as service;
use std::collections::BTreeSet;
use std::sync::Arc;

use crate::support::{AUDIENCE, ISSUER, SECRET, TestDb};
use wex_http::auth::Authenticator;
use wex_http::{AppState, CorsOrigins, HttpSettings};

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// Every (method, path template) of the generated document.
fn documented() -> Vec<(String, String)> {
    let doc: serde_json::Value = serde_json::from_str(&wex_http::openapi::document()).unwrap();
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if METHODS.contains(&method.to_uppercase().as_str()) {
                ops.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    ops
}

/// A concrete path for a template: a canonical UUID for an `{..._id}`, a plain word otherwise.
fn concrete(template: &str) -> String {
    template
        .split('/')
        .map(|s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) if name.ends_with("_id") => "0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b",
            Some(_) => "probe",
            None => s,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[actix_web::test]
async fn every_documented_operation_is_served_by_its_own_route() {
    let db = TestDb::new();
    let store = Arc::new(db.store());
    // Sandbox mode, so that the sandbox's documented operations are registered too.
    let auth = Arc::new(Authenticator::sandbox(SECRET.to_vec(), ISSUER, AUDIENCE, Default::default()));
    let state = actix_web::web::Data::new(AppState::new(store, auth, 0));
    let settings = HttpSettings {
        body_limit: 64 * 1024,
        import_body_limit: wex_http::extract::DEFAULT_IMPORT_BODY_LIMIT,
        cors: CorsOrigins::List(Vec::new()),
    };
    let app = service::init_service(wex_http::build_app(state, settings)).await;

    let ops = documented();
    assert!(ops.len() >= 80, "only {} documented operations", ops.len());
    let mut failures = Vec::new();
    for (method, template) in &ops {
        // No credentials and no body: every operation refuses before it changes anything.
        let req = service::TestRequest::default()
            .method(Method::from_bytes(method.as_bytes()).unwrap())
            .uri(&concrete(template))
            .to_request();
        let res = service::call_service(&app, req).await;
        let pattern = res.request().match_pattern();
        if res.status() == StatusCode::METHOD_NOT_ALLOWED || pattern.as_deref() != Some(template) {
            failures.push(format!("{method} {template}: {} from {pattern:?}", res.status()));
        }
    }
    for template in ops.iter().map(|(_, t)| t).collect::<BTreeSet<_>>() {
        for method in METHODS.iter().filter(|m| !ops.contains(&(m.to_string(), template.clone()))) {
            let req = service::TestRequest::default()
                .method(Method::from_bytes(method.as_bytes()).unwrap())
                .uri(&concrete(template))
                .to_request();
            let status = service::call_service(&app, req).await.status();
            if status != StatusCode::METHOD_NOT_ALLOWED {
                failures.push(format!("{method} {template}: undocumented, yet answered {status}"));
            }
        }
    }
    assert!(failures.is_empty(), "served routes differ from the document:\n{}", failures.join("\n"));
}

/// The `module::handler` names that follow each `call` in `text`, up to the next `)`.
fn handlers(text: &str, call: &str) -> BTreeSet<String> {
    text.split(call)
        .skip(1)
        .flat_map(|s| s[..s.find(')').unwrap_or(s.len())].split([',', ' ', '\n']))
        .filter(|h| h.contains("::"))
        .map(String::from)
        .collect()
}

#[test]
fn every_registered_handler_is_documented_and_every_documented_one_registered() {
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let routes = std::fs::read_to_string(format!("{src}/routes/mod.rs")).unwrap();
    let openapi = std::fs::read_to_string(format!("{src}/openapi.rs")).unwrap();
    let configure = &routes[routes.find("pub fn configure").unwrap()..];
    let configure = &configure[..configure.find("\n}\n").unwrap()];
    // Anything but `.service(handler)` would register a route this reading cannot see.
    for other in [".route(", "web::resource(", ".to(", ".default_service("] {
        assert!(!configure.contains(other), "configure registers a route by `{other}`: extend this test");
    }
    let registered = handlers(configure, ".service(");
    let documented = handlers(&openapi, "paths(");
    assert!(registered.len() >= 80, "read only {} registered handlers", registered.len());
    let undocumented: Vec<_> = registered.difference(&documented).collect();
    let unserved: Vec<_> = documented.difference(&registered).collect();
    assert!(undocumented.is_empty(), "registered in routes::configure but not in the document: {undocumented:?}");
    assert!(unserved.is_empty(), "in the document but not registered in routes::configure: {unserved:?}");
    // The method and path come from the actix attribute only if utoipa is not given its own.
    let mut files = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(format!("{src}/routes"))];
    while let Some(dir) = dirs.pop() {
        for path in std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()) {
            if path.is_dir() { dirs.push(path) } else { files.push(path) }
        }
    }
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for attr in text.split("#[utoipa::path(").skip(1) {
            let head = &attr[..attr.find(")]\n").unwrap_or(attr.len())];
            assert!(!head.contains("path = \"/"), "{}: a utoipa path names its own route", file.display());
        }
    }
}
