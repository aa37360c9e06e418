//! What every handler shares: the store, the authenticator and the mode.

use std::sync::Arc;
use wex_domain::DomainError;
use wex_domain::ports::Store;

use crate::auth::Authenticator;
use crate::problem::ApiResult;

pub struct AppState {
    pub store: Arc<dyn Store>,
    pub auth: Arc<Authenticator>,
}

impl AppState {
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
