//! The contract is code: the committed OpenAPI document must equal the generated one, and every
//! operation must be fully described.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;

fn generated() -> Value {
    serde_json::from_str(&wex_http::openapi::document()).unwrap()
}

#[test]
fn committed_document_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == wex_http::openapi::document(),
        "openapi/openapi.json differs from the code: run `make openapi` and commit the result"
    );
}

fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            out.push((method.to_uppercase(), path.clone(), op.clone()));
        }
    }
    out
}

#[test]
fn every_operation_is_described_for_integrators() {
    let doc = generated();
    assert_eq!(doc["openapi"], "3.1.0");
    let ops = operations(&doc);
    assert!(ops.len() >= 30, "only {} operations", ops.len());
    let mut ids = std::collections::HashSet::new();
    for (method, path, op) in &ops {
        let name = format!("{method} {path}");
        let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{name}: no operationId"));
        assert!(ids.insert(id.to_string()), "{name}: duplicate operationId {id}");
        assert!(op["summary"].as_str().is_some_and(|s| !s.is_empty()), "{name}: no summary");
        assert!(
            op["description"].as_str().is_some_and(|s| s.contains("Who may call") || path.starts_with("/health")),
            "{name}: description must say who may call it"
        );
        let responses = op["responses"].as_object().unwrap();
        assert!(responses.keys().any(|k| k.starts_with('2')), "{name}: no success response");
        for status in ["500", "503"] {
            assert!(responses.contains_key(status), "{name}: {status} not documented");
        }
        // The OAuth token endpoint takes a form, and answers its failures as RFC 6749 says.
        let oauth = op["operationId"] == "getAccessToken";
        if op.get("requestBody").is_some() {
            let statuses: &[&str] = if oauth { &["400", "413"] } else { &["400", "413", "415"] };
            for status in statuses {
                assert!(responses.contains_key(*status), "{name}: {status} not documented");
            }
        }
        if method != "GET" {
            assert!(responses.contains_key("429"), "{name}: 429 not documented for a write");
        }
        let secured = op["security"].as_array().is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()));
        if secured {
            assert!(responses.contains_key("401"), "{name}: 401 not documented");
        }
        for (status, response) in responses {
            if oauth && (status == "400" || status == "401") {
                assert!(response["content"]["application/json"].is_object(), "{name}: {status} is not RFC 6749's");
            } else if status.starts_with('4') || status.starts_with('5') {
                assert!(
                    response["content"]["application/problem+json"].is_object(),
                    "{name}: {status} is not problem+json"
                );
            }
        }
    }
}

#[test]
fn every_path_is_versioned_except_health_and_metrics() {
    let doc = generated();
    for path in doc["paths"].as_object().unwrap().keys() {
        assert!(path.starts_with("/v1/") || path.starts_with("/health/") || path == "/metrics", "{path}");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer");
}

#[test]
fn only_the_draw_record_reveals_a_draw_seed() {
    let doc = generated();
    let with_seed: Vec<&String> = doc["components"]["schemas"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, schema)| schema.to_string().contains("\"seed\""))
        .map(|(name, _)| name)
        .collect();
    // The sandbox's test data has a seed of its own, chosen by the caller: it decides what generated
    // data says, never how a draw falls (each generated placement gets a fresh secret draw seed).
    assert_eq!(
        with_seed,
        vec!["DrawRecordResponse", "TestDataBatch", "TestDataRequest"],
        "a schema other than the draw record (and the sandbox's test data) exposes a seed"
    );
}

/// The codes each `code_enum!` accepts, by the name of the schema `wex_http::wire::codes` gives it.
macro_rules! domain_enums {
    ($($name:ident => $path:path),+ $(,)?) => {{
        use utoipa::ToSchema;
        vec![$({
            use $path as E;
            let name = <wex_http::wire::codes::$name as ToSchema>::name().to_string();
            (name, E::ALL.iter().map(|v| v.code().to_string()).collect::<Vec<_>>())
        }),+]
    }};
}

fn domain_enums() -> Vec<(String, Vec<String>)> {
    use wex_domain::model::*;
    domain_enums!(
        Template => notification::Template,
        OfferStatus => offer::OfferStatus,
        UserGroup => reference::UserGroup,
        Specialty => reference::Specialty,
        PlacementKind => reference::PlacementKind,
        Delivery => reference::Delivery,
        Region => reference::Region,
        OrganisationKind => reference::OrganisationKind,
        SelectionMethod => reference::SelectionMethod,
        PlacementStatus => reference::PlacementStatus,
        Role => auth::Role,
        PlatformRole => auth::PlatformRole,
        MembershipRole => auth::MembershipRole,
        Relationship => advocacy::Relationship,
        LinkStatus => advocacy::LinkStatus,
        ConsentGiver => profile::ConsentGiver,
        ApplicationStatus => application::ApplicationStatus,
        ChangedBy => application::ChangedBy,
        Likelihood => participation::Likelihood,
        Agreement => participation::Agreement,
        Statement => participation::Statement,
        Recognition => participation::Recognition,
        DrawOutcome => draw::DrawOutcome,
        Dimension => reports::uptake::Dimension,
        SupplyBy => reports::measures::SupplyBy,
        DeliveryStatus => delivery::DeliveryStatus,
        AttemptOutcome => delivery::AttemptOutcome,
        Receipt => delivery::Receipt,
        // Event types are dotted (`offer.made`), as webhook and feed readers expect.
        EventType => feed::EventType,
        WebhookStatus => webhook::WebhookStatus,
        WebhookDeliveryStatus => webhook::WebhookDeliveryStatus,
        // Scopes are OAuth's `resource:action` (`placements:read`).
        ClientScope => api_client::ClientScope,
        ClientStatus => api_client::ClientStatus,
    )
}

/// Every `enum` anywhere in `value`, with where it is.
fn enums_in(value: &Value, at: &str, out: &mut Vec<(String, Vec<Value>)>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(values)) = map.get("enum") {
                out.push((at.to_string(), values.clone()));
            }
            for (k, v) in map {
                enums_in(v, &format!("{at}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                enums_in(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_enum_lists_the_codes_the_api_accepts() {
    let doc = generated();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let domain = domain_enums();
    let mut published = 0;
    for (name, codes) in &domain {
        let Some(schema) = schemas.get(name) else { continue };
        published += 1;
        let listed: Vec<String> =
            schema["enum"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
        assert_eq!(&listed, codes, "{name}: the document's enum is not the codes the API accepts");
        assert_eq!(schema["type"], "string", "{name}");
    }
    assert!(published >= 24, "only {published} of the domain's enums are in the document");
    // Any other enum (a parameter's, a string field's) is of wire codes too, never Rust names.
    let mut all = Vec::new();
    enums_in(&doc, "#", &mut all);
    for (at, values) in all {
        let is_domain =
            at.strip_prefix("#/components/schemas/").is_some_and(|rest| domain.iter().any(|(name, _)| rest == name));
        if is_domain {
            continue;
        }
        for v in values {
            let code = v.as_str().unwrap_or_default();
            assert!(
                !code.is_empty() && code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{at}: {v} is not a wire code"
            );
        }
    }
}

/// True when `schema` (inline or a reference) is closed to further properties.
fn is_closed(schema: &Value, schemas: &serde_json::Map<String, Value>) -> bool {
    let target = match schema["$ref"].as_str().and_then(|r| r.strip_prefix("#/components/schemas/")) {
        Some(name) => &schemas[name],
        None => schema,
    };
    target["additionalProperties"] == Value::Bool(false)
}

/// Every `allOf` anywhere in `value` whose members include a closed schema.
fn closed_all_of(value: &Value, schemas: &serde_json::Map<String, Value>, at: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(members)) = map.get("allOf")
                && members.len() > 1
                && members.iter().any(|m| is_closed(m, schemas))
            {
                out.push(at.to_string());
            }
            for (k, v) in map {
                closed_all_of(v, schemas, &format!("{at}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                closed_all_of(v, schemas, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn no_schema_extends_a_closed_schema() {
    let doc = generated();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut found = Vec::new();
    closed_all_of(&doc, schemas, "#", &mut found);
    assert!(found.is_empty(), "allOf over a closed schema can never be satisfied: {found:?}");
    // The responses that flatten their input list the input's fields themselves, and stay open.
    for (response, input) in [
        ("OrganisationResponse", "OrganisationInput"),
        ("SiteResponse", "SiteInput"),
        ("DepartmentResponse", "DepartmentInput"),
        ("PlacementResponse", "PlacementDetails"),
        ("ProfileResponse", "ProfileInput"),
    ] {
        let r = &schemas[response];
        assert_eq!(r["type"], "object", "{response}");
        assert!(r.get("additionalProperties").is_none(), "{response} is closed");
        for field in schemas[input]["properties"].as_object().unwrap().keys() {
            assert!(r["properties"].get(field).is_some(), "{response} lacks {field} of {input}");
        }
        for field in ["id", "version", "created_at", "updated_at"] {
            assert!(r["properties"].get(field).is_some(), "{response} lacks {field}");
        }
    }
}
