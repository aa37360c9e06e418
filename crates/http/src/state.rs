//! What every handler shares: the store, the authenticator and the mode.

use std::sync::Arc;
use wex_domain::DomainError;
use wex_domain::ports::Store;

use crate::auth::Authenticator;
use crate::problem::ApiResult;
use crate::rate_limit::RateLimiter;

/// Built once per process and shared by every worker, so that the rate limit is per process.
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub auth: Arc<Authenticator>,
    pub rate_limiter: RateLimiter,
    /// How many applications one person may have waiting for an outcome at once.
    pub active_application_cap: u32,
}

impl AppState {
    /// `writes_per_minute` is each caller's write limit; 0 turns it off.
    pub fn new(store: Arc<dyn Store>, auth: Arc<Authenticator>, writes_per_minute: u32) -> Self {
        Self {
            store,
            auth,
            rate_limiter: RateLimiter::new(writes_per_minute),
            active_application_cap: wex_domain::application::DEFAULT_ACTIVE_CAP,
        }
    }

    pub fn with_active_application_cap(mut self, cap: u32) -> Self {
        self.active_application_cap = cap;
        self
    }

    /// Runs synchronous domain and database work on the blocking pool, never on an actix worker.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Store) -> Result<T, DomainError> + Send + 'static,
    ) -> ApiResult<T> {
        let store = Arc::clone(&self.store);
        Ok(actix_web::web::block(move || f(store.as_ref())).await??)
    }

    pub fn sandbox(&self) -> bool {
        self.auth.can_mint()
    }
}
