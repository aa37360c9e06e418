//! Whether applicants' addresses work, read from the outbox for the pages that show it: the
//! applicant's own profile (and their advocate's view of it) and a coordinator's participants.

use std::collections::HashMap;

use uuid::Uuid;

use crate::error::StoreError;
use crate::model::profile::Profile;
use crate::model::reach::{EmailProblem, email_problem};
use crate::ports::DeliveryStore;

/// The problem, if any, with each of these profiles' current addresses, by profile id. One store
/// query however many profiles, so that a list costs no query per row.
pub fn email_problems<'a, S: DeliveryStore + ?Sized>(
    store: &S,
    profiles: impl IntoIterator<Item = &'a Profile>,
) -> Result<HashMap<Uuid, EmailProblem>, StoreError> {
    let profiles: Vec<&Profile> = profiles.into_iter().collect();
    let ids: Vec<Uuid> = profiles.iter().map(|p| p.id).collect();
    let latest = store.latest_settled_to_profiles(&ids)?;
    Ok(profiles
        .into_iter()
        .filter_map(|p| {
            let settled = latest.iter().find(|m| m.profile_id == p.id);
            email_problem(&p.input.email.to_string(), settled).map(|problem| (p.id, problem))
        })
        .collect())
}

/// The problem, if any, with one profile's current address.
pub fn email_problem_of<S: DeliveryStore + ?Sized>(
    store: &S,
    profile: &Profile,
) -> Result<Option<EmailProblem>, StoreError> {
    Ok(email_problems(store, [profile])?.remove(&profile.id))
}
