//! What the domain needs from storage. The persistence crate implements these for SQLite and
//! PostgreSQL; every method fails with [`StoreError::Unavailable`] when the database cannot be
//! reached, and with [`StoreError::Internal`] for defects.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::{DomainError, StoreError};
use crate::model::advocacy::{AdvocateLink, SupportingInformation};
use crate::model::allocation::Allocation;
use crate::model::application::{Application, ApplicationEvent, ApplicationStatus};
use crate::model::auth::{Grants, Membership, PlatformRoleGrant};
use crate::model::draw::{Draw, Stored};
use crate::model::lottery::DrawSeed;
use crate::model::notification::Notification;
use crate::model::offer::Offer;
use crate::model::organisation::{Department, Organisation, Site, TeamContact};
use crate::model::page::{Page, PageRequest};
use crate::model::participation::{AuditEntry, Certificate, HostFeedback, ParticipantFeedback};
use crate::model::placement::{Placement, PlacementCursor, PlacementFilter};
use crate::model::profile::Profile;

mod api_clients;
mod delivery;
mod erasure;
mod operations;
mod providers;
pub mod rate_limits;
mod readiness;
mod report_snapshots;
mod retention;
mod subject_access;
mod t_level;
mod test_data;
mod webhooks;

pub use api_clients::ApiClientStore;
pub use delivery::{DeliveryStore, Transport};
pub use erasure::ErasureStore;
pub use operations::{OperationsStore, PoolMonitor};
pub use providers::ProviderStore;
pub use rate_limits::RateLimitStore;
pub use readiness::ReadinessStore;
pub use report_snapshots::ReportSnapshotStore;
pub use retention::{Purge, REMOVED, RetentionStore};
pub use subject_access::{FrozenCharacteristics, GivenFeedback, SubjectAccessStore};
pub use t_level::TLevelStore;
pub use test_data::TestDataStore;
pub use webhooks::{WebhookSender, WebhookStore};

pub type StoreResult<T> = Result<T, StoreError>;

/// Updates take the version the caller read: they fail with `VersionConflict` if the row has
/// moved on, and with `NotFound` if it is gone. Reads by id fail with `NotFound`.
pub trait OrganisationStore {
    /// `Duplicate` when the ODS code is taken.
    fn insert_organisation(&self, org: &Organisation) -> StoreResult<()>;
    fn organisation(&self, id: Uuid) -> StoreResult<Organisation>;
    /// In id (creation) order.
    fn organisations(&self, page: &PageRequest<Uuid>) -> StoreResult<Page<Organisation, Uuid>>;
    /// `Duplicate` when the ODS code is taken.
    fn update_organisation(&self, org: &Organisation, expected_version: i64) -> StoreResult<()>;

    fn insert_site(&self, site: &Site) -> StoreResult<()>;
    fn site(&self, id: Uuid) -> StoreResult<Site>;
    fn sites_of(&self, organisation_id: Uuid, page: &PageRequest<Uuid>) -> StoreResult<Page<Site, Uuid>>;
    fn update_site(&self, site: &Site, expected_version: i64) -> StoreResult<()>;

    fn insert_department(&self, department: &Department) -> StoreResult<()>;
    fn department(&self, id: Uuid) -> StoreResult<Department>;
    fn departments_of(&self, organisation_id: Uuid, page: &PageRequest<Uuid>) -> StoreResult<Page<Department, Uuid>>;
    fn update_department(&self, department: &Department, expected_version: i64) -> StoreResult<()>;

    /// The address of the organisation's work experience team, if it gave one.
    fn team_contact(&self, organisation_id: Uuid) -> StoreResult<Option<TeamContact>>;
    /// Creates or replaces the team's address.
    fn put_team_contact(&self, contact: &TeamContact) -> StoreResult<()>;
    /// `NotFound` when none is set.
    fn delete_team_contact(&self, organisation_id: Uuid) -> StoreResult<()>;
}

/// Grants: who holds which platform role and which organisation membership.
pub trait IdentityStore {
    /// Everything the platform has granted to a subject.
    fn grants_of(&self, subject: &str) -> StoreResult<Grants>;

    /// `Duplicate` when the subject already holds that role there.
    fn insert_membership(&self, membership: &Membership) -> StoreResult<()>;
    fn membership(&self, id: Uuid) -> StoreResult<Membership>;
    fn memberships_of(&self, organisation_id: Uuid, page: &PageRequest<Uuid>) -> StoreResult<Page<Membership, Uuid>>;
    fn delete_membership(&self, id: Uuid) -> StoreResult<()>;

    /// `Duplicate` when the subject already holds the role.
    fn insert_platform_role(&self, grant: &PlatformRoleGrant) -> StoreResult<()>;
    fn platform_role(&self, id: Uuid) -> StoreResult<PlatformRoleGrant>;
    fn platform_roles(&self, page: &PageRequest<Uuid>) -> StoreResult<Page<PlatformRoleGrant, Uuid>>;
    fn delete_platform_role(&self, id: Uuid) -> StoreResult<()>;
}

pub trait PlacementStore {
    fn insert_placement(&self, placement: &Placement) -> StoreResult<()>;
    fn placement(&self, id: Uuid) -> StoreResult<Placement>;
    /// The placements with the organisation, site and department each names, in one query, in no
    /// particular order; ids not found are left out.
    fn placement_records(&self, ids: &[Uuid]) -> StoreResult<Vec<crate::model::placement::PlacementRecord>>;
    /// What these placements name (organisation, site, department) by placement id, in one query,
    /// for placements already read (a search page): it reads no placement column twice.
    fn placement_contexts(&self, ids: &[Uuid]) -> StoreResult<Vec<crate::model::placement::PlacementContext>>;
    fn update_placement(&self, placement: &Placement, expected_version: i64) -> StoreResult<()>;
    /// Stores the published placement and its secret seed in one transaction.
    fn publish_placement(&self, placement: &Placement, expected_version: i64, seed: &DrawSeed) -> StoreResult<()>;
    /// Ordered by (closes_at, id); see [`PlacementFilter`] for what each filter means.
    fn search_placements(
        &self,
        filter: &PlacementFilter,
        now: DateTime<Utc>,
        page: &PageRequest<PlacementCursor>,
    ) -> StoreResult<Page<Placement, PlacementCursor>>;
}

/// A stored response to a create request, replayed when the same `Idempotency-Key` comes again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
    pub etag: Option<String>,
}

/// What a key reservation found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reservation {
    /// The key is new and now reserved for this request.
    Reserved,
    /// The key was used before, with this request fingerprint and (once complete) this response.
    Existing { request_hash: String, response: Option<StoredResponse> },
}

/// Keys are scoped to the caller's subject and remembered for a day.
pub trait IdempotencyStore {
    fn reserve_key(&self, subject: &str, key: &str, request_hash: &str, now: DateTime<Utc>)
    -> StoreResult<Reservation>;
    fn complete_key(&self, subject: &str, key: &str, response: &StoredResponse) -> StoreResult<()>;
    /// Frees a reservation whose request failed, so a retry can run.
    fn release_key(&self, subject: &str, key: &str) -> StoreResult<()>;
}

pub trait ProfileStore {
    /// `NotFound` when the subject has no profile of their own.
    fn profile_by_subject(&self, subject: &str) -> StoreResult<Profile>;
    fn profile(&self, id: Uuid) -> StoreResult<Profile>;
    fn profiles_by_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<Profile>>;
    /// `Duplicate` when the subject already has a profile.
    fn insert_profile(&self, profile: &Profile) -> StoreResult<()>;
    fn update_profile(&self, profile: &Profile, expected_version: i64) -> StoreResult<()>;
}

pub trait ApplicationStore {
    /// Locks the applicant until the unit of work ends, so that their submissions are decided
    /// one at a time (a row lock on PostgreSQL; SQLite's write transaction already holds the
    /// database). Call inside [`Store::atomically`].
    fn lock_applicant(&self, profile_id: Uuid) -> StoreResult<()>;
    /// The placement and status of each of the profile's applications (for the rules on applying
    /// twice and on how many may wait for an outcome at once).
    fn application_statuses(&self, profile_id: Uuid) -> StoreResult<Vec<(Uuid, ApplicationStatus)>>;
    /// Stores a new application, its first history entry, its notifications and any new advocate
    /// link (for the support worker it names). `Duplicate` when the profile already applied.
    fn insert_application(
        &self,
        application: &Application,
        event: &ApplicationEvent,
        notifications: &[Notification],
        link: Option<&AdvocateLink>,
    ) -> StoreResult<()>;
    fn application(&self, id: Uuid) -> StoreResult<Application>;
    /// A profile's applications in id (creation) order.
    fn applications_of_profile(
        &self,
        profile_id: Uuid,
        page: &PageRequest<Uuid>,
    ) -> StoreResult<Page<Application, Uuid>>;
    fn applications_for_placement(
        &self,
        placement_id: Uuid,
        page: &PageRequest<Uuid>,
    ) -> StoreResult<Page<Application, Uuid>>;
    /// How many applications the placement has in each status.
    fn application_counts(&self, placement_id: Uuid) -> StoreResult<Vec<(ApplicationStatus, i64)>>;
    /// The application's history, oldest first.
    fn events_of(&self, application_id: Uuid) -> StoreResult<Vec<ApplicationEvent>>;
    /// Stores a changed application (version check), its event and notifications in one transaction.
    fn transition_application(
        &self,
        application: &Application,
        expected_version: i64,
        event: &ApplicationEvent,
        notifications: &[Notification],
    ) -> StoreResult<()>;
}

pub trait AdvocacyStore {
    /// Stores a new link and its invitation in one transaction.
    fn insert_link(&self, link: &AdvocateLink, notifications: &[Notification]) -> StoreResult<()>;
    fn link(&self, id: Uuid) -> StoreResult<AdvocateLink>;
    fn links_of_profile(&self, profile_id: Uuid) -> StoreResult<Vec<AdvocateLink>>;
    /// The address of every advocate holding an active link to one of these profiles, as
    /// (profile, address) pairs: where copies of the applicants' messages go. Links of managed
    /// profiles have no address.
    fn advocate_addresses(&self, profile_ids: &[Uuid]) -> StoreResult<Vec<(Uuid, String)>>;
    fn update_link(&self, link: &AdvocateLink, expected_version: i64) -> StoreResult<()>;
    /// Whether `subject` holds an active link to the profile.
    fn has_active_link(&self, profile_id: Uuid, subject: &str) -> StoreResult<bool>;
    /// Profiles `subject` holds an active link to, in id order.
    fn profiles_advocated_by(&self, subject: &str, page: &PageRequest<Uuid>) -> StoreResult<Page<Profile, Uuid>>;
    /// Stores a managed profile and its advocate's link in one transaction.
    fn insert_managed_profile(&self, profile: &Profile, link: &AdvocateLink) -> StoreResult<()>;
    fn insert_supporting_information(&self, info: &SupportingInformation) -> StoreResult<()>;
    /// Oldest first.
    fn supporting_information_of(&self, application_id: Uuid) -> StoreResult<Vec<SupportingInformation>>;
}

pub trait DrawStore {
    /// The secret seed of a published placement (`NotFound` before publishing).
    fn draw_seed(&self, placement_id: Uuid) -> StoreResult<DrawSeed>;
    /// The placement's draw, once drawn.
    fn draw(&self, placement_id: Uuid) -> StoreResult<Option<Draw>>;
    /// Stores a draw with the placement as the draw left it (version check against
    /// `placement_version`) and what the draw gives (offers, the waiting list), in one
    /// transaction, unless it was drawn already (then nothing is written).
    fn insert_draw(
        &self,
        draw: &Draw,
        placement: &Placement,
        placement_version: i64,
        allocation: &Allocation,
    ) -> StoreResult<Stored>;
    /// Up to `limit` placements chosen by `method` that show `status` at `now`
    /// (`PlacementStatus::stored_forms`), earliest closing first.
    fn placements_showing(
        &self,
        status: crate::model::reference::PlacementStatus,
        method: crate::model::reference::SelectionMethod,
        now: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Uuid>>;
    /// Every application of a placement (for the draw).
    fn all_applications_for_placement(&self, placement_id: Uuid) -> StoreResult<Vec<Application>>;
}

pub trait OfferStore {
    fn offer(&self, id: Uuid) -> StoreResult<Offer>;
    /// The latest offer made on an application, if any.
    fn offer_of_application(&self, application_id: Uuid) -> StoreResult<Option<Offer>>;
    /// The placement's offers whose status holds a place ([`crate::model::offer::OfferStatus::holds_place`]).
    fn places_taken(&self, placement_id: Uuid) -> StoreResult<u32>;
    /// Locks the placement until the unit of work ends, so that its places are given one change
    /// at a time (a row lock on PostgreSQL; SQLite's write transaction already holds the
    /// database). Call inside [`Store::atomically`].
    fn lock_placement(&self, placement_id: Uuid) -> StoreResult<()>;
    /// The placement's waiting list, in draw order.
    fn waiting_list(&self, placement_id: Uuid) -> StoreResult<Vec<Application>>;
    /// The latest offer on each of these applications that has one.
    fn offers_of_applications(&self, application_ids: &[Uuid]) -> StoreResult<Vec<Offer>>;
    /// The waiting lists of these placements as (placement, application) pairs, each placement's
    /// in draw order.
    fn waiting_lists(&self, placement_ids: &[Uuid]) -> StoreResult<Vec<(Uuid, Uuid)>>;
    /// Stores an answered (or expired) offer with its application, event and messages, in one
    /// transaction; `VersionConflict` if either changed meanwhile.
    fn answer_offer(
        &self,
        offer: &Offer,
        offer_version: i64,
        application: &Application,
        application_version: i64,
        event: &ApplicationEvent,
        notifications: &[Notification],
    ) -> StoreResult<()>;
    /// Stores an allocation: new offers, ended offers, changed applications (`VersionConflict`
    /// if one changed since it was read), history and messages.
    fn store_allocation(&self, allocation: &Allocation) -> StoreResult<()>;
    /// Open offers whose deadline has passed.
    fn offers_past_deadline(&self, now: DateTime<Utc>, limit: u32) -> StoreResult<Vec<Offer>>;
    /// Waitlisted applications of placements starting on or before `date`.
    fn waitlisted_at_start(&self, date: chrono::NaiveDate, limit: u32) -> StoreResult<Vec<Application>>;
    /// Stores the cancelled placement (version check) with what it ends, in one transaction.
    fn cancel_with(&self, placement: &Placement, expected_version: i64, allocation: &Allocation) -> StoreResult<()>;
}

pub trait ParticipationStore {
    /// `Duplicate` when the host is named already.
    fn add_host(&self, placement_id: Uuid, subject: &str, named_by: &str, now: DateTime<Utc>) -> StoreResult<()>;
    fn hosts_of(&self, placement_id: Uuid) -> StoreResult<Vec<String>>;
    /// `NotFound` when the host is not named.
    fn remove_host(&self, placement_id: Uuid, subject: &str) -> StoreResult<()>;
    fn is_host(&self, placement_id: Uuid, subject: &str) -> StoreResult<bool>;
    fn record_audit(&self, entries: &[AuditEntry]) -> StoreResult<()>;
    /// The entries every filter given matches, by id (oldest or newest first, as the filter says).
    fn audit_entries(
        &self,
        filter: &crate::model::audit::AuditFilter,
        page: &PageRequest<Uuid>,
    ) -> StoreResult<Page<AuditEntry, Uuid>>;
    /// Stores the completed application, its event, the certificate and messages in one transaction.
    fn complete_with_certificate(
        &self,
        application: &Application,
        expected_version: i64,
        event: &ApplicationEvent,
        certificate: &Certificate,
        notifications: &[Notification],
    ) -> StoreResult<()>;
    fn certificate(&self, code: &str) -> StoreResult<Certificate>;
    /// `Duplicate` when feedback was given already.
    fn insert_participant_feedback(
        &self,
        application_id: Uuid,
        feedback: &ParticipantFeedback,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// `Duplicate` when feedback was given already.
    fn insert_host_feedback(
        &self,
        placement_id: Uuid,
        subject: &str,
        feedback: &HostFeedback,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
}

/// Equality answers. Only the applicant's own endpoints and reports (which only count) use it.
pub trait EqualityStore {
    fn equality_response(&self, profile_id: Uuid) -> StoreResult<Option<crate::model::equality::Response>>;
    /// Creates or replaces.
    fn put_equality_response(&self, profile_id: Uuid, response: &crate::model::equality::Response) -> StoreResult<()>;
    /// `NotFound` when there is nothing to delete.
    fn delete_equality_response(&self, profile_id: Uuid) -> StoreResult<()>;
}

/// Grouped counts for reports. Implementations count in the database; nothing here returns a row
/// about one person.
pub trait ReportStore {
    /// Applications to placements matching the filter, grouped as asked (and by region when
    /// `by_region`), counted by the furthest stage reached.
    fn funnel_counts(
        &self,
        grouping: crate::model::reports::uptake::Grouping,
        filter: &crate::model::reports::ReportFilter,
        by_region: bool,
    ) -> StoreResult<Vec<crate::model::reports::uptake::FunnelCount>>;
    /// How many different people applied to placements matching the filter.
    fn people(&self, filter: &crate::model::reports::ReportFilter) -> StoreResult<u64>;
    /// How many applications there are to placements matching the filter, and the most that any
    /// one of those placements has: bounds on [`people`](Self::people) that cost little to know.
    fn application_bounds(&self, filter: &crate::model::reports::ReportFilter) -> StoreResult<(u64, u64)>;
    /// Outcomes owed by organisation and month of `outcome_by`, as of `today`.
    fn timeliness_counts(
        &self,
        filter: &crate::model::reports::ReportFilter,
        counting: &crate::model::reports::counting::Counting,
        today: chrono::NaiveDate,
    ) -> StoreResult<Vec<crate::model::reports::measures::TimelinessCount>>;
    /// Placements in supply (published, and not withdrawn from it), their places, applications and
    /// places filled, as `counting` defines them.
    fn supply_counts(
        &self,
        by: crate::model::reports::measures::SupplyBy,
        filter: &crate::model::reports::ReportFilter,
        counting: &crate::model::reports::counting::Counting,
    ) -> StoreResult<Vec<crate::model::reports::measures::SupplyCount>>;
    fn implementation_counts(
        &self,
        filter: &crate::model::reports::ReportFilter,
        counting: &crate::model::reports::counting::Counting,
    ) -> StoreResult<crate::model::reports::measures::ImplementationCounts>;
    fn feedback_counts(
        &self,
        filter: &crate::model::reports::ReportFilter,
    ) -> StoreResult<crate::model::reports::measures::FeedbackCounts>;
    /// T-level placements in supply (as `supply_counts` has them) with their places filled, the
    /// different students holding them and the hours logged on them, grouped as asked; and the
    /// number of different students overall.
    fn t_level_counts(
        &self,
        by: crate::model::reports::measures::SupplyBy,
        filter: &crate::model::reports::ReportFilter,
        counting: &crate::model::reports::counting::Counting,
    ) -> StoreResult<(Vec<crate::model::reports::t_level::TLevelCount>, u64)>;
}

/// The append-only log of domain events.
pub trait EventStore {
    /// Appends the events in order; called inside the unit of work that stores their changes.
    fn append_events(&self, events: &[crate::model::event::DomainEvent]) -> StoreResult<()>;
    /// Events after `after` in sequence order, at most `limit`.
    fn events_after(&self, after: i64, limit: u32) -> StoreResult<Vec<crate::model::event::RecordedEvent>>;
    /// The position of the newest event the feed has served or may serve: a new webhook endpoint
    /// starts from it.
    fn feed_end(&self) -> StoreResult<crate::model::feed::FeedPosition>;
    /// The change feed: events of `query.kinds` after `query.after` in its scope, in (transaction,
    /// sequence) order, at most `query.limit`, each with its position. Only events whose
    /// transaction no running transaction precedes, so that none can appear later behind them.
    fn feed(
        &self,
        query: &crate::model::feed::FeedQuery,
    ) -> StoreResult<Vec<(crate::model::feed::FeedPosition, crate::model::event::RecordedEvent)>>;
}

pub trait NotificationStore {
    /// Writes messages to the outbox, due at once; called inside the unit of work whose change
    /// they tell of.
    fn enqueue(&self, messages: &[Notification]) -> StoreResult<()>;
    fn notification(&self, id: Uuid) -> StoreResult<Notification>;
    /// The outbox in creation order.
    fn notifications(&self, page: &PageRequest<Uuid>) -> StoreResult<Page<Notification, Uuid>>;
}

/// Everything the API needs, behind one object.
pub trait Store:
    OrganisationStore
    + IdentityStore
    + PlacementStore
    + IdempotencyStore
    + RateLimitStore
    + ProfileStore
    + ApplicationStore
    + NotificationStore
    + DeliveryStore
    + AdvocacyStore
    + DrawStore
    + OfferStore
    + ParticipationStore
    + EqualityStore
    + ReportStore
    + ReportSnapshotStore
    + EventStore
    + WebhookStore
    + ApiClientStore
    + TestDataStore
    + SubjectAccessStore
    + ErasureStore
    + RetentionStore
    + ReadinessStore
    + ProviderStore
    + TLevelStore
    + OperationsStore
    + PoolMonitor
    + Send
    + Sync
{
    /// Succeeds when the database answers a trivial query.
    fn ping(&self) -> StoreResult<()>;

    /// Runs `work` with every store call on one connection, taken once: a request's reads see the
    /// database through one checkout. Each statement commits on its own unless `work` asks for
    /// [`Store::atomically`].
    fn session(&self, work: Work<'_>) -> Result<(), DomainError>;

    /// Runs `work` in one transaction on one connection: everything it writes is stored if it
    /// returns `Ok`, nothing if it returns an error. Nested, it runs in a savepoint. On SQLite the
    /// transaction takes the write lock when it begins, so rules read inside it hold until it ends;
    /// on PostgreSQL a rule that reads what another writer may change locks the rows it reads.
    fn atomically(&self, work: Work<'_>) -> Result<(), DomainError>;

    /// Runs `work` with every audit entry it records stamped with the request it serves, and
    /// every event and audit entry attributed to an API client and the person in its own system
    /// it acts for, when the stamp names them.
    fn stamped(&self, stamp: &crate::model::audit::Stamp, work: Work<'_>) -> Result<(), DomainError>;
}

/// A unit of work as [`Store::session`] and [`Store::atomically`] run it (see
/// [`crate::unit_of_work`] for the typed helpers use cases call).
pub type Work<'a> = &'a mut dyn FnMut(&dyn Store) -> Result<(), DomainError>;

/// Wholesale changes for the sandbox's demo data, which replaces everything each time it loads so
/// that a walk-through can be run again from the start. Deliberately not part of [`Store`]: no
/// request handler can reach it, and only the `wex` binary calls it, in sandbox mode.
pub trait SandboxStore {
    /// Deletes every row of every table (migrations stay), in one transaction.
    fn empty_database(&self) -> StoreResult<()>;
    /// Deletes every message in the outbox.
    fn empty_outbox(&self) -> StoreResult<()>;
}
