//! After a place is accepted: hosts named for a placement, the participants they and coordinators
//! may then see (each reveal written to the audit log), attendance, completion with a verifiable
//! certificate, and the feedback surveys of the Discovery Report's Appendix B.

mod access;
mod attendance;
mod feedback;
mod hosts;
mod participants;

pub use access::HiddenPlacementError;
pub use attendance::{
    AttendanceError, CertificateError, CompleteError, VerifiedCertificate, complete, record_attendance,
    verify_certificate,
};
pub use feedback::{FeedbackError, HostFeedbackError, give_feedback, give_host_feedback};
pub use hosts::{AddHostError, add_host, hosts, remove_host};
pub use participants::{AuditTrailError, Participant, audit_log, participants};
