//! Which applications a caller may see.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::advocacy::advocate_read;
use crate::error::StoreError;
use crate::model::application::Application;
use crate::model::audit::AuditAction;
use crate::model::auth::{Actor, Role};
use crate::model::profile::Profile;
use crate::ports::{AdvocacyStore, ApplicationStore, ProfileStore, Store};
use crate::use_case_error::NotFound;

crate::use_case_error! {
    /// Why an application cannot be read: there is none, or the caller may not see it.
    pub enum HiddenError {
        NotFound(NotFound),
        Store(StoreError),
    }
}

/// An application the caller may see: their own, or one of someone they act for as an advocate.
/// Returns the role they see it in.
pub fn visible_application<S: ProfileStore + ApplicationStore + AdvocacyStore + ?Sized>(
    store: &S,
    actor: &Actor,
    id: Uuid,
) -> Result<(Application, Profile, Role), HiddenError> {
    let app = store.application(id)?;
    let profile = store.profile(app.profile_id)?;
    if profile.subject.as_deref() == Some(actor.subject.as_str()) {
        Ok((app, profile, Role::Applicant))
    } else if store.has_active_link(profile.id, &actor.subject)? {
        Ok((app, profile, Role::Advocate))
    } else {
        Err(NotFound.into())
    }
}

/// An application the caller may see (see [`visible_application`]), read in full: an advocate's
/// read (the application's answers and supporting information are another person's) is audited.
pub fn read_application(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Application, HiddenError> {
    let (app, profile, role) = visible_application(store, actor, id)?;
    if role == Role::Advocate {
        store.record_audit(&[advocate_read(
            actor,
            AuditAction::ApplicationRead,
            "application",
            app.id,
            profile.id,
            now,
        )])?;
    }
    Ok(app)
}
