//! Readiness: what a placement requires before someone may start (its requirements, part of the
//! placement), and each accepted place's checklist of those items, with who completed each and
//! when. Pure rules: which items a participant owes (under-16s always owe a parent's or carer's
//! consent and an emergency contact), who may complete or override each, and whether they are ready.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;
use validator::Validate;

use crate::error::FieldError;
use crate::model::application::ChangedBy;
use crate::model::reference::code_enum;
use crate::model::validation::{field_errors, not_blank};

code_enum! {
    /// What a placement can require before someone may start. Each has a plain-language reason
    /// (`why_we_ask`) shown to applicants before they apply.
    RequirementKind {
        ParticipantAgreement => ("participant_agreement", "Participant agreement accepted",
            "So that you know what you will and will not do, and how to behave safely on the placement."),
        ConfidentialityStatement => ("confidentiality_statement", "Confidentiality statement accepted",
            "You may see or hear things about patients: you promise to keep them to yourself."),
        ParentCarerConsent => ("parent_carer_consent", "Parent or carer consent",
            "A parent or carer must agree before someone under 16 takes part (and under 18 where the placement asks). Given through your advocate's account."),
        EmergencyContact => ("emergency_contact", "Emergency contact",
            "So that we can reach someone if you are unwell or need help during the placement. Always needed if you are under 16."),
        Induction => ("induction", "Induction completed",
            "A short online module about safety, infection control and what to expect, done before your first day."),
        OccupationalHealth => ("occupational_health", "Occupational health clearance",
            "Some areas need a health check first, to keep you and patients safe. The organisation records only yes or no."),
        DbsClearance => ("dbs_clearance", "DBS clearance",
            "Some placements work with vulnerable people and need a criminal record check. The organisation records only yes or no, never the certificate."),
        AdjustmentsAgreed => ("adjustments_agreed", "Adjustments agreed",
            "The organisation confirms that the changes you need to take part are agreed and in place."),
    }
}

/// Who completes an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completer {
    /// The participant, or an advocate acting for them.
    Participant,
    /// A parent or carer: an advocate with an active link to the participant.
    ParentOrCarer,
    /// A coordinator of the placement's organisation: its own checks.
    Organisation,
}

impl Completer {
    pub fn code(self) -> &'static str {
        match self {
            Completer::Participant => "participant",
            Completer::ParentOrCarer => "parent_or_carer",
            Completer::Organisation => "organisation",
        }
    }

    /// Whether someone acting as `role` completes an item of this kind.
    pub fn allows(self, role: ChangedBy) -> bool {
        match self {
            Completer::Participant => matches!(role, ChangedBy::Applicant | ChangedBy::Advocate),
            Completer::ParentOrCarer => role == ChangedBy::Advocate,
            Completer::Organisation => role == ChangedBy::Coordinator,
        }
    }
}

impl RequirementKind {
    pub fn completer(self) -> Completer {
        match self {
            RequirementKind::ParentCarerConsent => Completer::ParentOrCarer,
            RequirementKind::OccupationalHealth
            | RequirementKind::DbsClearance
            | RequirementKind::AdjustmentsAgreed => Completer::Organisation,
            _ => Completer::Participant,
        }
    }
}

/// The most requirements of its own a placement may list.
pub const MAX_CUSTOM: usize = 10;

/// A requirement of the placement's own, with the reason it is asked. The participant completes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct CustomRequirement {
    #[validate(length(min = 1, max = 500), custom(function = "not_blank"))]
    pub text: String,
    #[validate(length(min = 1, max = 500), custom(function = "not_blank"))]
    pub why_we_ask: String,
}

/// What a placement requires before someone may start. Fixed once applications open. Listing
/// `parent_carer_consent` asks it of everyone under 18; under-16s always owe it and an emergency
/// contact, listed or not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct Requirements {
    #[serde(default)]
    pub kinds: Vec<RequirementKind>,
    /// The online induction module: required when `induction` is listed.
    #[serde(default)]
    #[validate(length(max = 2000))]
    pub induction_url: Option<String>,
    #[serde(default)]
    #[validate(nested)]
    pub custom: Vec<CustomRequirement>,
}

impl Requirements {
    /// Every rule the requirements break, each with its field under `/requirements`.
    pub fn errors(&self) -> Vec<FieldError> {
        let mut errors: Vec<FieldError> = field_errors(self.validate())
            .into_iter()
            .map(|e| FieldError::new(format!("/requirements{}", e.field), e.code, e.message))
            .collect();
        for (i, kind) in self.kinds.iter().enumerate() {
            if self.kinds[..i].contains(kind) {
                errors.push(FieldError::new(
                    format!("/requirements/kinds/{i}"),
                    "duplicate_requirement",
                    "Each requirement may be listed only once.",
                ));
            }
        }
        match &self.induction_url {
            None if self.kinds.contains(&RequirementKind::Induction) => errors.push(FieldError::new(
                "/requirements/induction_url",
                "required",
                "Give the link to the online induction module participants complete.",
            )),
            Some(url) if !url.starts_with("https://") || url.chars().any(|c| c.is_whitespace() || c.is_control()) => {
                errors.push(FieldError::new(
                    "/requirements/induction_url",
                    "invalid_url",
                    "Give the module's address starting https://.",
                ))
            }
            _ => {}
        }
        if self.custom.len() > MAX_CUSTOM {
            errors.push(FieldError::new(
                "/requirements/custom",
                "too_many_requirements",
                "A placement may list at most 10 requirements of its own.",
            ));
        }
        errors
    }
}

/// One item of a checklist: a requirement kind, or one of the placement's own by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Item {
    Kind(RequirementKind),
    /// The placement's own requirement at this position (from 0); its code is `custom_{n+1}`.
    Custom(usize),
}

impl Item {
    pub fn code(self) -> String {
        match self {
            Item::Kind(k) => k.code().to_string(),
            Item::Custom(i) => format!("custom_{}", i + 1),
        }
    }

    pub fn parse(code: &str) -> Option<Item> {
        if let Some(n) = code.strip_prefix("custom_") {
            let n: usize = n.parse().ok()?;
            return n.checked_sub(1).map(Item::Custom);
        }
        RequirementKind::parse(code).map(Item::Kind)
    }

    pub fn completer(self) -> Completer {
        match self {
            Item::Kind(k) => k.completer(),
            Item::Custom(_) => Completer::Participant,
        }
    }
}

/// The age below which a parent's or carer's consent and an emergency contact are always needed
/// and can never be overridden.
pub const CONSENT_AGE: u32 = 16;
/// The age below which a placement listing `parent_carer_consent` asks for it.
pub const ADULT_AGE: u32 = 18;

/// The items a participant aged `age` at the start owes, in a fixed order.
pub fn items_for(requirements: &Requirements, age: u32) -> Vec<Item> {
    let listed = |k| requirements.kinds.contains(&k);
    let mut items: Vec<Item> = RequirementKind::ALL
        .iter()
        .copied()
        .filter(|&k| match k {
            RequirementKind::ParentCarerConsent => age < CONSENT_AGE || (listed(k) && age < ADULT_AGE),
            RequirementKind::EmergencyContact => age < CONSENT_AGE || listed(k),
            _ => listed(k),
        })
        .map(Item::Kind)
        .collect();
    items.extend((0..requirements.custom.len()).map(Item::Custom));
    items
}

/// Whether a coordinator may override the item for a participant aged `age` at the start: never a
/// parent's or carer's consent or the emergency contact of an under-16.
pub fn may_override(item: Item, age: u32) -> bool {
    !(age < CONSENT_AGE
        && matches!(item, Item::Kind(RequirementKind::ParentCarerConsent | RequirementKind::EmergencyContact)))
}

code_enum! {
    /// Where a checklist item stands.
    ItemState {
        ToDo => ("to_do", "To do", "Not done yet."),
        Done => ("done", "Done", "Completed by the person it is for."),
        NotCleared => ("not_cleared", "Not cleared", "The organisation recorded that this check was not passed."),
        Overridden => ("overridden", "Overridden", "A coordinator let the participant start without it, with a recorded reason."),
    }
}

impl ItemState {
    pub fn satisfied(self) -> bool {
        matches!(self, ItemState::Done | ItemState::Overridden)
    }
}

/// The person details an emergency contact or consent records: the minimum needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonDetails {
    /// The contact's name, or who gave consent.
    pub name: String,
    /// Their relationship to the participant, such as "mother" or "foster carer".
    pub relationship: String,
    /// The contact's phone (emergency contact only).
    pub phone: Option<String>,
}

/// One stored item of an application's checklist: the latest thing done to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRecord {
    pub application_id: Uuid,
    pub item: Item,
    pub state: ItemState,
    pub by_subject: String,
    pub by_role: ChangedBy,
    pub at: DateTime<Utc>,
    pub details: Option<PersonDetails>,
    pub override_reason: Option<String>,
}

/// One line of a checklist as people see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistItem {
    pub item: Item,
    pub completer: Completer,
    pub may_override: bool,
    pub record: Option<ItemRecord>,
}

impl ChecklistItem {
    pub fn state(&self) -> ItemState {
        self.record.as_ref().map_or(ItemState::ToDo, |r| r.state)
    }
}

/// The checklist of a participant aged `age` at the start, from what is stored.
pub fn checklist(requirements: &Requirements, age: u32, records: &[ItemRecord]) -> Vec<ChecklistItem> {
    items_for(requirements, age)
        .into_iter()
        .map(|item| ChecklistItem {
            item,
            completer: item.completer(),
            may_override: may_override(item, age),
            record: records.iter().find(|r| r.item == item).cloned(),
        })
        .collect()
}

/// The items not yet satisfied, by code.
pub fn missing(items: &[ChecklistItem]) -> Vec<String> {
    items.iter().filter(|i| !i.state().satisfied()).map(|i| i.item.code()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reqs(kinds: &[RequirementKind]) -> Requirements {
        Requirements { kinds: kinds.to_vec(), ..Requirements::default() }
    }

    #[test]
    fn under_16s_always_owe_consent_and_an_emergency_contact() {
        let none = reqs(&[]);
        let codes = |age| items_for(&none, age).into_iter().map(Item::code).collect::<Vec<_>>();
        assert_eq!(codes(15), vec!["parent_carer_consent", "emergency_contact"]);
        assert!(codes(16).is_empty());
        let listed = reqs(&[RequirementKind::ParentCarerConsent]);
        assert_eq!(items_for(&listed, 17), vec![Item::Kind(RequirementKind::ParentCarerConsent)]);
        assert!(items_for(&listed, 18).is_empty(), "adults never need a parent's consent");
    }

    #[test]
    fn consent_and_contact_of_an_under_16_can_never_be_overridden() {
        let consent = Item::Kind(RequirementKind::ParentCarerConsent);
        let contact = Item::Kind(RequirementKind::EmergencyContact);
        assert!(!may_override(consent, 15) && !may_override(contact, 15));
        assert!(may_override(consent, 16) && may_override(contact, 17));
        assert!(may_override(Item::Kind(RequirementKind::Induction), 14));
    }

    #[test]
    fn item_codes_round_trip() {
        for item in [Item::Custom(0), Item::Custom(9), Item::Kind(RequirementKind::DbsClearance)] {
            assert_eq!(Item::parse(&item.code()), Some(item));
        }
        assert_eq!(Item::parse("custom_0"), None);
        assert_eq!(Item::parse("nonsense"), None);
    }

    #[test]
    fn requirements_are_checked() {
        let r = Requirements {
            kinds: vec![RequirementKind::Induction, RequirementKind::Induction],
            induction_url: None,
            custom: vec![CustomRequirement { text: " ".into(), why_we_ask: "Because.".into() }],
        };
        let fields: Vec<String> = r.errors().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["/requirements/custom/0/text", "/requirements/kinds/1", "/requirements/induction_url"]);
    }
}
