//! The access log's request line, with nothing in it that could identify a person: no peer
//! address, the values of query parameters only where they are codes, dates, ids of things or
//! paging (a search's `q`, `postcode_district`, `age` or `user_group` says something about the
//! person searching), and path segments that are not ids of things (a host's subject, a
//! certificate's code) logged as their template name.

use actix_web::dev::ServiceRequest;

/// Query parameters whose values say nothing about a person.
const SHOWN: &[&str] = &[
    "action",
    "after",
    "by",
    "cursor",
    "delivery",
    "dimension",
    "from",
    "kind",
    "limit",
    "open_now",
    "order",
    "organisation_id",
    "region",
    "specialty",
    "start_from",
    "start_to",
    "status",
    "to",
    "types",
];

/// `METHOD /path?query`, redacted as the module says.
pub fn request_line(req: &ServiceRequest) -> String {
    let path = match crate::route_pattern::pattern_of(req) {
        Some(pattern) => redacted_path(&pattern, req.path()),
        None => "(no route)".to_string(),
    };
    let query = redacted_query(req.query_string());
    let query = if query.is_empty() { String::new() } else { format!("?{query}") };
    format!("{} {path}{query}", req.method())
}

/// The path with each `{parameter}` segment shown when it is an id of a thing (`{..._id}`), and as
/// its template name otherwise.
fn redacted_path(pattern: &str, path: &str) -> String {
    let names: Vec<&str> = pattern.split('/').collect();
    path.split('/')
        .enumerate()
        .map(|(i, segment)| match names.get(i) {
            Some(name) if name.starts_with('{') && !name.ends_with("_id}") => (*name).to_string(),
            _ => segment.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn redacted_query(query: &str) -> String {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            if SHOWN.contains(&name) { format!("{name}={value}") } else { format!("{name}=-") }
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_values_stay_out_of_the_log() {
        let q = redacted_query(
            "q=Jo+Bloggs&postcode_district=SW1A&age=15&user_group=care_experienced&limit=20&kind=t_level",
        );
        assert_eq!(q, "q=-&postcode_district=-&age=-&user_group=-&limit=20&kind=t_level");
        assert_eq!(redacted_query(""), "");
        let pattern = "/v1/placements/{placement_id}/hosts/{subject}";
        let path = "/v1/placements/0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b/hosts/jo.bloggs@example.org";
        assert_eq!(redacted_path(pattern, path), "/v1/placements/0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b/hosts/{subject}");
        assert_eq!(redacted_path("/v1/certificates/{code}", "/v1/certificates/ABCD2345"), "/v1/certificates/{code}");
    }
}
