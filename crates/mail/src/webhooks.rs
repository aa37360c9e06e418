//! Posting webhook deliveries over HTTP, and the worker that queues and posts them: a thread of its
//! own in `wex serve` and `wex worker`, beside the email worker. Signing, retries and what counts as
//! delivered are the domain's.

use std::net::ToSocketAddrs;
use std::sync::Arc;
use std::time::Duration;

use wex_domain::model::webhook::{PostResult, forbidden_address};
use wex_domain::ports::{Store, WebhookSender};
use wex_domain::webhooks::{WebhookReport, deliver_webhooks, dispatch_due};

use crate::worker::ClockSource;

/// Posts with a blocking HTTP client. Outside the sandbox it refuses, before connecting, a host
/// that resolves to a private, local or link-local address, so that an endpoint that passed the
/// check when it was registered cannot later be pointed inside the network by its DNS.
pub struct HttpWebhookSender {
    agent: ureq::Agent,
    public_only: bool,
}

impl HttpWebhookSender {
    pub fn new(timeout: Duration, public_only: bool) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            // A redirect could lead anywhere; receivers answer where they were registered.
            .max_redirects(0)
            .build()
            .into();
        HttpWebhookSender { agent, public_only }
    }

    fn refused_address(url: &str) -> bool {
        let Ok(parsed) = url::Url::parse(url) else { return true };
        let (Some(host), Some(port)) = (parsed.host_str(), parsed.port_or_known_default()) else { return true };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        match (host, port).to_socket_addrs() {
            Ok(addresses) => addresses.into_iter().any(|a| forbidden_address(a.ip())),
            Err(_) => true,
        }
    }
}

impl WebhookSender for HttpWebhookSender {
    fn post(&self, url: &str, headers: &[(&'static str, String)], body: &str) -> PostResult {
        if self.public_only && Self::refused_address(url) {
            return PostResult { status: None, error: Some("the endpoint's address is not public".to_string()) };
        }
        let mut request = self.agent.post(url);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        match request.send(body) {
            Ok(response) => PostResult { status: Some(response.status().as_u16()), error: None },
            // The kind of failure only: the endpoint's URL stays out of logs and records.
            Err(ureq::Error::Timeout(_)) => PostResult { status: None, error: Some("timeout".to_string()) },
            Err(ureq::Error::Io(_) | ureq::Error::ConnectionFailed | ureq::Error::HostNotFound) => {
                PostResult { status: None, error: Some("could not connect".to_string()) }
            }
            Err(_) => PostResult { status: None, error: Some("the request failed".to_string()) },
        }
    }
}

/// Endpoints looked at, and deliveries leased, per batch.
pub const BATCH: u32 = 25;

pub struct WebhookWorker {
    pub store: Arc<dyn Store>,
    pub sender: Arc<dyn WebhookSender>,
    pub clock: ClockSource,
    pub idle: Duration,
}

impl WebhookWorker {
    /// Queues what is new, then posts what is due. Errors are logged and end the batch.
    pub fn run_once(&self) -> WebhookReport {
        let Some(offset) = self.clock.offset(self.store.as_ref()) else { return WebhookReport::default() };
        let clock = move || wex_domain::now() + chrono::Duration::microseconds(offset);
        if let Err(e) = dispatch_due(self.store.as_ref(), clock(), BATCH) {
            log::warn!("webhooks: cannot queue events now: {e}");
        }
        match deliver_webhooks(self.store.as_ref(), self.sender.as_ref(), &clock, BATCH) {
            Ok(report) => {
                if report.taken() > 0 {
                    log::info!(
                        "webhooks: {} delivered, {} to retry, {} failed, {} lost to another worker",
                        report.delivered,
                        report.retrying,
                        report.failed,
                        report.lost
                    );
                }
                report
            }
            Err(e) => {
                log::warn!("webhooks: cannot post now: {e}");
                WebhookReport::default()
            }
        }
    }

    /// Runs batches until the process ends: at once again after a full batch, else after `idle`.
    pub fn spawn(self) -> std::io::Result<std::thread::JoinHandle<()>> {
        std::thread::Builder::new().name("wex-webhooks".to_string()).spawn(move || {
            loop {
                if self.run_once().taken() < BATCH as usize {
                    std::thread::sleep(self.idle);
                }
            }
        })
    }
}
