//! Whether a caller may act for a profile.

use crate::error::StoreError;
use crate::model::auth::Actor;
use crate::model::profile::Profile;
use crate::ports::AdvocacyStore;
use crate::use_case_error::NotFound;

crate::use_case_error! {
    /// Why a link or a profile cannot be had: there is none, or it is not the caller's (their own
    /// link, or the profile of someone they act for), and they may not learn that it exists.
    pub enum NotYoursError {
        NotFound(NotFound),
        Store(StoreError),
    }
}

/// Whether `actor` may act for the profile: it is their own, or they hold an active link to it.
pub fn can_act_for<S: AdvocacyStore + ?Sized>(store: &S, actor: &Actor, profile: &Profile) -> Result<bool, StoreError> {
    if profile.subject.as_deref() == Some(actor.subject.as_str()) {
        return Ok(true);
    }
    store.has_active_link(profile.id, &actor.subject)
}

/// Whether `actor` acts for the profile as its advocate (not as the applicant themselves).
pub fn is_advocate_for<S: AdvocacyStore + ?Sized>(
    store: &S,
    actor: &Actor,
    profile: &Profile,
) -> Result<bool, StoreError> {
    Ok(profile.subject.as_deref() != Some(actor.subject.as_str())
        && store.has_active_link(profile.id, &actor.subject)?)
}
