//! Email addresses, as people give them to be contacted.

use std::fmt;
use validator::ValidateEmail;

/// A syntactically valid email address (by the HTML specification's rule, as the `validator`
/// crate checks it), kept as given.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(input: &str) -> Option<Self> {
        // The same rule `#[validate(email)]` applied before the newtype existed, so the addresses
        // accepted are unchanged.
        input.validate_email().then(|| EmailAddress(input.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_addresses_and_refuses_the_rest() {
        assert_eq!(EmailAddress::parse("jo@example.org").map(|e| e.to_string()).as_deref(), Some("jo@example.org"));
        for bad in ["", "jo at example", "careers at school", "nope", "@example.org"] {
            assert_eq!(EmailAddress::parse(bad), None, "{bad}");
        }
    }
}
