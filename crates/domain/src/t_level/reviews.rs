//! The mid-point and end reviews: recorded once each by the supervisor, each with the student's
//! reflection added once by the student (or their advocate).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::access::{HiddenPlaceError, visible_place};
use crate::codes;
use crate::error::{NotFound, StoreError};
use crate::model::auth::Actor;
use crate::model::event::{DomainEvent, Entity, EventActor, FIRST_VERSION, next_version};
use crate::model::t_level::{Review, ReviewStage, check_text};
use crate::ports::Store;
use crate::unit_of_work::{read, write};
use crate::use_case_error::Invalid;

crate::use_case_error! {
    /// Why a review could not be recorded.
    pub enum ReviewError {
        SupervisorOnly(()) = codes::SUPERVISOR_ONLY,
        NotConfirmed(()) = codes::AGREEMENT_NOT_CONFIRMED,
        AlreadyRecorded(()) = codes::REVIEW_ALREADY_RECORDED,
        Completed(()) = codes::PLACE_COMPLETED,
        Hidden(HiddenPlaceError),
        Invalid(Invalid),
        Store(StoreError),
    }
}

crate::use_case_error! {
    /// Why a reflection could not be added.
    pub enum ReflectionError {
        NotAStudent(()) = codes::NOT_A_STUDENT,
        AlreadyAdded(()) = codes::REFLECTION_ALREADY_ADDED,
        Hidden(HiddenPlaceError),
        Invalid(Invalid),
        Store(StoreError),
    }
}

fn review_event(
    review: &Review,
    placement_id: Uuid,
    what: &'static str,
    by: EventActor,
    now: DateTime<Utc>,
) -> DomainEvent {
    DomainEvent::edit(Entity::TLevelReview, review.id, review.version, what, by, now)
        .with("application_id", review.application_id)
        .with("placement_id", placement_id)
        .with_code("stage", review.stage.code())
}

/// The supervisor records a review, once for each stage, after all three parties confirmed.
pub fn record_review(
    store: &dyn Store,
    actor: &Actor,
    application_id: Uuid,
    stage: ReviewStage,
    on_track: bool,
    comments: String,
    now: DateTime<Utc>,
) -> Result<Review, ReviewError> {
    write(store, |tx| {
        let (place, parts) = visible_place(tx, actor, application_id)?;
        let agreement = match &place.agreement {
            Some(a) if parts.supervisor => a,
            _ => return Err(ReviewError::SupervisorOnly(())),
        };
        if place.completed() {
            return Err(ReviewError::Completed(()));
        }
        if !agreement.confirmations.all() {
            return Err(ReviewError::NotConfirmed(()));
        }
        check_text("/comments", &comments)?;
        let review = Review {
            id: Uuid::now_v7(),
            application_id,
            stage,
            on_track,
            comments: comments.trim().to_string(),
            reviewed_by: actor.subject.clone(),
            reviewed_at: now,
            reflection: None,
            reflected_at: None,
            version: FIRST_VERSION,
        };
        tx.insert_t_level_review(&review).map_err(|e| match e {
            StoreError::Duplicate => ReviewError::AlreadyRecorded(()),
            other => other.into(),
        })?;
        tx.append_events(&[review_event(&review, place.placement.id, "recorded", EventActor::Host, now)])?;
        Ok(review)
    })
}

/// The student, or their advocate, adds their reflection to a recorded review, once.
pub fn add_reflection(
    store: &dyn Store,
    actor: &Actor,
    application_id: Uuid,
    stage: ReviewStage,
    reflection: String,
    now: DateTime<Utc>,
) -> Result<Review, ReflectionError> {
    write(store, |tx| {
        let (place, parts) = visible_place(tx, actor, application_id)?;
        if !parts.student {
            return Err(ReflectionError::NotAStudent(()));
        }
        let current = tx
            .t_level_reviews(application_id)?
            .into_iter()
            .find(|r| r.stage == stage)
            .ok_or(HiddenPlaceError::NotFound(NotFound))?;
        if current.reflection.is_some() {
            return Err(ReflectionError::AlreadyAdded(()));
        }
        check_text("/reflection", &reflection)?;
        let by = if place.profile.subject.as_deref() == Some(actor.subject.as_str()) {
            EventActor::Applicant
        } else {
            EventActor::Advocate
        };
        let review = Review {
            reflection: Some(reflection.trim().to_string()),
            reflected_at: Some(now),
            version: next_version(current.version),
            ..current.clone()
        };
        tx.update_t_level_review(&review, current.version)?;
        tx.append_events(&[review_event(&review, place.placement.id, "reflection_added", by, now)])?;
        Ok(review)
    })
}

/// A place's reviews, mid-point first, for any party to it.
pub fn reviews(store: &dyn Store, actor: &Actor, application_id: Uuid) -> Result<Vec<Review>, HiddenPlaceError> {
    read(store, |s| {
        visible_place(s, actor, application_id)?;
        Ok(s.t_level_reviews(application_id)?)
    })
}
