//! How the OpenAPI document describes the domain's closed code lists. The domain keeps each list
//! (its codes, labels and descriptions, `ALL` and `DOC`); the wire shows it as a string enum of
//! exactly those codes, so the document's enums are the codes the API sends and accepts.
//!
//! Each type here is a name for the schema only: a request or response field keeps the domain's
//! type and points at it with `#[schema(value_type = codes::Region)]`.

use std::borrow::Cow;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

use wex_domain::model::reports::{measures, uptake};
use wex_domain::model::{
    advocacy, api_client, application, audit, auth, delivery, draw, feed, notification, offer, participation, profile,
    readiness, reference, t_level, webhook,
};

/// A string schema listing `codes`, described by the list's doc comment.
fn code_list(doc: &str, codes: impl Iterator<Item = &'static str>) -> RefOr<Schema> {
    let description = doc.lines().map(str::trim).collect::<Vec<_>>().join("\n");
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description((!description.is_empty()).then_some(description))
        .enum_values(Some(codes))
        .into()
}

macro_rules! code_lists {
    ($($name:ident => $domain:path),+ $(,)?) => {$(
        #[doc = concat!("The schema of [`", stringify!($domain), "`]: its codes.")]
        pub struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                code_list(<$domain>::DOC, <$domain>::ALL.iter().map(|v| v.code()))
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
        }
    )+};
}

code_lists! {
    UserGroup => reference::UserGroup,
    Specialty => reference::Specialty,
    PlacementKind => reference::PlacementKind,
    RequirementKind => readiness::RequirementKind,
    ReadinessState => readiness::ItemState,
    Delivery => reference::Delivery,
    Region => reference::Region,
    OrganisationKind => reference::OrganisationKind,
    SelectionMethod => reference::SelectionMethod,
    PlacementStatus => reference::PlacementStatus,
    Template => notification::Template,
    DeliveryStatus => delivery::DeliveryStatus,
    AttemptOutcome => delivery::AttemptOutcome,
    Receipt => delivery::Receipt,
    OfferStatus => offer::OfferStatus,
    ConsentGiver => profile::ConsentGiver,
    Role => auth::Role,
    PlatformRole => auth::PlatformRole,
    MembershipRole => auth::MembershipRole,
    Relationship => advocacy::Relationship,
    LinkStatus => advocacy::LinkStatus,
    ApplicationStatus => application::ApplicationStatus,
    ChangedBy => application::ChangedBy,
    Likelihood => participation::Likelihood,
    Agreement => participation::Agreement,
    Statement => participation::Statement,
    Recognition => participation::Recognition,
    DrawOutcome => draw::DrawOutcome,
    Dimension => uptake::Dimension,
    SupplyBy => measures::SupplyBy,
    EventType => feed::EventType,
    WebhookStatus => webhook::WebhookStatus,
    WebhookDeliveryStatus => webhook::WebhookDeliveryStatus,
    ClientScope => api_client::ClientScope,
    ClientStatus => api_client::ClientStatus,
    AuditRole => audit::AuditRole,
    AuditAction => audit::AuditAction,
    TLevelPattern => t_level::Pattern,
    TLevelParty => t_level::Party,
    TLevelReviewStage => t_level::ReviewStage,
}
