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

/// Text that must contain something other than spaces.
pub(crate) fn not_blank(value: &str) -> Result<(), validator::ValidationError> {
    if value.trim().is_empty() {
        let mut e = validator::ValidationError::new("required");
        e.message = Some("This must not be empty.".into());
        Err(e)
    } else {
        Ok(())
    }
}
