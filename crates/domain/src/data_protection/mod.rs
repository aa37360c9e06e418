//! Data protection: what people may ask of the data held about them (issue 13). The subject
//! access export and retention; erasure will read the same register of personal data
//! (`wex_persistence::personal_data`).

mod export;
pub mod retention;

pub use export::{ExportError, ExportedApplication, SubjectAccessExport, export_for_applicant, export_mine};
