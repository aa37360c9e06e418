//! UK postcodes and postcode districts (the outward code, such as `SO16` or `EC1A`).

use std::fmt;

/// A syntactically valid UK postcode, stored upper case with one space (`SO16 6YD`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Postcode(String);

/// A postcode district: the part of a postcode before the space (`SO16`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PostcodeDistrict(String);

fn is_outward(s: &[u8]) -> bool {
    let a = |c: &u8| c.is_ascii_uppercase();
    let d = |c: &u8| c.is_ascii_digit();
    // The six outward shapes: A9, A99, AA9, AA99, A9A, AA9A.
    match s {
        [x, y] => a(x) && d(y),
        [x, y, z] => a(x) && ((d(y) && d(z)) || (a(y) && d(z)) || (d(y) && a(z))),
        [w, x, y, z] => a(w) && a(x) && d(y) && (d(z) || a(z)),
        _ => false,
    }
}

impl Postcode {
    /// Accepts any case and spacing (`so166yd`, `SO16 6YD`).
    pub fn parse(input: &str) -> Option<Self> {
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        if compact == "GIR0AA" {
            return Some(Postcode("GIR 0AA".to_string()));
        }
        if compact.len() < 5 || compact.len() > 7 || !compact.is_ascii() {
            return None;
        }
        let (outward, inward) = compact.split_at(compact.len() - 3);
        let inward_ok = matches!(inward.as_bytes(), [d, x, y] if d.is_ascii_digit() && x.is_ascii_uppercase() && y.is_ascii_uppercase());
        (inward_ok && is_outward(outward.as_bytes())).then(|| Postcode(format!("{outward} {inward}")))
    }

    pub fn district(&self) -> PostcodeDistrict {
        PostcodeDistrict(self.0.split(' ').next().unwrap_or_default().to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl PostcodeDistrict {
    pub fn parse(input: &str) -> Option<Self> {
        let s = input.trim().to_ascii_uppercase();
        (s.is_ascii() && is_outward(s.as_bytes())).then_some(PostcodeDistrict(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for PostcodeDistrict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_outward_shape_in_any_case() {
        for (input, expected) in [
            ("so16 6yd", "SO16 6YD"),
            ("M1 1AE", "M1 1AE"),
            ("B33 8TH", "B33 8TH"),
            ("CR2 6XH", "CR2 6XH"),
            ("W1A 0AX", "W1A 0AX"),
            ("EC1A1BB", "EC1A 1BB"),
        ] {
            assert_eq!(Postcode::parse(input).map(|p| p.to_string()), Some(expected.to_string()), "{input}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_postcode() {
        for input in ["", "SO16", "12345", "SO16 YYD", "SOUTHAMPTON", "S016 6YD", "ÉC1A 1BB"] {
            assert_eq!(Postcode::parse(input), None, "{input}");
        }
    }

    #[test]
    fn district_is_the_outward_code() {
        let p = Postcode::parse("ec1a 1bb").map(|p| p.district());
        assert_eq!(p.as_ref().map(|d| d.as_str()), Some("EC1A"));
        assert_eq!(PostcodeDistrict::parse(" so16 ").map(|d| d.to_string()), Some("SO16".to_string()));
        assert_eq!(PostcodeDistrict::parse("SO16 6YD"), None);
    }
}
