//! What every handler shares: the store, the authenticator and the mode.

use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use wex_domain::DomainError;
use wex_domain::ports::Store;

use crate::problem::ApiResult;
use crate::rate_limit::RateLimiter;
use crate::tokens::Authenticator;

/// Where links point when the deployment names no front end (a local development server).
pub const DEFAULT_FRONTEND_BASE_URL: &str = "http://127.0.0.1:3000";

/// How often a sandbox `wex serve` reads the shared clock, which another process may have moved.
pub const CLOCK_REFRESH: std::time::Duration = std::time::Duration::from_millis(200);

/// Built once per process and shared by every worker.
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub auth: Arc<Authenticator>,
    pub rate_limiter: RateLimiter,
    /// How many applications one person may have waiting for an outcome at once.
    pub active_application_cap: u32,
    /// Small-number suppression for every report.
    pub suppression: wex_domain::model::reports::suppression::Rules,
    /// The token GOV.UK Notify's delivery receipts must carry (`WEX_NOTIFY_CALLBACK_TOKEN`); with
    /// none, every receipt is refused.
    pub notify_callback_token: Option<String>,
    /// Put before the path of a message's link (`WEX_FRONTEND_BASE_URL`).
    pub frontend_base_url: String,
    /// The sandbox's clock offset in microseconds (always 0 in production); see [`AppState::now`].
    clock_offset_micros: AtomicI64,
    /// Requests counted and timed for `GET /metrics`.
    pub metrics: crate::metrics::Metrics,
    /// Who may read `GET /metrics`: anyone in the sandbox, nobody in production, unless a token is
    /// set ([`AppState::with_metrics_token`]).
    pub metrics_access: crate::metrics::Access,
}

impl AppState {
    /// `writes_per_minute` is each caller's write limit; 0 turns it off.
    pub fn new(store: Arc<dyn Store>, auth: Arc<Authenticator>, writes_per_minute: u32) -> Self {
        Self {
            store,
            rate_limiter: RateLimiter::new(writes_per_minute),
            active_application_cap: wex_domain::model::application::DEFAULT_ACTIVE_CAP,
            suppression: wex_domain::model::reports::suppression::Rules::default(),
            notify_callback_token: None,
            frontend_base_url: DEFAULT_FRONTEND_BASE_URL.to_string(),
            clock_offset_micros: AtomicI64::new(0),
            metrics: crate::metrics::Metrics::default(),
            metrics_access: if auth.can_mint() { crate::metrics::Access::Open } else { crate::metrics::Access::Off },
            auth,
        }
    }

    /// With a token (`WEX_METRICS_TOKEN`), `GET /metrics` is served, in either mode, only to
    /// requests that carry it.
    pub fn with_metrics_token(mut self, token: Option<String>) -> Self {
        if let Some(token) = token {
            self.metrics_access = crate::metrics::Access::Token(token);
        }
        self
    }

    pub fn with_notify_callback_token(mut self, token: Option<String>) -> Self {
        self.notify_callback_token = token;
        self
    }

    pub fn with_frontend_base_url(mut self, url: &str) -> Self {
        self.frontend_base_url = url.to_string();
        self
    }

    /// The time every rule reads: the real time, moved by the sandbox clock in sandbox mode.
    pub fn now(&self) -> DateTime<Utc> {
        let offset = if self.sandbox() { self.clock_offset_micros.load(Ordering::Relaxed) } else { 0 };
        wex_domain::now() + chrono::Duration::microseconds(offset)
    }

    /// Sandbox only: sets the clock so that [`AppState::now`] reads `to`, in this process at once
    /// and, through the database, in every other process on it (`wex worker` reads it before each
    /// run; other `wex serve` processes within [`CLOCK_REFRESH`]). Returns false (and changes
    /// nothing) in production.
    pub async fn set_clock(&self, to: DateTime<Utc>) -> ApiResult<bool> {
        if !self.sandbox() {
            return Ok(false);
        }
        let offset = (to - wex_domain::now()).num_microseconds().unwrap_or(0);
        self.run(move |s| Ok(s.set_clock_offset(offset)?)).await?;
        self.clock_offset_micros.store(offset, Ordering::Relaxed);
        Ok(true)
    }

    /// Sandbox only: reads the clock another process may have moved.
    pub async fn refresh_clock(&self) -> ApiResult<()> {
        if self.sandbox() {
            let offset = self.run(|s| Ok(s.clock_offset()?)).await?;
            self.clock_offset_micros.store(offset, Ordering::Relaxed);
        }
        Ok(())
    }

    pub fn with_active_application_cap(mut self, cap: u32) -> Self {
        self.active_application_cap = cap;
        self
    }

    pub fn with_suppression(mut self, rules: wex_domain::model::reports::suppression::Rules) -> Self {
        self.suppression = rules;
        self
    }

    /// Runs synchronous domain and database work on the blocking pool, never on an actix worker,
    /// with all of it on one database connection (a use case that writes opens its own
    /// transaction on it). In an API client's request, every event and audit entry it records is
    /// attributed to the client and the person it acts for.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Store) -> Result<T, DomainError> + Send + 'static,
    ) -> ApiResult<T> {
        let store = Arc::clone(&self.store);
        // Every audit entry names the request; an API client's request names the client and who
        // it acts for in everything it records.
        let stamp = wex_domain::model::audit::Stamp {
            request_id: crate::request_scope::current_request_id(),
            attribution: crate::request_scope::current_attribution(),
        };
        Ok(actix_web::web::block(move || {
            if stamp.is_empty() {
                wex_domain::unit_of_work::read(store.as_ref(), f)
            } else {
                wex_domain::unit_of_work::stamped(store.as_ref(), &stamp, f)
            }
        })
        .await??)
    }

    pub fn sandbox(&self) -> bool {
        self.auth.can_mint()
    }
}
