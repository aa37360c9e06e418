//! What the reports count, defined once. The report store writes its grouped queries from these
//! definitions and decides none of them itself, so changing a definition here changes every
//! report that uses it.

use crate::model::application::{ApplicationStatus, Stage};
use crate::model::reference::PlacementStatus;

/// The definitions every report query is written from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counting {
    /// An application fills a place once it reaches this stage: its place was accepted.
    pub filled: Stage,
    /// A host has hosted once a participant of their placement reached this stage.
    pub hosted: Stage,
    /// A placement counts as completed once one of its participants reached this stage.
    pub completed: Stage,
    /// An outcome is still owed to an application in one of these statuses that has not been given
    /// one; it is overdue from the day after its `outcome_expected_by`.
    pub awaiting_outcome: &'static [ApplicationStatus],
    /// Supply and demand count published placements, except those now in one of these statuses.
    pub withdrawn_from_supply: &'static [PlacementStatus],
}

/// The platform's definitions.
pub const COUNTING: Counting = Counting {
    filled: Stage::Accepted,
    hosted: Stage::Attended,
    completed: Stage::Completed,
    // Only a submitted application waits for the draw: every other status is an outcome, or the
    // applicant's or the organisation's own ending of it.
    awaiting_outcome: &[ApplicationStatus::Submitted],
    withdrawn_from_supply: &[PlacementStatus::Cancelled],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filled_place_is_one_accepted_and_not_yet_one_only_offered() {
        assert!(Stage::Accepted >= COUNTING.filled);
        assert!(Stage::Offered < COUNTING.filled);
        assert!(COUNTING.filled < COUNTING.hosted && COUNTING.hosted < COUNTING.completed);
    }

    #[test]
    fn only_applications_still_in_the_draw_are_owed_an_outcome() {
        for status in ApplicationStatus::ALL {
            let waiting =
                status.is_active() && !matches!(status, ApplicationStatus::Offered | ApplicationStatus::Waitlisted);
            assert_eq!(COUNTING.awaiting_outcome.contains(status), waiting, "{status:?}");
        }
    }
}
