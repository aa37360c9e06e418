//! Education providers' students.

use uuid::Uuid;

use super::StoreResult;
use crate::model::page::{Page, PageRequest};
use crate::model::profile::Profile;
use crate::model::provider::Student;

pub trait ProviderStore {
    /// Stores a student's managed profile and their place at the provider in one transaction.
    fn insert_student(&self, profile: &Profile, student: &Student) -> StoreResult<()>;
    /// Makes an existing profile (a student with their own account) a student of the provider;
    /// `Duplicate` when it is a provider's student already.
    fn enrol_student(&self, student: &Student) -> StoreResult<()>;
    /// `NotFound` when the profile is no provider's student.
    fn student(&self, profile_id: Uuid) -> StoreResult<Student>;
    /// The students among these profiles; profiles of no provider are left out.
    fn students_by_profile_ids(&self, profile_ids: &[Uuid]) -> StoreResult<Vec<Student>>;
    /// A provider's students with their profiles, in profile id order.
    fn students_of(
        &self,
        organisation_id: Uuid,
        page: &PageRequest<Uuid>,
    ) -> StoreResult<Page<(Student, Profile), Uuid>>;
    /// Replaces a student's course (the profile is stored with `update_profile` in the same unit
    /// of work, which checks its version).
    fn update_student(&self, student: &Student) -> StoreResult<()>;
}
