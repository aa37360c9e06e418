//! The API's routes, one module per resource.

pub mod advocates;
pub mod api_clients;
pub mod applications;
pub mod audit;
pub mod departments;
pub mod draws;
pub mod equality;
pub mod erasure;
pub mod events;
pub mod export;
pub mod export_places;
pub mod health;
pub mod members;
pub mod metrics;
pub mod notify;
pub mod oauth;
pub mod offers;
pub mod organisations;
pub mod participation;
pub mod placements;
pub mod platform_roles;
pub mod privacy;
pub mod profiles;
pub mod providers;
pub mod readiness;
pub mod reference;
pub mod reports;
pub mod sandbox;
pub mod sites;
pub mod t_level;
pub mod t_level_reports;
pub mod t_level_reviews;
pub mod team_contact;
pub mod test_data;
pub mod webhooks;

use actix_web::web;

/// Registers every `/v1` route; the sandbox's token, outbox, clock and test-data endpoints only in
/// sandbox mode; `/metrics` only when metrics are served (see [`crate::metrics::Access`]).
pub fn configure(cfg: &mut web::ServiceConfig, sandbox: bool, serve_metrics: bool) {
    cfg.service(health::live).service(health::ready);
    if serve_metrics {
        cfg.service(metrics::scrape);
    }
    // actix tries a scope's routes in the order they are given, running a regular expression for
    // each with a parameter: searching and reading placements, most of all the traffic, go first.
    // They came after every route down to `platform_roles` before, and none of those matches a
    // path under /placements, so no request finds another route than it did.
    let mut v1 = web::scope("/v1")
        .service(placements::create)
        .service(placements::import::import)
        .service(placements::search)
        .service(placements::get)
        .service(reference::user_groups)
        .service(reference::specialties)
        .service(reference::placement_kinds)
        .service(reference::requirement_kinds)
        .service(reference::t_level_patterns)
        .service(reference::delivery_modes)
        .service(reference::regions)
        .service(reference::organisation_kinds)
        .service(reference::priority_rules)
        .service(reference::host_guidance)
        .service(organisations::me)
        .service(organisations::create)
        .service(organisations::list)
        .service(organisations::get)
        .service(organisations::update)
        .service(events::list)
        .service(webhooks::create)
        .service(webhooks::list)
        .service(webhooks::remove)
        .service(webhooks::rotate_secret)
        .service(webhooks::deliveries)
        .service(webhooks::replay)
        .service(api_clients::create)
        .service(api_clients::list)
        .service(api_clients::read)
        .service(api_clients::put_keys)
        .service(api_clients::revoke)
        .service(oauth::token_endpoint)
        .service(team_contact::get_team_contact)
        .service(team_contact::put_team_contact)
        .service(team_contact::delete_team_contact)
        .service(sites::create_site)
        .service(sites::list_sites)
        .service(sites::get_site)
        .service(sites::update_site)
        .service(departments::create_department)
        .service(departments::list_departments)
        .service(departments::get_department)
        .service(departments::update_department)
        .service(members::create)
        .service(members::list)
        .service(members::delete)
        .service(platform_roles::create)
        .service(platform_roles::list)
        .service(platform_roles::delete)
        .service(placements::update)
        .service(placements::publish)
        .service(placements::cancel)
        .service(draws::record)
        .service(draws::close)
        .service(draws::run)
        .service(draws::review)
        .service(offers::accept)
        .service(offers::decline)
        .service(participation::add_host)
        .service(participation::list_hosts)
        .service(participation::remove_host)
        .service(participation::participants)
        .service(participation::attendance)
        .service(participation::complete)
        .service(participation::certificate)
        .service(participation::feedback)
        .service(participation::host_feedback)
        .service(readiness::checklist)
        .service(readiness::complete)
        .service(readiness::override_item)
        .service(readiness::placement)
        .service(t_level::put_agreement)
        .service(t_level::get_agreement)
        .service(t_level::confirm)
        .service(t_level::log_hours)
        .service(t_level::list_hours)
        .service(t_level::progress)
        .service(t_level_reviews::record_review)
        .service(t_level_reviews::add_reflection)
        .service(t_level_reviews::list_reviews)
        .service(audit::audit)
        .service(equality::form)
        .service(equality::get_mine)
        .service(equality::put_mine)
        .service(equality::delete_mine)
        .service(equality::get_for)
        .service(equality::put_for)
        .service(equality::delete_for)
        .service(reports::uptake_report)
        .service(reports::timeliness_report)
        .service(reports::supply_report)
        .service(reports::implementation_report)
        .service(reports::feedback_report)
        .service(t_level_reports::t_level_report)
        .service(reports::public_statistics)
        .service(privacy::get)
        .service(profiles::get_mine)
        .service(profiles::put_mine)
        .service(export::export_mine)
        .service(erasure::erase_mine)
        .service(erasure::erase_by_admin)
        .service(applications::application_form)
        .service(applications::apply)
        .service(applications::list_for_placement)
        .service(applications::list_mine)
        .service(applications::get)
        .service(applications::withdraw)
        .service(applications::add_supporting_information)
        .service(advocates::invite)
        .service(advocates::list_mine)
        .service(advocates::get_mine)
        .service(advocates::revoke)
        .service(advocates::accept)
        .service(advocates::create_applicant)
        .service(advocates::list_applicants)
        .service(advocates::get_applicant)
        .service(advocates::put_applicant)
        .service(advocates::list_applicant_applications)
        .service(providers::create_student)
        .service(providers::enrol_student)
        .service(providers::erase_student)
        .service(providers::list_students)
        .service(providers::get_student)
        .service(providers::put_student)
        .service(providers::proposals::propose)
        .service(providers::proposals::list_student_proposals)
        .service(providers::proposals::withdraw)
        .service(providers::proposals::list_for_placement)
        .service(providers::proposals::accept)
        .service(providers::proposals::decline)
        .service(export::export_for_applicant)
        .service(export::export_for_student)
        .service(erasure::erase_applicant)
        .service(notify::receipt);
    if sandbox {
        v1 = v1
            .service(sandbox::mint_token)
            .service(sandbox::outbox)
            .service(sandbox::clock)
            .service(sandbox::set_clock)
            .service(test_data::generate)
            .service(test_data::delete_all)
            .service(test_data::delete_batch);
    }
    cfg.service(v1);
}

/// RFC 7386 JSON merge patch: objects merge key by key, `null` removes, anything else replaces.
pub(crate) fn merge_patch(target: &mut serde_json::Value, patch: serde_json::Value) {
    use serde_json::Value;
    let Value::Object(patch) = patch else {
        *target = patch;
        return;
    };
    if !target.is_object() {
        *target = Value::Object(serde_json::Map::new());
    }
    if let Value::Object(t) = target {
        for (key, value) in patch {
            if value.is_null() {
                t.remove(&key);
            } else {
                merge_patch(t.entry(key).or_insert(Value::Null), value);
            }
        }
    }
}

/// Lists the members of `patch` that the resource does not have, even those set to `null` (which
/// a merge patch would otherwise drop silently). The resource serialises every field it has.
fn unknown_members(
    target: &serde_json::Value,
    patch: &serde_json::Value,
    prefix: &str,
    out: &mut Vec<wex_domain::FieldError>,
) {
    let (Some(target), Some(patch)) = (target.as_object(), patch.as_object()) else { return };
    for (key, value) in patch {
        let field = format!("{prefix}/{key}");
        match target.get(key) {
            None => out.push(wex_domain::FieldError::new(
                field,
                "unknown_field",
                "This field is not part of the resource. Remove it.",
            )),
            Some(current) => unknown_members(current, value, &field, out),
        }
    }
}

/// The shape every PATCH shares: `load` what the caller may change (refusing others), require
/// `If-Match`, merge the patch into the stored input, and `save` the result with the expected version.
pub(crate) async fn apply_patch<Current, Input, Saved>(
    state: &crate::state::AppState,
    req: &actix_web::HttpRequest,
    patch: serde_json::Value,
    load: impl FnOnce(&dyn wex_domain::ports::Store) -> Result<Current, wex_domain::DomainError> + Send + 'static,
    input_of: impl FnOnce(&Current) -> Input,
    save: impl FnOnce(&dyn wex_domain::ports::Store, i64, Input) -> Result<Saved, wex_domain::DomainError> + Send + 'static,
) -> crate::problem::ApiResult<Saved>
where
    Current: Send + 'static,
    Input: serde::Serialize + serde::de::DeserializeOwned + Send + 'static,
    Saved: Send + 'static,
{
    let current = state.run(load).await?;
    let expected = crate::extract::require_if_match(req)?;
    let input = patched(&input_of(&current), patch)?;
    state.run(move |store| save(store, expected, input)).await
}

/// Applies a merge patch (which must be a JSON object) to `current` and reads the result as `T`.
pub(crate) fn patched<T: serde::Serialize + serde::de::DeserializeOwned>(
    current: &T,
    patch: serde_json::Value,
) -> crate::problem::ApiResult<T> {
    if !patch.is_object() {
        return Err(crate::problem::ApiError::bad_field(
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            "",
            "invalid_value",
            "A merge patch is a JSON object of the fields to change.",
        ));
    }
    let mut value = serde_json::to_value(current).map_err(|_| crate::problem::ApiError::internal())?;
    let mut unknown = Vec::new();
    unknown_members(&value, &patch, "", &mut unknown);
    if !unknown.is_empty() {
        return Err(crate::problem::ApiError::new(
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_field",
            "Some fields are not valid",
            "The patch names fields that are not part of this resource. Remove them.",
        )
        .with_errors(unknown));
    }
    merge_patch(&mut value, patch);
    crate::extract::from_value(value)
}

#[cfg(test)]
mod tests {
    use super::merge_patch;
    use serde_json::json;

    #[test]
    fn merge_patch_follows_rfc_7386() {
        let mut doc = json!({"a": "b", "c": {"d": "e", "f": "g"}, "k": [1]});
        merge_patch(&mut doc, json!({"a": "z", "c": {"f": null}, "k": {"x": 1, "y": null}}));
        assert_eq!(doc, json!({"a": "z", "c": {"d": "e"}, "k": {"x": 1}}));
    }
}
