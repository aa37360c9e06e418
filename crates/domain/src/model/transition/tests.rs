//! Every pair of statuses, by every kind of actor: allowed exactly when the table below (written
//! out again, from the product's rules) says so; and what a transition returns.

use chrono::{Duration, TimeZone, Utc};
use uuid::Uuid;

use super::*;
use crate::model::application::{Stage, Submitter};
use crate::model::auth::Role;
use crate::model::placement::tests::details;

use ApplicationStatus as A;
use OfferStatus as O;
use PlacementStatus as P;

/// The legal application changes and who makes them, as the product describes them.
const APPLICATION_RULES: &[(&[A], &[A], &[ChangedBy])] = &[
    (&[A::Submitted, A::Waitlisted], &[A::Withdrawn], &[Applicant, Advocate]),
    (&[A::Submitted], &[A::Offered, A::Waitlisted, A::NotEntered], &[Platform]),
    (&[A::Waitlisted], &[A::Offered, A::NotSelected], &[Platform]),
    (&[A::Offered], &[A::Accepted, A::Declined], &[Applicant, Advocate]),
    (&[A::Offered], &[A::Expired], &[Platform]),
    (&[A::Submitted, A::Waitlisted, A::Offered, A::Accepted], &[A::Cancelled], &[Coordinator]),
    // Erasing an applicant's account ends what is still in play.
    (&[A::Submitted, A::Waitlisted, A::Offered, A::Accepted], &[A::Withdrawn], &[Platform]),
    (&[A::Accepted, A::Attended, A::DidNotAttend], &[A::Attended, A::DidNotAttend], &[Host, Coordinator]),
    (&[A::Attended], &[A::Completed], &[Host, Coordinator]),
    // A college's proposal (an application it submitted for its student): the college withdraws
    // it; the organisation accepts it (offered and accepted at once) or declines it.
    (&[A::Submitted], &[A::Withdrawn], &[Provider]),
    (&[A::Submitted], &[A::Accepted, A::NotSelected], &[Coordinator]),
];

const OFFER_RULES: &[(&[O], &[O], &[ChangedBy])] = &[
    (&[O::Open], &[O::Accepted, O::Declined], &[Applicant, Advocate]),
    (&[O::Open], &[O::Expired], &[Platform]),
    (&[O::Open, O::Accepted], &[O::Cancelled], &[Coordinator]),
    // Erasing an applicant's account gives their place up.
    (&[O::Open, O::Accepted], &[O::Declined], &[Platform]),
];

const PLACEMENT_RULES: &[(&[P], &[P], &[ChangedBy])] = &[
    (&[P::Draft], &[P::Published], &[Coordinator]),
    (&[P::Published], &[P::Closed], &[Coordinator]),
    (&[P::Published, P::Closed], &[P::Allocated], &[Platform]),
    (&[P::Draft, P::Published, P::Closed, P::Allocated], &[P::Cancelled], &[Coordinator]),
];

fn allowed<T: PartialEq + Copy>(rules: &[(&[T], &[T], &[ChangedBy])], from: T, to: T, by: ChangedBy) -> bool {
    rules.iter().any(|(f, t, who)| f.contains(&from) && t.contains(&to) && who.contains(&by))
}

/// Checks every (from, to, by) against the rules; returns how many were legal.
fn check_all<T: PartialEq + Copy + std::fmt::Debug>(
    all: &[T],
    rules: &[(&[T], &[T], &[ChangedBy])],
    movers: impl Fn(T, T) -> &'static [ChangedBy],
) -> usize {
    let mut legal = 0;
    for &from in all {
        for &to in all {
            for &by in ChangedBy::ALL {
                let expected = allowed(rules, from, to, by);
                assert_eq!(movers(from, to).contains(&by), expected, "{from:?} -> {to:?} by {by:?}");
                legal += usize::from(expected);
            }
        }
    }
    legal
}

#[test]
fn the_application_table_allows_exactly_the_products_changes() {
    // 13 statuses, 6 kinds of actor: 1014 combinations, of which these are legal.
    assert_eq!(check_all(ApplicationStatus::ALL, APPLICATION_RULES, ApplicationStatus::movers), 39);
}

#[test]
fn the_offer_table_allows_exactly_the_products_changes() {
    assert_eq!(check_all(OfferStatus::ALL, OFFER_RULES, OfferStatus::movers), 9);
}

#[test]
fn the_placement_table_allows_exactly_the_products_changes() {
    assert_eq!(check_all(PlacementStatus::ALL, PLACEMENT_RULES, PlacementStatus::movers), 8);
}

#[test]
fn nothing_leaves_a_final_status() {
    for from in [A::Withdrawn, A::Declined, A::Expired, A::Cancelled, A::Completed, A::NotEntered, A::NotSelected] {
        for &to in ApplicationStatus::ALL {
            assert!(from.movers(to).is_empty(), "{from:?} -> {to:?}");
        }
    }
    for from in [O::Declined, O::Expired, O::Cancelled] {
        assert!(OfferStatus::ALL.iter().all(|&to| from.movers(to).is_empty()), "{from:?}");
    }
    assert!(PlacementStatus::ALL.iter().all(|&to| P::Cancelled.movers(to).is_empty()));
}

fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, hour, 0, 0).single().unwrap()
}

fn application(status: ApplicationStatus) -> Application {
    Application {
        id: Uuid::now_v7(),
        placement_id: Uuid::now_v7(),
        profile_id: Uuid::now_v7(),
        status,
        ticket: Uuid::new_v4(),
        privacy_notice_version: "2026-11-29".to_string(),
        submitted_by: Submitter { subject: "applicant-1".to_string(), role: Role::Applicant },
        answers: Vec::new(),
        can_travel: None,
        in_catchment: None,
        outcome_expected_by: at(9).date_naive() + Duration::days(20),
        outcome_at: None,
        draw_tier: None,
        draw_position: None,
        meets_criteria: None,
        applicant_age: 16,
        stage_recorded: Stage::Applied,
        version: 3,
        created_at: at(8),
        updated_at: at(8),
    }
}

#[test]
fn an_application_transition_moves_the_version_once_and_records_the_change() {
    let app = application(A::Submitted);
    let change = app.transition(A::Withdrawn, ("applicant-1", Applicant), Some("Exams".to_string()), at(10)).unwrap();
    assert_eq!(change.application, Application { status: A::Withdrawn, version: 4, updated_at: at(10), ..app.clone() });
    assert_eq!(change.history.from, Some(A::Submitted));
    assert_eq!(change.history.to, A::Withdrawn);
    assert_eq!(change.history.reason.as_deref(), Some("Exams"));
    let e = &change.event;
    assert_eq!(
        (e.kind.as_str(), e.entity, e.entity_id, e.entity_version),
        ("application.withdrawn", Entity::Application, app.id, 4)
    );
    assert_eq!((e.actor, e.at), (Applicant.into(), at(10)));
    assert_eq!(e.data["from"], "submitted");
    assert_eq!(e.data["placement_id"], app.placement_id.to_string());
    // The reason a person typed stays in the application's history, never in the event.
    assert!(!serde_json::Value::Object(e.data.clone()).to_string().contains("Exams"));
}

#[test]
fn an_illegal_transition_changes_nothing_and_says_what_was_refused() {
    let app = application(A::Offered);
    let refused = app.transition(A::Withdrawn, ("applicant-1", Applicant), None, at(10)).unwrap_err();
    assert_eq!(refused, Illegal { entity: Entity::Application, from: "offered", to: "withdrawn", by: Applicant });
    let refused = app.transition(A::Expired, ("applicant-1", Applicant), None, at(10)).unwrap_err();
    assert_eq!(refused.by, Applicant);
    assert!(matches!(
        DomainError::from(refused),
        DomainError::Rule { code: crate::codes::Code { code: "invalid_transition", .. }, .. }
    ));
}

#[test]
fn an_offer_transition_records_when_it_was_answered() {
    let offer = Offer {
        id: Uuid::now_v7(),
        application_id: Uuid::now_v7(),
        placement_id: Uuid::now_v7(),
        status: O::Open,
        respond_by: at(20),
        created_at: at(8),
        responded_at: None,
        version: 1,
    };
    let (accepted, event) = offer.transition(O::Accepted, Advocate, at(9)).unwrap();
    assert_eq!(accepted, Offer { status: O::Accepted, responded_at: Some(at(9)), version: 2, ..offer.clone() });
    assert_eq!((event.kind.as_str(), event.entity_version, event.actor), ("offer.accepted", 2, Advocate.into()));
    assert_eq!(event.data["application_id"], offer.application_id.to_string());
    assert!(accepted.transition(O::Declined, Applicant, at(10)).is_err());
    assert_eq!(offer.made_event().kind, "offer.open");
}

#[test]
fn a_placement_transition_moves_its_stored_status() {
    let draft = Placement::draft(Uuid::now_v7(), Uuid::now_v7(), details(), at(8));
    let (published, event) = draft.transition(P::Published, Coordinator, at(9)).unwrap();
    assert_eq!((published.status, published.version, published.updated_at), (P::Published, 2, at(9)));
    assert_eq!(
        (event.kind.as_str(), event.entity, event.entity_id),
        ("placement.published", Entity::Placement, draft.id)
    );
    assert!(draft.transition(P::Allocated, Platform, at(9)).is_err(), "a draft is never drawn");
    assert!(published.transition(P::Published, Coordinator, at(9)).is_err());
}
