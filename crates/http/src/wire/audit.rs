//! An audit entry, as both the audit trail (`GET /v1/audit-events`) and the subject access
//! export (`audit_entries[]`) show it: one schema, so that an entry reads the same wherever it
//! appears.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::model::api_client::Attribution;
use wex_domain::model::audit::{AuditAction, AuditEntry, AuditRole};

use crate::wire::codes;

#[derive(Serialize, ToSchema)]
pub struct AuditEntryResponse {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// The account that acted (`client:{client_id}` for an organisation's system).
    pub actor_subject: String,
    /// The role they acted in; `null` only for entries written before roles were recorded.
    #[schema(value_type = Option<codes::AuditRole>)]
    pub actor_role: Option<AuditRole>,
    /// The organisation they acted for, when the role is one of an organisation's.
    pub actor_organisation_id: Option<Uuid>,
    #[schema(value_type = codes::AuditAction)]
    pub action: AuditAction,
    pub object_type: String,
    pub object_id: String,
    /// The applicant profile whose data it was (search the trail by it with `data_subject=`).
    pub data_subject: Option<Uuid>,
    /// The account it was about when that person has no applicant profile in it: whom a role was
    /// granted to or taken from.
    pub about_subject: Option<String>,
    /// The reason given (an admin's erasure), or else a fixed purpose code such as
    /// `running_the_placement`, `acting_for_the_applicant`, `subject_access_request`,
    /// `role_administration`, `erasure_request`; `null` only for entries written before reasons
    /// were recorded.
    pub reason: Option<String>,
    /// What was shown or done, in roles and ids, never what was seen.
    pub details: String,
    /// The `X-Request-ID` of the request that wrote it.
    pub request_id: Option<Uuid>,
    /// When an organisation's system acted: the client and the person in its system it acted for.
    pub attribution: Option<AuditAttribution>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditAttribution {
    pub client_id: Uuid,
    /// Who in the client's own system it acted for, as its `Wex-Attribution` header said.
    pub on_behalf_of: String,
}

impl From<AuditEntry> for AuditEntryResponse {
    fn from(e: AuditEntry) -> Self {
        Self {
            id: e.id,
            at: e.at,
            actor_subject: e.actor_subject,
            actor_role: e.acting_as.map(|a| a.role),
            actor_organisation_id: e.acting_as.and_then(|a| a.organisation_id),
            action: e.action,
            object_type: e.object_type,
            object_id: e.object_id,
            data_subject: e.data_subject,
            about_subject: e.about_subject,
            reason: e.reason,
            details: e.details,
            request_id: e.request_id,
            attribution: e
                .attribution
                .map(|Attribution { client_id, on_behalf_of }| AuditAttribution { client_id, on_behalf_of }),
        }
    }
}
