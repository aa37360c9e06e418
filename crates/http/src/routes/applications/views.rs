//! What an application looks like to callers: the applicant's view with its placement, offer and
//! history, the coordinators' name-blind view, and the explained application form.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;
use wex_domain::DomainError;
use wex_domain::messages::outcome;
use wex_domain::model::advocacy::SupportingInformation;
use wex_domain::model::application::{Application, ApplicationEvent, ApplicationStatus, ChangedBy};
use wex_domain::model::auth::Role;
use wex_domain::model::form::ApplicationForm;
use wex_domain::model::name_blind::NameBlind;
use wex_domain::model::offer::{Offer, OfferStatus};
use wex_domain::model::placement::Placement;
use wex_domain::model::reference::PlacementStatus;
use wex_domain::ports::Store;
use wex_domain::read::applications::ApplicationRecord;

use crate::wire::applications::Answer;
use crate::wire::codes;

#[derive(Serialize, ToSchema)]
pub struct FormFieldResponse {
    /// Where the value goes: `profile/...` in your profile, `application/...` when you apply.
    #[schema(example = "profile/care_experienced")]
    pub field: String,
    pub label: String,
    pub required: bool,
    /// When the field is required only in some cases, which.
    pub required_when: Option<String>,
    pub why_we_ask: String,
    pub who_sees_it: String,
    pub kept_for: String,
    pub guidance: Option<String>,
    pub max_length: Option<u16>,
}

#[derive(Serialize, ToSchema)]
pub struct ApplicationFormResponse {
    pub placement_id: Uuid,
    /// Send this as `privacy_notice_version` when applying.
    pub privacy_notice_version: &'static str,
    pub who_can_apply: String,
    pub fields: Vec<FormFieldResponse>,
    /// What the form never asks.
    pub not_asked: Vec<&'static str>,
}

impl ApplicationFormResponse {
    pub(super) fn new(placement_id: Uuid, f: ApplicationForm) -> Self {
        Self {
            placement_id,
            privacy_notice_version: f.privacy_notice_version,
            who_can_apply: f.who_can_apply,
            fields: f
                .fields
                .into_iter()
                .map(|x| FormFieldResponse {
                    field: x.field,
                    label: x.label,
                    required: x.required,
                    required_when: x.required_when,
                    why_we_ask: x.why_we_ask,
                    who_sees_it: x.who_sees_it,
                    kept_for: x.kept_for,
                    guidance: x.guidance,
                    max_length: x.max_length,
                })
                .collect(),
            not_asked: f.not_asked,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PlacementBrief {
    pub id: Uuid,
    pub title: String,
    pub organisation_name: String,
    #[schema(value_type = codes::PlacementStatus)]
    pub status: PlacementStatus,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub closes_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    #[schema(value_type = Option<codes::ApplicationStatus>)]
    pub from: Option<ApplicationStatus>,
    #[schema(value_type = codes::ApplicationStatus)]
    pub to: ApplicationStatus,
    /// Who made the change.
    #[schema(value_type = codes::ChangedBy)]
    pub by: ChangedBy,
    pub reason: Option<String>,
}

impl From<ApplicationEvent> for HistoryEntry {
    fn from(e: ApplicationEvent) -> Self {
        Self { at: e.at, from: e.from, to: e.to, by: e.actor_role, reason: e.reason }
    }
}

/// An application as its applicant sees it.
#[derive(Serialize, ToSchema)]
pub struct ApplicationResponse {
    pub id: Uuid,
    #[schema(value_type = codes::ApplicationStatus)]
    pub status: ApplicationStatus,
    /// Your ticket in the draw: check it in the public draw record.
    pub ticket: Uuid,
    /// The date by which you will hear the outcome.
    pub outcome_expected_by: NaiveDate,
    pub placement: PlacementBrief,
    /// What happens next, in plain words.
    pub what_happens_next: String,
    /// What you need to do now, if anything.
    pub what_you_need_to_do: String,
    pub submitted_at: DateTime<Utc>,
    /// Who sent it: the applicant, or an advocate on their behalf.
    #[schema(value_type = codes::Role)]
    pub submitted_by: Role,
    pub privacy_notice_version: String,
    pub answers: Vec<Answer>,
    pub can_travel: Option<bool>,
    /// Every change of status, oldest first (on `GET /v1/applications/{application_id}` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<HistoryEntry>>,
    /// What advocates added to support it (on `GET /v1/applications/{application_id}` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supporting_information: Option<Vec<SupportingInformationResponse>>,
    /// The offer of a place, once one is made.
    pub offer: Option<OfferResponse>,
    /// The applicant's number on the waiting list (1 = next), while on it.
    pub waiting_list_number: Option<u32>,
    /// When the outcome was given; `outcome_on_time` says whether it was by `outcome_expected_by`.
    pub outcome_at: Option<DateTime<Utc>>,
    pub outcome_on_time: Option<bool>,
    /// The outcome in plain words: entries and places, tier and why, position (on
    /// `GET /v1/applications/{application_id}` once drawn).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome_explained: Option<String>,
    pub version: i64,
}

/// An application with what its response names.
pub(crate) struct ApplicationView {
    pub(crate) application: Application,
    placement: Placement,
    organisation_name: String,
    offer: Option<Offer>,
    waiting: Option<u32>,
    history: Option<Vec<ApplicationEvent>>,
    supporting: Option<Vec<SupportingInformation>>,
    outcome: Option<String>,
}

/// The offer of a place on an application.
#[derive(Serialize, ToSchema)]
pub struct OfferResponse {
    pub id: Uuid,
    #[schema(value_type = codes::OfferStatus)]
    pub status: OfferStatus,
    /// Answer by this time, or the place goes to the next person waiting.
    pub respond_by: DateTime<Utc>,
    pub responded_at: Option<DateTime<Utc>>,
}

impl From<Offer> for OfferResponse {
    fn from(o: Offer) -> Self {
        Self { id: o.id, status: o.status, respond_by: o.respond_by, responded_at: o.responded_at }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SupportingInformationResponse {
    pub id: Uuid,
    pub text: String,
    pub added_at: DateTime<Utc>,
}

impl From<SupportingInformation> for SupportingInformationResponse {
    fn from(i: SupportingInformation) -> Self {
        Self { id: i.id, text: i.text, added_at: i.created_at }
    }
}

impl From<ApplicationRecord> for ApplicationView {
    fn from(r: ApplicationRecord) -> Self {
        ApplicationView {
            application: r.application,
            placement: r.placement,
            organisation_name: r.organisation_name,
            offer: r.offer,
            waiting: r.waiting,
            history: None,
            supporting: None,
            outcome: None,
        }
    }
}

impl ApplicationView {
    /// An application just made, from what applying knew: it has no supporting information yet.
    pub(crate) fn submitted(s: wex_domain::applying::Submitted) -> Self {
        Self { history: Some(s.history), supporting: Some(Vec::new()), ..Self::from(s.record) }
    }
}

pub(crate) fn views(store: &dyn Store, apps: Vec<Application>) -> Result<Vec<ApplicationView>, DomainError> {
    Ok(wex_domain::read::applications::records_of(store, apps)?.into_iter().map(ApplicationView::from).collect())
}

impl ApplicationResponse {
    pub(crate) fn new(v: ApplicationView, now: DateTime<Utc>) -> Self {
        let (next, todo) = outcome::next_steps(&v.application, &v.placement, v.offer.as_ref(), v.waiting);
        let a = v.application;
        let p = v.placement;
        Self {
            id: a.id,
            status: a.status,
            ticket: a.ticket,
            outcome_expected_by: a.outcome_expected_by,
            placement: PlacementBrief {
                id: p.id,
                status: p.status_at(now),
                title: p.details.title,
                organisation_name: v.organisation_name,
                start_date: p.details.start_date,
                end_date: p.details.end_date,
                closes_at: p.details.closes_at,
            },
            what_happens_next: next,
            what_you_need_to_do: todo,
            submitted_at: a.created_at,
            submitted_by: a.submitted_by.role,
            privacy_notice_version: a.privacy_notice_version,
            answers: a.answers.into_iter().map(Into::into).collect(),
            can_travel: a.can_travel,
            history: v.history.map(|h| h.into_iter().map(HistoryEntry::from).collect()),
            supporting_information: v
                .supporting
                .map(|x| x.into_iter().map(SupportingInformationResponse::from).collect()),
            offer: v.offer.map(OfferResponse::from),
            waiting_list_number: v.waiting,
            outcome_at: a.outcome_at,
            outcome_on_time: a.outcome_at.map(|t| t.date_naive() <= a.outcome_expected_by),
            outcome_explained: v.outcome,
            version: a.version,
        }
    }
}

pub(crate) fn detail(store: &dyn Store, application: Application) -> Result<ApplicationView, DomainError> {
    let history = store.events_of(application.id)?;
    let supporting = store.supporting_information_of(application.id)?;
    let drawn = store.draw(application.placement_id)?;
    let mut view = views(store, vec![application])?.pop().ok_or(DomainError::NotFound)?;
    view.outcome = drawn.and_then(|d| outcome::explain_outcome(&view.application, &view.placement, &d, view.waiting));
    view.history = Some(history);
    view.supporting = Some(supporting);
    Ok(view)
}

/// An application as coordinators see it: no name, contact details, date of birth, postcode,
/// school, support worker or equality data.
#[derive(Serialize, ToSchema)]
pub struct NameBlindApplication {
    pub id: Uuid,
    pub ticket: Uuid,
    #[schema(value_type = codes::ApplicationStatus)]
    pub status: ApplicationStatus,
    pub submitted_at: DateTime<Utc>,
    /// Meets the placement's age rule on its start date.
    pub meets_age_rule: bool,
    /// Belongs to one of the placement's user groups (always true when it has none).
    pub meets_user_group_rule: bool,
    /// Lives in the placement's area; `null` when it has none, or for applicants with no fixed address.
    pub in_catchment: Option<bool>,
    #[schema(value_type = codes::Role)]
    pub submitted_by: Role,
    /// Free-text answers, as written.
    pub answers: Vec<Answer>,
    /// For name-blind review placements: the review so far (`null` until reviewed).
    pub meets_criteria: Option<bool>,
}

impl From<NameBlind> for NameBlindApplication {
    fn from(n: NameBlind) -> Self {
        Self {
            id: n.id,
            ticket: n.ticket,
            status: n.status,
            submitted_at: n.submitted_at,
            meets_age_rule: n.meets_age_rule,
            meets_user_group_rule: n.meets_user_group_rule,
            in_catchment: n.in_catchment,
            submitted_by: n.submitted_by_role,
            answers: n.answers.into_iter().map(Into::into).collect(),
            meets_criteria: n.meets_criteria,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PlacementApplicationsResponse {
    pub items: Vec<NameBlindApplication>,
    pub next_cursor: Option<String>,
    /// How many applications the placement has in each status (all pages).
    #[schema(example = json!({"submitted": 12, "withdrawn": 1}))]
    pub counts: BTreeMap<String, i64>,
}
