//! Rewrites of the generated OpenAPI document that utoipa's annotations cannot express: object
//! schemas instead of `allOf`s, and the pattern that says free-text parameters take no control
//! characters. Applied by [`crate::openapi`] as modifiers.

use serde_json::{Map, Value};
use utoipa::Modify;
use utoipa::openapi::RefOr;
use utoipa::openapi::path::ParameterIn;
use utoipa::openapi::schema::{Schema, SchemaType, Type};

/// Rewrites every component schema that is an `allOf` of objects (what utoipa makes of
/// `#[serde(flatten)]`) as one object listing all their properties. Response types flatten their
/// input type, and inputs are closed (`additionalProperties: false`), so the `allOf` could never be
/// satisfied by a real response; the flattened object describes exactly what is sent. Inputs stay
/// closed in their own schemas.
pub(crate) struct FlattenAllOf;

/// The object schema `member` stands for: itself, or the component it refers to.
fn resolve<'a>(member: &'a Value, components: &'a Map<String, Value>) -> Option<&'a Value> {
    let target = match member.get("$ref").and_then(Value::as_str) {
        Some(reference) => components.get(reference.strip_prefix("#/components/schemas/")?)?,
        None => member,
    };
    (target.get("type") == Some(&Value::from("object")) && target.get("allOf").is_none()).then_some(target)
}

/// One object with the properties and required fields of every member, or `None` when a member is
/// not a plain object.
fn flatten(schema: &Value, components: &Map<String, Value>) -> Option<Value> {
    let members = schema.get("allOf")?.as_array()?;
    let mut properties = Map::new();
    let mut required: Vec<Value> = Vec::new();
    let mut description = schema.get("description").cloned();
    for member in members {
        let object = resolve(member, components)?;
        if let Some(props) = object.get("properties").and_then(Value::as_object) {
            properties.extend(props.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        for name in object.get("required").and_then(Value::as_array).into_iter().flatten() {
            if !required.contains(name) {
                required.push(name.clone());
            }
        }
        // A referenced member's description is about that other type (the input), not this one.
        if member.get("$ref").is_none() {
            description = description.or_else(|| object.get("description").cloned());
        }
    }
    let mut flat = Map::new();
    flat.insert("type".into(), "object".into());
    if let Some(description) = description {
        flat.insert("description".into(), description);
    }
    if !required.is_empty() {
        flat.insert("required".into(), Value::Array(required));
    }
    flat.insert("properties".into(), Value::Object(properties));
    Some(Value::Object(flat))
}

/// Flattens `value` and everything inside it (generic lists inline their item schema).
fn flatten_within(value: &mut Value, components: &Map<String, Value>) {
    if let Some(flat) = flatten(value, components) {
        *value = flat;
    }
    match value {
        Value::Object(map) => map.values_mut().for_each(|v| flatten_within(v, components)),
        Value::Array(items) => items.iter_mut().for_each(|v| flatten_within(v, components)),
        _ => {}
    }
}

impl Modify for FlattenAllOf {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let Some(components) = openapi.components.as_mut() else { return };
        let Ok(Value::Object(all)) = serde_json::to_value(&components.schemas) else { return };
        for (name, schema) in &all {
            let mut schema = schema.clone();
            flatten_within(&mut schema, &all);
            if let Ok(schema) = serde_json::from_value::<RefOr<Schema>>(schema) {
                components.schemas.insert(name.clone(), schema);
            }
        }
    }
}

/// No control character (C0, DEL or C1), in the regular-expression dialect of JSON Schema.
const PRINTABLE: &str = r"^[^\u0000-\u001F\u007F-\u009F]*$";

/// Gives every free-text path and query parameter the pattern `PRINTABLE`. The server refuses
/// control characters there (`400 invalid_path`, `400 invalid_query_parameter`: see `routing.rs`),
/// so the document says so, and a client or test generator never takes such a value for valid.
pub(crate) struct PrintableParameters;

impl Modify for PrintableParameters {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let ops = [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
            for op in ops.into_iter().flatten() {
                for param in op.parameters.iter_mut().flatten() {
                    let RefOr::T(param) = param else { continue };
                    if !matches!(param.parameter_in, ParameterIn::Path | ParameterIn::Query) {
                        continue;
                    }
                    if let Some(RefOr::T(Schema::Object(object))) = &mut param.schema
                        && object.schema_type == SchemaType::Type(Type::String)
                        && object.format.is_none()
                        && object.enum_values.is_none()
                        && object.pattern.is_none()
                    {
                        object.pattern = Some(PRINTABLE.to_string());
                    }
                }
            }
        }
    }
}
