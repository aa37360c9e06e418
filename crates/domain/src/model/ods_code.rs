//! NHS Organisation Data Service codes.

use std::fmt;

/// An ODS code: 3 to 6 letters and digits, stored upper case (`RHM`, `A81001`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OdsCode(String);

impl OdsCode {
    /// Accepts any case, with white space around it.
    pub fn parse(input: &str) -> Option<Self> {
        let code = input.trim().to_ascii_uppercase();
        let valid = (3..=6).contains(&code.len()) && code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        valid.then_some(OdsCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OdsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_upper_case_letters_and_digits() {
        assert_eq!(OdsCode::parse(" rhm ").map(|c| c.to_string()).as_deref(), Some("RHM"));
        assert_eq!(OdsCode::parse("A81001").map(|c| c.to_string()).as_deref(), Some("A81001"));
        for bad in ["", "RH", "RHM1234", "R-HM", "ÄBC"] {
            assert_eq!(OdsCode::parse(bad), None, "{bad}");
        }
    }
}
