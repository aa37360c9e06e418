//! Which applications a caller may see.

use uuid::Uuid;

use crate::error::StoreError;
use crate::model::application::Application;
use crate::model::auth::{Actor, Role};
use crate::model::profile::Profile;
use crate::ports::{AdvocacyStore, ApplicationStore, ProfileStore};
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
