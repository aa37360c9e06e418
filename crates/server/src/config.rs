//! Configuration from environment variables (see docs/configuration.md). A bad value stops
//! start-up with a message naming the variable.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use wex_http::CorsOrigins;
use wex_persistence::{Backend, backend_of, sqlite_path};

pub use crate::settings::{ConfigError, Mode};
use crate::settings::{err, list, number};

pub use crate::key_config::KeySource;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub bind: SocketAddr,
    pub mode: Mode,
    pub data_dir: PathBuf,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    pub keys: Option<KeySource>,
    pub admin_subjects: HashSet<String>,
    pub cors: CorsOrigins,
    pub pool_size: u32,
    pub db_timeout: Duration,
    /// While the database is unreachable, how often to try it again.
    pub db_probe_interval: Duration,
    /// PostgreSQL: keep statements prepared per connection (`WEX_DB_STATEMENT_CACHE`); off behind
    /// PgBouncer in transaction mode.
    pub statement_cache: bool,
    pub body_limit: usize,
    /// The body limit of bulk imports of placements.
    pub import_body_limit: usize,
    pub writes_per_minute: u32,
    pub max_active_applications: u32,
    /// Small-number suppression and disclosure control for reports.
    pub suppression: wex_domain::model::reports::suppression::Rules,
    /// Whether `WEX_DISCLOSURE_KEY` was set (otherwise the key is random for this process).
    /// How often the scheduler looks for placements to draw; 0 turns it off in `wex serve`.
    pub scheduler_interval: Duration,
    pub workers: Option<usize>,
    /// How messages are sent, and where their links point.
    pub email: crate::email_config::EmailConfig,
    /// Where clients reach this API (`WEX_PUBLIC_URL`): API clients address their assertions to
    /// its token endpoint.
    pub public_url: String,
    /// The secret access tokens of API clients are signed with (`WEX_CLIENT_TOKEN_SECRET`), the
    /// same in every process. The sandbox derives one from its own secret when none is set;
    /// production without one gives clients no tokens.
    pub client_token_secret: Option<String>,
    /// How long personal data is kept, and how often the scheduler applies that.
    pub retention: crate::retention_config::RetentionConfig,
    /// The bearer token `GET /metrics` asks for (`WEX_METRICS_TOKEN`). Without one the sandbox
    /// serves metrics to anyone and production does not serve them.
    pub metrics_token: Option<String>,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://./data/wex.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const SANDBOX_ISSUER: &str = "wex-sandbox";
pub const DEFAULT_AUDIENCE: &str = "wex-api";

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(&|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// Reads the configuration through `get`, so tests need not touch the process environment.
    pub fn from_lookup(get: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let database_url = get("WEX_DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
        let backend = backend_of(&database_url).map_err(|e| err("WEX_DATABASE_URL", e.to_string()))?;
        let bind_text = get("WEX_BIND").unwrap_or_else(|| DEFAULT_BIND.to_string());
        let bind = bind_text.parse().map_err(|_| {
            err("WEX_BIND", format!("expected an address and port such as 127.0.0.1:8080, got {bind_text:?}"))
        })?;
        let mode = match get("WEX_MODE").as_deref().map(str::trim) {
            None | Some("sandbox") => Mode::Sandbox,
            Some("production") => Mode::Production,
            Some(other) => return Err(err("WEX_MODE", format!("expected sandbox or production, got {other:?}"))),
        };
        let data_dir = match get("WEX_DATA_DIR") {
            Some(dir) => PathBuf::from(dir),
            None => match backend {
                Backend::Sqlite => sqlite_path(&database_url)
                    .and_then(|p| std::path::Path::new(p).parent())
                    .filter(|p| !p.as_os_str().is_empty())
                    .map_or_else(|| PathBuf::from("."), PathBuf::from),
                Backend::Postgres => PathBuf::from("./data"),
            },
        };
        let keys = crate::key_config::from_lookup(get)?;
        let jwt_issuer = match (mode, get("WEX_JWT_ISSUER")) {
            (_, Some(iss)) => iss,
            (Mode::Sandbox, None) => SANDBOX_ISSUER.to_string(),
            (Mode::Production, None) => {
                return Err(err("WEX_JWT_ISSUER", "production mode needs the identity provider's issuer"));
            }
        };
        if mode == Mode::Production && keys.is_none() {
            return Err(err(
                "WEX_JWT_PUBLIC_KEYS",
                "production mode needs verification keys: set WEX_JWT_PUBLIC_KEYS (PEM files), \
                 WEX_JWT_JWKS_FILE or WEX_JWT_JWKS_URL",
            ));
        }
        let cors = match get("WEX_CORS_ALLOWED_ORIGINS") {
            Some(v) if v.trim() == "*" => CorsOrigins::Any,
            Some(v) => {
                let origins = list(&v);
                if let Some(bad) = origins.iter().find(|o| !(o.starts_with("https://") || o.starts_with("http://"))) {
                    return Err(err(
                        "WEX_CORS_ALLOWED_ORIGINS",
                        format!("{bad:?} is not an origin such as https://example.org"),
                    ));
                }
                CorsOrigins::List(origins)
            }
            None if mode == Mode::Sandbox => CorsOrigins::Any,
            None => CorsOrigins::List(Vec::new()),
        };
        let public_url = match get("WEX_PUBLIC_URL") {
            None => format!("http://{bind}"),
            Some(url) if url.starts_with("https://") || (mode == Mode::Sandbox && url.starts_with("http://")) => {
                url.trim_end_matches('/').to_string()
            }
            Some(url) => {
                return Err(err(
                    "WEX_PUBLIC_URL",
                    format!("{url:?} is not an https:// URL (http:// only in the sandbox)"),
                ));
            }
        };
        let client_token_secret = match get("WEX_CLIENT_TOKEN_SECRET") {
            Some(secret) if secret.trim().chars().count() < 32 => {
                return Err(err("WEX_CLIENT_TOKEN_SECRET", "give a secret of at least 32 characters"));
            }
            other => other.map(|s| s.trim().to_string()),
        };
        let metrics_token = match get("WEX_METRICS_TOKEN") {
            Some(token) if token.trim().chars().count() < 32 => {
                return Err(err("WEX_METRICS_TOKEN", "give a token of at least 32 characters"));
            }
            other => other.map(|t| t.trim().to_string()),
        };
        Ok(Config {
            public_url,
            client_token_secret,
            metrics_token,
            database_url,
            bind,
            mode,
            data_dir,
            jwt_issuer,
            jwt_audience: get("WEX_JWT_AUDIENCE").unwrap_or_else(|| DEFAULT_AUDIENCE.to_string()),
            keys,
            admin_subjects: get("WEX_ADMIN_SUBJECTS").map(|v| list(&v).into_iter().collect()).unwrap_or_default(),
            cors,
            pool_size: number(get, "WEX_DB_POOL_SIZE", 8, 1, 200)?,
            db_timeout: Duration::from_secs(number(get, "WEX_DB_TIMEOUT_SECONDS", 5, 1, 120)?),
            db_probe_interval: Duration::from_millis(number(
                get,
                "WEX_DB_PROBE_INTERVAL_MS",
                wex_persistence::DEFAULT_PROBE_INTERVAL_MS,
                10,
                60_000,
            )?),
            statement_cache: match get("WEX_DB_STATEMENT_CACHE").as_deref().map(str::trim) {
                None | Some("on") => true,
                Some("off") => false,
                Some(other) => return Err(err("WEX_DB_STATEMENT_CACHE", format!("expected on or off, got {other:?}"))),
            },
            body_limit: number(get, "WEX_BODY_LIMIT_BYTES", 64 * 1024, 1024, 16 * 1024 * 1024)?,
            import_body_limit: number(
                get,
                "WEX_IMPORT_BODY_LIMIT_BYTES",
                wex_http::extract::DEFAULT_IMPORT_BODY_LIMIT,
                1024,
                64 * 1024 * 1024,
            )?,
            writes_per_minute: number(get, "WEX_RATE_LIMIT_WRITES_PER_MINUTE", 120, 0, 1_000_000)?,
            max_active_applications: number(get, "WEX_MAX_ACTIVE_APPLICATIONS", 10, 1, 1000)?,
            suppression: wex_domain::model::reports::suppression::Rules {
                min_shown: number(get, "WEX_SUPPRESSION_MIN_COUNT", 8, 1, 1000)?,
                round_to: number(get, "WEX_SUPPRESSION_ROUND_TO", 5, 1, 100)?,
                min_population: number(get, "WEX_DISCLOSURE_MIN_POPULATION", 20, 10, 100_000)?,
                key: match get("WEX_DISCLOSURE_KEY") {
                    Some(secret) if secret.trim().chars().count() < 32 => {
                        return Err(err("WEX_DISCLOSURE_KEY", "give a secret of at least 32 characters"));
                    }
                    Some(secret) => wex_domain::model::reports::suppression::NoiseKey::from_secret(secret.trim()),
                    // A random key per process would let anyone average the noise away by comparing
                    // processes or restarts: acceptable in a sandbox, refused in production.
                    None if mode == Mode::Production => {
                        return Err(err(
                            "WEX_DISCLOSURE_KEY",
                            "production mode needs a secret of at least 32 characters, the same for every process",
                        ));
                    }
                    None => wex_domain::model::reports::suppression::NoiseKey::random()
                        .map_err(|e| err("WEX_DISCLOSURE_KEY", format!("no randomness for a key: {e}")))?,
                },
            },
            scheduler_interval: Duration::from_secs(number(get, "WEX_SCHEDULER_INTERVAL_SECONDS", 30, 0, 86_400)?),
            workers: match get("WEX_WORKERS") {
                None => None,
                Some(_) => Some(number(get, "WEX_WORKERS", 1, 1, 256)?),
            },
            email: crate::email_config::from_lookup(get, mode)?,
            retention: crate::retention_config::from_lookup(get)?,
        })
    }

    /// The database URL with any password hidden, for logs and error messages.
    pub fn database_url_for_display(&self) -> String {
        redact(&self.database_url)
    }
}

fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(&|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_are_sandbox_on_sqlite() {
        let c = config(&[]).unwrap();
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(c.bind.to_string(), DEFAULT_BIND);
        assert_eq!(c.mode, Mode::Sandbox);
        assert_eq!(c.data_dir, PathBuf::from("./data"));
        assert_eq!(c.jwt_issuer, SANDBOX_ISSUER);
        assert_eq!(c.cors, CorsOrigins::Any);
        assert_eq!(c.body_limit, 65536);
        assert_eq!(c.import_body_limit, 5 * 1024 * 1024);
        // The breaker's probe interval keeps the promise of answering within a second of the outage.
        assert_eq!(c.db_probe_interval, std::time::Duration::from_millis(100));
        let c = config(&[("WEX_DB_PROBE_INTERVAL_MS", "250")]).unwrap();
        assert_eq!(c.db_probe_interval, std::time::Duration::from_millis(250));
        assert!(c.statement_cache);
        assert!(!config(&[("WEX_DB_STATEMENT_CACHE", "off")]).unwrap().statement_cache);
    }

    #[test]
    fn bad_values_name_their_variable() {
        for (var, value) in [
            ("WEX_BIND", "localhost"),
            ("WEX_MODE", "staging"),
            ("WEX_DATABASE_URL", "mysql://x"),
            ("WEX_DATABASE_URL", "sqlite://:memory:"),
            ("WEX_DB_POOL_SIZE", "0"),
            ("WEX_DB_PROBE_INTERVAL_MS", "0"),
            ("WEX_DB_STATEMENT_CACHE", "no"),
            ("WEX_BODY_LIMIT_BYTES", "lots"),
            ("WEX_IMPORT_BODY_LIMIT_BYTES", "512"),
            ("WEX_CORS_ALLOWED_ORIGINS", "example.org"),
            ("WEX_DISCLOSURE_MIN_POPULATION", "5"),
            ("WEX_DISCLOSURE_KEY", "too short"),
            ("WEX_METRICS_TOKEN", "too short"),
        ] {
            assert_eq!(config(&[(var, value)]).unwrap_err().var, var, "{var}={value}");
        }
    }

    #[test]
    fn production_needs_an_issuer_and_keys() {
        assert_eq!(config(&[("WEX_MODE", "production")]).unwrap_err().var, "WEX_JWT_ISSUER");
        let e = config(&[("WEX_MODE", "production"), ("WEX_JWT_ISSUER", "https://idp")]).unwrap_err();
        assert_eq!(e.var, "WEX_JWT_PUBLIC_KEYS");
        let keys = [("WEX_MODE", "production"), ("WEX_JWT_ISSUER", "https://idp"), ("WEX_JWT_JWKS_FILE", "/k.json")];
        assert_eq!(config(&keys).unwrap_err().var, "WEX_DISCLOSURE_KEY");
        let keys = [keys.as_slice(), &[("WEX_DISCLOSURE_KEY", "0123456789abcdef0123456789abcdef")]].concat();
        assert_eq!(config(&keys).unwrap_err().var, "WEX_NOTIFY_API_KEY");
        let mail = [("WEX_SMTP_URL", "smtp://127.0.0.1:25"), ("WEX_EMAIL_FROM", "wex@example.org")];
        let mail = [mail.as_slice(), &[("WEX_FRONTEND_BASE_URL", "https://wex.example")]].concat();
        let c = config(&[keys, mail].concat()).unwrap();
        assert_eq!(c.keys, Some(KeySource::JwksFile(PathBuf::from("/k.json"))));
        assert_eq!(c.cors, CorsOrigins::List(vec![]));
    }

    #[test]
    fn passwords_are_hidden_from_display() {
        assert_eq!(redact("postgres://wex:secret@db:5432/wex"), "postgres://wex:***@db:5432/wex");
        assert_eq!(redact("postgres://wex@db/wex"), "postgres://wex@db/wex");
        assert_eq!(redact("sqlite://./data/wex.db"), "sqlite://./data/wex.db");
    }
}
