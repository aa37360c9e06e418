//! What the task handling a request knows for the whole request: its id, set by the request-id
//! middleware so that log lines and problem bodies can quote it, and, for an API client's request,
//! who the client acts for, set once its token is verified so that every event and audit entry the
//! request records carries it (see `AppState::run`).

use std::cell::RefCell;
use uuid::Uuid;
use wex_domain::model::api_client::Attribution;

tokio::task_local! {
    pub(crate) static CURRENT: Uuid;
    pub(crate) static ATTRIBUTION: RefCell<Option<Attribution>>;
}

/// The id of the request being handled on this task, if any.
pub fn current_request_id() -> Option<Uuid> {
    CURRENT.try_with(|id| *id).ok()
}

/// Records who the client making this request acts for. False when the task handles no request
/// (the caller must then refuse the request rather than let it write unattributed).
pub(crate) fn attribute(by: Attribution) -> bool {
    ATTRIBUTION.try_with(|cell| *cell.borrow_mut() = Some(by)).is_ok()
}

/// Who the client making this request acts for, if a client is making it.
pub fn current_attribution() -> Option<Attribution> {
    ATTRIBUTION.try_with(|cell| cell.borrow().clone()).ok().flatten()
}
