//! Errors per use case: each use case names an enum of exactly the failures it can return, each
//! variant with its [`Code`] (code, kind, field). The edge maps any [`UseCaseError`] to a problem in
//! one place, and the OpenAPI document lists each operation's codes from [`UseCaseError::codes`],
//! so the documented codes cannot drift from the returned ones.
//!
//! Declare one with [`use_case_error!`](crate::use_case_error): a variant `Name(Payload) = CODE`
//! is a failure of the use case's own with that code (the payload, `()`, `String` or
//! `Vec<FieldError>`, gives its message or field errors); a variant `Name(Shared)` wraps a shared
//! failure (`NotFound`, `StoreError`, `Invalid`, `Illegal`, a `Forbidden` role) that knows its own
//! codes, and converts with `From` so that `?` keeps working.

use crate::codes::{self, Code, Status};
pub use crate::error::NotFound;
use crate::error::{DomainError, FieldError, StoreError};

/// A use case's failure, as the edge needs it.
pub trait UseCaseError: std::fmt::Debug {
    /// Every code this error can be: what the OpenAPI document lists for the operation.
    fn codes() -> Vec<&'static Code>
    where
        Self: Sized;
    /// The code of this failure.
    fn code(&self) -> &'static Code;
    /// The detail to send; `None` sends the code's own.
    fn message(&self) -> Option<String> {
        None
    }
    /// The fields involved, each with a JSON pointer into the request.
    fn field_errors(&self) -> Vec<FieldError> {
        Vec::new()
    }
    /// The store failure behind this one, whose cause the edge logs and never sends.
    fn store_error(&self) -> Option<&StoreError> {
        None
    }
}

/// What a failure of a use case's own carries besides its code.
pub trait Detail {
    fn message(&self) -> Option<String> {
        None
    }
    fn errors(&self) -> Vec<FieldError> {
        Vec::new()
    }
}

/// The code's own detail.
impl Detail for () {}

/// A message in the use case's words (naming the status it found, for example).
impl Detail for String {
    fn message(&self) -> Option<String> {
        Some(self.clone())
    }
}

/// The fields involved, with the code's own detail.
impl Detail for Vec<FieldError> {
    fn errors(&self) -> Vec<FieldError> {
        self.clone()
    }
}

/// The field errors of a failure of a use case's own: the code's field, if it names one (so that a
/// refusal points at what to fix), else whatever the payload lists.
pub fn own_errors(code: &'static Code, detail: &impl Detail) -> Vec<FieldError> {
    match code.field {
        Some(field) => {
            let message = detail.message().unwrap_or_else(|| code.detail.to_string());
            vec![FieldError::new(field, code.code, message)]
        }
        None => detail.errors(),
    }
}

impl UseCaseError for NotFound {
    fn codes() -> Vec<&'static Code> {
        vec![&codes::NOT_FOUND]
    }
    fn code(&self) -> &'static Code {
        &codes::NOT_FOUND
    }
}

/// Well-formed input that breaks rules: every broken rule, each with its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn one(field: &str, code: &str, message: &str) -> Self {
        Invalid(vec![FieldError::new(field, code, message)])
    }
}

impl UseCaseError for Invalid {
    fn codes() -> Vec<&'static Code> {
        vec![&codes::VALIDATION_FAILED]
    }
    fn code(&self) -> &'static Code {
        &codes::VALIDATION_FAILED
    }
    fn field_errors(&self) -> Vec<FieldError> {
        self.0.clone()
    }
}

impl From<Invalid> for DomainError {
    fn from(e: Invalid) -> Self {
        DomainError::Invalid(e.0)
    }
}

/// A store failure: `?` on a store call. A version clash is `412 version_mismatch` (the edge makes
/// it `409 conflict` when the request sent no `If-Match`).
impl UseCaseError for StoreError {
    fn codes() -> Vec<&'static Code> {
        vec![
            &codes::NOT_FOUND,
            &codes::CONFLICT,
            &codes::VERSION_MISMATCH,
            &codes::DATABASE_UNAVAILABLE,
            &codes::INTERNAL_ERROR,
        ]
    }
    fn code(&self) -> &'static Code {
        match self {
            StoreError::NotFound => &codes::NOT_FOUND,
            StoreError::Duplicate => &codes::CONFLICT,
            StoreError::VersionConflict => &codes::VERSION_MISMATCH,
            StoreError::Unavailable(_) => &codes::DATABASE_UNAVAILABLE,
            StoreError::Internal(_) => &codes::INTERNAL_ERROR,
        }
    }
    fn store_error(&self) -> Option<&StoreError> {
        Some(self)
    }
}

/// Any code at all: the error of the use cases not yet given an enum of their own.
impl UseCaseError for DomainError {
    fn codes() -> Vec<&'static Code> {
        codes::ALL.to_vec()
    }
    fn code(&self) -> &'static Code {
        match self {
            DomainError::Invalid(_) => &codes::VALIDATION_FAILED,
            DomainError::Rule { code, .. } | DomainError::Forbidden(code) => code,
            DomainError::NotFound => &codes::NOT_FOUND,
            DomainError::PreconditionRequired => &codes::PRECONDITION_REQUIRED,
            DomainError::PreconditionFailed => &codes::VERSION_MISMATCH,
            // Reported as such (not via `?`, which makes a version clash a 412): a clash that
            // outlived retries, or a broken uniqueness rule.
            DomainError::Store(StoreError::VersionConflict) => &codes::CONFLICT,
            DomainError::Store(e) => e.code(),
        }
    }
    fn message(&self) -> Option<String> {
        match self {
            DomainError::Rule { message, .. } => Some(message.clone()),
            _ => None,
        }
    }
    fn field_errors(&self) -> Vec<FieldError> {
        match self {
            DomainError::Invalid(errors) | DomainError::Rule { errors, .. } => errors.clone(),
            _ => Vec::new(),
        }
    }
    fn store_error(&self) -> Option<&StoreError> {
        match self {
            DomainError::Store(e) => Some(e),
            _ => None,
        }
    }
}

/// Declares a use case's error enum and its [`UseCaseError`] impl; see the module's documentation.
#[macro_export]
macro_rules! use_case_error {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident ( $payload:ty ) $(= $code:path)? ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant($payload), )+
        }

        impl $crate::use_case_error::UseCaseError for $name {
            fn codes() -> Vec<&'static $crate::codes::Code> {
                let mut all = Vec::new();
                $( all.extend($crate::use_case_error!(@codes $payload $(, $code)?)); )+
                all.sort_by_key(|c| c.code);
                all.dedup_by_key(|c| c.code);
                all
            }
            fn code(&self) -> &'static $crate::codes::Code {
                match self {
                    $( Self::$variant(_p) => $crate::use_case_error!(@code _p $(, $code)?), )+
                }
            }
            fn message(&self) -> Option<String> {
                match self {
                    $( Self::$variant(_p) => $crate::use_case_error!(@message _p $(, $code)?), )+
                }
            }
            fn field_errors(&self) -> Vec<$crate::error::FieldError> {
                match self {
                    $( Self::$variant(_p) => $crate::use_case_error!(@errors _p $(, $code)?), )+
                }
            }
            fn store_error(&self) -> Option<&$crate::error::StoreError> {
                match self {
                    $( Self::$variant(_p) => $crate::use_case_error!(@store _p $(, $code)?), )+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                use $crate::use_case_error::UseCaseError;
                f.write_str(self.code().code)
            }
        }

        impl std::error::Error for $name {}

        impl From<$name> for $crate::error::DomainError {
            fn from(e: $name) -> Self {
                $crate::error::DomainError::widen(&e)
            }
        }

        $( $crate::use_case_error!(@from $name $variant $payload $(, $code)?); )+
    };
    (@codes $payload:ty, $code:path) => { [&$code] };
    (@codes $payload:ty) => { <$payload as $crate::use_case_error::UseCaseError>::codes() };
    (@code $p:ident, $code:path) => { &$code };
    (@code $p:ident) => { $crate::use_case_error::UseCaseError::code($p) };
    (@message $p:ident, $code:path) => { $crate::use_case_error::Detail::message($p) };
    (@message $p:ident) => { $crate::use_case_error::UseCaseError::message($p) };
    (@errors $p:ident, $code:path) => { $crate::use_case_error::own_errors(&$code, $p) };
    (@errors $p:ident) => { $crate::use_case_error::UseCaseError::field_errors($p) };
    (@store $p:ident, $code:path) => { None };
    (@store $p:ident) => { $crate::use_case_error::UseCaseError::store_error($p) };
    (@from $name:ident $variant:ident $payload:ty, $code:path) => {};
    (@from $name:ident $variant:ident $payload:ty) => {
        impl From<$payload> for $name {
            fn from(e: $payload) -> Self {
                Self::$variant(e)
            }
        }
    };
}

impl DomainError {
    /// Any use case's failure as the wide error, the same on the wire: for a handler that runs the
    /// use case beside other work in one session.
    pub fn widen(e: &impl UseCaseError) -> Self {
        let code = e.code();
        if let Some(store) = e.store_error() {
            return DomainError::from(store.clone());
        }
        match code.status {
            Status::NotFound => DomainError::NotFound,
            Status::PreconditionFailed => DomainError::PreconditionFailed,
            Status::PreconditionRequired => DomainError::PreconditionRequired,
            _ => DomainError::Rule {
                code,
                message: e.message().unwrap_or_else(|| code.detail.to_string()),
                errors: e.field_errors(),
            },
        }
    }
}
