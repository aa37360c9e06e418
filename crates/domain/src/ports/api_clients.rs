//! Organisation API clients and the assertions they have used.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::StoreResult;
use crate::model::api_client::ApiClient;

pub trait ApiClientStore {
    fn insert_api_client(&self, client: &ApiClient) -> StoreResult<()>;
    fn api_client(&self, id: Uuid) -> StoreResult<ApiClient>;
    /// An organisation's clients, oldest first (revoked ones too).
    fn api_clients_of(&self, organisation_id: Uuid) -> StoreResult<Vec<ApiClient>>;
    fn update_api_client(&self, client: &ApiClient, expected_version: i64) -> StoreResult<()>;
    /// Records that the client used the assertion `jti`, which expires at `expires_at`: false (and
    /// nothing written) when it was used before. Assertions that expired before `now` are
    /// forgotten, since their expiry alone now refuses them.
    fn use_assertion(
        &self,
        client_id: Uuid,
        jti: &str,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
}
