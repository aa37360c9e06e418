//! `/v1/reports/*` for coordinators, analysts and admins, and the public `/v1/statistics`. Every
//! report is aggregated and suppressed in the domain; here they are read from the query string and
//! written as JSON, or as CSV on `Accept: text/csv` (suppressed counts are `*` there).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;
use uuid::Uuid;
use wex_domain::model::reference::{PlacementKind, Region, Specialty};
use wex_domain::model::reports::ReportFilter;
use wex_domain::model::reports::measures::SupplyBy;
use wex_domain::model::reports::uptake::Dimension;
use wex_domain::reports;

use crate::auth::SignedIn;
use crate::errors_doc::Errors;
use crate::extract::{Query, parse_query, query_value};
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;
use crate::wire::codes;
use crate::wire::reports::{
    FeedbackReport, Figure, ImplementationReport, Rate, Statistics, SupplyReport, TimelinessReport, UptakeReport,
};

/// The filters every report takes.
#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FilterQuery {
    /// Placements starting on or after this date (YYYY-MM-DD): the first day of a month.
    #[param(value_type = Option<NaiveDate>, example = "2027-01-01")]
    pub from: Option<String>,
    /// Placements starting on or before this date (YYYY-MM-DD): the last day of a month, and not
    /// before `from` (otherwise `422`, with the code `before_from` on `/to`).
    #[param(value_type = Option<NaiveDate>, example = "2027-12-31")]
    pub to: Option<String>,
    /// One organisation. Coordinators may name only their own (it is implied when they
    /// coordinate exactly one).
    #[param(value_type = Option<Uuid>)]
    pub organisation_id: Option<String>,
    #[param(value_type = Option<codes::Region>)]
    pub region: Option<String>,
    #[param(value_type = Option<codes::Specialty>)]
    pub specialty: Option<String>,
    #[param(value_type = Option<codes::PlacementKind>)]
    pub kind: Option<String>,
}

impl FilterQuery {
    fn filter(&self) -> ApiResult<ReportFilter> {
        let date = |v: &str| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
        Ok(ReportFilter {
            from: query_value("from", self.from.as_deref(), date, "Give a date as YYYY-MM-DD.")?,
            to: query_value("to", self.to.as_deref(), date, "Give a date as YYYY-MM-DD.")?,
            organisation_id: query_value(
                "organisation_id",
                self.organisation_id.as_deref(),
                |v| Uuid::parse_str(v).ok(),
                "Give an organisation id (a UUID).",
            )?,
            region: query_value("region", self.region.as_deref(), Region::parse, "Not a region code.")?,
            specialty: query_value("specialty", self.specialty.as_deref(), Specialty::parse, "Not a specialty code.")?,
            kind: query_value("kind", self.kind.as_deref(), PlacementKind::parse, "Not a placement kind code.")?,
        })
    }
}

/// For endpoints that take no query parameters: any given is refused.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoParameters {}

/// Takes one required parameter out of the query string and parses the rest as the filters.
pub(crate) fn filter_and(req: &HttpRequest, name: &str, hint: &str) -> ApiResult<(String, ReportFilter)> {
    let (mut values, filter) = filter_and_some(req, &[name])?;
    Ok((values.pop().flatten().ok_or_else(|| bad(name, hint))?, filter))
}

/// Takes these parameters (each at most once) out of the query string and parses the rest as the
/// filters.
fn filter_and_some(req: &HttpRequest, names: &[&str]) -> ApiResult<(Vec<Option<String>>, ReportFilter)> {
    let mut values = vec![None; names.len()];
    let mut rest = Vec::new();
    for (k, v) in form_pairs(req.query_string())? {
        match names.iter().position(|n| *n == k) {
            Some(i) => {
                if values[i].replace(v).is_some() {
                    return Err(bad(names[i], "Give this query parameter only once."));
                }
            }
            None => rest.push((k, v)),
        }
    }
    let rest = serde_urlencoded::to_string(&rest).map_err(|_| ApiError::internal())?;
    let filter = parse_query::<FilterQuery>(&rest)?.filter()?;
    Ok((values, filter))
}

fn form_pairs(query: &str) -> ApiResult<Vec<(String, String)>> {
    serde_urlencoded::from_str(query)
        .map_err(|_| ApiError::bad_request("invalid_query", "The query string is not valid."))
}

pub(crate) fn bad(name: &str, message: &str) -> ApiError {
    ApiError::bad_field(
        actix_web::http::StatusCode::BAD_REQUEST,
        &format!("/{name}"),
        "invalid_query_parameter",
        message,
    )
}

fn filter_only(req: &HttpRequest) -> ApiResult<ReportFilter> {
    parse_query::<FilterQuery>(req.query_string())?.filter()
}

/// Whether `Accept` asks for CSV (and does not refuse it with `q=0`).
fn wants_csv(req: &HttpRequest) -> bool {
    let accept = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or_default();
    accept.split(',').any(|range| {
        let mut parts = range.split(';').map(str::trim);
        let refused = |p: &str| p.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()) == Some(0.0);
        parts.next() == Some("text/csv") && !parts.any(refused)
    })
}

/// A cell a spreadsheet would take for a formula (an organisation's name, say) is written as text.
fn cell(value: String) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value }
}

/// JSON, or CSV when asked for.
pub(crate) fn respond<T: Serialize>(
    req: &HttpRequest,
    report: &T,
    name: &str,
    csv: impl FnOnce() -> Vec<Vec<String>>,
) -> ApiResult<HttpResponse> {
    if !wants_csv(req) {
        return Ok(HttpResponse::Ok().json(report));
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    for record in csv() {
        w.write_record(record.into_iter().map(cell)).map_err(|_| ApiError::internal())?;
    }
    let body = w.into_inner().map_err(|_| ApiError::internal())?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.csv\"")))
        .body(body))
}

pub(crate) fn figure(f: &Figure) -> String {
    match (f.count, f.suppressed) {
        (Some(n), _) => n.to_string(),
        (None, true) => "*".to_string(),
        (None, false) => String::new(),
    }
}

fn rate(r: &Rate) -> String {
    match (r.value, r.suppressed) {
        (Some(v), _) => v.to_string(),
        (None, true) => "*".to_string(),
        (None, false) => String::new(),
    }
}

fn uptake_csv(r: &UptakeReport) -> Vec<Vec<String>> {
    let mut head: Vec<String> = vec!["category".into(), "label".into()];
    head.extend(r.total.counts.iter().map(|c| c.stage.to_string()));
    for t in &r.total.transitions {
        let name = format!("{}_to_{}", t.from, t.to);
        head.extend([format!("rate_{name}"), format!("impact_ratio_{name}"), format!("flagged_{name}")]);
    }
    let mut out = vec![head];
    for row in r.rows.iter().chain([&r.total]) {
        let mut line = vec![row.category.to_string(), row.label.to_string()];
        line.extend(row.counts.iter().map(|c| figure(&c.figure)));
        for t in &row.transitions {
            line.extend([
                rate(&t.rate),
                t.impact_ratio.map(|v| v.to_string()).unwrap_or_default(),
                t.flagged.to_string(),
            ]);
        }
        out.push(line);
    }
    out
}

/// Uptake by user group or equality characteristic.
///
/// Who may call: coordinators (their own organisation), analysts and admins. For one
/// `dimension`, each category's applications at each stage (applied, entered the draw, offered,
/// accepted, attended, completed), the rates between stages, and the impact ratio against the
/// category with the highest rate, flagged under 0.8 with at least 20 in both. Counts of 1 to 7 are
/// suppressed, others rounded to 5, with secondary suppression. Equality dimensions (from the
/// monitoring form) are also protected against disclosure: a table about fewer than 20 people is
/// refused (`422 population_too_small`), zeros are hidden, and counts are rounded up or down at
/// random, the same way every time for the same figures (`protection`). `Accept: text/csv` gives CSV.
#[utoipa::path(tag = "reports", operation_id = "getUptakeReport", security(("bearer" = [])),
    params(
        ("dimension" = codes::Dimension, Query, description = "What to break applications down by."),
        ("exact" = Option<bool>, Query, description = "Admins only, and only with no other filter (the whole country, all time): counts without rounding or noise. Small counts stay hidden."),
        FilterQuery
    ),
    responses(
        (status = 200, description = "The report (CSV on `Accept: text/csv`, suppressed counts as `*`).", content(
            (UptakeReport = "application/json"),
            (String = "text/csv", example = "category,label,applied,entered,offered,accepted,attended,completed,...\ncare_experienced,Care-experienced people,120,115,40,35,30,30,...")
        )),
        Errors<reports::UptakeError>,
    ))]
#[get("/reports/uptake")]
pub async fn uptake_report(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> ApiResult<HttpResponse> {
    let (values, filter) = filter_and_some(&req, &["dimension", "exact"])?;
    let dimension = values[0]
        .as_deref()
        .ok_or_else(|| bad("dimension", "Choose a dimension, such as user_group or ethnicity_group."))?;
    let dimension = Dimension::parse(dimension).ok_or_else(|| bad("dimension", "Not a dimension code."))?;
    let exact = match values[1].as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(bad("exact", "Give true or false.")),
    };
    let rules = state.suppression;
    let report =
        UptakeReport::from(state.run(move |s| Ok(reports::uptake(s, &actor, dimension, filter, exact, rules)?)).await?);
    respond(&req, &report, &format!("uptake-{dimension}"), || uptake_csv(&report))
}

/// Outcome timeliness.
///
/// Who may call: coordinators (their own organisation), analysts and admins. For each
/// organisation and month of the promised outcome date: outcomes given on time, late, and
/// overdue (none yet, date passed), and the share on time. Suppressed like every report.
#[utoipa::path(tag = "reports", operation_id = "getTimelinessReport", security(("bearer" = [])),
    params(FilterQuery),
    responses(
        (status = 200, description = "The report (CSV on `Accept: text/csv`).", content(
            (TimelinessReport = "application/json"),
            (String = "text/csv", example = "organisation_id,organisation_name,month,due,on_time,late,overdue,on_time_share")
        )),
        Errors<reports::ReportError>,
    ))]
#[get("/reports/timeliness")]
pub async fn timeliness_report(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> ApiResult<HttpResponse> {
    let filter = filter_only(&req)?;
    let (rules, today) = (state.suppression, state.now().date_naive());
    let report =
        TimelinessReport::from(state.run(move |s| Ok(reports::timeliness(s, &actor, filter, today, rules)?)).await?);
    respond(&req, &report, "timeliness", || {
        let mut out = vec![
            ["organisation_id", "organisation_name", "month", "due", "on_time", "late", "overdue", "on_time_share"]
                .map(String::from)
                .to_vec(),
        ];
        out.extend(report.rows.iter().map(|r| {
            vec![
                r.organisation_id.to_string(),
                r.organisation_name.clone(),
                r.month.clone(),
                figure(&r.due),
                figure(&r.on_time),
                figure(&r.late),
                figure(&r.overdue),
                rate(&r.on_time_share),
            ]
        }));
        let t = &report.total;
        out.push(vec![
            String::new(),
            "All organisations".into(),
            String::new(),
            figure(&t.due),
            figure(&t.on_time),
            figure(&t.late),
            figure(&t.overdue),
            rate(&t.on_time_share),
        ]);
        out
    })
}

/// Supply and demand.
///
/// Who may call: coordinators (their own organisation), analysts and admins. Published placements
/// and their places against applications and places filled, `by` specialty, region or kind:
/// where applications per place are high, demand outstrips supply.
#[utoipa::path(tag = "reports", operation_id = "getSupplyAndDemandReport", security(("bearer" = [])),
    params(("by" = codes::SupplyBy, Query, description = "What to group placements by."), FilterQuery),
    responses(
        (status = 200, description = "The report (CSV on `Accept: text/csv`).", content(
            (SupplyReport = "application/json"),
            (String = "text/csv", example = "category,label,placements,places,applications,filled,applications_per_place,fill_rate")
        )),
        Errors<reports::ReportError>,
    ))]
#[get("/reports/supply-and-demand")]
pub async fn supply_report(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> ApiResult<HttpResponse> {
    let (by, filter) = filter_and(&req, "by", "Choose specialty, region or kind.")?;
    let by = SupplyBy::parse(&by).ok_or_else(|| bad("by", "Choose specialty, region or kind."))?;
    let rules = state.suppression;
    let report =
        SupplyReport::from(state.run(move |s| Ok(reports::supply_and_demand(s, &actor, by, filter, rules)?)).await?);
    respond(&req, &report, &format!("supply-and-demand-{by}"), || {
        let mut out = vec![
            [
                "category",
                "label",
                "placements",
                "places",
                "applications",
                "filled",
                "applications_per_place",
                "fill_rate",
            ]
            .map(String::from)
            .to_vec(),
        ];
        out.extend(report.rows.iter().chain([&report.total]).map(|r| {
            vec![
                r.category.clone(),
                r.label.clone(),
                r.placements.to_string(),
                r.places.to_string(),
                figure(&r.applications),
                figure(&r.filled),
                rate(&r.applications_per_place),
                rate(&r.fill_rate),
            ]
        }));
        out
    })
}

/// Implementation measures.
///
/// Who may call: coordinators (their own organisation), analysts and admins. The Discovery
/// Report's Appendix B measures: registrations, organisations with published placements, hosts
/// who hosted, placements completed, and the share of participants who completed a pre-module.
#[utoipa::path(tag = "reports", operation_id = "getImplementationReport", security(("bearer" = [])),
    params(FilterQuery),
    responses(
        (status = 200, description = "The measures (CSV on `Accept: text/csv`: one measure a line).", content(
            (ImplementationReport = "application/json"),
            (String = "text/csv", example = "measure,value\nregistered_applicants,1250")
        )),
        Errors<reports::ReportError>,
    ))]
#[get("/reports/implementation")]
pub async fn implementation_report(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> ApiResult<HttpResponse> {
    let filter = filter_only(&req)?;
    let rules = state.suppression;
    let r =
        ImplementationReport::from(state.run(move |s| Ok(reports::implementation(s, &actor, filter, rules)?)).await?);
    respond(&req, &r, "implementation", || {
        let line = |m: &str, v: String| vec![m.to_string(), v];
        vec![
            line("measure", "value".into()),
            line("registered_applicants", figure(&r.registered_applicants)),
            line("applicants", figure(&r.applicants)),
            line("organisations_with_published_placements", r.organisations_with_published_placements.to_string()),
            line("published_placements", r.published_placements.to_string()),
            line("hosts_who_hosted", figure(&r.hosts_who_hosted)),
            line("placements_completed", r.placements_completed.to_string()),
            line("pre_module_answered", figure(&r.pre_module_answered)),
            line("pre_module_completed", figure(&r.pre_module_completed)),
            line("pre_module_share", rate(&r.pre_module_share)),
        ]
    })
}

/// Feedback survey results.
///
/// Who may call: coordinators (their own organisation), analysts and admins. How participants and
/// hosts answered each question of the Appendix B surveys, counted and suppressed; free-text
/// comments are never included.
#[utoipa::path(tag = "reports", operation_id = "getFeedbackReport", security(("bearer" = [])),
    params(FilterQuery),
    responses(
        (status = 200, description = "The results (CSV on `Accept: text/csv`).", content(
            (FeedbackReport = "application/json"),
            (String = "text/csv", example = "respondent,question,answer,label,count,share")
        )),
        Errors<reports::ReportError>,
    ))]
#[get("/reports/feedback")]
pub async fn feedback_report(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> ApiResult<HttpResponse> {
    let filter = filter_only(&req)?;
    let rules = state.suppression;
    let r = FeedbackReport::from(state.run(move |s| Ok(reports::feedback(s, &actor, filter, rules)?)).await?);
    respond(&req, &r, "feedback", || {
        let mut out = vec![["respondent", "question", "answer", "label", "count", "share"].map(String::from).to_vec()];
        for (who, questions) in [("participant", &r.participants), ("host", &r.hosts)] {
            for q in questions.iter() {
                out.extend(q.answers.iter().map(|a| {
                    vec![
                        who.into(),
                        q.question.into(),
                        a.answer.into(),
                        a.label.into(),
                        figure(&a.figure),
                        rate(&a.share),
                    ]
                }));
            }
        }
        out
    })
}

/// Public statistics.
///
/// Who may call: anyone. National and regional uptake by user group at each stage of selection,
/// and places filled, suppressed like every report: open data to show whether the platform
/// widens access.
#[utoipa::path(tag = "reports", operation_id = "getStatistics", security(()),
    responses(
        (status = 200, description = "The statistics.", body = Statistics, headers(("Cache-Control" = String))),
    ))]
#[get("/statistics")]
pub async fn public_statistics(state: web::Data<AppState>, _: Query<NoParameters>) -> ApiResult<HttpResponse> {
    let rules = state.suppression;
    let stats = Statistics::from(state.run(move |s| Ok(reports::statistics(s, rules)?)).await?);
    // Anyone may cache it for a few minutes: it changes slowly and costs three grouped queries.
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "public, max-age=300")).json(stats))
}
