//! What goes over the wire: the request and response types of the API, with their serde and
//! OpenAPI attributes, and their conversions to and from the domain's types. The domain's types
//! carry no wire attributes; a schema's name and shape here is the name and shape in
//! `openapi/openapi.json`.

/// `From<$from> for $to`, field by field: moved as it is by default; `into` for a value that
/// converts, `vec` for a list and `opt` for an option of them; `text` (and `opt_text`) for a
/// parsed value (an email address, a postcode, an ODS code) written back as text.
macro_rules! mirror {
    (@ $e:expr) => { $e };
    (@ $e:expr, into) => { $e.into() };
    (@ $e:expr, vec) => { $e.into_iter().map(Into::into).collect() };
    (@ $e:expr, opt) => { $e.map(Into::into) };
    (@ $e:expr, some) => { Some($e) };
    (@ $e:expr, text) => { $e.to_string() };
    (@ $e:expr, opt_text) => { $e.map(|v| v.to_string()) };
    ($from:ty => $to:path { $($field:ident $(: $how:ident)?),* $(,)? }) => {
        impl From<$from> for $to {
            fn from(d: $from) -> Self {
                Self { $($field: mirror!(@ d.$field $(, $how)?)),* }
            }
        }
    };
}

pub mod applications;
pub mod audit;
pub mod codes;
pub mod organisations;
pub mod participation;
pub mod placements;
pub mod profiles;
pub mod reports;
