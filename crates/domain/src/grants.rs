//! Granting and revoking roles: platform roles and organisation memberships (admins only), and
//! the sandbox's automatic grants for minted tokens.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::codes;
use crate::error::{FieldError, NotFound, StoreError};
use crate::model::audit::{ActingAs, AuditAction, AuditEntry, AuditRole};
use crate::model::auth::{
    Actor, Grant, Membership, MembershipRole, PlatformRole, PlatformRoleGrant, Role, membership_kind_error,
    valid_subject,
};
use crate::model::event::{DomainEvent, Entity, EventActor, next_version};
use crate::model::page::{Page, PageRequest};
use crate::ports::{IdentityStore, OrganisationStore, Store};
use crate::unit_of_work::write;
use crate::use_case_error::Invalid;

crate::use_case_error! {
    /// Why a role could not be granted: a membership of an organisation (which may not exist) or a
    /// platform role.
    pub enum GrantError {
        /// Only platform admins grant roles.
        NotAdmin(()) = codes::ADMIN_ROLE_REQUIRED,
        /// The person holds the role already (the errors point at `/role`).
        AlreadyGranted(Vec<FieldError>) = codes::ALREADY_GRANTED,
        /// The subject is not one an identity provider gives.
        Invalid(Invalid),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why a role could not be revoked.
    pub enum RevokeError {
        /// Only platform admins revoke roles.
        NotAdmin(()) = codes::ADMIN_ROLE_REQUIRED,
        /// No such grant (here).
        NotFound(NotFound),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why an organisation's members could not be listed.
    pub enum ListMembershipsError {
        /// Neither a platform admin nor a coordinator of the organisation.
        NotCoordinator(()) = codes::COORDINATOR_ROLE_REQUIRED,
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why something only platform admins may read could not be read.
    pub enum AdminOnlyError {
        NotAdmin(()) = codes::ADMIN_ROLE_REQUIRED,
        Store(StoreError),
    }
}

fn checked_subject(subject: &str) -> Result<String, Invalid> {
    let subject = subject.trim();
    if valid_subject(subject) {
        Ok(subject.to_string())
    } else {
        Err(Invalid::one(
            "/subject",
            "invalid_subject",
            "The subject is the person's id from the identity provider: 1 to 255 printable characters.",
        ))
    }
}

fn already_granted(e: StoreError) -> GrantError {
    match e {
        StoreError::Duplicate => GrantError::AlreadyGranted(vec![FieldError::new(
            "/role",
            codes::ALREADY_GRANTED.code,
            codes::ALREADY_GRANTED.detail,
        )]),
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
) -> Result<Membership, GrantError> {
    if !actor.is_admin() {
        return Err(GrantError::NotAdmin(()));
    }
    let organisation = store.organisation(organisation_id)?;
    if let Some(error) = membership_kind_error(organisation.input.kind, role) {
        return Err(Invalid(vec![error]).into());
    }
    let membership = Membership {
        id: Uuid::now_v7(),
        organisation_id,
        subject: checked_subject(subject)?,
        role,
        granted_by: actor.subject.clone(),
        created_at: now,
    };
    let event = membership_granted(&membership, EventActor::Admin, now);
    let audit =
        role_audit(actor, AuditAction::MembershipGranted, "membership", membership.id, &membership.subject, now)
            .details(format!("{} of organisation {organisation_id} granted", membership.role.code()));
    write(store, |tx| -> Result<_, GrantError> {
        tx.insert_membership(&membership).map_err(already_granted)?;
        tx.record_audit(&[audit])?;
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
) -> Result<Page<Membership, Uuid>, ListMembershipsError> {
    orgs.organisation(organisation_id)?;
    if !actor.is_admin() && !actor.coordinates(organisation_id) {
        return Err(ListMembershipsError::NotCoordinator(()));
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
) -> Result<(), RevokeError> {
    if !actor.is_admin() {
        return Err(RevokeError::NotAdmin(()));
    }
    let membership = store.membership(membership_id)?;
    if membership.organisation_id != organisation_id {
        return Err(NotFound.into());
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
    let audit =
        role_audit(actor, AuditAction::MembershipRevoked, "membership", membership_id, &membership.subject, now)
            .details(format!("{} of organisation {organisation_id} revoked", membership.role.code()));
    write(store, |tx| -> Result<_, StoreError> {
        tx.delete_membership(membership_id)?;
        tx.record_audit(&[audit])?;
        tx.append_events(&[event])
    })?;
    Ok(())
}

/// The audit entry of an admin granting or revoking a role: who did it, what, and to whom (the
/// grant's holder, by account; the grant itself may be gone by the time anyone reads the trail).
fn role_audit(
    actor: &Actor,
    action: AuditAction,
    object_type: &str,
    object_id: Uuid,
    holder: &str,
    now: DateTime<Utc>,
) -> AuditEntry {
    AuditEntry::new(actor, ActingAs::of(actor, AuditRole::Admin, None), action, object_type, object_id, now)
        .about_account(holder)
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

/// Admins make someone a platform admin or analyst.
pub fn grant_platform_role(
    store: &dyn Store,
    actor: &Actor,
    subject: &str,
    role: PlatformRole,
    now: DateTime<Utc>,
) -> Result<PlatformRoleGrant, GrantError> {
    if !actor.is_admin() {
        return Err(GrantError::NotAdmin(()));
    }
    let grant = PlatformRoleGrant {
        id: Uuid::now_v7(),
        subject: checked_subject(subject)?,
        role,
        granted_by: actor.subject.clone(),
        created_at: now,
    };
    let event = platform_role_granted(&grant, EventActor::Admin, now);
    let audit = role_audit(actor, AuditAction::PlatformRoleGranted, "platform_role", grant.id, &grant.subject, now)
        .details(format!("platform role {} granted", grant.role.code()));
    write(store, |tx| -> Result<_, GrantError> {
        tx.insert_platform_role(&grant).map_err(already_granted)?;
        tx.record_audit(&[audit])?;
        Ok(tx.append_events(&[event])?)
    })?;
    Ok(grant)
}

/// Admins see who holds platform roles.
pub fn list_platform_roles(
    ids: &dyn IdentityStore,
    actor: &Actor,
    page: &PageRequest<Uuid>,
) -> Result<Page<PlatformRoleGrant, Uuid>, AdminOnlyError> {
    if !actor.is_admin() {
        return Err(AdminOnlyError::NotAdmin(()));
    }
    Ok(ids.platform_roles(page)?)
}

/// Admins end a platform role.
pub fn revoke_platform_role(
    store: &dyn Store,
    actor: &Actor,
    grant_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), RevokeError> {
    if !actor.is_admin() {
        return Err(RevokeError::NotAdmin(()));
    }
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
    let audit = role_audit(actor, AuditAction::PlatformRoleRevoked, "platform_role", grant_id, &grant.subject, now)
        .details(format!("platform role {} revoked", grant.role.code()));
    write(store, |tx| -> Result<_, StoreError> {
        tx.delete_platform_role(grant_id)?;
        tx.record_audit(&[audit])?;
        tx.append_events(&[event])
    })?;
    Ok(())
}

/// The subject that sandbox grants are recorded as granted by.
pub const SANDBOX_GRANTOR: &str = "sandbox";

crate::use_case_error! {
    /// Why the grant a sandbox token needs could not be recorded.
    pub enum SandboxGrantError {
        /// The subject is not one an identity provider gives, or a coordinator or host token
        /// names no organisation, or one that does not exist.
        Invalid(Invalid),
        Store(StoreError),
    }
}

/// Sandbox only: records the grant a minted token for `role` needs, so it works at once.
/// Coordinator and host need an existing organisation; the grant may exist already.
pub fn ensure_sandbox_grant(
    store: &dyn Store,
    subject: &str,
    role: Role,
    organisation_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), SandboxGrantError> {
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
            write(store, |tx| -> Result<_, StoreError> {
                tx.insert_platform_role(&grant)?;
                tx.append_events(&[event])
            })
        }
        Some(Grant::Membership(role)) => {
            let Some(organisation_id) = organisation_id else {
                return Err(SandboxGrantError::Invalid(Invalid::one(
                    "/organisation_id",
                    "required",
                    "Coordinator and host tokens need the organisation they work for.",
                )));
            };
            let organisation = match store.organisation(organisation_id) {
                Err(StoreError::NotFound) => {
                    return Err(SandboxGrantError::Invalid(Invalid::one(
                        "/organisation_id",
                        "unknown_organisation",
                        "There is no organisation with this id.",
                    )));
                }
                other => other?,
            };
            if let Some(error) = membership_kind_error(organisation.input.kind, role) {
                return Err(SandboxGrantError::Invalid(Invalid(vec![error])));
            }
            let membership = Membership {
                id: Uuid::now_v7(),
                organisation_id,
                subject,
                role,
                granted_by: SANDBOX_GRANTOR.to_string(),
                created_at: now,
            };
            let event = membership_granted(&membership, by, now);
            write(store, |tx| -> Result<_, StoreError> {
                tx.insert_membership(&membership)?;
                tx.append_events(&[event])
            })
        }
    };
    // Held already: nothing was stored, not even the event (the unit of work rolled back).
    match result {
        Ok(()) | Err(StoreError::Duplicate) => Ok(()),
        Err(e) => Err(e.into()),
    }
}
