//! Data protection: what people may ask of the data held about them (issue 13): the subject
//! access export, erasure and retention, all following the register of personal data
//! (`wex_persistence::personal_data`).

mod erasure;
mod export;
pub mod retention;

pub use erasure::{
    ErasedBy, Erasure, ErasureError, erase_by_admin, erase_expired, erase_managed, erase_mine, erase_student,
};
pub use export::{
    ExportError, ExportedApplication, SubjectAccessExport, TLevelRecord, export_for_applicant, export_for_student,
    export_mine,
};
