//! Reading the change feed: which events a caller may follow, and the page after their cursor.

use crate::error::StoreError;
use crate::model::auth::{Actor, MembershipRole};
use crate::model::feed::{EventType, FeedItem, FeedPage, FeedPosition, FeedQuery, FeedScope};
use crate::ports::Store;
use crate::unit_of_work::read;

crate::use_case_error! {
    /// Why the feed could not be read: only the store's failures (a caller with nothing to follow
    /// gets an empty page, not a refusal).
    pub enum FeedError {
        Store(StoreError),
    }
}

/// Whose events a caller sees: everything for platform admins; the organisations they coordinate;
/// otherwise their own applications, if they have a profile (`None`: nothing to follow).
pub fn scope_of(store: &dyn Store, actor: &Actor) -> Result<Option<FeedScope>, StoreError> {
    if actor.is_admin() {
        return Ok(Some(FeedScope::All));
    }
    let coordinated: Vec<_> = actor
        .memberships
        .iter()
        .filter(|(_, role)| *role == MembershipRole::Coordinator)
        .map(|(org, _)| *org)
        .collect();
    if !coordinated.is_empty() {
        return Ok(Some(FeedScope::Organisations(coordinated)));
    }
    match store.profile_by_subject(&actor.subject) {
        Ok(profile) => Ok(Some(FeedScope::Applicant(profile.id))),
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The events after `after` that `actor` may follow, of `types` (every type when empty), at most
/// `limit`. The page's `next` is where to ask from next time, even when it is empty.
pub fn read_feed(
    store: &dyn Store,
    actor: &Actor,
    after: FeedPosition,
    limit: u32,
    types: &[EventType],
) -> Result<FeedPage, FeedError> {
    let kinds = EventType::kinds(types);
    let empty = FeedPage { items: Vec::new(), next: after, own_applications: true };
    if kinds.is_empty() {
        return Ok(empty);
    }
    read(store, |s| {
        let Some(scope) = scope_of(s, actor)? else { return Ok(empty) };
        let rows = s.feed(&FeedQuery { after, limit, kinds, scope: scope.clone() })?;
        let next = rows.last().map_or(after, |(position, _)| *position);
        let items = rows.iter().filter_map(|(position, event)| FeedItem::of(*position, event)).collect();
        let own_applications = matches!(scope, FeedScope::Applicant(_));
        Ok(FeedPage { items, next, own_applications })
    })
}
