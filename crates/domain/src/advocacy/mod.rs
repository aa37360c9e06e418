//! Advocates acting for applicants: links by invitation, profiles managed for people without an
//! account, and supporting information on applications.

mod access;
mod links;
mod managed;
mod supporting;

pub use access::{can_act_for, is_advocate_for};
pub use links::{accept, invite, my_link, my_links, revoke};
pub use managed::{applicant_profile, create_managed, my_applicants, update_applicant_profile};
pub use supporting::add_supporting_information;
