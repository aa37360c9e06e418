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
        if op.get("requestBody").is_some() {
            for status in ["400", "413", "415"] {
                assert!(responses.contains_key(status), "{name}: {status} not documented");
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
            if status.starts_with('4') || status.starts_with('5') {
                assert!(
                    response["content"]["application/problem+json"].is_object(),
                    "{name}: {status} is not problem+json"
                );
            }
        }
    }
}

#[test]
fn every_path_is_versioned_except_health() {
    let doc = generated();
    for path in doc["paths"].as_object().unwrap().keys() {
        assert!(path.starts_with("/v1/") || path.starts_with("/health/"), "{path}");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer");
}

#[test]
fn only_the_draw_record_reveals_a_seed() {
    let doc = generated();
    let with_seed: Vec<&String> = doc["components"]["schemas"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, schema)| schema.to_string().contains("\"seed\""))
        .map(|(name, _)| name)
        .collect();
    assert_eq!(with_seed, vec!["DrawRecordResponse"], "a schema other than the draw record exposes a seed");
}
