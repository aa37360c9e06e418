//! Where production verification keys come from: PEM files, a JWKS file, or a JWKS URL that is
//! refreshed while the process runs. Exactly one may be set.

use std::path::PathBuf;
use std::time::Duration;

use crate::settings::{ConfigError, err, number};

/// Where production verification keys come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    PemFiles(Vec<PathBuf>),
    JwksFile(PathBuf),
    JwksUrl(JwksUrl),
}

/// A JWKS URL and how its keys are kept fresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwksUrl {
    pub url: String,
    /// How often the keys are fetched again regardless of tokens.
    pub refresh: Duration,
    /// The shortest time between two fetches caused by tokens naming an unknown key id.
    pub refresh_min: Duration,
    pub timeout: Duration,
}

const SOURCES: &str = "WEX_JWT_PUBLIC_KEYS, WEX_JWT_JWKS_FILE or WEX_JWT_JWKS_URL";

/// The key source the variables name, if any.
pub fn from_lookup(get: &dyn Fn(&str) -> Option<String>) -> Result<Option<KeySource>, ConfigError> {
    let set: Vec<&'static str> = ["WEX_JWT_PUBLIC_KEYS", "WEX_JWT_JWKS_FILE", "WEX_JWT_JWKS_URL"]
        .into_iter()
        .filter(|var| get(var).is_some())
        .collect();
    if let [_, second, ..] = set.as_slice() {
        return Err(err(second, format!("set only one of {SOURCES}; {} are set", set.join(" and "))));
    }
    if let Some(pems) = get("WEX_JWT_PUBLIC_KEYS") {
        let files: Vec<PathBuf> = crate::settings::list(&pems).into_iter().map(PathBuf::from).collect();
        if files.is_empty() {
            return Err(err("WEX_JWT_PUBLIC_KEYS", "expected a comma-separated list of PEM files"));
        }
        return Ok(Some(KeySource::PemFiles(files)));
    }
    if let Some(file) = get("WEX_JWT_JWKS_FILE") {
        return Ok(Some(KeySource::JwksFile(PathBuf::from(file))));
    }
    let Some(url) = get("WEX_JWT_JWKS_URL") else { return Ok(None) };
    let url = url.trim().to_string();
    check_url(&url).map_err(|why| err("WEX_JWT_JWKS_URL", why))?;
    Ok(Some(KeySource::JwksUrl(JwksUrl {
        url,
        refresh: Duration::from_secs(number(get, "WEX_JWT_JWKS_REFRESH_SECONDS", 900, 1, 86_400)?),
        refresh_min: Duration::from_secs(number(get, "WEX_JWT_JWKS_REFRESH_MIN_SECONDS", 30, 0, 3_600)?),
        timeout: Duration::from_secs(number(get, "WEX_JWT_JWKS_TIMEOUT_SECONDS", 5, 1, 60)?),
    })))
}

/// Keys fetched over plain HTTP could be swapped by anyone on the path, so only HTTPS is
/// accepted, except for a loopback host, which tests and a local key proxy use.
fn check_url(url: &str) -> Result<(), String> {
    let lower = url.to_ascii_lowercase();
    let (rest, https) = match (lower.strip_prefix("https://"), lower.strip_prefix("http://")) {
        (Some(rest), _) => (rest, true),
        (None, Some(rest)) => (rest, false),
        _ => return Err(format!("expected an https:// URL, got {url:?}")),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') {
        return Err(format!("expected an https:// URL with a host and no user name, got {url:?}"));
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    let loopback = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if https || loopback {
        Ok(())
    } else {
        Err(format!("keys must be fetched over https:// (http:// is allowed only for a loopback host), got {url:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn source(vars: &[(&str, &str)]) -> Result<Option<KeySource>, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        from_lookup(&|name| map.get(name).cloned())
    }

    #[test]
    fn a_jwks_url_has_refresh_defaults() {
        let s = source(&[("WEX_JWT_JWKS_URL", "https://auth.login.nhs.uk/.well-known/jwks.json")]).unwrap();
        let Some(KeySource::JwksUrl(jwks)) = s else { panic!("{s:?}") };
        assert_eq!(jwks.url, "https://auth.login.nhs.uk/.well-known/jwks.json");
        assert_eq!(jwks.refresh, Duration::from_secs(900));
        assert_eq!(jwks.refresh_min, Duration::from_secs(30));
        assert_eq!(jwks.timeout, Duration::from_secs(5));
    }

    #[test]
    fn plain_http_is_allowed_only_for_loopback_hosts() {
        for url in ["http://127.0.0.1:8443/jwks", "http://localhost/jwks", "http://[::1]:80/k", "HTTPS://idp.example"] {
            assert!(matches!(source(&[("WEX_JWT_JWKS_URL", url)]), Ok(Some(KeySource::JwksUrl(_)))), "{url}");
        }
        for url in [
            "http://idp.example/jwks",
            "http://127.0.0.1.evil.example/jwks",
            "http://localhost@idp.example/jwks",
            "ftp://idp.example/jwks",
            "https:///jwks",
            "idp.example/jwks",
        ] {
            assert_eq!(source(&[("WEX_JWT_JWKS_URL", url)]).unwrap_err().var, "WEX_JWT_JWKS_URL", "{url}");
        }
    }

    #[test]
    fn only_one_key_source_may_be_set() {
        let pem = ("WEX_JWT_PUBLIC_KEYS", "/k.pem");
        let file = ("WEX_JWT_JWKS_FILE", "/k.json");
        let url = ("WEX_JWT_JWKS_URL", "https://idp.example/jwks");
        for vars in [vec![pem, file], vec![pem, url], vec![file, url], vec![pem, file, url]] {
            let e = source(&vars).unwrap_err();
            assert!(e.message.contains(SOURCES), "{e}");
            for (var, _) in &vars {
                assert!(e.to_string().contains(var), "{e} names {var}");
            }
        }
        assert_eq!(source(&[file]).unwrap(), Some(KeySource::JwksFile(PathBuf::from("/k.json"))));
        assert_eq!(source(&[]).unwrap(), None);
    }

    #[test]
    fn refresh_intervals_are_bounded() {
        let url = ("WEX_JWT_JWKS_URL", "https://idp.example/jwks");
        for (var, value) in [
            ("WEX_JWT_JWKS_REFRESH_SECONDS", "0"),
            ("WEX_JWT_JWKS_REFRESH_MIN_SECONDS", "soon"),
            ("WEX_JWT_JWKS_TIMEOUT_SECONDS", "0"),
            ("WEX_JWT_JWKS_TIMEOUT_SECONDS", "600"),
        ] {
            assert_eq!(source(&[url, (var, value)]).unwrap_err().var, var, "{var}={value}");
        }
    }
}
