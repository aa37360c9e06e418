//! Granting and revoking roles: platform roles and organisation memberships (admins only), and
//! the sandbox's automatic grants for minted tokens.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::codes;
use crate::error::{DomainError, FieldError, StoreError};
use crate::model::auth::{
    Actor, Grant, Membership, MembershipRole, PlatformRole, PlatformRoleGrant, Role, valid_subject,
};
use crate::model::page::{Page, PageRequest};
use crate::ports::{IdentityStore, OrganisationStore};

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
    orgs: &dyn OrganisationStore,
    ids: &dyn IdentityStore,
    actor: &Actor,
    organisation_id: Uuid,
    subject: &str,
    role: MembershipRole,
    now: DateTime<Utc>,
) -> Result<Membership, DomainError> {
    actor.require_admin()?;
    orgs.organisation(organisation_id)?;
    let membership = Membership {
        id: Uuid::now_v7(),
        organisation_id,
        subject: checked_subject(subject)?,
        role,
        granted_by: actor.subject.clone(),
        created_at: now,
    };
    ids.insert_membership(&membership).map_err(already_granted)?;
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
    ids: &dyn IdentityStore,
    actor: &Actor,
    organisation_id: Uuid,
    membership_id: Uuid,
) -> Result<(), DomainError> {
    actor.require_admin()?;
    let membership = ids.membership(membership_id)?;
    if membership.organisation_id != organisation_id {
        return Err(DomainError::NotFound);
    }
    Ok(ids.delete_membership(membership_id)?)
}

pub fn grant_platform_role(
    ids: &dyn IdentityStore,
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
    ids.insert_platform_role(&grant).map_err(already_granted)?;
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

pub fn revoke_platform_role(ids: &dyn IdentityStore, actor: &Actor, grant_id: Uuid) -> Result<(), DomainError> {
    actor.require_admin()?;
    ids.platform_role(grant_id)?;
    Ok(ids.delete_platform_role(grant_id)?)
}

/// The subject that sandbox grants are recorded as granted by.
pub const SANDBOX_GRANTOR: &str = "sandbox";

/// Sandbox only: records the grant a minted token for `role` needs, so it works at once.
/// Coordinator and host need an existing organisation; the grant may exist already.
pub fn ensure_sandbox_grant(
    orgs: &dyn OrganisationStore,
    ids: &dyn IdentityStore,
    subject: &str,
    role: Role,
    organisation_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    let subject = checked_subject(subject)?;
    let result = match role.grant() {
        None => return Ok(()),
        Some(Grant::Platform(role)) => ids.insert_platform_role(&PlatformRoleGrant {
            id: Uuid::now_v7(),
            subject,
            role,
            granted_by: SANDBOX_GRANTOR.to_string(),
            created_at: now,
        }),
        Some(Grant::Membership(role)) => {
            let Some(organisation_id) = organisation_id else {
                return Err(DomainError::invalid(
                    "/organisation_id",
                    "required",
                    "Coordinator and host tokens need the organisation they work for.",
                ));
            };
            match orgs.organisation(organisation_id) {
                Err(StoreError::NotFound) => {
                    return Err(DomainError::invalid(
                        "/organisation_id",
                        "unknown_organisation",
                        "There is no organisation with this id.",
                    ));
                }
                other => other?,
            };
            ids.insert_membership(&Membership {
                id: Uuid::now_v7(),
                organisation_id,
                subject,
                role,
                granted_by: SANDBOX_GRANTOR.to_string(),
                created_at: now,
            })
        }
    };
    match result {
        Ok(()) | Err(StoreError::Duplicate) => Ok(()),
        Err(e) => Err(e.into()),
    }
}
