use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::access::is_advocate_for;
use crate::codes;
use crate::error::StoreError;
use crate::model::advocacy::SupportingInformation;
use crate::model::auth::Actor;
use crate::model::event::{DomainEvent, Entity, EventActor};
use crate::ports::Store;
use crate::unit_of_work::write;
use crate::use_case_error::{Invalid, NotFound};

crate::use_case_error! {
    /// Why supporting information could not be added.
    pub enum SupportingInformationError {
        /// No such application of someone the caller acts for.
        NotFound(NotFound),
        /// The application has an outcome already, or was withdrawn.
        NotActive(()) = codes::APPLICATION_NOT_ACTIVE,
        /// The text is empty or too long.
        Invalid(Invalid),
        Store(StoreError),
    }
}

/// An advocate adds supporting information to an application of someone they act for.
pub fn add_supporting_information(
    store: &dyn Store,
    actor: &Actor,
    application_id: Uuid,
    text: &str,
    now: DateTime<Utc>,
) -> Result<SupportingInformation, SupportingInformationError> {
    let application = store.application(application_id)?;
    let profile = store.profile(application.profile_id)?;
    if !is_advocate_for(store, actor, &profile)? {
        return Err(NotFound.into());
    }
    if !application.status.is_active() {
        return Err(SupportingInformationError::NotActive(()));
    }
    let text = text.trim();
    if !crate::model::validation::has_visible(text) || text.chars().count() > 4000 {
        return Err(Invalid::one("/text", "length", "Write 1 to 4000 characters.").into());
    }
    let id = Uuid::now_v7();
    // The event says that something was added to the application, never what.
    let (_, event) = DomainEvent::created(Entity::SupportingInformation, id, "added", EventActor::Advocate, now);
    let event = event.with("application_id", application_id);
    let info = SupportingInformation {
        id,
        application_id,
        author_subject: actor.subject.clone(),
        text: text.to_string(),
        created_at: now,
    };
    write(store, |tx| -> Result<_, SupportingInformationError> {
        tx.insert_supporting_information(&info)?;
        Ok(tx.append_events(&[event])?)
    })?;
    Ok(info)
}
