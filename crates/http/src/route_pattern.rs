//! The route a request's path matches, found once per request.

use actix_web::HttpMessage;
use actix_web::dev::ServiceRequest;
use std::rc::Rc;

/// The template of the route a request's path matches (`/v1/placements/{placement_id}`), or
/// `None`: matched once per request and kept in its extensions. The access log, the request line
/// checks (`routing`) and the client scope check all need it before actix routes the request, and each match tries the
/// routes' patterns in turn (regular expressions for those with parameters), a cost the profile of
/// a simple read showed.
pub fn pattern_of(req: &ServiceRequest) -> Option<Rc<str>> {
    if let Some(MatchedPattern(pattern)) = req.extensions().get::<MatchedPattern>() {
        return pattern.clone();
    }
    let pattern: Option<Rc<str>> = req.resource_map().match_pattern(req.path()).map(Rc::from);
    req.extensions_mut().insert(MatchedPattern(pattern.clone()));
    pattern
}

struct MatchedPattern(Option<Rc<str>>);
