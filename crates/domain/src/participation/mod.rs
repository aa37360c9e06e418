//! After a place is accepted: hosts named for a placement, the participants they and coordinators
//! may then see (each reveal written to the audit log), attendance, completion with a verifiable
//! certificate, and the feedback surveys of the Discovery Report's Appendix B.

mod access;
mod attendance;
mod feedback;
mod hosts;
mod participants;

pub use attendance::{AttendanceError, complete, record_attendance, verify_certificate};
pub use feedback::{give_feedback, give_host_feedback};
pub use hosts::{add_host, hosts, remove_host};
pub use participants::{Participant, audit_log, participants};
