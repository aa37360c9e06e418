//! Equality answers: a response row (version, and who recorded it) and one row per answer, so
//! reports can count answers with grouped queries. Nothing but these functions and the reports
//! reads these tables.

use diesel::prelude::*;
use uuid::Uuid;
use wex_domain::StoreError;
use wex_domain::model::equality::{RecordedBy, Response};
use wex_domain::model::profile::{Consent, ConsentGiver};
use wex_domain::ports::{EqualityStore, StoreResult};

use crate::errors::{code, naive, text, utc};
use crate::reports::counters::Scope;
use crate::reports::recount::recount;
use crate::schema::{equality_answers as ea, equality_responses as e};
use crate::store::{DbStore, OrStore};

/// The tables of equality answers, children first, for the sandbox's wholesale delete
/// (`sandbox.rs`), which empties them without naming them outside this file.
pub(crate) const TABLES: [&str; 2] = ["equality_answers", "equality_responses"];

type ResponseRow = (i64, chrono::NaiveDateTime, Option<String>, Option<String>, Option<String>);

impl EqualityStore for DbStore {
    fn equality_response(&self, profile_id: Uuid) -> StoreResult<Option<Response>> {
        let id = text(profile_id);
        let found: Option<(ResponseRow, Vec<(String, String)>)> = self.with_conn(|c| {
            let Some(row) = e::table
                .find(&id)
                .select((e::version, e::updated_at, e::recorded_by, e::consent_given_by, e::consent_giver_name))
                .first::<ResponseRow>(c)
                .optional()?
            else {
                return Ok(None);
            };
            let answers = ea::table.filter(ea::profile_id.eq(&id)).select((ea::question, ea::answer)).load(c)?;
            Ok(Some((row, answers)))
        })?;
        let Some(((version, at, recorded_by, given_by, giver_name), answers)) = found else { return Ok(None) };
        let recorded_by = match (recorded_by, given_by) {
            (Some(advocate_subject), Some(given_by)) => Some(RecordedBy {
                advocate_subject,
                consent: Consent { given_by: code("consent giver", &given_by, ConsentGiver::parse)?, giver_name },
            }),
            _ => None,
        };
        Ok(Some(Response { answers: answers.into_iter().collect(), version, updated_at: utc(at), recorded_by }))
    }

    fn put_equality_response(&self, profile_id: Uuid, response: &Response) -> StoreResult<()> {
        let id = text(profile_id);
        let by = response.recorded_by.as_ref();
        let rows: Vec<_> = response
            .answers
            .iter()
            .map(|(q, a)| (ea::profile_id.eq(&id), ea::question.eq(q), ea::answer.eq(a)))
            .collect();
        self.with_conn_try(|c| {
            // Reports count an application not yet drawn by its applicant's answers as they are.
            c.transaction(|c| {
                recount(c, Scope::Profile(&id), |c| {
                    diesel::delete(ea::table.filter(ea::profile_id.eq(&id))).execute(c)?;
                    diesel::delete(e::table.find(&id)).execute(c)?;
                    diesel::insert_into(e::table)
                        .values((
                            e::profile_id.eq(&id),
                            e::version.eq(response.version),
                            e::updated_at.eq(naive(response.updated_at)),
                            e::recorded_by.eq(by.map(|b| b.advocate_subject.as_str())),
                            e::consent_given_by.eq(by.map(|b| b.consent.given_by.code())),
                            e::consent_giver_name.eq(by.and_then(|b| b.consent.giver_name.as_deref())),
                        ))
                        .execute(c)?;
                    // One statement per answer: batch inserts do not compile on the two-backend connection.
                    for row in &rows {
                        diesel::insert_into(ea::table).values(*row).execute(c)?;
                    }
                    Ok::<_, diesel::result::Error>(())
                })
            })
            .db()
            .map(drop)
        })
    }

    fn delete_equality_response(&self, profile_id: Uuid) -> StoreResult<()> {
        let id = text(profile_id);
        let n = self.with_conn_try(|c| {
            c.transaction(|c| {
                recount(c, Scope::Profile(&id), |c| {
                    diesel::delete(ea::table.filter(ea::profile_id.eq(&id))).execute(c)?;
                    diesel::delete(e::table.find(&id)).execute(c)
                })
            })
            .db()
        })?;
        if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }
}
