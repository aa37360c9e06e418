//! Operators' metrics in the Prometheus text format: every request counted and timed by
//! method, route pattern and status (a middleware), and, read when scraped, the connection pool's
//! use and the work waiting in the database. Labels are route patterns such as
//! `/v1/placements/{placement_id}`, never paths: an id would make a series per placement (or per
//! person), and the output must say nothing about anyone.

use actix_web::http::{Method, StatusCode};
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeGaugeValue, EncodeLabelSet, EncodeMetric, NoLabelSet};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::{ConstGauge, Gauge};
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};
use std::time::Instant;
use wex_domain::model::operations::{Backlog, PoolUse};

/// The Prometheus text format (0.0.4): every Prometheus reads it, and so do other scrapers.
pub const CONTENT_TYPE: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

/// The route label of a request no route took (a 404 for a path the router does not know), or of
/// the rare request whose error escaped every layer before it became a response.
pub const UNMATCHED: &str = "unmatched";

/// Upper bounds of the request duration buckets, in seconds: a read answers in about a millisecond,
/// a write in a few, a national report in tens to hundreds, and a request over 5 s is a fault.
const DURATION_BOUNDS: [f64; 14] =
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// Who may read `GET /metrics`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Not served (404), and nothing recorded: production without `WEX_METRICS_TOKEN`.
    Off,
    /// Anyone: the sandbox without `WEX_METRICS_TOKEN`.
    Open,
    /// Only requests carrying this bearer token (`WEX_METRICS_TOKEN`).
    Token(String),
}

impl Access {
    pub fn served(&self) -> bool {
        *self != Access::Off
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

type Durations = Family<RequestLabels, Histogram, fn() -> Histogram>;

fn duration_histogram() -> Histogram {
    Histogram::new(DURATION_BOUNDS)
}

/// The per-process request metrics, shared by every worker thread.
#[derive(Debug)]
pub struct Metrics {
    requests: Family<RequestLabels, Counter>,
    durations: Durations,
    pub(crate) in_flight: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Self {
            requests: Family::default(),
            durations: Family::new_with_constructor(duration_histogram),
            in_flight: Gauge::default(),
        }
    }
}

/// Methods the API serves keep their name; anything else (a client may send any token as a
/// method) is one label value, so that callers cannot make new series at will.
pub(crate) fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Lowers the in-flight gauge however the request ends, a dropped connection included.
pub(crate) struct InFlight<'a>(pub(crate) &'a Gauge);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.dec();
    }
}

impl Metrics {
    pub(crate) fn observe(&self, method: &'static str, route: String, status: StatusCode, started: Instant) {
        let labels = RequestLabels { method, route, status: status.as_u16() };
        self.durations.get_or_create(&labels).observe(started.elapsed().as_secs_f64());
        self.requests.get_or_create(&labels).inc();
    }

    /// The text a scrape returns: the request metrics, `pool`, and `backlog` when it could be read.
    pub fn render(&self, pool: &PoolUse, backlog: Option<&Backlog>) -> Result<String, std::fmt::Error> {
        let mut registry = Registry::with_prefix("wex");
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route pattern and status",
            self.requests.clone(),
        );
        registry.register_with_unit(
            "http_request_duration",
            "Time from receiving a request to its response's head, by method, route pattern and status",
            Unit::Seconds,
            self.durations.clone(),
        );
        registry.register("http_requests_in_flight", "Requests being handled now", self.in_flight.clone());
        registry.register_collector(Box::new(Snapshot { pool: pool.clone(), backlog: backlog.copied() }));
        let mut text = String::new();
        prometheus_client::encoding::prometheus_text::encode(&mut text, &registry)?;
        Ok(text)
    }
}

/// What a scrape reads besides the request metrics, encoded as it was read.
#[derive(Debug)]
struct Snapshot {
    pool: PoolUse,
    backlog: Option<Backlog>,
}

/// One metric without labels.
fn single(
    encoder: &mut DescriptorEncoder<'_>,
    name: &str,
    help: &str,
    unit: Option<&Unit>,
    metric: &impl EncodeMetric,
) -> std::fmt::Result {
    let m = encoder.encode_descriptor(name, help, unit, metric.metric_type())?;
    metric.encode(m)
}

/// One gauge with a label `name` taking each of `values`.
fn labelled<V: EncodeGaugeValue + Copy + std::fmt::Debug>(
    encoder: &mut DescriptorEncoder<'_>,
    (metric, help, unit): (&str, &str, Option<&Unit>),
    label: &str,
    values: &[(&'static str, V)],
) -> std::fmt::Result {
    let mut m = encoder.encode_descriptor(metric, help, unit, MetricType::Gauge)?;
    for (value, reading) in values {
        let labels = [(label.to_string(), *value)];
        let family = m.encode_family(&labels)?;
        ConstGauge::new(*reading).encode(family)?;
    }
    Ok(())
}

fn gauge(n: u64) -> ConstGauge<u64> {
    ConstGauge::new(n)
}

impl Collector for Snapshot {
    fn encode(&self, mut encoder: DescriptorEncoder<'_>) -> std::fmt::Result {
        let pool = &self.pool;
        let e = &mut encoder;
        single(
            e,
            "db_pool_max_connections",
            "The most connections this process's pool opens.",
            None,
            &gauge(pool.max.into()),
        )?;
        labelled(
            e,
            (
                "db_pool_connections",
                "Open connections of this process's pool, lent out (in_use) or waiting in it (idle).",
                None,
            ),
            "state",
            &[("in_use", pool.in_use()), ("idle", pool.idle)],
        )?;
        let wait = &pool.wait;
        // The encoder wants each bucket's own count, with the last bound infinite.
        let mut buckets = Vec::with_capacity(wait.bounds.len() + 1);
        let mut below = 0;
        for (bound, cumulative) in wait.bounds.iter().zip(&wait.counts) {
            buckets.push((*bound, cumulative.saturating_sub(below)));
            below = *cumulative;
        }
        buckets.push((f64::INFINITY, wait.count.saturating_sub(below)));
        let mut m = e.encode_descriptor(
            "db_pool_wait",
            "Time a request waited to check out a database connection (opening or checking one included).",
            Some(&Unit::Seconds),
            MetricType::Histogram,
        )?;
        m.encode_histogram::<NoLabelSet>(wait.sum_seconds, wait.count, &buckets, None)?;
        single(
            e,
            "db_pool_failed_checkouts",
            "Checkouts that got no connection: none free in time, or the database became unreachable.",
            None,
            &ConstCounter::new(pool.failed_checkouts),
        )?;
        single(
            e,
            "db_reachable",
            "1 while the database is believed reachable, 0 while requests are refused at once.",
            None,
            &gauge(u64::from(pool.reachable)),
        )?;
        single(
            e,
            "db_refused_requests",
            "Requests refused at once because the database was believed unreachable.",
            None,
            &ConstCounter::new(pool.refused),
        )?;
        single(
            e,
            "backlog_up",
            "1 when this scrape could read the backlog from the database, 0 when not.",
            None,
            &gauge(u64::from(self.backlog.is_some())),
        )?;
        let Some(backlog) = &self.backlog else { return Ok(()) };
        let queues = [
            ("outbox_pending_messages", "outbox_due_messages", "outbox_oldest_pending_age", "Emails", &backlog.outbox),
            (
                "webhook_pending_deliveries",
                "webhook_due_deliveries",
                "webhook_oldest_pending_age",
                "Webhook deliveries",
                &backlog.webhooks,
            ),
        ];
        for (pending, due, age, what, state) in queues {
            single(
                e,
                pending,
                &format!("{what} not sent yet: new, or waiting to be retried."),
                None,
                &gauge(state.pending),
            )?;
            single(e, due, &format!("{what} not sent yet whose next try is due now."), None, &gauge(state.due))?;
            let help = format!(
                "How long the oldest of the {} not sent yet has been queued (0 when none is).",
                what.to_lowercase()
            );
            single(e, age, &help, Some(&Unit::Seconds), &ConstGauge::new(state.oldest_age_seconds))?;
        }
        let tasks = [("draw", &backlog.draws), ("offer_expiry", &backlog.offer_expiries)];
        labelled(
            e,
            (
                "scheduler_due",
                "Work the scheduler owes now: lottery placements closed and not drawn, open offers past their answer-by time.",
                None,
            ),
            "task",
            &tasks.map(|(task, lag)| (task, lag.due)),
        )?;
        labelled(
            e,
            (
                "scheduler_lag",
                "How late the longest-owed item of each task is (0 when nothing is owed).",
                Some(&Unit::Seconds),
            ),
            "task",
            &tasks.map(|(task, lag)| (task, lag.seconds)),
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use wex_domain::model::operations::Histogram as Waits;

    #[test]
    fn a_scrape_without_the_backlog_says_so_and_still_describes_the_pool() {
        let pool = PoolUse {
            max: 8,
            open: 3,
            idle: 1,
            wait: Waits { bounds: vec![0.001, 0.01], counts: vec![1, 3], count: 4, sum_seconds: 2.5 },
            failed_checkouts: 2,
            reachable: false,
            refused: 7,
        };
        let text = Metrics::default().render(&pool, None).unwrap();
        for line in [
            "wex_backlog_up 0",
            "wex_db_reachable 0",
            "wex_db_refused_requests_total 7",
            "wex_db_pool_failed_checkouts_total 2",
            "wex_db_pool_max_connections 8",
            r#"wex_db_pool_connections{state="in_use"} 2"#,
            r#"wex_db_pool_connections{state="idle"} 1"#,
            r#"wex_db_pool_wait_seconds_bucket{le="0.001"} 1"#,
            r#"wex_db_pool_wait_seconds_bucket{le="0.01"} 3"#,
            r#"wex_db_pool_wait_seconds_bucket{le="+Inf"} 4"#,
            "wex_db_pool_wait_seconds_count 4",
            "wex_db_pool_wait_seconds_sum 2.5",
        ] {
            assert!(text.lines().any(|l| l == line), "no line {line} in\n{text}");
        }
        assert!(!text.contains("wex_outbox") && !text.contains("wex_scheduler"), "no backlog read, none shown");
    }

    #[test]
    fn any_other_method_is_one_label_value() {
        assert_eq!(method_label(&Method::PATCH), "PATCH");
        assert_eq!(method_label(&Method::from_bytes(b"BREW").unwrap()), "other");
        assert_eq!(method_label(&Method::CONNECT), "other");
    }
}
