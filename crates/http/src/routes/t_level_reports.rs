//! The T-level report: placements offered and filled, students placed and hours completed.

use actix_web::{HttpRequest, HttpResponse, get, web};
use wex_domain::model::reports::measures::SupplyBy;
use wex_domain::reports;

use crate::auth::SignedIn;
use crate::errors_doc::Errors;
use crate::problem::ApiResult;
use crate::routes::reports::{FilterQuery, bad, figure, filter_and, respond};
use crate::state::AppState;
use crate::wire::reports::TLevelReport;

/// What the T-level report groups placements by: a T-level placement's kind is always the same, so
/// unlike the supply report it cannot be grouped by kind.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum TLevelBy {
    Region,
    Specialty,
}

/// T-level industry placements.
///
/// Who may call: coordinators (their own organisation), analysts and admins. T-level placements
/// offered (published) and their places, places filled, students placed (different people) and
/// hours completed (logged by supervisors), `by` region or specialty. Places filled and students
/// are suppressed and rounded as every count of people; hours are shown only where the students
/// behind them are, and the total's hours are hidden when the students behind the hidden rows are
/// too few (the total less the rows shown would tell their hours).
#[utoipa::path(tag = "reports", operation_id = "getTLevelReport", security(("bearer" = [])),
    params(("by" = inline(TLevelBy), Query, description = "`region` or `specialty`."), FilterQuery),
    responses(
        (status = 200, description = "The report (CSV on `Accept: text/csv`).", content(
            (TLevelReport = "application/json"),
            (String = "text/csv", example = "category,label,placements,places,filled,students,hours_completed")
        )),
        Errors<reports::ReportError>,
    ))]
#[get("/reports/t-level")]
pub async fn t_level_report(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> ApiResult<HttpResponse> {
    let hint = "Choose region or specialty.";
    let (by, filter) = filter_and(&req, "by", hint)?;
    let by = SupplyBy::parse(&by).filter(|b| *b != SupplyBy::Kind).ok_or_else(|| bad("by", hint))?;
    let rules = state.suppression;
    let report = TLevelReport::from(state.run(move |s| Ok(reports::t_level(s, &actor, by, filter, rules)?)).await?);
    respond(&req, &report, &format!("t-level-{by}"), || {
        let mut out = vec![
            ["category", "label", "placements", "places", "filled", "students", "hours_completed"]
                .map(String::from)
                .to_vec(),
        ];
        out.extend(report.rows.iter().chain([&report.total]).map(|r| {
            vec![
                r.category.clone(),
                r.label.clone(),
                r.placements.to_string(),
                r.places.to_string(),
                figure(&r.filled),
                figure(&r.students),
                figure(&r.hours_completed),
            ]
        }));
        out
    })
}
