//! The notification outbox: messages stored in the same transaction as the change they tell of.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use uuid::Uuid;
use wex_domain::model::notification::{Notification, Template};
use wex_domain::model::page::{Page, PageRequest};
use wex_domain::ports::{NotificationStore, StoreResult};

use crate::connection::DbConnection;
use crate::errors::{code, naive, opt_uuid, text, utc, uuid};
use crate::organisations::{after_text, fetch_limit, id_page};
use crate::schema::notifications as n;
use crate::store::DbStore;

#[derive(Queryable, QueryableByName, Selectable, Insertable)]
#[diesel(table_name = n, treat_none_as_default_value = false)]
pub(crate) struct NotificationRow {
    id: String,
    recipient: String,
    template: String,
    subject: String,
    body: String,
    application_id: Option<String>,
    link: Option<String>,
    profile_id: Option<String>,
    created_at: NaiveDateTime,
    /// Due at once: written with the change that causes it, sent by the next worker run.
    next_attempt_at: Option<NaiveDateTime>,
}

impl NotificationRow {
    fn from_domain(x: &Notification) -> Self {
        Self {
            id: text(x.id),
            recipient: x.recipient.clone(),
            template: x.template.code().to_string(),
            subject: x.subject.clone(),
            body: x.body.clone(),
            application_id: x.application_id.map(text),
            link: x.link.clone(),
            profile_id: x.profile_id.map(text),
            created_at: naive(x.created_at),
            next_attempt_at: Some(naive(x.created_at)),
        }
    }

    pub(crate) fn into_domain(self) -> StoreResult<Notification> {
        Ok(Notification {
            id: uuid(&self.id)?,
            recipient: self.recipient,
            template: code("notification template", &self.template, Template::parse)?,
            subject: self.subject,
            body: self.body,
            application_id: opt_uuid(self.application_id.as_deref())?,
            link: self.link,
            profile_id: opt_uuid(self.profile_id.as_deref())?,
            created_at: utc(self.created_at),
        })
    }
}

pub(crate) fn record_notifications(
    c: &mut DbConnection,
    notifications: &[Notification],
) -> Result<(), diesel::result::Error> {
    let rows: Vec<NotificationRow> = notifications.iter().map(NotificationRow::from_domain).collect();
    crate::bulk::insert_rows!(c, n::table, rows).map(drop)
}

impl NotificationStore for DbStore {
    fn enqueue(&self, messages: &[Notification]) -> StoreResult<()> {
        self.with_conn(|c| record_notifications(c, messages))
    }

    fn notification(&self, id: Uuid) -> StoreResult<Notification> {
        let row = self.with_conn(|c| n::table.find(text(id)).select(NotificationRow::as_select()).first(c))?;
        row.into_domain()
    }

    fn notifications(&self, page: &PageRequest<Uuid>) -> StoreResult<Page<Notification, Uuid>> {
        let rows = self.with_conn(|c| {
            n::table
                .filter(n::id.gt(after_text(page)))
                .order(n::id)
                .limit(fetch_limit(page))
                .select(NotificationRow::as_select())
                .load(c)
        })?;
        id_page(rows, page, NotificationRow::into_domain, |x| x.id)
    }
}
