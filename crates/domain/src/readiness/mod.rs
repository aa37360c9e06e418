//! Readiness between "place accepted" and the first day (issue 14): each accepted place's
//! checklist of what its placement requires (and, for under-16s, a parent's or carer's consent and
//! an emergency contact), completed by the participant, their advocate or the organisation, each
//! change an event and each view of consent or contact details an audit entry; the placement's
//! list of who is ready; and the reminders a week before the start.

mod access;
mod complete;
mod list;
mod remind;
mod view;

pub use access::ReadinessAccessError;
pub use complete::{CompleteItemError, Completion, OverrideError, complete_item, override_item};
pub use list::{PlacementReadiness, ReadinessRow, placement_readiness};
pub use remind::{PARTICIPANT_KIND, TEAM_KIND, send_due};
pub use view::{Readiness, checklist, missing_for};
