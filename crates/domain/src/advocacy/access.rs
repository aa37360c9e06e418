//! Whether a caller may act for a profile.

use crate::error::{DomainError, StoreError};
use crate::model::auth::Actor;
use crate::model::profile::Profile;
use crate::ports::AdvocacyStore;

/// Whether `actor` may act for the profile: it is their own, or they hold an active link to it.
pub fn can_act_for<S: AdvocacyStore + ?Sized>(
    store: &S,
    actor: &Actor,
    profile: &Profile,
) -> Result<bool, DomainError> {
    if profile.subject.as_deref() == Some(actor.subject.as_str()) {
        return Ok(true);
    }
    Ok(store.has_active_link(profile.id, &actor.subject)?)
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
