//! Granting and revoking roles: platform roles and organisation memberships (admins only), and
//! the sandbox's automatic grants for minted tokens.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::codes;
use crate::error::{DomainError, FieldError, StoreError};
use crate::model::auth::{
    Actor, Grant, Membership, MembershipRole, PlatformRole, PlatformRoleGrant, Role, valid_subject,
};
use crate::model::event::{DomainEvent, Entity, EventActor, next_version};
use crate::model::page::{Page, PageRequest};
use crate::ports::{IdentityStore, OrganisationStore, Store};
use crate::unit_of_work::write;

fn checked_subject(subject: &str) -> Result<String, DomainError> {
    let subject = subject.trim();
    if valid_subject(subject) {
        Ok(subject.to_string())
    } else {
        Err(DomainError::invalid(
            "/subject",
            "invalid_subject",
            "The subject is the person's id from the identity provider: 1 to 255 printable characters.",
        ))
    }
}

fn already_granted(e: StoreError) -> DomainError {
    match e {
        StoreError::Duplicate => DomainError::Rule {
            code: &codes::ALREADY_GRANTED,
            message: "This person already has this role.".to_string(),
            errors: vec![FieldError::new("/role", "already_granted", "This person already has this role.")],
        },
        other => other.into(),
    }
}

/// Admins make someone a coordinator or host of an organisation.
pub fn grant_membership(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    subject: &str,
    role: MembershipRole,
    now: DateTime<Utc>,
) -> Result<Membership, DomainError> {
    actor.require_admin()?;
    store.organisation(organisation_id)?;
    let membership = Membership {
        id: Uuid::now_v7(),
        organisation_id,
        subject: checked_subject(subject)?,
        role,
        granted_by: actor.subject.clone(),
        created_at: now,
    };
    let event = membership_granted(&membership, EventActor::Admin, now);
    write(store, |tx| -> Result<_, DomainError> {
        tx.insert_membership(&membership).map_err(already_granted)?;
        Ok(tx.append_events(&[event])?)
    })?;
    Ok(membership)
}

/// Admins and the organisation's own coordinators see who works there.
pub fn list_memberships(
    orgs: &dyn OrganisationStore,
    ids: &dyn IdentityStore,
    actor: &Actor,
    organisation_id: Uuid,
    page: &PageRequest<Uuid>,
) -> Result<Page<Membership, Uuid>, DomainError> {
    orgs.organisation(organisation_id)?;
    if !actor.is_admin() {
        actor.require_coordinator_of(organisation_id)?;
    }
    Ok(ids.memberships_of(organisation_id, page)?)
}

/// Admins end a membership; one of another organisation is not found here.
pub fn revoke_membership(
    store: &dyn Store,
    actor: &Actor,
    organisation_id: Uuid,
    membership_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    actor.require_admin()?;
    let membership = store.membership(membership_id)?;
    if membership.organisation_id != organisation_id {
        return Err(DomainError::NotFound);
    }
    // A grant is never changed, only revoked: the revocation is its second version.
    let event = DomainEvent::edit(
        Entity::Membership,
        membership_id,
        next_version(FIRST_GRANT_VERSION),
        "revoked",
        EventActor::Admin,
        now,
    )
    .with("organisation_id", organisation_id)
    .with_code("role", membership.role.code());
    write(store, |tx| -> Result<_, DomainError> {
        tx.delete_membership(membership_id)?;
        Ok(tx.append_events(&[event])?)
    })
}

/// Grants have no version of their own; their events number them as every entity's do.
const FIRST_GRANT_VERSION: i64 = crate::model::event::FIRST_VERSION;

/// The event of a new membership: the organisation and the role, never the person's subject.
fn membership_granted(membership: &Membership, by: EventActor, now: DateTime<Utc>) -> DomainEvent {
    DomainEvent::created(Entity::Membership, membership.id, "granted", by, now)
        .1
        .with("organisation_id", membership.organisation_id)
        .with_code("role", membership.role.code())
}

/// The event of a new platform role: the role, never the person's subject.
fn platform_role_granted(grant: &PlatformRoleGrant, by: EventActor, now: DateTime<Utc>) -> DomainEvent {
    DomainEvent::created(Entity::PlatformRole, grant.id, "granted", by, now).1.with_code("role", grant.role.code())
}

pub fn grant_platform_role(
    store: &dyn Store,
    actor: &Actor,
    subject: &str,
    role: PlatformRole,
    now: DateTime<Utc>,
) -> Result<PlatformRoleGrant, DomainError> {
    actor.require_admin()?;
    let grant = PlatformRoleGrant {
        id: Uuid::now_v7(),
        subject: checked_subject(subject)?,
        role,
        granted_by: actor.subject.clone(),
        created_at: now,
    };
    let event = platform_role_granted(&grant, EventActor::Admin, now);
    write(store, |tx| -> Result<_, DomainError> {
        tx.insert_platform_role(&grant).map_err(already_granted)?;
        Ok(tx.append_events(&[event])?)
    })?;
    Ok(grant)
}

pub fn list_platform_roles(
    ids: &dyn IdentityStore,
    actor: &Actor,
    page: &PageRequest<Uuid>,
) -> Result<Page<PlatformRoleGrant, Uuid>, DomainError> {
    actor.require_admin()?;
    Ok(ids.platform_roles(page)?)
}

pub fn revoke_platform_role(
    store: &dyn Store,
    actor: &Actor,
    grant_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    actor.require_admin()?;
    let grant = store.platform_role(grant_id)?;
    let event = DomainEvent::edit(
        Entity::PlatformRole,
        grant_id,
        next_version(FIRST_GRANT_VERSION),
        "revoked",
        EventActor::Admin,
        now,
    )
    .with_code("role", grant.role.code());
    write(store, |tx| -> Result<_, DomainError> {
        tx.delete_platform_role(grant_id)?;
        Ok(tx.append_events(&[event])?)
    })
}

/// The subject that sandbox grants are recorded as granted by.
pub const SANDBOX_GRANTOR: &str = "sandbox";

/// Sandbox only: records the grant a minted token for `role` needs, so it works at once.
/// Coordinator and host need an existing organisation; the grant may exist already.
pub fn ensure_sandbox_grant(
    store: &dyn Store,
    subject: &str,
    role: Role,
    organisation_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    let subject = checked_subject(subject)?;
    // The platform grants these by itself, for a token the sandbox minted.
    let by = EventActor::Platform;
    let result = match role.grant() {
        None => return Ok(()),
        Some(Grant::Platform(role)) => {
            let grant = PlatformRoleGrant {
                id: Uuid::now_v7(),
                subject,
                role,
                granted_by: SANDBOX_GRANTOR.to_string(),
                created_at: now,
            };
            let event = platform_role_granted(&grant, by, now);
            write(store, |tx| -> Result<_, DomainError> {
                tx.insert_platform_role(&grant)?;
                Ok(tx.append_events(&[event])?)
            })
        }
        Some(Grant::Membership(role)) => {
            let Some(organisation_id) = organisation_id else {
                return Err(DomainError::invalid(
                    "/organisation_id",
                    "required",
                    "Coordinator and host tokens need the organisation they work for.",
                ));
            };
            match store.organisation(organisation_id) {
                Err(StoreError::NotFound) => {
                    return Err(DomainError::invalid(
                        "/organisation_id",
                        "unknown_organisation",
                        "There is no organisation with this id.",
                    ));
                }
                other => other?,
            };
            let membership = Membership {
                id: Uuid::now_v7(),
                organisation_id,
                subject,
                role,
                granted_by: SANDBOX_GRANTOR.to_string(),
                created_at: now,
            };
            let event = membership_granted(&membership, by, now);
            write(store, |tx| -> Result<_, DomainError> {
                tx.insert_membership(&membership)?;
                Ok(tx.append_events(&[event])?)
            })
        }
    };
    // Held already: nothing was stored, not even the event (the unit of work rolled back).
    match result {
        Ok(()) | Err(DomainError::Store(StoreError::Duplicate)) => Ok(()),
        Err(e) => Err(e),
    }
}
