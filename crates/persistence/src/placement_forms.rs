//! The domain's stored forms of a placement status (`PlacementStatus::stored_forms`, `OPEN_NOW`)
//! translated into a WHERE clause on `placements`. The domain decides what each status means at a
//! time; this only writes it as SQL.

use chrono::NaiveDateTime;
use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::Bool;
use wex_domain::model::placement::{Moment, StoredForm};

use crate::connection::DbConnection;
use crate::schema::placements as p;

type Backend = <DbConnection as diesel::Connection>::Backend;

/// A condition on one `placements` row.
pub(crate) type Condition = Box<dyn BoxableExpression<p::table, Backend, SqlType = Bool>>;

/// Rows having any of the forms at `now`.
pub(crate) fn any_of(forms: &[StoredForm], now: NaiveDateTime) -> Condition {
    forms
        .iter()
        .map(|f| form(f, now))
        .reduce(|a, b| Box::new(a.or(b)))
        .unwrap_or_else(|| Box::new(diesel::dsl::sql::<Bool>("1 = 0")))
}

fn form(f: &StoredForm, now: NaiveDateTime) -> Condition {
    let mut c: Condition = Box::new(p::status.eq(f.status.code()));
    c = match f.opens {
        Moment::Any => c,
        Moment::Ahead => Box::new(c.and(p::opens_at.gt(now))),
        Moment::Reached => Box::new(c.and(p::opens_at.le(now))),
    };
    c = match f.closes {
        Moment::Any => c,
        Moment::Ahead => Box::new(c.and(p::closes_at.gt(now))),
        Moment::Reached => Box::new(c.and(p::closes_at.le(now))),
    };
    if f.published { Box::new(c.and(p::published_at.is_not_null())) } else { c }
}
