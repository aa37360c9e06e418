//! What is due for a reminder: the domain says which statuses and which window; this only asks.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use wex_domain::model::application::{Application, ApplicationStatus};
use wex_domain::model::offer::{Offer, OfferStatus};
use wex_domain::model::placement::{Placement, StoredForm};
use wex_domain::model::reference::SelectionMethod;
use wex_domain::ports::StoreResult;

use crate::applications::ApplicationRow;
use crate::connection::DbConnection;
use crate::errors::{naive, store_error};
use crate::offers::OfferRow;
use crate::placement_forms::any_of;
use crate::placements::PlacementRow;
use crate::schema::{applications as a, offers as o, placements as p, reminders as r};

/// Placements in one of the stored forms, chosen by `method`, with an outcome date in the window,
/// not yet reminded of as `kind`, earliest outcome first.
pub(crate) fn due_for_outcome(
    c: &mut DbConnection,
    forms: &[StoredForm],
    method: SelectionMethod,
    (from, to): (NaiveDate, NaiveDate),
    now: DateTime<Utc>,
    kind: &str,
    n: u32,
) -> StoreResult<Vec<Placement>> {
    let reminded = r::table.filter(r::kind.eq(kind)).select(r::subject_id);
    let rows = p::table
        .filter(any_of(forms, naive(now)))
        .filter(p::selection_method.eq(method.code()))
        .filter(p::outcome_by.between(from, to))
        .filter(diesel::dsl::not(p::id.eq_any(reminded)))
        .order((p::outcome_by, p::id))
        .limit(limit(n))
        .select(PlacementRow::as_select())
        .load(c)
        .map_err(store_error)?;
    rows.into_iter().map(PlacementRow::into_domain).collect()
}

fn limit(n: u32) -> i64 {
    i64::from(n)
}

pub(crate) fn due_for_start(
    c: &mut DbConnection,
    statuses: &[ApplicationStatus],
    from: NaiveDate,
    to: NaiveDate,
    kind: &str,
    n: u32,
) -> StoreResult<Vec<Application>> {
    let statuses: Vec<&str> = statuses.iter().map(|s| s.code()).collect();
    let starting = p::table.filter(p::start_date.between(from, to)).select(p::id);
    let reminded = r::table.filter(r::kind.eq(kind)).select(r::subject_id);
    let rows = a::table
        .filter(a::status.eq_any(statuses))
        .filter(a::placement_id.eq_any(starting))
        .filter(diesel::dsl::not(a::id.eq_any(reminded)))
        .order(a::id)
        .limit(limit(n))
        .select(ApplicationRow::as_select())
        .load(c)
        .map_err(store_error)?;
    rows.into_iter().map(ApplicationRow::into_domain).collect()
}

pub(crate) fn due_for_offer(
    c: &mut DbConnection,
    statuses: &[OfferStatus],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    kind: &str,
    n: u32,
) -> StoreResult<Vec<Offer>> {
    let statuses: Vec<&str> = statuses.iter().map(|s| s.code()).collect();
    let reminded = r::table.filter(r::kind.eq(kind)).select(r::subject_id);
    let rows = o::table
        .filter(o::status.eq_any(statuses))
        .filter(o::respond_by.gt(naive(from)))
        .filter(o::respond_by.le(naive(to)))
        .filter(diesel::dsl::not(o::id.eq_any(reminded)))
        .order(o::id)
        .limit(limit(n))
        .select(OfferRow::as_select())
        .load(c)
        .map_err(store_error)?;
    rows.into_iter().map(OfferRow::into_domain).collect()
}
