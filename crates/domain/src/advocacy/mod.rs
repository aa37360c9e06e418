//! Advocates acting for applicants: links by invitation, profiles managed for people without an
//! account, and supporting information on applications.

mod access;
mod links;
mod managed;
mod reads;
mod supporting;

pub use access::{NotYoursError, can_act_for, is_advocate_for};
pub use links::{AcceptError, InviteError, RevokeError, accept, invite, my_link, my_links, revoke};
pub use managed::{
    CreateManagedError, UpdateApplicantProfileError, applicant_profile, create_managed, update_applicant_profile,
};
pub(crate) use reads::advocate_read;
pub use reads::{applicant_applications, my_applicants, read_applicant_profile};
pub use supporting::{SupportingInformationError, add_supporting_information};
