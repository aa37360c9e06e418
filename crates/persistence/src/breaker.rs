//! A circuit breaker for the database: once a connection attempt fails, requests are answered
//! `database_unavailable` at once instead of each waiting the pool's whole connection timeout, until
//! a connection succeeds again (see `connection.rs` for who tries and when).
//!
//! [`Machine`] is the state machine alone: it takes the time as an argument, so that every
//! transition is tested without a clock. [`Breaker`] shares it between threads, logs each change of
//! state (one line, not one per request or per attempt) and lets tests wait for a change.

use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// What the breaker knows about the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// Connections succeed (or none has failed yet): requests go to the pool.
    Closed,
    /// The last connection attempt failed: requests are refused without touching the pool.
    Open {
        since: Instant,
        /// Why the first attempt failed, for the line that reports the recovery.
        cause: String,
        /// Further failed attempts since it opened.
        failures: u64,
        /// Requests refused since it opened.
        refused: u64,
    },
}

/// A change of state, returned so that the caller can report it once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Opened { cause: String },
    Closed { after: Duration, cause: String, failures: u64, refused: u64 },
}

/// The state machine, without locks, logging or clocks.
#[derive(Debug)]
pub struct Machine {
    state: State,
    /// How many requests were refused in this machine's life (for tests and metrics).
    refused_total: u64,
    /// How many times it has opened; identifies one outage, so that one prober serves it.
    openings: u64,
}

impl Default for Machine {
    fn default() -> Self {
        Self { state: State::Closed, refused_total: 0, openings: 0 }
    }
}

impl Machine {
    #[cfg(test)]
    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn is_open(&self) -> bool {
        matches!(self.state, State::Open { .. })
    }

    pub fn refused_total(&self) -> u64 {
        self.refused_total
    }

    pub fn openings(&self) -> u64 {
        self.openings
    }

    /// May a request use the pool? Closed: yes. Open: no, and the refusal is counted.
    pub fn admit(&mut self) -> bool {
        match &mut self.state {
            State::Closed => true,
            State::Open { refused, .. } => {
                *refused += 1;
                self.refused_total += 1;
                false
            }
        }
    }

    /// A connection attempt failed: opens the breaker if it was closed.
    pub fn failure(&mut self, now: Instant, error: &str) -> Option<Change> {
        match &mut self.state {
            State::Closed => {
                self.state = State::Open { since: now, cause: error.to_string(), failures: 0, refused: 0 };
                self.openings += 1;
                Some(Change::Opened { cause: error.to_string() })
            }
            State::Open { failures, .. } => {
                *failures += 1;
                None
            }
        }
    }

    /// A connection attempt succeeded: closes the breaker if it was open.
    pub fn success(&mut self, now: Instant) -> Option<Change> {
        match std::mem::replace(&mut self.state, State::Closed) {
            State::Closed => None,
            State::Open { since, cause, failures, refused } => {
                Some(Change::Closed { after: now.saturating_duration_since(since), cause, failures, refused })
            }
        }
    }
}

/// The machine shared by the pool's threads and the requests, on the real clock.
#[derive(Debug, Default)]
pub struct Breaker {
    machine: Mutex<Machine>,
    changed: Condvar,
}

impl Breaker {
    fn lock(&self) -> MutexGuard<'_, Machine> {
        // The machine is consistent after every method, so a panic elsewhere cannot spoil it.
        self.machine.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn admit(&self) -> bool {
        self.lock().admit()
    }

    pub fn is_open(&self) -> bool {
        self.lock().is_open()
    }

    /// The requests refused without touching the pool, over the breaker's life.
    pub fn refused_total(&self) -> u64 {
        self.lock().refused_total()
    }

    /// The current outage's number, if the breaker is open.
    pub fn open_outage(&self) -> Option<u64> {
        let machine = self.lock();
        machine.is_open().then_some(machine.openings())
    }

    /// Records a failed connection attempt; returns the outage's number if this one opened it.
    pub fn failure(&self, error: &str) -> Option<u64> {
        // libpq's messages span lines; the outage is reported on one.
        let error = error.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut machine = self.lock();
        let change = machine.failure(Instant::now(), &error)?;
        let outage = machine.openings();
        drop(machine);
        self.report(&change);
        Some(outage)
    }

    pub fn success(&self) {
        let change = self.lock().success(Instant::now());
        if let Some(change) = change {
            self.report(&change);
        }
    }

    fn report(&self, change: &Change) {
        match change {
            Change::Opened { cause } => {
                log::error!(
                    "database unreachable ({cause}): answering 503 database_unavailable at once until it returns"
                )
            }
            Change::Closed { after, cause, failures, refused } => log::warn!(
                "database reachable again after {:.1} s unreachable ({cause}); {refused} request(s) refused, \
                 {failures} more connection attempt(s) failed",
                after.as_secs_f64()
            ),
        }
        self.changed.notify_all();
    }

    /// Waits until the breaker is closed, for at most `timeout`; true if it is. For tests and
    /// tools that must not go on before the database is back.
    pub fn wait_closed(&self, timeout: Duration) -> bool {
        let machine = self.lock();
        let (machine, _) = self
            .changed
            .wait_timeout_while(machine, timeout, |m| m.is_open())
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        !machine.is_open()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open_at(now: Instant) -> Machine {
        let mut m = Machine::default();
        m.failure(now, "connection refused");
        m
    }

    #[test]
    fn closed_admits_every_request_and_counts_nothing() {
        let mut m = Machine::default();
        assert!(m.admit() && m.admit());
        assert_eq!((m.state(), m.refused_total()), (&State::Closed, 0));
    }

    #[test]
    fn a_failure_opens_a_closed_breaker_and_says_so_once() {
        let t0 = Instant::now();
        let mut m = Machine::default();
        assert_eq!(m.failure(t0, "connection refused"), Some(Change::Opened { cause: "connection refused".into() }));
        assert!(m.is_open());
        assert_eq!(m.openings(), 1);
    }

    #[test]
    fn an_open_breaker_refuses_and_counts_every_request() {
        let mut m = open_at(Instant::now());
        assert!(!m.admit());
        assert!(!m.admit());
        assert_eq!(m.refused_total(), 2);
        assert!(matches!(m.state(), State::Open { refused: 2, .. }));
    }

    #[test]
    fn further_failures_keep_it_open_without_a_change() {
        let t0 = Instant::now();
        let mut m = open_at(t0);
        assert_eq!(m.failure(t0 + Duration::from_secs(1), "still refused"), None);
        assert_eq!(m.failure(t0 + Duration::from_secs(2), "still refused"), None);
        // The first cause and time are kept for the recovery line.
        assert_eq!(m.state(), &State::Open { since: t0, cause: "connection refused".into(), failures: 2, refused: 0 });
        assert_eq!(m.openings(), 1);
    }

    #[test]
    fn a_success_closes_an_open_breaker_with_the_outage_summary() {
        let t0 = Instant::now();
        let mut m = open_at(t0);
        m.admit();
        m.failure(t0 + Duration::from_millis(200), "still refused");
        let change = m.success(t0 + Duration::from_millis(1500));
        assert_eq!(
            change,
            Some(Change::Closed {
                after: Duration::from_millis(1500),
                cause: "connection refused".into(),
                failures: 1,
                refused: 1
            })
        );
        assert!(m.admit(), "closed again: requests go to the pool");
        assert_eq!(m.refused_total(), 1);
    }

    #[test]
    fn a_success_on_a_closed_breaker_changes_nothing() {
        let mut m = Machine::default();
        assert_eq!(m.success(Instant::now()), None);
        assert_eq!(m.state(), &State::Closed);
    }

    #[test]
    fn each_outage_has_its_own_number() {
        let t0 = Instant::now();
        let mut m = open_at(t0);
        m.success(t0 + Duration::from_secs(1));
        m.failure(t0 + Duration::from_secs(2), "refused again");
        assert_eq!(m.openings(), 2);
    }

    #[test]
    fn the_shared_breaker_wakes_waiters_when_it_closes() {
        let breaker = std::sync::Arc::new(Breaker::default());
        assert!(breaker.wait_closed(Duration::ZERO), "closed at first");
        assert_eq!(breaker.failure("connection refused"), Some(1));
        assert_eq!(breaker.failure("connection refused"), None, "only the opening failure starts an outage");
        assert_eq!(breaker.open_outage(), Some(1));
        assert!(!breaker.admit());
        let closer = std::sync::Arc::clone(&breaker);
        let handle = std::thread::spawn(move || closer.success());
        assert!(breaker.wait_closed(Duration::from_secs(60)));
        handle.join().unwrap();
        assert_eq!((breaker.open_outage(), breaker.refused_total()), (None, 1));
    }
}
