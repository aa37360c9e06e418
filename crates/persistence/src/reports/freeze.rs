//! Freezing what reports group applications by, at the draw (see [`ReportSnapshotStore`]). Two
//! set-based statements per call, whatever the number of applications: the equality answers,
//! then the characteristics row that marks the application frozen. Answers go first so that they
//! are copied only for applications that no earlier call froze: an answer given after an
//! application was frozen must not join its frozen answers.

use chrono::{DateTime, Utc};
use diesel::Connection;
use uuid::Uuid;
use wex_domain::ports::{ReportSnapshotStore, StoreResult};

use super::sql::{Bind, Sql};
use crate::errors::{naive, text};
use crate::store::DbStore;

/// Which applications a call freezes: those whose column holds the id.
#[derive(Clone, Copy)]
enum Of {
    Placement,
    Profile,
}

impl Of {
    fn column(self) -> &'static str {
        match self {
            Of::Placement => "a.placement_id",
            Of::Profile => "a.profile_id",
        }
    }
}

/// `WHERE` the application is one of the call's and not frozen yet. `ON CONFLICT DO NOTHING`
/// after it covers a concurrent call on PostgreSQL that froze the same application meanwhile.
fn not_yet_frozen(sql: &mut Sql, of: Of, id: Uuid) {
    sql.push(&format!(" WHERE {} = ", of.column()))
        .text_param(&text(id))
        .push(" AND NOT EXISTS (SELECT 1 FROM report_characteristics rc WHERE rc.application_id = a.id)")
        .push(" ON CONFLICT DO NOTHING");
}

impl DbStore {
    fn freeze(&self, of: Of, id: Uuid, now: DateTime<Utc>) -> StoreResult<u64> {
        self.with_conn(|c| {
            c.transaction(|c| {
                let mut answers = Sql::new(c);
                answers.push(
                    "INSERT INTO report_answers (application_id, question, answer) \
                     SELECT a.id, e.question, e.answer FROM applications a \
                     JOIN equality_answers e ON e.profile_id = a.profile_id",
                );
                not_yet_frozen(&mut answers, of, id);
                answers.execute(c)?;
                let mut characteristics = Sql::new(c);
                characteristics
                    .push(
                        "INSERT INTO report_characteristics (application_id, user_groups, care_experienced, frozen_at) \
                         SELECT a.id, pr.user_groups, pr.care_experienced, ",
                    )
                    .bind(Bind::Timestamp(naive(now)))
                    .push(" FROM applications a JOIN applicant_profiles pr ON pr.id = a.profile_id");
                not_yet_frozen(&mut characteristics, of, id);
                characteristics.execute(c)
            })
        })
        .map(|n| n as u64)
    }
}

impl ReportSnapshotStore for DbStore {
    fn freeze_characteristics_of_placement(&self, placement_id: Uuid, now: DateTime<Utc>) -> StoreResult<u64> {
        self.freeze(Of::Placement, placement_id, now)
    }

    fn freeze_characteristics_of_profile(&self, profile_id: Uuid, now: DateTime<Utc>) -> StoreResult<u64> {
        self.freeze(Of::Profile, profile_id, now)
    }
}
