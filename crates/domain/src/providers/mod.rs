//! Education providers (colleges) and T level industry placements arranged by agreement: a
//! provider coordinator manages their college's students and proposes them for a placement; the
//! placement's organisation accepts or declines each proposal. A proposal is an application the
//! college submits on the student's behalf, so that an accepted one is an accepted place like any
//! other (hosts, attendance, completion and the certificate work unchanged).

mod access;
mod decisions;
mod enrol;
mod proposals;
mod students;

pub use access::{
    ProviderAccessError, StudentAccessError, coordinates_provider_of_application, provider_of_profile,
    require_provider_coordinator, student_of,
};
pub use decisions::{
    AcceptProposalError, DeclineProposalError, PlacementProposalsError, Proposal, accept_proposal, decline_proposal,
    placement_proposals,
};
pub use enrol::{EnrolStudentError, enrol_student};
pub use proposals::{ProposeError, ProposeRequest, WithdrawProposalError, propose, withdraw_proposal};
pub use students::{
    CreateStudentError, StudentPlacement, UpdateStudentError, create_student, list_students, read_student,
    student_applications, update_student,
};
