//! The route a request's path matches, found once per request and, for paths that differ only in
//! their ids, once per worker.

use actix_web::HttpMessage;
use actix_web::dev::ServiceRequest;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use uuid::Uuid;

/// The template of the route a request's path matches (`/v1/placements/{placement_id}`), or
/// `None`: matched once per request and kept in its extensions. The access log, the request line
/// checks (`routing`) and the client scope check all need it before actix routes the request, and
/// each match tries the routes' patterns in turn (regular expressions for those with parameters):
/// 8% of the server's time reading one placement. So a worker's app keeps what it found
/// ([`KnownPatterns`]) for the path with its ids put aside.
pub fn pattern_of(req: &ServiceRequest) -> Option<Rc<str>> {
    if let Some(MatchedPattern(pattern)) = req.extensions().get::<MatchedPattern>() {
        return pattern.clone();
    }
    let pattern = match req.app_data::<KnownPatterns>() {
        Some(known) => known.pattern(req.path(), |path| matched(req, path)),
        None => matched(req, req.path()),
    };
    req.extensions_mut().insert(MatchedPattern(pattern.clone()));
    pattern
}

fn matched(req: &ServiceRequest, path: &str) -> Option<Rc<str>> {
    req.resource_map().match_pattern(path).map(Rc::from)
}

struct MatchedPattern(Option<Rc<str>>);

/// The patterns one worker's app has matched, by path shape: the path with every segment that
/// is a UUID written as [`ANY_ID`]. No route tells one UUID from another (each parameter matches
/// any segment, and no fixed segment is a UUID), so every path of one shape matches the same
/// route. Other segments (a host's subject, a code) stay as they are, so the map is bounded: at
/// [`KNOWN_SHAPES`] it starts again.
#[derive(Default)]
pub struct KnownPatterns(RefCell<HashMap<String, Option<Rc<str>>>>);

/// How many path shapes a worker keeps: far more than the routes, so that only paths with other
/// values in them (subjects, codes, anything a client makes up) can fill it.
const KNOWN_SHAPES: usize = 4096;

/// What stands for a UUID in a path's shape; a path holding it literally matches as a UUID would.
const ANY_ID: &str = "{id}";

impl KnownPatterns {
    fn pattern(&self, path: &str, matched: impl FnOnce(&str) -> Option<Rc<str>>) -> Option<Rc<str>> {
        let shape = shape_of(path);
        if let Some(pattern) = self.0.borrow().get(&shape) {
            return pattern.clone();
        }
        let pattern = matched(path);
        let mut known = self.0.borrow_mut();
        if known.len() >= KNOWN_SHAPES {
            known.clear();
        }
        known.insert(shape, pattern.clone());
        pattern
    }
}

fn shape_of(path: &str) -> String {
    let mut shape = String::with_capacity(path.len());
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            shape.push('/');
        }
        shape.push_str(if Uuid::try_parse(segment).is_ok() { ANY_ID } else { segment });
    }
    shape
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use actix_web::{App, HttpResponse, test as actix_test, web};

    #[actix_web::test]
    async fn paths_of_one_shape_match_one_route_and_others_their_own() {
        let app = actix_test::init_service(
            App::new()
                .app_data(KnownPatterns::default())
                .service(web::resource("/v1/placements/import").to(HttpResponse::Ok))
                .service(web::resource("/v1/placements/{placement_id}").to(HttpResponse::Ok))
                .service(web::resource("/v1/placements/{placement_id}/hosts/{subject}").to(HttpResponse::Ok))
                .default_service(web::to(HttpResponse::NotFound))
                // Answers with the pattern `pattern_of` finds, matched or remembered.
                .wrap_fn(|req, _| {
                    let pattern = pattern_of(&req).map(|p| p.to_string()).unwrap_or_else(|| "none".to_string());
                    std::future::ready(Ok(req.into_response(HttpResponse::Ok().body(pattern))))
                }),
        )
        .await;
        let ask = |path: &'static str| {
            let app = &app;
            async move {
                let res = actix_test::call_service(app, actix_test::TestRequest::get().uri(path).to_request()).await;
                String::from_utf8(actix_test::read_body(res).await.to_vec()).unwrap()
            }
        };
        let one = "/v1/placements/0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b";
        let other = "/v1/placements/01a23670-0a69-7754-9d72-47ba2865521b";
        for path in [one, other, one] {
            assert_eq!(ask(path).await, "/v1/placements/{placement_id}");
        }
        // A fixed segment keeps its own route after the id route is known, and the other way round.
        assert_eq!(ask("/v1/placements/import").await, "/v1/placements/import");
        assert_eq!(ask(other).await, "/v1/placements/{placement_id}");
        let host = "/v1/placements/0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b/hosts/jo@example.org";
        assert_eq!(ask(host).await, "/v1/placements/{placement_id}/hosts/{subject}");
        assert_eq!(ask("/v1/nothing/0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b").await, "none");
    }

    #[test]
    fn a_shape_puts_ids_aside_and_keeps_everything_else() {
        assert_eq!(
            shape_of("/v1/placements/0193a5c2-8d4e-7f00-9a1b-2c3d4e5f6a7b/hosts/jo@example.org"),
            "/v1/placements/{id}/hosts/jo@example.org"
        );
        assert_eq!(shape_of("/v1/placements"), "/v1/placements");
    }

    #[test]
    fn the_map_starts_again_when_full_and_still_answers() {
        let known = KnownPatterns::default();
        for n in 0..KNOWN_SHAPES + 10 {
            let path = format!("/v1/codes/{n}");
            assert_eq!(
                known.pattern(&path, |_| Some(Rc::from("/v1/codes/{code}"))).as_deref(),
                Some("/v1/codes/{code}")
            );
            assert!(known.0.borrow().len() <= KNOWN_SHAPES);
        }
        // A remembered shape is answered without matching again.
        known.pattern("/v1/x", |_| None);
        assert_eq!(known.pattern("/v1/x", |_| panic!("matched again")), None);
    }
}
