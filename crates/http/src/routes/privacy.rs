//! `/v1/privacy-notice`.

use actix_web::{HttpResponse, get};
use serde::Serialize;
use utoipa::ToSchema;
use wex_domain::model::privacy::{PRIVACY_NOTICE_VERSION, SECTIONS, SUMMARY};

#[derive(Serialize, ToSchema)]
pub struct NoticeSection {
    pub heading: &'static str,
    pub text: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct PrivacyNotice {
    /// Send this as `privacy_notice_version` when applying.
    #[schema(example = "2026-11-30")]
    pub version: &'static str,
    /// The short version, in plain words for young people.
    pub summary: Vec<&'static str>,
    pub sections: Vec<NoticeSection>,
}

/// Read the current privacy notice.
///
/// Who may call: anyone. Applications record the version the applicant accepted; applying under
/// an older version is refused.
#[utoipa::path(tag = "applications", operation_id = "getPrivacyNotice", security(()),
    responses((status = 200, description = "The current notice.", body = PrivacyNotice)))]
#[get("/privacy-notice")]
pub async fn get() -> HttpResponse {
    HttpResponse::Ok().json(PrivacyNotice {
        version: PRIVACY_NOTICE_VERSION,
        summary: SUMMARY.to_vec(),
        sections: SECTIONS.iter().map(|s| NoticeSection { heading: s.heading, text: s.text }).collect(),
    })
}
