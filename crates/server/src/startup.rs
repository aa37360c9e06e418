//! Turning configuration into running parts: the pool (migrated), the authenticator, the server.

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use actix_web::{HttpServer, web};
use wex_http::auth::{Authenticator, JwksSettings, RemoteKeys, VerifyKey, key_from_pem, keys_from_jwks};
use wex_http::client_tokens::ClientTokens;
use wex_http::{AppState, HttpSettings};
use wex_persistence::{DbStore, PoolOptions, run_migrations};

use wex_domain::ports::Store;
use wex_mail::{ClockSource, HttpWebhookSender, WebhookWorker, Worker};

use crate::config::{Config, KeySource, Mode};
use crate::email_config;
use crate::key_config::JwksUrl;

const SANDBOX_SECRET_FILE: &str = "sandbox-jwt-secret";

/// Connects, migrates and returns the store. Start-up fails clearly if the database is unreachable.
pub fn store(config: &Config) -> Result<DbStore, String> {
    let url = config.database_url_for_display();
    let options = PoolOptions {
        max_size: config.pool_size,
        connection_timeout: config.db_timeout,
        probe_interval: config.db_probe_interval,
        statement_cache: config.statement_cache,
        ..PoolOptions::default()
    };
    let store = DbStore::open(&config.database_url, &options).map_err(|e| format!("WEX_DATABASE_URL ({url}): {e}"))?;
    let mut conn =
        store.pool().get().map_err(|e| format!("WEX_DATABASE_URL: cannot connect to the database at {url}: {e}"))?;
    let ran = run_migrations(&mut conn)
        .map_err(|e| format!("WEX_DATABASE_URL: cannot migrate the database at {url}: {e}"))?;
    if ran > 0 {
        log::info!("applied {ran} migration(s) to {url}");
    }
    drop(conn);
    Ok(store)
}

/// Reads the sandbox secret, creating it on first run (readable by this user only).
fn sandbox_secret(dir: &Path) -> Result<Vec<u8>, String> {
    let path = dir.join(SANDBOX_SECRET_FILE);
    let describe = |e: std::io::Error| format!("WEX_DATA_DIR ({}): {e}", path.display());
    if !path.exists() {
        fs::create_dir_all(dir).map_err(describe)?;
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| format!("no randomness for the sandbox secret: {e}"))?;
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&path) {
            Ok(mut file) => file.write_all(hex::encode(bytes).as_bytes()).map_err(describe)?,
            // Another process created it first: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(describe(e)),
        }
    }
    let text = fs::read_to_string(&path).map_err(describe)?;
    hex::decode(text.trim())
        .ok()
        .filter(|b| b.len() >= 32)
        .ok_or_else(|| format!("{}: not a 64-character hex secret; delete it to make a new one", path.display()))
}

fn production_keys(source: &KeySource) -> Result<Vec<VerifyKey>, String> {
    match source {
        KeySource::PemFiles(files) => files
            .iter()
            .map(|f| {
                let pem = fs::read(f).map_err(|e| format!("WEX_JWT_PUBLIC_KEYS: cannot read {}: {e}", f.display()))?;
                key_from_pem(&pem, None).map_err(|e| format!("WEX_JWT_PUBLIC_KEYS: {}: {e}", f.display()))
            })
            .collect(),
        KeySource::JwksFile(f) => {
            let json =
                fs::read_to_string(f).map_err(|e| format!("WEX_JWT_JWKS_FILE: cannot read {}: {e}", f.display()))?;
            keys_from_jwks(&json).map_err(|e| format!("WEX_JWT_JWKS_FILE: {}: {e}", f.display()))
        }
        KeySource::JwksUrl(_) => Err("WEX_JWT_JWKS_URL: keys from a URL are fetched by `remote_keys`".to_string()),
    }
}

/// The first fetch of the keys at a JWKS URL. Production refuses to start without it: with no keys
/// every request would be refused, and a process that looked healthy would be useless.
fn remote_keys(jwks: &JwksUrl) -> Result<RemoteKeys, String> {
    let settings = JwksSettings { url: jwks.url.clone(), timeout: jwks.timeout, min_interval: jwks.refresh_min };
    let remote = RemoteKeys::fetch_first(settings).map_err(|e| {
        format!(
            "WEX_JWT_JWKS_URL: cannot fetch the identity provider's keys from {}: {e}. Production mode does not \
             start without verification keys; check the URL and that this host can reach it",
            jwks.url
        )
    })?;
    log::info!("verifying tokens with {} key(s) from {}", remote.current().len(), jwks.url);
    Ok(remote)
}

pub fn authenticator(config: &Config) -> Result<Authenticator, String> {
    let people = people_authenticator(config)?;
    let secret = match (&config.client_token_secret, config.mode) {
        (Some(secret), _) => secret.as_bytes().to_vec(),
        (None, Mode::Sandbox) => sandbox_secret(&config.data_dir)?,
        (None, Mode::Production) => {
            log::warn!("WEX_CLIENT_TOKEN_SECRET is not set: organisation API clients cannot get tokens");
            return Ok(people);
        }
    };
    Ok(people.with_client_tokens(ClientTokens::from_secret(&secret, &config.public_url)))
}

fn people_authenticator(config: &Config) -> Result<Authenticator, String> {
    let admins: HashSet<String> = config.admin_subjects.clone();
    match config.mode {
        Mode::Sandbox => {
            let secret = sandbox_secret(&config.data_dir)?;
            Ok(Authenticator::sandbox(secret, &config.jwt_issuer, &config.jwt_audience, admins))
        }
        Mode::Production => {
            let (issuer, audience) = (&config.jwt_issuer, &config.jwt_audience);
            match config.keys.as_ref().ok_or("WEX_JWT_PUBLIC_KEYS: production mode needs verification keys")? {
                KeySource::JwksUrl(jwks) => {
                    Ok(Authenticator::remote(Arc::new(remote_keys(jwks)?), issuer, audience, admins))
                }
                source => Ok(Authenticator::production(production_keys(source)?, issuer, audience, admins)),
            }
        }
    }
}

/// Starts the delivery worker on a thread of its own, with the transport the configuration names,
/// and the webhook worker beside it.
fn start_delivery(config: &Config, store: Arc<dyn Store>) -> Result<(), String> {
    let transport = email_config::transport(&config.email)?;
    log::info!("delivering messages with {} (links to {})", transport.name(), config.email.frontend_base_url);
    Worker {
        store: Arc::clone(&store),
        transport,
        frontend_base_url: config.email.frontend_base_url.clone(),
        clock: if config.mode == Mode::Sandbox { ClockSource::Shared } else { ClockSource::Real },
        idle: config.email.delivery_idle,
    }
    .spawn()
    .map(drop)
    .map_err(|e| format!("cannot start the delivery worker: {e}"))?;
    // Webhooks: anywhere in the sandbox (tests receive on loopback); public addresses only in
    // production, checked again before every post.
    let sandbox = config.mode == Mode::Sandbox;
    WebhookWorker {
        sender: Arc::new(HttpWebhookSender::new(config.email.send_timeout, !sandbox)),
        store,
        clock: if sandbox { ClockSource::Shared } else { ClockSource::Real },
        idle: config.email.delivery_idle,
    }
    .spawn()
    .map(drop)
    .map_err(|e| format!("cannot start the webhook worker: {e}"))
}

/// Serves the API until interrupted (SIGINT/SIGTERM stop it gracefully).
pub async fn serve(config: Config, store: DbStore) -> Result<(), String> {
    let auth = authenticator(&config)?;
    if let (Some(remote), Some(KeySource::JwksUrl(jwks))) = (auth.remote_keys(), &config.keys) {
        // Rotation needs no restart: the keys are fetched again every `refresh`, and a failure
        // keeps the keys held (logged by `refresh`).
        let every = jwks.refresh;
        actix_web::rt::spawn(async move {
            let mut ticker = actix_web::rt::time::interval_at(actix_web::rt::time::Instant::now() + every, every);
            loop {
                ticker.tick().await;
                let _ = remote.refresh().await;
            }
        });
    }
    let store: Arc<dyn Store> = Arc::new(store);
    start_delivery(&config, Arc::clone(&store))?;
    let state = web::Data::new(
        AppState::new(store, Arc::new(auth), config.writes_per_minute)
            .with_active_application_cap(config.max_active_applications)
            .with_suppression(config.suppression)
            .with_frontend_base_url(&config.email.frontend_base_url)
            .with_notify_callback_token(config.email.callback_token.clone())
            .with_metrics_token(config.metrics_token.clone()),
    );
    if !state.metrics_access.served() {
        log::info!("GET /metrics is not served: set WEX_METRICS_TOKEN to serve it to scrapers that send it");
    }
    let settings = HttpSettings {
        body_limit: config.body_limit,
        import_body_limit: config.import_body_limit,
        cors: config.cors.clone(),
    };
    let mode = match config.mode {
        Mode::Sandbox => "sandbox",
        Mode::Production => "production",
    };
    log::info!(
        "wex {} serving http://{} ({mode} mode, database {})",
        env!("CARGO_PKG_VERSION"),
        config.bind,
        config.database_url_for_display()
    );
    if config.mode == Mode::Sandbox {
        log::info!(
            "API docs at http://{}/docs/ ; mint tokens with `wex token` or POST /v1/sandbox/tokens",
            config.bind
        );
    }
    if config.mode == Mode::Sandbox {
        // Another process may move the shared sandbox clock.
        let clock = state.clone();
        actix_web::rt::spawn(async move {
            let mut ticker = actix_web::rt::time::interval(wex_http::state::CLOCK_REFRESH);
            loop {
                ticker.tick().await;
                if let Err(e) = clock.refresh_clock().await {
                    log::warn!("cannot read the shared sandbox clock: {e:?}");
                }
            }
        });
    }
    if !config.scheduler_interval.is_zero() {
        let clock = state.clone();
        actix_web::rt::spawn(wex_http::jobs::run_forever(
            Arc::clone(&state.store),
            move || clock.now(),
            config.scheduler_interval,
            retention_job(&config),
        ));
    }
    let mut server = HttpServer::new(move || wex_http::build_app(state.clone(), settings.clone()));
    if let Some(workers) = config.workers {
        server = server.workers(workers);
    }
    server
        .bind(config.bind)
        .map_err(|e| format!("WEX_BIND ({}): {e}", config.bind))?
        .run()
        .await
        .map_err(|e| e.to_string())
}

/// Runs the scheduler and the delivery worker alone, for deployments that keep them apart from the
/// API processes.
pub async fn work(config: Config, store: DbStore) -> Result<(), String> {
    let store: Arc<dyn Store> = Arc::new(store);
    start_delivery(&config, Arc::clone(&store))?;
    let interval = if config.scheduler_interval.is_zero() {
        std::time::Duration::from_secs(30)
    } else {
        config.scheduler_interval
    };
    log::info!(
        "wex worker drawing placements every {} s (database {})",
        interval.as_secs(),
        config.database_url_for_display()
    );
    let now = service_clock(&config, Arc::clone(&store));
    wex_http::jobs::run_forever(store, now, interval, retention_job(&config)).await;
    Ok(())
}

/// The time as every process of this deployment reads it: in the sandbox, the clock shared
/// through the database (read at every call, since another process may move it).
fn service_clock(config: &Config, store: Arc<dyn Store>) -> impl Fn() -> chrono::DateTime<chrono::Utc> + use<> {
    let sandbox = config.mode == Mode::Sandbox;
    move || {
        let offset = if sandbox { store.clock_offset().unwrap_or(0) } else { 0 };
        wex_domain::now() + chrono::Duration::microseconds(offset)
    }
}

/// Retention as the scheduler applies it; `None` when `WEX_RETENTION_INTERVAL_HOURS` is 0.
fn retention_job(config: &Config) -> Option<wex_http::jobs::RetentionJob> {
    let r = &config.retention;
    (!r.interval.is_zero()).then_some(wex_http::jobs::RetentionJob {
        policy: r.policy,
        batch_size: r.batch_size,
        every: r.interval,
    })
}

/// `wex retention`: applies the policy once, now (the service clock), and reports the counts.
pub async fn retain(config: Config, store: DbStore) -> Result<(), String> {
    let store: Arc<dyn Store> = Arc::new(store);
    let now = service_clock(&config, Arc::clone(&store))();
    let r = &config.retention;
    let run = wex_http::jobs::run_retention(store, r.policy, now, r.batch_size)
        .await
        .ok_or("retention: the run failed (see the log)")?;
    println!("{run}");
    Ok(())
}
