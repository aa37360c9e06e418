//! Drawing a placement: the entries frozen at close, their tiers from the priority rules, the
//! ranking of `wex-lottery-1`, and the public record anyone can re-run.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::StoreError;
use crate::model::application::{Application, ApplicationStatus};
use crate::model::lottery::{self, DrawSeed, Entry};
use crate::model::placement::Placement;
use crate::model::profile::Profile;
use crate::model::reference::{PriorityRule, SelectionMethod, code_enum};
use std::fmt;
code_enum! {
    DrawOutcome {
        Offered => ("offered", "Offered a place", "Drawn within the number of places."),
        Waitlisted => ("waitlisted", "On the waiting list", "Drawn after the places ran out: offered a place, in order, if one comes free."),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawnEntry {
    pub application_id: Uuid,
    pub ticket: Uuid,
    pub tier: u32,
    /// 1-based.
    pub position: u32,
    pub outcome: DrawOutcome,
}

/// A placement's draw: everything needed to check it, and the seed revealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draw {
    pub placement_id: Uuid,
    pub algorithm: String,
    pub capacity: u32,
    pub priority_rules: Vec<PriorityRule>,
    pub commitment: String,
    pub seed: DrawSeed,
    pub entries_digest: String,
    pub drawn_at: DateTime<Utc>,
    pub entries: Vec<DrawnEntry>,
}

/// What storing a draw found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    Created,
    /// Another process drew the placement first: its draw stands.
    AlreadyDrawn,
}

/// The tier of an entry: 1 + the index of the first rule it matches; `rules.len() + 1` if none.
pub fn tier_of(placement: &Placement, profile: &Profile) -> u32 {
    let rules = &placement.details.priority_rules;
    let matches = |rule: &PriorityRule| match rule {
        PriorityRule::CareExperienced => profile.input.is_care_experienced(),
        PriorityRule::InCatchment => {
            let area = placement.details.eligibility.catchment.as_deref().unwrap_or_default();
            profile.input.district().is_some_and(|d| area.iter().any(|a| a == d.as_str()))
        }
        PriorityRule::UserGroup(g) => profile.input.user_groups.contains(g),
    };
    let index = rules.iter().position(matches).unwrap_or(rules.len());
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// Draws a closed placement from its entrants (applications with their profiles). Pure: the same
/// inputs always give the same draw. A seed that does not match the placement's commitment is
/// corrupt stored data, so its one failure is the store's.
pub fn draw(
    placement: &Placement,
    seed: &DrawSeed,
    entrants: &[(Application, Profile)],
    now: DateTime<Utc>,
) -> Result<Draw, StoreError> {
    let commitment = placement.draw_commitment.clone().unwrap_or_default();
    if seed.commitment() != commitment {
        return Err(StoreError::Internal(format!(
            "the stored seed of placement {} does not match its commitment",
            placement.id
        )));
    }
    let by_ticket: std::collections::HashMap<Uuid, Uuid> = entrants.iter().map(|(a, _)| (a.ticket, a.id)).collect();
    let review = placement.details.selection_method == SelectionMethod::NameBlindReview;
    let entered: Vec<(&Application, u32)> = entrants
        .iter()
        .filter(|(a, _)| a.status == ApplicationStatus::Submitted && a.placement_id == placement.id)
        // Under name-blind review only those judged to meet the criteria enter.
        .filter(|(a, _)| !review || a.meets_criteria == Some(true))
        .map(|(a, p)| (a, tier_of(placement, p)))
        .collect();
    let entries: Vec<Entry> = entered.iter().map(|(a, tier)| Entry { ticket: a.ticket, tier: *tier }).collect();
    let capacity = u32::try_from(placement.details.capacity).unwrap_or(0);
    let ranked = lottery::rank(seed, placement.id, &entries);
    let drawn = ranked
        .iter()
        .map(|r| {
            let application_id = by_ticket.get(&r.ticket).copied().unwrap_or_default();
            DrawnEntry {
                application_id,
                ticket: r.ticket,
                tier: r.tier,
                position: r.position,
                outcome: if r.position <= capacity { DrawOutcome::Offered } else { DrawOutcome::Waitlisted },
            }
        })
        .collect();
    Ok(Draw {
        placement_id: placement.id,
        algorithm: lottery::ALGORITHM.to_string(),
        capacity,
        priority_rules: placement.details.priority_rules.clone(),
        commitment,
        seed: seed.clone(),
        entries_digest: lottery::entries_digest(&entries),
        drawn_at: now,
        entries: drawn,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_follow_the_first_matching_rule() {
        use crate::model::reference::UserGroup;
        let now = Utc::now();
        let mut placement =
            Placement::draft(Uuid::now_v7(), Uuid::now_v7(), crate::model::placement::tests::details(), now);
        placement.details.priority_rules =
            vec![PriorityRule::CareExperienced, PriorityRule::UserGroup(UserGroup::Veterans)];
        let mut profile = Profile {
            id: Uuid::now_v7(),
            subject: Some("s".into()),
            input: crate::model::profile::tests::input(),
            managed_by: None,
            consent: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        assert_eq!(tier_of(&placement, &profile), 3);
        profile.input.user_groups = vec![UserGroup::Veterans];
        assert_eq!(tier_of(&placement, &profile), 2);
        profile.input.care_experienced = Some(true);
        assert_eq!(tier_of(&placement, &profile), 1);
        placement.details.priority_rules = vec![];
        assert_eq!(tier_of(&placement, &profile), 1);
    }
}
