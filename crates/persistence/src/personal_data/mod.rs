//! The register of personal data: every column of every table, once, classified as personal (what
//! kind, whose, and where the subject access export shows it) or not personal. A test reads the
//! real schema on both databases and fails on a column the register does not know, or one it names
//! that does not exist, so that export, erasure and retention cannot silently miss a new field.

pub mod erasure;
mod register;

pub use register::tables;

/// What kind of personal data a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An identity provider's subject: names a person's account.
    SubjectId,
    /// A name or initials.
    Identity,
    /// An email address or telephone number.
    Contact,
    DateOfBirth,
    /// An age in years, taken from the date of birth.
    Age,
    Postcode,
    /// Where someone lives, short of the postcode (no fixed address, within a catchment).
    Location,
    /// Circumstances that can make someone vulnerable (user groups, care experience, travel).
    Circumstances,
    /// Reasonable adjustments: often health or disability.
    Adjustments,
    /// Text a person typed, which can say anything about anyone.
    FreeText,
    /// Equality monitoring answers (special category data).
    Equality,
    /// A message sent to someone, or what we know of its delivery.
    Message,
    /// Answers to a feedback survey: a person's opinions.
    Opinion,
    /// A T-level placement's record of the student: days and hours worked, a supervisor's
    /// judgement of whether they are on track.
    PlacementRecord,
    /// Which system's user acted (a trust system's attribution of an API client's request).
    Attribution,
}

/// Whose personal data a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum About {
    /// The applicant the row belongs to.
    Applicant,
    /// A parent, carer, support worker or other advocate acting for an applicant.
    Advocate,
    /// The parent or carer who gave consent for an applicant under 16.
    ConsentGiver,
    /// A participant's emergency contact, or the parent or carer who gave consent for them to
    /// take part (the readiness checklist).
    ContactOrConsentGiver,
    /// The support worker an applicant names.
    SupportWorker,
    /// Staff of an organisation or the platform (coordinators, hosts, admins, a trust system's users).
    Staff,
    /// Whoever a message was sent to: the applicant, their advocate or an organisation's team.
    Recipient,
    /// Whoever made a change: the applicant, their advocate or staff.
    Actor,
}

/// Where the subject access export (`GET /v1/me/export`) shows a personal column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    /// Under this JSON key, wherever the export holds a row of the column's table.
    As(&'static str),
    /// Not exported, and why.
    Not(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Ids, codes, times, counts, organisations' own data; the text says why when not obvious.
    NotPersonal(&'static str),
    Personal {
        kind: Kind,
        about: About,
        export: Export,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub class: Class,
}

/// How a table's rows are found for one person: the rows whose column holds one of the person's
/// profile ids, application ids, notification ids or account subjects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    Profile(&'static str),
    Application(&'static str),
    Notification(&'static str),
    Subject(&'static str),
    /// An audit entry's object: the person's profile or one of their applications.
    ProfileOrApplication(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    pub name: &'static str,
    /// How the rows about one applicant are found (none for tables that hold no applicant's rows).
    pub applicant_rows: &'static [Link],
    pub columns: &'static [Column],
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// The table of that name, if the register has it.
pub fn table(name: &str) -> Option<&'static Table> {
    tables().find(|t| t.name == name)
}

/// Every personal column, as (table, column, kind, about, export).
pub fn personal_columns() -> impl Iterator<Item = (&'static Table, &'static Column, Kind, About, Export)> {
    tables().flat_map(|t| {
        t.columns.iter().filter_map(move |c| match c.class {
            Class::Personal { kind, about, export } => Some((t, c, kind, about, export)),
            Class::NotPersonal(_) => None,
        })
    })
}

fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::SubjectId => "account subject",
        Kind::Identity => "name or initials",
        Kind::Contact => "contact details",
        Kind::DateOfBirth => "date of birth",
        Kind::Age => "age",
        Kind::Postcode => "postcode",
        Kind::Location => "location",
        Kind::Circumstances => "circumstances",
        Kind::Adjustments => "adjustments (health)",
        Kind::FreeText => "free text",
        Kind::Equality => "equality answers (special category)",
        Kind::Message => "message",
        Kind::Opinion => "opinion (survey answers)",
        Kind::Attribution => "attribution",
        Kind::PlacementRecord => "placement record (hours, reviews)",
    }
}

fn about_label(about: About) -> &'static str {
    match about {
        About::Applicant => "applicant",
        About::Advocate => "advocate",
        About::ConsentGiver => "parent or carer giving consent",
        About::ContactOrConsentGiver => "emergency contact or parent or carer giving consent",
        About::SupportWorker => "support worker",
        About::Staff => "staff",
        About::Recipient => "message recipient",
        About::Actor => "whoever acted",
    }
}

/// The register's personal columns as the Markdown table `docs/data-protection.md` holds (a test
/// checks the document against it).
pub fn markdown() -> String {
    let mut out =
        String::from("| Table | Column | Kind | About | In the export | On erasure |\n|---|---|---|---|---|---|\n");
    for (t, c, kind, about, export) in personal_columns() {
        let export = match export {
            Export::As(key) => format!("`{key}`"),
            Export::Not(why) => format!("no: {why}"),
        };
        out.push_str(&format!(
            "| `{}` | `{}` | {} | {} | {} | {} |\n",
            t.name,
            c.name,
            kind_label(kind),
            about_label(about),
            export,
            erasure::describe(t.name, c.name)
        ));
    }
    out
}
