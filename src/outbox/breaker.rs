//! The circuit breaker: after `breaker_failures` consecutive network failures, calls are refused at once
//! (no connect, no timeout) for `breaker_cooldown_ms`; then one probe at a time tests the way back.
//!
//! A cashier then waits for a dead network once per cool-down, not once per call. The state is per client
//! (in memory): another process learns on its own.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What the breaker says about a call about to be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Closed: go ahead.
    Go,
    /// The cool-down is over: this call is the one probe; report its outcome with `was_probe = true`.
    Probe,
    /// Open: do not touch the network; it may be tried again after this long.
    Refused { retry_in: Duration },
}

/// How a call that was let through ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Observed {
    /// The network failed (transport error, timeout).
    NetworkFailure,
    /// Anything else: a reply came, so the way to Passteam works.
    Reached,
}

#[derive(Debug, Default)]
struct State {
    consecutive_failures: u32,
    open_until: Option<Instant>,
    probe_in_flight: bool,
}

/// One client's breaker.
#[derive(Debug)]
pub struct Breaker {
    threshold: u32,
    cooldown: Duration,
    state: Mutex<State>,
}

impl Breaker {
    pub fn new(threshold: u32, cooldown: Duration) -> Breaker {
        Breaker { threshold: threshold.max(1), cooldown, state: Mutex::new(State::default()) }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Asks whether a call may go out now.
    pub fn admit(&self, now: Instant) -> Admission {
        let mut s = self.state();
        match s.open_until {
            None => Admission::Go,
            Some(until) if now < until => Admission::Refused { retry_in: until - now },
            // Another call is probing: wait for its verdict instead of piling onto a dead network.
            Some(_) if s.probe_in_flight => Admission::Refused { retry_in: Duration::from_millis(100) },
            Some(_) => {
                s.probe_in_flight = true;
                Admission::Probe
            }
        }
    }

    /// Reports how an admitted call ended.
    pub fn record(&self, observed: Observed, was_probe: bool, now: Instant) {
        let mut s = self.state();
        if was_probe {
            s.probe_in_flight = false;
        }
        match observed {
            Observed::Reached => {
                s.consecutive_failures = 0;
                s.open_until = None;
            }
            Observed::NetworkFailure => {
                s.consecutive_failures = s.consecutive_failures.saturating_add(1);
                if was_probe || s.consecutive_failures >= self.threshold {
                    s.open_until = Some(now + self.cooldown);
                }
            }
        }
    }

    /// A probe slot was taken but nothing was sent (nothing was due): let the next call probe.
    pub fn abandon_probe(&self) {
        self.state().probe_in_flight = false;
    }

    /// Whether the breaker is open now (for stats and the replay loop).
    pub fn is_open(&self, now: Instant) -> bool {
        self.state().open_until.is_some_and(|until| now < until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_the_threshold_and_probes_once_after_the_cooldown() {
        let b = Breaker::new(3, Duration::from_secs(10));
        let t0 = Instant::now();
        for _ in 0..2 {
            assert_eq!(b.admit(t0), Admission::Go);
            b.record(Observed::NetworkFailure, false, t0);
        }
        assert_eq!(b.admit(t0), Admission::Go, "two failures do not open a breaker of three");
        b.record(Observed::NetworkFailure, false, t0);
        assert!(matches!(b.admit(t0 + Duration::from_secs(9)), Admission::Refused { .. }));
        let later = t0 + Duration::from_secs(11);
        assert_eq!(b.admit(later), Admission::Probe);
        assert!(matches!(b.admit(later), Admission::Refused { .. }), "one probe at a time");
        b.record(Observed::NetworkFailure, true, later);
        assert!(
            matches!(b.admit(later + Duration::from_secs(1)), Admission::Refused { .. }),
            "a failed probe reopens"
        );
        let again = later + Duration::from_secs(11);
        assert_eq!(b.admit(again), Admission::Probe);
        b.record(Observed::Reached, true, again);
        assert_eq!(b.admit(again), Admission::Go, "a probe that got a reply closes it");
    }

    #[test]
    fn a_reply_resets_the_count() {
        let b = Breaker::new(2, Duration::from_secs(10));
        let t = Instant::now();
        b.record(Observed::NetworkFailure, false, t);
        b.record(Observed::Reached, false, t);
        b.record(Observed::NetworkFailure, false, t);
        assert_eq!(b.admit(t), Admission::Go);
    }
}
