//! What erasing an applicant does to each table that holds rows about them: the rows are deleted,
//! or kept (reports, draw records and other people's records need them) with every personal column
//! overwritten, or kept for a stated reason. A test checks that every personal column of every such
//! table has a rule here, so a new personal column cannot be left behind by erasure; the store's
//! erasure runs the statements written from these rules.

use super::{Link, Table, tables};

/// What erasing a person does to one table's rows about them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// Deleted, and why nothing in them is needed once the person is gone.
    Delete(&'static str),
    /// Kept, with each personal column's rule.
    Keep(&'static [(&'static str, Erase)]),
}

/// What erasing a person does to one personal column of the rows kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erase {
    /// Overwritten with this SQL value on every row about the person.
    To(&'static str),
    /// Overwritten with this SQL value where it holds the person's own account subject; other
    /// people's (staff who looked) stay, so that every view stays accountable.
    TheirsTo(&'static str),
    /// Kept, and why it names no one once the rest is gone.
    Kept(&'static str),
}

/// The account subject left where a person's was.
const ERASED: &str = "'erased'";
const NULL: &str = "NULL";

/// The rules, by table name.
pub static RULES: &[(&str, Rows)] = &[
    ("idempotency_keys", Rows::Delete("a day's copies of responses to the person's own requests")),
    (
        "applicant_profiles",
        // The row stays as a shell (its id, times and version), so that applications keep their
        // profile and the count of accounts made in a period does not change. Some columns cannot be
        // empty: they hold values that belong to no one. A profile needs an account or a manager, so
        // the shell's account is a name made from its own id, which no identity provider gives.
        Rows::Keep(&[
            ("subject", Erase::To("'erased:' || id")),
            ("managed_by", Erase::To(NULL)),
            ("preferred_name", Erase::To(NULL)),
            ("email", Erase::To("'erased@erased.invalid'")),
            ("phone", Erase::To(NULL)),
            ("date_of_birth", Erase::To("'1900-01-01'")),
            ("postcode", Erase::To(NULL)),
            ("no_fixed_address", Erase::To("TRUE")),
            ("user_groups", Erase::To("'[]'")),
            ("care_experienced", Erase::To(NULL)),
            ("adjustments", Erase::To(NULL)),
            ("preferred_language", Erase::To(NULL)),
            ("support_worker_name", Erase::To(NULL)),
            ("support_worker_email", Erase::To(NULL)),
            ("support_worker_organisation", Erase::To(NULL)),
            ("consent_giver_name", Erase::To(NULL)),
        ]),
    ),
    (
        "advocate_links",
        Rows::Delete("the links end with the account; the advocates' addresses and accounts go with them"),
    ),
    (
        "provider_students",
        Rows::Delete("the student's course and their college's hold on the profile, needed by no report"),
    ),
    ("supporting_information", Rows::Delete("free text about the applicant, needed by no report")),
    (
        "applications",
        Rows::Keep(&[
            ("submitted_by_subject", Erase::To(ERASED)),
            ("answers", Erase::To("'[]'")),
            ("can_travel", Erase::To(NULL)),
            ("in_catchment", Erase::To(NULL)),
            (
                "applicant_age",
                Erase::Kept(
                    "an age in years at applying, counted by the age reports; with the profile erased it names no one",
                ),
            ),
        ]),
    ),
    ("application_events", Rows::Keep(&[("actor_subject", Erase::To(ERASED)), ("reason", Erase::To(NULL))])),
    (
        "notifications",
        Rows::Keep(&[
            ("recipient", Erase::To("''")),
            ("subject", Erase::To("''")),
            ("body", Erase::To("''")),
            ("failure", Erase::To(NULL)),
        ]),
    ),
    ("delivery_attempts", Rows::Keep(&[("detail", Erase::To(NULL))])),
    (
        "audit_log",
        Rows::Keep(&[
            ("actor_subject", Erase::TheirsTo(ERASED)),
            (
                "attribution",
                Erase::Kept("who in a trust's system looked: staff, kept so that every view stays accountable"),
            ),
            ("about_subject", Erase::Kept("whom a role was granted: staff, never an applicant")),
            (
                "reason",
                Erase::Kept(
                    "why someone looked, or why an admin erased the account: kept for accountability; the API asks that it name no one",
                ),
            ),
        ]),
    ),
    // The certificate still verifies: its code is the person's to show, and it proves the
    // placement and dates without naming anyone.
    (
        "certificates",
        Rows::Keep(&[
            ("initials", Erase::To("''")),
            (
                "t_level_quarter_hours",
                Erase::Kept("the hours a certificate that still verifies states; they name no one"),
            ),
        ]),
    ),
    // T-level places stay counted by the reports (places filled, hours completed): what was
    // agreed and logged is kept as counts about an application whose profile holds nothing; the
    // text about the student goes.
    ("t_level_agreements", Rows::Keep(&[("objectives", Erase::To("''")), ("supervisor", Erase::Kept(SUPERVISOR))])),
    (
        "t_level_hours",
        Rows::Keep(&[
            (
                "day",
                Erase::Kept("a day worked, counted by the T-level reports; with the profile erased it names no one"),
            ),
            ("quarter_hours", Erase::Kept("hours worked, counted by the T-level reports; they name no one")),
            ("logged_by", Erase::Kept(SUPERVISOR)),
        ]),
    ),
    (
        "t_level_reviews",
        Rows::Delete("a supervisor's comments on the student and the student's reflections; no report counts them"),
    ),
    (
        "participant_feedback",
        Rows::Keep(&[
            ("more_likely", Erase::Kept("a survey answer counted in the feedback report; it names no one")),
            ("agreement", Erase::Kept("survey answers counted in the feedback report; they name no one")),
            ("comments", Erase::To(NULL)),
            ("completed_pre_module", Erase::Kept("a survey answer counted in the feedback report; it names no one")),
        ]),
    ),
    (
        "readiness_items",
        Rows::Delete("the checklist of a place: the emergency contact and consent details are needed by no report"),
    ),
    ("equality_responses", Rows::Delete("who answered for the applicant; the answers go too")),
    ("equality_answers", Rows::Delete("reports count the answers frozen for each application at the draw, not these")),
    // Frozen at the draw (or at erasure) so that published figures do not move: codes only, about an
    // application whose profile holds nothing once erased.
    (
        "report_characteristics",
        Rows::Keep(&[("user_groups", Erase::Kept(FROZEN)), ("care_experienced", Erase::Kept(FROZEN))]),
    ),
    ("report_answers", Rows::Keep(&[("answer", Erase::Kept(FROZEN))])),
];

/// Why a supervisor's account stays on what they signed off.
const SUPERVISOR: &str = "the supervisor's account: staff, kept so that what they signed off stays accountable";

/// Why the characteristics frozen for reports stay.
const FROZEN: &str =
    "frozen for the reports, which must not change; codes about an application whose profile is erased";

/// The rule for a table's rows about an erased person, if it has one.
pub fn rows(table: &str) -> Option<Rows> {
    RULES.iter().find(|(t, _)| *t == table).map(|(_, r)| *r)
}

/// What erasure does to a personal column, in words, for the register's table in the docs.
pub fn describe(table: &str, column: &str) -> String {
    match rows(table) {
        None => "not an applicant's: untouched".to_string(),
        Some(Rows::Delete(_)) => "row deleted".to_string(),
        Some(Rows::Keep(columns)) => match columns.iter().find(|(c, _)| *c == column).map(|(_, e)| *e) {
            Some(Erase::To("NULL" | "''")) => "emptied".to_string(),
            Some(Erase::To("'erased:' || id")) => "overwritten with `erased:` and the row's id".to_string(),
            Some(Erase::To(value)) => format!("overwritten with `{}`", value.trim_matches('\'')),
            Some(Erase::TheirsTo(value)) => {
                format!("overwritten with `{}` where it is theirs", value.trim_matches('\''))
            }
            Some(Erase::Kept(why)) => format!("kept: {why}"),
            None => "no rule".to_string(),
        },
    }
}

/// One statement of an erasure: its text, with placeholders numbered for the backend, and the
/// text values to bind in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub sql: String,
    pub binds: Vec<String>,
}

/// Marks a parameter while a statement is written; numbered for the backend at the end.
const PARAM: char = '\u{1}';

/// A statement being written: parameters are bound in the order they appear in the text.
#[derive(Default)]
struct Writer {
    binds: Vec<String>,
}

impl Writer {
    fn param(&mut self, value: &str) -> String {
        self.binds.push(value.to_string());
        PARAM.to_string()
    }

    /// The statement, with `$1..` (PostgreSQL) or `?` (SQLite) for the marks.
    fn finish(self, sql: &str, postgres: bool) -> Statement {
        let mut out = String::with_capacity(sql.len());
        let mut n = 0;
        for c in sql.chars() {
            if c == PARAM {
                n += 1;
                out.push_str(&if postgres { format!("${n}") } else { "?".to_string() });
            } else {
                out.push(c);
            }
        }
        Statement { sql: out, binds: self.binds }
    }
}

/// Which rows of a table are the person's: any of its links. `None` when no link applies (a
/// table found only by account subject, for a profile without an account).
fn rows_of(w: &mut Writer, table: &Table, profile: &str, subject: Option<&str>) -> Option<String> {
    let mut any = Vec::new();
    for link in table.applicant_rows {
        let applications =
            |w: &mut Writer| format!("SELECT id FROM applications WHERE profile_id = {}", w.param(profile));
        any.push(match *link {
            Link::Profile(c) => format!("{c} = {}", w.param(profile)),
            Link::Application(c) => format!("{c} IN ({})", applications(w)),
            Link::Notification(c) => {
                let p = w.param(profile);
                format!(
                    "{c} IN (SELECT id FROM notifications WHERE profile_id = {p} OR application_id IN ({}))",
                    applications(w)
                )
            }
            Link::Subject(c) => match subject {
                Some(s) => format!("{c} = {}", w.param(s)),
                None => continue,
            },
            Link::ProfileOrApplication(c) => {
                let p = w.param(profile);
                format!("{c} = {p} OR {c} IN ({})", applications(w))
            }
        });
    }
    (!any.is_empty()).then(|| any.into_iter().map(|c| format!("({c})")).collect::<Vec<_>>().join(" OR "))
}

/// The statement that erases one table's rows about the person, if any rows can be theirs.
fn statement(table: &Table, rule: Rows, postgres: bool, profile: &str, subject: Option<&str>) -> Option<Statement> {
    let mut w = Writer::default();
    let sql = match rule {
        Rows::Delete(_) => {
            let mine = rows_of(&mut w, table, profile, subject)?;
            format!("DELETE FROM {} WHERE {mine}", table.name)
        }
        Rows::Keep(columns) => {
            let mut sets = Vec::new();
            for (column, erase) in columns {
                match (erase, subject) {
                    (Erase::To(value), _) => sets.push(format!("{column} = {value}")),
                    (Erase::TheirsTo(value), Some(s)) => {
                        let p = w.param(s);
                        sets.push(format!("{column} = CASE WHEN {column} = {p} THEN {value} ELSE {column} END"));
                    }
                    (Erase::TheirsTo(_), None) | (Erase::Kept(_), _) => {}
                }
            }
            if sets.is_empty() {
                return None;
            }
            if table.column("version").is_some() {
                sets.push("version = version + 1".to_string());
            }
            let mine = rows_of(&mut w, table, profile, subject)?;
            format!("UPDATE {} SET {} WHERE {mine}", table.name, sets.join(", "))
        }
    };
    Some(w.finish(&sql, postgres))
}

/// The statements that erase one person: deletions first, in reverse order of the register (so
/// that rows go before the rows they refer to), then the overwriting of the rows kept, each
/// moving its row's version on where the table has one.
pub fn statements(postgres: bool, profile_id: &str, subject: Option<&str>) -> Vec<Statement> {
    let mut deletes = Vec::new();
    let mut updates = Vec::new();
    for table in tables() {
        let Some(rule) = rows(table.name) else { continue };
        let Some(stmt) = statement(table, rule, postgres, profile_id, subject) else { continue };
        match rule {
            Rows::Delete(_) => deletes.push(stmt),
            Rows::Keep(_) => updates.push(stmt),
        }
    }
    deletes.reverse();
    deletes.extend(updates);
    deletes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::personal_data::{Class, personal_columns};

    #[test]
    fn every_personal_column_of_an_applicants_table_has_one_rule() {
        for (table, column, ..) in personal_columns() {
            if table.applicant_rows.is_empty() {
                continue;
            }
            match rows(table.name) {
                None => panic!("{} holds applicants' rows but has no erasure rule", table.name),
                Some(Rows::Delete(_)) => {}
                Some(Rows::Keep(columns)) => {
                    let rules = columns.iter().filter(|(c, _)| *c == column.name).count();
                    assert_eq!(rules, 1, "{}.{} needs exactly one erasure rule", table.name, column.name);
                }
            }
        }
    }

    #[test]
    fn rules_name_only_personal_columns_of_applicants_tables() {
        for (name, rule) in RULES {
            let table = crate::personal_data::table(name).unwrap_or_else(|| panic!("{name} is not in the register"));
            assert!(!table.applicant_rows.is_empty(), "{name} holds no applicant's rows");
            if let Rows::Keep(columns) = rule {
                for (column, _) in *columns {
                    let found = table.column(column).unwrap_or_else(|| panic!("{name}.{column} does not exist"));
                    assert!(matches!(found.class, Class::Personal { .. }), "{name}.{column} is not personal");
                }
            }
        }
    }

    #[test]
    fn statements_bind_each_value_once_per_placeholder() {
        for postgres in [false, true] {
            for subject in [None, Some("sub-1")] {
                for s in statements(postgres, "p-1", subject) {
                    let marks = if postgres { s.sql.matches('$').count() } else { s.sql.matches('?').count() };
                    assert_eq!(marks, s.binds.len(), "{}", s.sql);
                    assert!(s.binds.iter().all(|b| b == "p-1" || Some(b.as_str()) == subject), "{}", s.sql);
                }
            }
        }
    }

    #[test]
    fn rows_found_only_by_account_are_left_alone_for_a_profile_without_one() {
        let without = statements(false, "p-1", None);
        assert!(!without.iter().any(|s| s.sql.starts_with("DELETE FROM idempotency_keys")));
        let with = statements(false, "p-1", Some("sub-1"));
        assert!(with.iter().any(|s| s.sql.starts_with("DELETE FROM idempotency_keys")));
        let equality = with.iter().position(|s| s.sql.starts_with("DELETE FROM equality_answers"));
        let responses = with.iter().position(|s| s.sql.starts_with("DELETE FROM equality_responses"));
        assert!(equality < responses, "answers go before the responses they refer to");
    }
}
