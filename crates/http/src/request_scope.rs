//! The id of the request a task is handling, set by the request-id middleware for the whole request,
//! so that log lines and problem bodies can quote it.

use uuid::Uuid;

tokio::task_local! {
    pub(crate) static CURRENT: Uuid;
}

/// The id of the request being handled on this task, if any.
pub fn current_request_id() -> Option<Uuid> {
    CURRENT.try_with(|id| *id).ok()
}
