//! Collecting every broken rule of an input, each located by a JSON pointer.

use crate::error::FieldError;
use validator::{ValidationErrors, ValidationErrorsKind};

/// Turns the `validator` crate's nested report into flat field errors, sorted by field.
pub(crate) fn field_errors(result: Result<(), ValidationErrors>) -> Vec<FieldError> {
    let mut out = Vec::new();
    if let Err(errors) = result {
        collect(&errors, "", &mut out);
    }
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

fn collect(errors: &ValidationErrors, prefix: &str, out: &mut Vec<FieldError>) {
    for (field, kind) in errors.errors() {
        let path = format!("{prefix}/{field}");
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    let message = e.message.as_ref().map(|m| m.to_string()).unwrap_or_else(|| default_message(&e.code));
                    out.push(FieldError::new(path.clone(), e.code.to_string(), message));
                }
            }
            ValidationErrorsKind::Struct(inner) => collect(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect(inner, &format!("{path}/{index}"), out);
                }
            }
        }
    }
}

fn default_message(code: &str) -> String {
    match code {
        "length" => "This text is empty or too long.".to_string(),
        "range" => "This number is out of range.".to_string(),
        "email" => "This is not an email address.".to_string(),
        other => format!("This value is not valid ({other})."),
    }
}

/// Characters that show nothing: white space, controls, and Unicode's Default_Ignorable_Code_Point
/// set (zero-width spaces and joiners, word joiner, byte order mark, variation selectors, tags,
/// Hangul fillers, bidi controls ...).
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
            | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}')
}

/// Whether a person would see anything of `text`: a title of zero-width spaces is as blank as one
/// of spaces.
pub fn has_visible(text: &str) -> bool {
    !text.chars().all(is_invisible)
}

/// Text that must show something (not only spaces or invisible characters).
pub(crate) fn not_blank(value: &str) -> Result<(), validator::ValidationError> {
    if has_visible(value) {
        Ok(())
    } else {
        let mut e = validator::ValidationError::new("required");
        e.message = Some("This must not be empty, and must have a visible character.".into());
        Err(e)
    }
}

/// Optional text: empty (the same as leaving it out) or showing something.
pub(crate) fn visible_if_any(value: &str) -> Result<(), validator::ValidationError> {
    if value.is_empty() { Ok(()) } else { not_blank(value) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_text() {
        for blank in ["", "   ", "\u{200B}", "\u{FEFF}\u{00A0}\u{2060}", "\t\r\n", "\u{3164}\u{E0041}"] {
            assert!(!has_visible(blank), "{blank:?}");
        }
        for text in ["a", " x ", "\u{05D0}\u{200F}", "\u{1F3E5}", "\u{200B}1"] {
            assert!(has_visible(text), "{text:?}");
        }
        assert!(visible_if_any("").is_ok());
        assert!(visible_if_any("\u{200B}").is_err());
    }
}
