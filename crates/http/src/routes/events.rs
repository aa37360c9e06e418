//! `GET /v1/events`: the change feed. Thin events in a fixed order, each with the ids it concerns
//! and a link to fetch the resource with the reader's own rights.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use wex_domain::feed;
use wex_domain::model::feed::{EventType, FeedPosition};

use crate::auth::SignedIn;
use crate::errors_doc::Errors;
use crate::extract::Query;
use crate::pagination::{encode_cursor, page_limit};
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;
use crate::wire::codes;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FeedParams {
    /// `next_cursor` from the previous page; empty or absent to start from the beginning.
    pub after: Option<String>,
    /// How many events per page, 1 to 100 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, example = 100)]
    pub limit: Option<String>,
    /// Only these event types, comma-separated (for example `offer.made,offer.accepted`).
    #[param(value_type = Option<Vec<codes::EventType>>, style = Form, explode = false)]
    pub types: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FeedEvent {
    /// The event's id: the same event is never served twice, but a reader that stores its cursor
    /// late may ask again; deduplicate by this.
    pub id: Uuid,
    /// The event's number in the log: unique and increasing within a transaction.
    pub sequence: i64,
    #[serde(rename = "type")]
    #[schema(value_type = codes::EventType)]
    pub event_type: &'static str,
    pub occurred_at: DateTime<Utc>,
    pub placement_id: Option<Uuid>,
    pub application_id: Option<Uuid>,
    pub offer_id: Option<Uuid>,
    /// Where to read what changed, with your own rights.
    #[schema(example = "/v1/placements/01a20c08-1f4d-76ff-930b-b880d55e8c12/applications")]
    pub link: String,
}

#[derive(Serialize, ToSchema)]
pub struct FeedResponse {
    /// Oldest first.
    pub items: Vec<FeedEvent>,
    /// Where to go on from: pass it as `after` next time. Never null: when there is nothing new,
    /// it is the cursor you sent, so keep it and ask again later.
    pub next_cursor: String,
}

fn cursor(p: FeedPosition) -> String {
    encode_cursor(&format!("{}.{}", p.txid, p.seq))
}

fn position(after: Option<&str>) -> ApiResult<FeedPosition> {
    let bad = || {
        ApiError::bad_field(
            StatusCode::BAD_REQUEST,
            "/after",
            "invalid_cursor",
            "This cursor is not valid. Use next_cursor from the previous page, unchanged.",
        )
    };
    let Some(text) = after.filter(|a| !a.is_empty()) else { return Ok(FeedPosition::START) };
    let decoded = crate::pagination::decode_cursor(text).ok_or_else(bad)?;
    let (txid, seq) = decoded.split_once('.').ok_or_else(bad)?;
    match (txid.parse(), seq.parse()) {
        (Ok(txid), Ok(seq)) if txid >= 0 && seq >= 0 => Ok(FeedPosition { txid, seq }),
        _ => Err(bad()),
    }
}

fn types(types: Option<&str>) -> ApiResult<Vec<EventType>> {
    let Some(wanted) = types.filter(|t| !t.trim().is_empty()) else { return Ok(Vec::new()) };
    wanted
        .split(',')
        .map(|code| {
            EventType::parse(code.trim()).ok_or_else(|| {
                ApiError::bad_field(
                    StatusCode::BAD_REQUEST,
                    "/types",
                    "invalid_event_type",
                    &format!("{:?} is not an event type; the types are listed in docs/integrators.md.", code.trim()),
                )
            })
        })
        .collect()
}

/// Follow what changed.
///
/// Who may call: anyone signed in. Platform admins see every event; coordinators the events of
/// their organisations' placements and of the applications and offers on them; anyone else the
/// events of their own applications. Name-blind: no event names a person or a profile, so a reader
/// fetches what it may with its own rights. Events come in a fixed order with no gaps and no
/// duplicates, however many processes write (see docs/integrators.md): store `next_cursor` and
/// pass it as `after` next time.
#[utoipa::path(tag = "events", operation_id = "listEvents", security(("bearer" = [])), params(FeedParams),
    responses(
        (status = 200, description = "The events after the cursor, oldest first.", body = FeedResponse),
        Errors<feed::FeedError>,
    ))]
#[get("/events")]
pub async fn list(
    state: web::Data<AppState>,
    SignedIn(actor): SignedIn,
    Query(q): Query<FeedParams>,
) -> ApiResult<HttpResponse> {
    let (after, limit, types) =
        (position(q.after.as_deref())?, page_limit(q.limit.as_deref())?, types(q.types.as_deref())?);
    let page = state.run(move |s| Ok(feed::read_feed(s, &actor, after, limit, &types)?)).await?;
    let items = page
        .items
        .iter()
        .map(|item| FeedEvent {
            id: item.id,
            sequence: item.position.seq,
            event_type: item.event_type.code(),
            occurred_at: item.occurred_at,
            placement_id: item.placement_id,
            application_id: item.application_id,
            offer_id: item.offer_id,
            link: item.link(page.own_applications),
        })
        .collect();
    Ok(HttpResponse::Ok().json(FeedResponse { items, next_cursor: cursor(page.next) }))
}
