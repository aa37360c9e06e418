//! What a subject access export reads beyond the other ports: the rows about one person that no
//! other use case needs to list.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::StoreResult;
use crate::model::advocacy::AdvocateLink;
use crate::model::notification::Notification;
use crate::model::participation::{AuditEntry, Certificate, ParticipantFeedback};
use crate::model::reference::UserGroup;

/// Feedback an applicant gave on one of their applications, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenFeedback {
    pub application_id: Uuid,
    pub feedback: ParticipantFeedback,
    pub given_at: DateTime<Utc>,
}

/// What reports count an application by, as frozen when its placement was drawn (or when the
/// person was erased before the draw).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrozenCharacteristics {
    pub application_id: Uuid,
    pub user_groups: Vec<UserGroup>,
    pub care_experienced: Option<bool>,
    /// Equality answers by question code; a question missing was not answered then. `None` when
    /// withheld (an advocate's export: [`crate::data_protection`]); the store always gives them.
    pub answers: Option<BTreeMap<String, String>>,
    pub frozen_at: DateTime<Utc>,
}

pub trait SubjectAccessStore {
    /// Every message written to the applicant of the profile, and every message about one of
    /// these applications of theirs (the copies to their advocates and support worker), oldest first.
    fn messages_about(&self, profile_id: Uuid, application_ids: &[Uuid]) -> StoreResult<Vec<Notification>>;
    /// The certificates of these applications.
    fn certificates_of(&self, application_ids: &[Uuid]) -> StoreResult<Vec<Certificate>>;
    /// The feedback given on these applications.
    fn feedback_on(&self, application_ids: &[Uuid]) -> StoreResult<Vec<GivenFeedback>>;
    /// The audit entries whose object is one of these ids (a profile, applications), oldest first.
    fn audit_entries_about(&self, object_ids: &[Uuid]) -> StoreResult<Vec<AuditEntry>>;
    /// The frozen characteristics of those of these applications that have them.
    fn characteristics_at_draw(&self, application_ids: &[Uuid]) -> StoreResult<Vec<FrozenCharacteristics>>;
    /// The links in which `subject` is the advocate, oldest first.
    fn links_of_advocate(&self, subject: &str) -> StoreResult<Vec<AdvocateLink>>;
}
