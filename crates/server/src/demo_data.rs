//! TEMPORARY STUB (being replaced by the real demo data module).
use wex_domain::ports::Store;
pub struct DemoSummary { pub organisations: usize, pub sites: usize, pub departments: usize, pub placements: usize, pub created: usize }
pub fn load(_store: &dyn Store, _now: chrono::DateTime<chrono::Utc>) -> Result<DemoSummary, wex_domain::DomainError> {
    Ok(DemoSummary { organisations: 0, sites: 0, departments: 0, placements: 0, created: 0 })
}
