//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use serde_json::Value;
use std::sync::OnceLock;
use utoipa::openapi::Required;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi};
use wex_domain::codes;

use crate::errors_doc::{self, X_CODES};
use crate::openapi_rewrites::{FlattenAllOf, PrintableParameters};

use crate::routes::{
    advocates, api_clients, applications, audit, departments, draws, equality, erasure, events, export, health,
    members, metrics, notify, oauth, offers, organisations, participation, placements, platform_roles, privacy,
    profiles, providers, readiness, reference, reports, sandbox, sites, t_level, t_level_reports, t_level_reviews,
    team_contact, test_data, webhooks,
};

/// [`document`] as the service serves it at `/openapi.json`: written once for the process and
/// shared by every worker and request (it is about 900 KB, and the tree it is built from several
/// times that, which each worker used to hold).
pub fn document_json() -> actix_web::web::Bytes {
    static JSON: OnceLock<actix_web::web::Bytes> = OnceLock::new();
    JSON.get_or_init(|| document().into()).clone()
}

#[derive(OpenApi)]
#[openapi(
    paths(
        reference::user_groups,
        reference::specialties,
        reference::placement_kinds,
        reference::requirement_kinds,
        reference::t_level_patterns,
        reference::delivery_modes,
        reference::regions,
        reference::organisation_kinds,
        reference::priority_rules,
        reference::host_guidance,
        organisations::me,
        organisations::create,
        organisations::list,
        organisations::get,
        organisations::update,
        events::list,
        webhooks::create,
        webhooks::list,
        webhooks::remove,
        webhooks::rotate_secret,
        webhooks::deliveries,
        webhooks::replay,
        api_clients::create,
        api_clients::list,
        api_clients::read,
        api_clients::put_keys,
        api_clients::revoke,
        oauth::token_endpoint,
        team_contact::get_team_contact,
        team_contact::put_team_contact,
        team_contact::delete_team_contact,
        sites::create_site,
        sites::list_sites,
        sites::get_site,
        sites::update_site,
        departments::create_department,
        departments::list_departments,
        departments::get_department,
        departments::update_department,
        members::create,
        members::list,
        members::delete,
        platform_roles::create,
        platform_roles::list,
        platform_roles::delete,
        placements::create,
        placements::import::import,
        placements::search,
        placements::get,
        placements::update,
        placements::publish,
        placements::cancel,
        draws::record,
        draws::close,
        draws::run,
        draws::review,
        offers::accept,
        offers::decline,
        participation::add_host,
        participation::list_hosts,
        participation::remove_host,
        participation::participants,
        participation::attendance,
        participation::complete,
        participation::certificate,
        participation::feedback,
        participation::host_feedback,
        readiness::checklist,
        readiness::complete,
        readiness::override_item,
        readiness::placement,
        t_level::put_agreement,
        t_level::get_agreement,
        t_level::confirm,
        t_level::log_hours,
        t_level::list_hours,
        t_level::progress,
        t_level_reviews::record_review,
        t_level_reviews::add_reflection,
        t_level_reviews::list_reviews,
        audit::audit,
        equality::form,
        equality::get_mine,
        equality::put_mine,
        equality::delete_mine,
        equality::get_for,
        equality::put_for,
        equality::delete_for,
        reports::uptake_report,
        reports::timeliness_report,
        reports::supply_report,
        reports::implementation_report,
        reports::feedback_report,
        t_level_reports::t_level_report,
        reports::public_statistics,
        privacy::get,
        profiles::get_mine,
        profiles::put_mine,
        export::export_mine,
        erasure::erase_mine,
        erasure::erase_by_admin,
        applications::application_form,
        applications::apply,
        applications::list_for_placement,
        applications::list_mine,
        applications::get,
        applications::withdraw,
        applications::add_supporting_information,
        advocates::invite,
        advocates::list_mine,
        advocates::get_mine,
        advocates::revoke,
        advocates::accept,
        advocates::create_applicant,
        advocates::list_applicants,
        advocates::get_applicant,
        advocates::put_applicant,
        advocates::list_applicant_applications,
        providers::create_student,
        providers::enrol_student,
        providers::erase_student,
        providers::list_students,
        providers::get_student,
        providers::put_student,
        providers::proposals::propose,
        providers::proposals::list_student_proposals,
        providers::proposals::withdraw,
        providers::proposals::list_for_placement,
        providers::proposals::accept,
        providers::proposals::decline,
        export::export_for_applicant,
        export::export_for_student,
        erasure::erase_applicant,
        sandbox::mint_token,
        sandbox::outbox,
        sandbox::clock,
        sandbox::set_clock,
        test_data::generate,
        test_data::delete_all,
        test_data::delete_batch,
        notify::receipt,
    ),
    components(schemas(crate::problem::Problem, crate::problem::WireFieldError))
)]
struct V1;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "wex: NHS work experience platform API",
        version = "1.0.0",
        description = "A fair, transparent national service for NHS work experience: placements, applications, \
a name-blind auditable lottery and equality monitoring. Errors are RFC 9457 problem+json. Mutable resources carry \
an ETag; changes need If-Match. Creates accept Idempotency-Key. Lists are cursor-paginated with a Link header. \
Each operation's description says who may call it.",
        license(name = "MIT")
    ),
    paths(health::live, health::ready, metrics::scrape),
    nest((path = "/v1", api = V1)),
    modifiers(&Conventions, &FlattenAllOf, &PrintableParameters),
    tags(
        (name = "placements", description = "Search, read, create, edit, publish and cancel placements."),
        (name = "draws", description = "Closing and drawing placements; the public, re-runnable draw record."),
        (name = "offers", description = "Accepting and declining offered places."),
        (name = "participation", description = "Hosts, participants, attendance, certificates, feedback and the audit log."),
        (name = "readiness", description = "Before the first day: each accepted place's readiness checklist (agreements, consent, emergency contact, induction, the organisation's checks) and who is ready."),
        (name = "t-level", description = "T-level industry placements on an accepted place: the three-way agreement, the supervisor's hours logs within the working-time limits, progress against the 315 hours, and the mid-point and end reviews."),
        (name = "webhooks", description = "An organisation's webhook endpoints: events posted as they happen, signed per Standard Webhooks."),
        (name = "api-clients", description = "Organisation API clients: systems that act for an organisation with OAuth 2.0 client credentials and a signed JWT (private_key_jwt)."),
        (name = "events", description = "The change feed: what changed, in order, for integrators to follow."),
        (name = "equality", description = "The optional equality monitoring form and the applicant's own answers."),
        (name = "reports", description = "Aggregated, suppressed reports: uptake by group, timeliness, supply and demand, implementation, feedback; public statistics."),
        (name = "organisations", description = "NHS organisations and partners."),
        (name = "sites", description = "Where placements happen."),
        (name = "departments", description = "Teams that host placements."),
        (name = "members", description = "Coordinators and hosts of an organisation."),
        (name = "platform-roles", description = "Platform admins and analysts."),
        (name = "me", description = "The signed-in caller: their export and the deletion of their account."),
        (name = "data-protection", description = "Erasure of an applicant's account on their request, by an admin."),
        (name = "profiles", description = "Applicants' own profiles: the minimum needed to check eligibility and contact them."),
        (name = "applications", description = "Applying, the applicant's dashboard, withdrawing, and coordinators' name-blind view."),
        (name = "reference-data", description = "Codes with labels and plain-language descriptions."),
        (name = "advocates", description = "Careers leaders and support workers acting for applicants who linked them."),
        (name = "providers", description = "Education providers: a college's provider coordinators manage its students and propose them for T level placements arranged by agreement; the organisation accepts or declines."),
        (name = "sandbox", description = "Sandbox mode only: mint tokens for any role, read the notification outbox, move the clock, generate and delete test data."),
        (name = "notify", description = "Delivery receipts from GOV.UK Notify."),
        (name = "health", description = "Liveness, readiness and operators' metrics."),
    )
)]
pub struct ApiDoc;

/// Adds what every operation shares: the bearer scheme, and the problem responses that any
/// request can meet (malformed input, bad credentials, oversized or non-JSON bodies, outages).
struct Conventions;

fn problem(description: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/problem+json",
                ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
            )
            .build(),
    )
}

/// The exact form of the headers the API reads, so that a client (or a generated test) knows
/// which values are well-formed: `If-Match` names one of our ETags (`*` only where it is optional),
/// and an `Idempotency-Key` is 1 to 255 visible ASCII characters.
fn header_schema(name: &str, required: bool) -> Option<RefOr<Schema>> {
    let (pattern, max) = match name {
        "If-Match" if required => (r#"^"v[0-9]+"$"#, None),
        "If-Match" => (r#"^(\*|"v[0-9]+")$"#, None),
        "Idempotency-Key" => ("^[!-~]+$", Some(255)),
        _ => return None,
    };
    let schema = ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(max)
        .pattern(Some(pattern))
        .examples([if name == "If-Match" { "\"v1\"" } else { "0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b" }]);
    Some(RefOr::T(Schema::Object(schema.build())))
}

fn add_common(op: &mut Operation, is_write: bool) {
    let signed_in = op
        .security
        .as_ref()
        .is_some_and(|reqs| reqs.iter().any(|r| serde_json::to_value(r).is_ok_and(|v| v.get("bearer").is_some())));
    let has_body = op.request_body.is_some();
    // A form (the OAuth token endpoint) answers in its own standard's terms, not JSON's.
    let json_body = match &op.request_body {
        Some(RefOr::T(body)) => body.content.keys().any(|k| k.contains("json")),
        Some(RefOr::Ref(_)) => true,
        None => false,
    };
    let params = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
    for param in op.parameters.iter_mut().flatten() {
        let RefOr::T(param) = param else { continue };
        if param.parameter_in == ParameterIn::Header
            && let Some(schema) = header_schema(&param.name, param.required == Required::True)
        {
            param.schema = Some(schema);
        }
    }
    let takes_if_match = op.parameters.iter().flatten().any(|p| matches!(p, RefOr::T(p) if p.name == "If-Match"));
    let r = &mut op.responses.responses;
    if params || has_body {
        r.entry("400".into()).or_insert_with(|| problem("Malformed request: bad JSON, query parameter, header or id."));
    }
    if signed_in {
        r.entry("401".into()).or_insert_with(|| problem("Missing, expired or invalid bearer token."));
    }
    if has_body {
        r.entry("413".into()).or_insert_with(|| problem("The body is larger than the limit (64 KiB by default)."));
    }
    if json_body {
        with_body_checks(r);
        r.entry("422".into())
            .or_insert_with(|| problem("A field is unknown, missing or not valid; `errors` points at each one."));
        r.entry("415".into()).or_insert_with(|| problem("The body is not JSON."));
        // Every JSON body is checked for text rules (control characters, bidi controls, invisible
        // text) before the operation's own validation, so any operation with a body can answer 422.
        r.entry("422".into()).or_insert_with(|| problem("A field of the body is not valid; see errors."));
    }
    if is_write {
        r.entry("429".into()).or_insert_with(|| {
            problem("Too many changes from this caller; see Retry-After and the RateLimit-* headers.")
        });
    }
    if !takes_if_match {
        without_precondition(r);
    }
    r.entry("500".into()).or_insert_with(|| problem("An unexpected failure; quote the request id."));
    r.entry("503".into()).or_insert_with(|| problem("The database is unavailable; retry later."));
}

/// The edge checks every JSON body (unknown or missing fields, text rules) before the use case runs
/// and answers `422 validation_failed`: an operation whose use case brings a 422 of its own codes
/// lists that one too.
fn with_body_checks(r: &mut std::collections::BTreeMap<String, RefOr<Response>>) {
    let Some(RefOr::T(own)) = r.get("422") else { return };
    let Some(names) = own.extensions.as_ref().and_then(|e| e.get(X_CODES)).and_then(Value::as_array) else { return };
    let mut listed: Vec<&'static codes::Code> = names
        .iter()
        .filter_map(Value::as_str)
        .filter_map(|n| codes::ALL.iter().copied().find(|c| c.code == n))
        .collect();
    if listed.iter().any(|c| c.code == codes::VALIDATION_FAILED.code) {
        return;
    }
    listed.push(&codes::VALIDATION_FAILED);
    r.insert("422".into(), RefOr::T(errors_doc::problem(&listed)));
}

/// A `412 version_mismatch` that a use case's errors list, on an operation that takes no `If-Match`:
/// the edge answers it as `409 conflict` (see `routing.rs`), so that is what is documented.
fn without_precondition(r: &mut std::collections::BTreeMap<String, RefOr<Response>>) {
    let generated = |r: &RefOr<Response>| matches!(r, RefOr::T(r) if r.extensions.as_ref().is_some_and(|e| e.contains_key(X_CODES)));
    if !r.get("412").is_some_and(generated) {
        return;
    }
    r.remove("412");
    let mut codes = match r.get("409") {
        Some(RefOr::T(conflicts)) => conflicts
            .extensions
            .as_ref()
            .and_then(|e| e.get(X_CODES))
            .and_then(Value::as_array)
            .map(|names| {
                names
                    .iter()
                    .filter_map(Value::as_str)
                    .filter_map(|n| codes::ALL.iter().copied().find(|c| c.code == n))
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    if !codes.iter().any(|c| c.code == codes::CONFLICT.code) {
        codes.push(&codes::CONFLICT);
    }
    r.insert("409".into(), RefOr::T(errors_doc::problem(&codes)));
}

impl Modify for Conventions {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "notify_callback",
            SecurityScheme::Http(
                Http::builder()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The token configured as WEX_NOTIFY_CALLBACK_TOKEN and in GOV.UK Notify's callback settings.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "metrics_token",
            SecurityScheme::Http(
                Http::builder()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The token configured as WEX_METRICS_TOKEN, which Prometheus sends when it scrapes.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::builder().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
        for item in openapi.paths.paths.values_mut() {
            if let Some(op) = &mut item.get {
                add_common(op, false);
            }
            for op in [&mut item.post, &mut item.put, &mut item.patch, &mut item.delete].into_iter().flatten() {
                add_common(op, true);
            }
        }
    }
}

/// The document as served and committed: pretty JSON with a final newline.
pub fn document() -> String {
    let mut text = ApiDoc::openapi().to_pretty_json().unwrap_or_default();
    text.push('\n');
    text
}
