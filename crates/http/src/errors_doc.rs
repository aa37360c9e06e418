//! An operation's error responses in the OpenAPI document, generated from its use case's error
//! enum: `responses((status = 200, ...), Errors<offers::AnswerError>)` in `#[utoipa::path]`
//! documents one problem response per status the enum's codes have, each listing its codes in
//! the description and, for machines, in `x-codes`. The codes cannot drift from the ones the use
//! case returns: both are the enum's.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use utoipa::IntoResponses;
use utoipa::openapi::extensions::Extensions;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use wex_domain::UseCaseError;
use wex_domain::codes::Code;

use crate::problem::{PROBLEM_JSON, status_of};

/// The extension naming the problem codes a response can carry.
pub const X_CODES: &str = "x-codes";

/// The error responses of an operation whose use case fails with `E`.
pub struct Errors<E>(PhantomData<E>);

impl<E: UseCaseError> IntoResponses for Errors<E> {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let mut by_status: BTreeMap<u16, Vec<&'static Code>> = BTreeMap::new();
        for code in E::codes() {
            by_status.entry(status_of(code.status).as_u16()).or_default().push(code);
        }
        by_status.into_iter().map(|(status, codes)| (status.to_string(), RefOr::T(problem(&codes)))).collect()
    }
}

/// One problem response carrying any of `codes`.
pub fn problem(codes: &[&'static Code]) -> Response {
    let lines: Vec<String> = codes
        .iter()
        .map(|c| match c.field {
            Some(field) => format!("- `{}` (`{field}`): {}", c.code, c.detail),
            None => format!("- `{}`: {}", c.code, c.detail),
        })
        .collect();
    let names: Vec<&str> = codes.iter().map(|c| c.code).collect();
    let mut response = ResponseBuilder::new()
        .description(lines.join("\n"))
        .content(PROBLEM_JSON, ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build())
        .build();
    response.extensions = Some([(X_CODES, serde_json::json!(names))].into_iter().collect::<Extensions>());
    response
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use serde_json::Value;
    use wex_domain::UseCaseError;
    use wex_domain::codes::{self, Code};

    use super::X_CODES;
    use crate::problem::status_of;

    /// Each operation whose errors come from a use case's enum, with that enum's codes.
    fn operations() -> Vec<(&'static str, Vec<&'static Code>)> {
        use wex_domain::{applying, offers, participation, placements, selection};
        vec![
            ("acceptOffer", offers::AnswerError::codes()),
            ("declineOffer", offers::AnswerError::codes()),
            ("withdrawApplication", applying::WithdrawError::codes()),
            ("closePlacement", placements::CloseError::codes()),
            ("reviewApplication", selection::ReviewError::codes()),
            ("recordAttendance", participation::AttendanceError::codes()),
            ("applyForPlacement", applying::ApplyError::codes()),
            // Organisations, sites and departments (errors-b).
            ("createOrganisation", wex_domain::organisations::CreateOrganisationError::codes()),
            ("updateOrganisation", wex_domain::organisations::UpdateOrganisationError::codes()),
            ("createSite", wex_domain::organisations::CreateInOrganisationError::codes()),
            ("updateSite", wex_domain::organisations::UpdateInOrganisationError::codes()),
            ("createDepartment", wex_domain::organisations::CreateInOrganisationError::codes()),
            ("updateDepartment", wex_domain::organisations::UpdateInOrganisationError::codes()),
            ("listEvents", wex_domain::feed::FeedError::codes()),
            ("createWebhook", wex_domain::webhooks::RegisterError::codes()),
            ("listWebhooks", wex_domain::webhooks::WebhookError::codes()),
            ("deleteWebhook", wex_domain::webhooks::WebhookError::codes()),
            ("rotateWebhookSecret", wex_domain::webhooks::RotateError::codes()),
            ("listWebhookDeliveries", wex_domain::webhooks::DeliveryError::codes()),
            ("replayWebhookDelivery", wex_domain::webhooks::DeliveryError::codes()),
            ("createApiClient", wex_domain::api_clients::manage::ClientError::codes()),
            ("listApiClients", wex_domain::api_clients::manage::ClientError::codes()),
            ("getApiClient", wex_domain::api_clients::manage::ClientError::codes()),
            ("putApiClientKeys", wex_domain::api_clients::manage::ClientError::codes()),
            ("revokeApiClient", wex_domain::api_clients::manage::ClientError::codes()),
            ("getTeamContact", wex_domain::team_contact::TeamContactError::codes()),
            ("putTeamContact", wex_domain::team_contact::SetTeamContactError::codes()),
            ("deleteTeamContact", wex_domain::team_contact::TeamContactError::codes()),
            // Placements and selection (errA).
            ("createPlacement", placements::CreatePlacementError::codes()),
            ("importPlacements", placements::ImportPlacementsError::codes()),
            ("updatePlacement", placements::UpdatePlacementError::codes()),
            ("publishPlacement", placements::PublishError::codes()),
            ("cancelPlacement", placements::CancelError::codes()),
            ("getPlacement", placements::PlacementReadError::codes()),
            ("searchPlacements", placements::SearchPlacementsError::codes()),
            ("getDrawRecord", placements::PlacementReadError::codes()),
            ("getApplicationForm", placements::PlacementReadError::codes()),
            ("listPlacementApplications", placements::PlacementReadError::codes()),
            ("drawPlacement", selection::DrawError::codes()),
            ("getApplication", applying::HiddenError::codes()),
            // Advocacy, profiles and equality monitoring (errC).
            ("inviteAdvocate", wex_domain::advocacy::InviteError::codes()),
            ("acceptAdvocateLink", wex_domain::advocacy::AcceptError::codes()),
            ("getMyAdvocate", wex_domain::advocacy::NotYoursError::codes()),
            ("revokeAdvocate", wex_domain::advocacy::RevokeError::codes()),
            ("createManagedApplicant", wex_domain::advocacy::CreateManagedError::codes()),
            ("getApplicantProfile", wex_domain::advocacy::NotYoursError::codes()),
            ("listApplicantApplications", wex_domain::advocacy::NotYoursError::codes()),
            ("putApplicantProfile", wex_domain::advocacy::UpdateApplicantProfileError::codes()),
            ("addSupportingInformation", wex_domain::advocacy::SupportingInformationError::codes()),
            ("getMyProfile", wex_domain::profiles::OwnProfileError::codes()),
            ("exportMyData", wex_domain::data_protection::ExportError::codes()),
            ("exportApplicantData", wex_domain::data_protection::ExportError::codes()),
            ("exportStudentData", wex_domain::data_protection::ExportError::codes()),
            ("eraseMyAccount", wex_domain::data_protection::ErasureError::codes()),
            ("eraseApplicant", wex_domain::data_protection::ErasureError::codes()),
            ("eraseApplicantByAdmin", wex_domain::data_protection::ErasureError::codes()),
            ("putMyProfile", wex_domain::profiles::PutOwnProfileError::codes()),
            ("getMyEqualityAnswers", wex_domain::equality::AnswersError::codes()),
            ("putMyEqualityAnswers", wex_domain::equality::PutMyAnswersError::codes()),
            ("deleteMyEqualityAnswers", wex_domain::equality::AnswersError::codes()),
            ("getAdvocateEqualityAnswers", wex_domain::equality::AnswersError::codes()),
            ("putAdvocateEqualityAnswers", wex_domain::equality::PutAnswersForError::codes()),
            ("deleteAdvocateEqualityAnswers", wex_domain::equality::AnswersError::codes()),
            // Delivery receipts (messages).
            ("receiveNotifyReceipt", wex_domain::delivery::ReceiptError::codes()),
            // Participation, grants, reports and the sandbox (errors-b, group B).
            ("completePlacement", participation::CompleteError::codes()),
            ("addPlacementHost", participation::AddHostError::codes()),
            ("removePlacementHost", participation::HiddenPlacementError::codes()),
            ("listPlacementHosts", participation::HiddenPlacementError::codes()),
            ("listParticipants", participation::HiddenPlacementError::codes()),
            ("giveFeedback", participation::FeedbackError::codes()),
            // Education providers and proposals (issue 14).
            ("createStudent", wex_domain::providers::CreateStudentError::codes()),
            ("enrolStudent", wex_domain::providers::EnrolStudentError::codes()),
            ("eraseStudent", wex_domain::data_protection::ErasureError::codes()),
            ("listStudents", wex_domain::providers::ProviderAccessError::codes()),
            ("getStudent", wex_domain::providers::StudentAccessError::codes()),
            ("putStudent", wex_domain::providers::UpdateStudentError::codes()),
            ("proposeStudent", wex_domain::providers::ProposeError::codes()),
            ("listStudentProposals", wex_domain::providers::StudentAccessError::codes()),
            ("withdrawProposal", wex_domain::providers::WithdrawProposalError::codes()),
            ("listPlacementProposals", wex_domain::providers::PlacementProposalsError::codes()),
            ("acceptProposal", wex_domain::providers::AcceptProposalError::codes()),
            ("declineProposal", wex_domain::providers::DeclineProposalError::codes()),
            // Readiness (issue 14).
            ("getReadiness", wex_domain::readiness::ReadinessAccessError::codes()),
            ("completeReadinessItem", wex_domain::readiness::CompleteItemError::codes()),
            ("overrideReadinessItem", wex_domain::readiness::OverrideError::codes()),
            ("listPlacementReadiness", participation::HiddenPlacementError::codes()),
            ("giveHostFeedback", participation::HostFeedbackError::codes()),
            ("listAuditEvents", wex_domain::participation::AuditTrailError::codes()),
            ("verifyCertificate", participation::CertificateError::codes()),
            ("putTLevelAgreement", wex_domain::t_level::RecordAgreementError::codes()),
            ("getTLevelAgreement", wex_domain::t_level::HiddenPlaceError::codes()),
            ("confirmTLevelAgreement", wex_domain::t_level::ConfirmError::codes()),
            ("logTLevelHours", wex_domain::t_level::LogHoursError::codes()),
            ("listTLevelHours", wex_domain::t_level::HiddenPlaceError::codes()),
            ("getTLevelProgress", wex_domain::t_level::HiddenPlaceError::codes()),
            ("recordTLevelReview", wex_domain::t_level::ReviewError::codes()),
            ("addTLevelReflection", wex_domain::t_level::ReflectionError::codes()),
            ("listTLevelReviews", wex_domain::t_level::HiddenPlaceError::codes()),
            ("getTLevelReport", wex_domain::reports::ReportError::codes()),
            ("getFeedbackReport", wex_domain::reports::ReportError::codes()),
            ("getImplementationReport", wex_domain::reports::ReportError::codes()),
            ("getSupplyAndDemandReport", wex_domain::reports::ReportError::codes()),
            ("getTimelinessReport", wex_domain::reports::ReportError::codes()),
            ("getUptakeReport", wex_domain::reports::UptakeError::codes()),
            ("createMembership", wex_domain::grants::GrantError::codes()),
            ("deleteMembership", wex_domain::grants::RevokeError::codes()),
            ("listMemberships", wex_domain::grants::ListMembershipsError::codes()),
            ("createPlatformRole", wex_domain::grants::GrantError::codes()),
            ("deletePlatformRole", wex_domain::grants::RevokeError::codes()),
            ("listPlatformRoles", wex_domain::grants::AdminOnlyError::codes()),
            ("mintSandboxToken", wex_domain::sandbox::TokenError::codes()),
            ("setSandboxClock", wex_domain::sandbox::ClockError::codes()),
            ("generateSandboxTestData", wex_domain::sandbox::test_data::GenerateTestDataError::codes()),
            ("deleteSandboxTestData", wex_domain::sandbox::test_data::DeleteTestDataError::codes()),
            ("deleteSandboxTestDataBatch", wex_domain::sandbox::test_data::DeleteTestDataError::codes()),
            // Public reads of what the store holds: they fail only as the store does.
            ("getOrganisation", wex_domain::StoreError::codes()),
            ("getSite", wex_domain::StoreError::codes()),
            ("getDepartment", wex_domain::StoreError::codes()),
            ("listSites", wex_domain::StoreError::codes()),
            ("listDepartments", wex_domain::StoreError::codes()),
        ]
    }

    fn document() -> Value {
        serde_json::from_str(&crate::openapi::document()).unwrap()
    }

    fn operation<'a>(doc: &'a Value, id: &str) -> &'a Value {
        doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|item| item.as_object().unwrap().values())
            .find(|op| op["operationId"] == id)
            .unwrap_or_else(|| panic!("no operation {id}"))
    }

    /// Every code an operation's responses list, by status.
    fn listed(op: &Value) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (status, response) in op["responses"].as_object().unwrap() {
            for code in response[X_CODES].as_array().into_iter().flatten() {
                out.push((status.clone(), code.as_str().unwrap().to_string()));
            }
        }
        out.sort();
        out
    }

    #[test]
    fn an_operation_documents_exactly_the_codes_of_its_use_case() {
        let doc = document();
        for (id, codes) in operations() {
            let op = operation(&doc, id);
            let takes_if_match = op["parameters"].as_array().into_iter().flatten().any(|p| p["name"] == "If-Match");
            let mut expected: Vec<(String, String)> = codes
                .iter()
                .map(|c| {
                    // Without If-Match, the edge answers a version clash as 409 conflict.
                    let c =
                        if !takes_if_match && c.code == codes::VERSION_MISMATCH.code { &codes::CONFLICT } else { c };
                    (status_of(c.status).as_u16().to_string(), c.code.to_string())
                })
                .collect();
            // With a body, the edge's own checks answer 422 validation_failed before the use case,
            // listed beside the use case's own 422 codes (without them, the edge's generic 422 is).
            if op["requestBody"].is_object() && expected.iter().any(|(status, _)| status == "422") {
                expected.push(("422".to_string(), codes::VALIDATION_FAILED.code.to_string()));
            }
            expected.sort();
            expected.dedup();
            assert_eq!(listed(op), expected, "{id}: the documented codes are not its use case's");
        }
    }

    /// The operations that fail in no way of their own: health, reference data, public or own
    /// lists that fail only as every request can (400, 401, 5xx), which `openapi.rs` adds.
    const NO_USE_CASE_FAILURES: &[&str] = &[
        "checkLiveness",
        "checkReadiness",
        "getEqualityForm",
        "getMe",
        // Its only refusal is 401 (no metrics token); a backlog it cannot read is left out, not an error.
        "getMetrics",
        "getPrivacyNotice",
        "getSandboxClock",
        "getStatistics",
        "listDeliveryModes",
        "listHostGuidance",
        "listMyAdvocates",
        "listMyApplicants",
        "listMyApplications",
        "listOrganisationKinds",
        "listOrganisations",
        "listPlacementKinds",
        "listTLevelPatterns",
        "listPriorityRules",
        "listRegions",
        "listRequirementKinds",
        "listSandboxOutbox",
        "listSpecialties",
        "listUserGroups",
        // Its failures are OAuth 2.0's (RFC 6749 section 5.2: `error`, not a code of ours), 400
        // and 401 only, documented on the operation itself.
        "getAccessToken",
    ];

    #[test]
    fn every_operation_is_documented_from_its_use_case_or_has_no_failure_of_its_own() {
        let doc = document();
        let table: Vec<&str> = operations().iter().map(|(id, _)| *id).collect();
        for item in doc["paths"].as_object().unwrap().values() {
            for op in item.as_object().unwrap().values().filter(|op| op["operationId"].is_string()) {
                let id = op["operationId"].as_str().unwrap();
                assert!(
                    table.contains(&id) != NO_USE_CASE_FAILURES.contains(&id),
                    "{id}: document its errors with Errors<its use case's enum> and list it in operations(), \
                     or (only if it has no failure of its own) in NO_USE_CASE_FAILURES"
                );
                if NO_USE_CASE_FAILURES.contains(&id) {
                    let own: Vec<&String> = op["responses"]
                        .as_object()
                        .unwrap()
                        .keys()
                        .filter(|s| {
                            s.starts_with('4') && !["400", "401", "413", "415", "422", "429"].contains(&s.as_str())
                        })
                        .collect();
                    assert!(own.is_empty(), "{id} lists {own:?}: failures of its own need a use case's enum");
                }
            }
        }
    }

    #[test]
    fn every_listed_code_is_in_the_table_under_its_own_status() {
        let doc = document();
        for item in doc["paths"].as_object().unwrap().values() {
            for op in item.as_object().unwrap().values() {
                for (status, code) in listed(op) {
                    let known = codes::ALL.iter().find(|c| c.code == code);
                    let known = known.unwrap_or_else(|| panic!("{}: unknown code {code}", op["operationId"]));
                    assert_eq!(status_of(known.status).as_u16().to_string(), status, "{code}");
                }
            }
        }
    }

    #[test]
    fn every_code_is_in_the_api_guide() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/api-guide.md");
        let guide = std::fs::read_to_string(path).unwrap();
        for code in codes::ALL {
            let row = format!("| {} | `{}` |", status_of(code.status).as_u16(), code.code);
            assert!(guide.contains(&row), "docs/api-guide.md has no row {row}");
        }
    }
}
