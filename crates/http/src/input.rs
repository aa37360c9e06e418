//! Rules every JSON body obeys whatever the endpoint, applied once in the body extractor so that no
//! endpoint can forget them: no key twice in an object, and text that a person can read.
//!
//! - Control characters (U+0000 to U+001F, U+007F to U+009F) are refused everywhere (PostgreSQL
//!   cannot store NUL, and none of them belongs in text people read), except tab, carriage return
//!   and line feed (and U+2028, U+2029) in the multi-line fields of [`MULTI_LINE`].
//! - Bidirectional overrides and isolates (U+202A to U+202E, U+2066 to U+2069) are refused: they
//!   make text display in an order other than the one stored ("Trojan Source").
//!
//! Text with no visible character is each field's own rule, in the domain (`has_visible`), so that
//! it is reported with the field's other rules.

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::fmt;
use wex_domain::FieldError;

/// The fields (by JSON member name, at any depth) that hold prose and may span lines. Every other
/// string is one line. A new multi-line field must be added here, so the rule fails safe.
pub const MULTI_LINE: &[&str] = &[
    "accessibility",
    "adjustments",
    "answer",
    "arrival_instructions",
    "breaks_and_food",
    "comments",
    "description",
    "dress_code",
    "reason",
    "support_available",
    "text",
    "travel_expenses",
    "travel_notes",
    "what_you_will_do",
    "what_you_will_not_do",
];

/// Why a body could not be read as JSON.
pub enum ParseError {
    /// Not JSON at all, at this line and column.
    Syntax { line: usize, column: usize },
    /// An object names this member twice (a JSON pointer to the second one).
    DuplicateKey(String),
}

/// Parses JSON text, refusing an object that names a member twice (at any depth). serde_json
/// would keep the last one silently, so `{"capacity": 2, "capacity": 999}` could pass a review of
/// the first and store the second.
pub fn parse_unique(bytes: &[u8]) -> Result<Value, ParseError> {
    let duplicate = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let parsed = Unique { path: String::new(), duplicate: &duplicate }.deserialize(&mut de).and_then(|v| {
        de.end()?;
        Ok(v)
    });
    match (parsed, duplicate.into_inner()) {
        (_, Some(pointer)) => Err(ParseError::DuplicateKey(pointer)),
        (Ok(value), None) => Ok(value),
        (Err(e), None) => Err(ParseError::Syntax { line: e.line(), column: e.column() }),
    }
}

/// Builds a `Value` like serde_json does, recording the pointer of the first duplicate member.
struct Unique<'a> {
    path: String,
    duplicate: &'a RefCell<Option<String>>,
}

impl<'de> DeserializeSeed<'de> for Unique<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Unique<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) =
            seq.next_element_seed(Unique { path: format!("{}/{}", self.path, items.len()), duplicate: self.duplicate })?
        {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = format!("{}/{}", self.path, escape(&key));
            if out.contains_key(&key) {
                *self.duplicate.borrow_mut() = Some(path);
                return Err(de::Error::custom("duplicate key"));
            }
            let value = map.next_value_seed(Unique { path, duplicate: self.duplicate })?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// A member name as a JSON pointer segment (RFC 6901).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn is_line_break_or_tab(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

/// What is wrong with one string, if anything, given whether its field may span lines.
pub fn text_problem(text: &str, multi_line: bool) -> Option<(&'static str, &'static str)> {
    if text.chars().any(|c| c.is_control() && !is_line_break_or_tab(c)) {
        return Some(("control_character", "This text holds a control character (such as NUL). Remove it."));
    }
    if !multi_line && text.chars().any(is_line_break_or_tab) {
        return Some(("control_character", "This field is one line: remove tabs and line breaks."));
    }
    if text.chars().any(is_bidi_control) {
        return Some((
            "bidi_control",
            "This text holds a bidirectional override or isolate (U+202A to U+202E, U+2066 to U+2069). Remove it.",
        ));
    }
    None
}

/// Every string of a JSON body that breaks the text rules, each located by a JSON pointer.
/// Member names are checked as one-line text too.
pub fn text_errors(value: &Value) -> Vec<FieldError> {
    let mut out = Vec::new();
    walk(value, "", false, &mut out);
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

fn walk(value: &Value, path: &str, multi_line: bool, out: &mut Vec<FieldError>) {
    match value {
        Value::String(text) => {
            if let Some((code, message)) = text_problem(text, multi_line) {
                out.push(FieldError::new(path, code, message));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{path}/{i}"), multi_line, out);
            }
        }
        Value::Object(members) => {
            for (key, item) in members {
                let field = format!("{path}/{}", escape(key));
                if let Some((code, message)) = text_problem(key, false) {
                    out.push(FieldError::new(field.clone(), code, message));
                }
                walk(item, &field, MULTI_LINE.contains(&key.as_str()), out);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn duplicate(text: &str) -> Option<String> {
        match parse_unique(text.as_bytes()) {
            Err(ParseError::DuplicateKey(p)) => Some(p),
            _ => None,
        }
    }

    #[test]
    fn duplicate_members_are_found_at_any_depth() {
        assert_eq!(duplicate(r#"{"capacity": 2, "title": "x", "capacity": 999}"#).as_deref(), Some("/capacity"));
        assert_eq!(duplicate(r#"{"a": [{"b": 1}, {"b": 1, "b": 2}]}"#).as_deref(), Some("/a/1/b"));
        assert_eq!(duplicate(r#"{"a/b": 1, "a/b": 1}"#).as_deref(), Some("/a~1b"));
        assert!(duplicate(r#"{"a": {"b": 1}, "b": {"a": 1}}"#).is_none());
        let value = parse_unique(br#"{"a": [1, -2, 3.5, true, null, "x"], "b": {}}"#).ok();
        assert_eq!(value, Some(json!({"a": [1, -2, 3.5, true, null, "x"], "b": {}})));
        assert!(matches!(parse_unique(b"{\"a\": 1} x"), Err(ParseError::Syntax { .. })));
        assert!(matches!(parse_unique(b"{\"a\": "), Err(ParseError::Syntax { .. })));
    }

    #[test]
    fn text_rules() {
        assert_eq!(text_problem("Ward\u{0}", true).map(|p| p.0), Some("control_character"));
        assert_eq!(text_problem("Ward\u{7f}", true).map(|p| p.0), Some("control_character"));
        assert_eq!(text_problem("line\nbreak", false).map(|p| p.0), Some("control_character"));
        assert_eq!(text_problem("line\r\nbreak\tand tab", true), None);
        assert_eq!(text_problem("abc\u{202E}fed", true).map(|p| p.0), Some("bidi_control"));
        assert_eq!(text_problem("\u{2067}x\u{2069}", false).map(|p| p.0), Some("bidi_control"));
        assert_eq!(text_problem("\u{200B}\u{FEFF} \u{00A0}", false), None, "blankness is each field's own rule");
        assert_eq!(text_problem("Ysbyty Gwynedd \u{2013} ward 3 \u{1F3E5}", false), None);
        assert_eq!(text_problem("\u{05E9}\u{05DC}\u{05D5}\u{05DD}\u{200F}", false), None, "marks stay allowed");
    }

    #[test]
    fn errors_point_at_each_string() {
        let body = json!({"title": "a\nb", "description": "a\nb", "preparation": {"dress_code": "\u{0}"},
            "questions": [{"text": "\u{85}"}], "site_id": null});
        let errors: Vec<(String, String)> = text_errors(&body).into_iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            errors,
            vec![
                ("/preparation/dress_code".to_string(), "control_character".to_string()),
                ("/questions/0/text".to_string(), "control_character".to_string()),
                ("/title".to_string(), "control_character".to_string()),
            ]
        );
    }
}
