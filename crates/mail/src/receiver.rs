//! A webhook receiver on loopback, for tests (feature `testing`): it records every post (its
//! Standard Webhooks headers and body) and answers with the statuses a test queues (204 once the
//! queue is empty).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use actix_web::{HttpRequest, HttpResponse, web};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// One post the receiver got.
#[derive(Debug, Clone)]
pub struct Posted {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
    pub content_type: String,
    pub body: String,
    /// The status it was answered with.
    pub status: u16,
}

#[derive(Default)]
struct Shared {
    replies: VecDeque<u16>,
    posted: Vec<Posted>,
}

pub struct WebhookReceiver {
    pub url: String,
    shared: Arc<Mutex<Shared>>,
    handle: actix_web::dev::ServerHandle,
}

async fn receive(req: HttpRequest, body: web::Bytes, shared: web::Data<Arc<Mutex<Shared>>>) -> HttpResponse {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let mut shared = shared.lock().unwrap();
    let status = shared.replies.pop_front().unwrap_or(204);
    shared.posted.push(Posted {
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp"),
        signature: header("webhook-signature"),
        content_type: header("content-type"),
        body: String::from_utf8_lossy(&body).into_owned(),
        status,
    });
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap()).finish()
}

impl WebhookReceiver {
    /// Starts the receiver on a free loopback port, on a thread of its own.
    pub fn start() -> Self {
        let shared = Arc::new(Mutex::new(Shared::default()));
        let data = web::Data::new(Arc::clone(&shared));
        let (base_url, handle) = crate::testing::serve_on_loopback(move |cfg| {
            cfg.app_data(data.clone()).route("/wex/events", web::post().to(receive));
        });
        WebhookReceiver { url: format!("{base_url}/wex/events"), shared, handle }
    }

    /// Answers the next posts with these statuses, in order (then 204).
    pub fn reply_with(&self, statuses: &[u16]) {
        self.shared.lock().unwrap().replies.extend(statuses);
    }

    /// Every post received so far.
    pub fn posted(&self) -> Vec<Posted> {
        self.shared.lock().unwrap().posted.clone()
    }
}

impl Drop for WebhookReceiver {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}
