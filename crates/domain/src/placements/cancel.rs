use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::DomainError;
use crate::messages::tell;
use crate::model::application::{Application, ApplicationEvent, ApplicationStatus, ChangedBy};
use crate::model::auth::Actor;
use crate::model::notification::Template;
use crate::model::offer::{Allocation, Offer, OfferStatus};
use crate::model::placement::Placement;
use crate::model::reference::PlacementStatus;
use crate::model::validation::has_visible;
use crate::ports::{ApplicationStore, DrawStore, OfferStore, PlacementStore, ProfileStore};

/// Cancels a placement that has not been completed, with a reason everyone affected reads: its
/// applications that are still in play end as `cancelled`, open and accepted offers end too, and
/// each applicant (and support worker) is told. Coordinators of its organisation only (404 for
/// others).
pub fn cancel_placement<S: PlacementStore + ApplicationStore + ProfileStore + OfferStore + DrawStore + ?Sized>(
    store: &S,
    actor: &Actor,
    id: Uuid,
    expected_version: Option<i64>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Placement, DomainError> {
    let current = store.placement(id)?;
    actor.require_owner_of(current.organisation_id)?;
    if expected_version.is_some_and(|v| v != current.version) {
        return Err(DomainError::PreconditionFailed);
    }
    let reason = reason.trim();
    if !has_visible(reason) || reason.chars().count() > 2000 {
        return Err(DomainError::invalid(
            "/reason",
            "length",
            "Give a reason of 1 to 2000 characters: applicants will read it.",
        ));
    }
    if matches!(current.status, PlacementStatus::Completed | PlacementStatus::Cancelled) {
        return Err(DomainError::conflict(
            "placement_not_cancellable",
            format!("A placement that is {} cannot be cancelled.", current.status),
        ));
    }
    let version = current.version;
    let placement = Placement {
        status: PlacementStatus::Cancelled,
        cancellation_reason: Some(reason.to_string()),
        version: version + 1,
        updated_at: now,
        ..current
    };
    let mut allocation = Allocation::default();
    let in_play = |s: ApplicationStatus| s.is_active() || s == ApplicationStatus::Accepted;
    let applications: Vec<Application> =
        store.all_applications_for_placement(id)?.into_iter().filter(|a| in_play(a.status)).collect();
    let ids: Vec<Uuid> = applications.iter().map(|a| a.profile_id).collect();
    let profiles = store.profiles_by_ids(&ids)?;
    let title = &placement.details.title;
    for app in applications {
        if let Some(offer) = store.offer_of_application(app.id)?
            && matches!(offer.status, OfferStatus::Open | OfferStatus::Accepted)
        {
            let v = offer.version;
            allocation
                .ended_offers
                .push((Offer { status: OfferStatus::Cancelled, responded_at: Some(now), version: v + 1, ..offer }, v));
        }
        let updated = Application {
            status: ApplicationStatus::Cancelled,
            version: app.version + 1,
            updated_at: now,
            ..app.clone()
        };
        allocation.events.push(ApplicationEvent::new(
            &updated,
            Some(app.status),
            (&actor.subject, ChangedBy::Coordinator),
            Some(reason.to_string()),
            now,
        ));
        if let Some(profile) = profiles.iter().find(|p| p.id == app.profile_id) {
            allocation.notifications.extend(tell(
                profile,
                Template::PlacementCancelled,
                &format!("Placement cancelled: {title}"),
                &format!("We are sorry: \"{title}\" has been cancelled. The organisation says: {reason}"),
                app.id,
                now,
            ));
        }
        allocation.applications.push((updated, app.version));
    }
    store.cancel_with(&placement, version, &allocation)?;
    Ok(placement)
}
