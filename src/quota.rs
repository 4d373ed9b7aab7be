//! The client-side request budget: per hour and per day, shared by every thread of a client.
//!
//! Passteam refuses requests past the tariff's limit with `You can only make N requests per hour`.
//! Hammering it then only burns more of tomorrow's budget, so once the budget is spent (ours, or the
//! server's as its message tells us) calls fail at once with `retry_after_ms` instead.

use crate::error::{Error, Result, Status};
use serde_json::Value;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const HOUR: Duration = Duration::from_secs(3600);
const DAY: Duration = Duration::from_secs(24 * 3600);

/// A fixed window that starts with its first request.
#[derive(Debug)]
struct Window {
    length: Duration,
    limit: u64,
    started: Option<Instant>,
    used: u64,
}

impl Window {
    fn new(length: Duration, limit: u64) -> Window {
        Window { length, limit, started: None, used: 0 }
    }

    /// Starts a new window when the old one has passed.
    fn roll(&mut self, now: Instant) {
        if let Some(start) = self.started {
            if now.duration_since(start) >= self.length {
                self.started = None;
                self.used = 0;
            }
        }
    }

    /// Time until this window lets a request through, or `None` if it does now.
    fn wait(&self, now: Instant) -> Option<Duration> {
        if self.limit == 0 || self.used < self.limit {
            return None;
        }
        let start = self.started.unwrap_or(now);
        Some((start + self.length).saturating_duration_since(now).max(Duration::from_millis(1)))
    }

    fn take(&mut self, now: Instant) {
        self.started.get_or_insert(now);
        self.used += 1;
    }
}

/// The budget of one client.
#[derive(Debug)]
pub struct Quota {
    windows: Mutex<[Window; 2]>,
}

impl Quota {
    /// `0` for either limit means no budget for that window.
    pub fn new(per_hour: u64, per_day: u64) -> Quota {
        Quota { windows: Mutex::new([Window::new(HOUR, per_hour), Window::new(DAY, per_day)]) }
    }

    /// Takes one request from the budget, or says how long to wait.
    pub fn acquire(&self) -> Result<()> {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let mut wait = None;
        for (w, name) in windows.iter_mut().zip(["hour", "day"]) {
            w.roll(now);
            if let Some(d) = w.wait(now) {
                if wait.map_or(true, |(longest, _, _)| d > longest) {
                    wait = Some((d, name, w.limit));
                }
            }
        }
        if let Some((d, window, limit)) = wait {
            let ms = d.as_millis().min(u64::MAX as u128) as u64;
            let mut e = Error::new(
                Status::RateLimited,
                format!(
                    "the request budget of {limit} requests per {window} is spent; \
                     the call was not sent, try again in {} s",
                    ms.div_ceil(1000)
                ),
            )
            .with_detail("limit", Value::from(limit))
            .with_detail("window", Value::from(window));
            e.retryable = true;
            e.retry_after_ms = Some(ms);
            return Err(e);
        }
        for w in windows.iter_mut() {
            w.take(now);
        }
        Ok(())
    }

    /// The server said its limit is `limit` per `window` and that it is reached: lower ours to match
    /// and mark the current window spent.
    pub fn learn(&self, limit: u64, window: &str) {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let w = if window == "day" { &mut windows[1] } else { &mut windows[0] };
        w.roll(now);
        w.limit = if w.limit == 0 { limit.max(1) } else { w.limit.min(limit.max(1)) };
        w.started.get_or_insert(now);
        w.used = w.used.max(w.limit);
    }

    /// Requests left in the hourly and the daily window (`None` = no budget set).
    pub fn remaining(&self) -> (Option<u64>, Option<u64>) {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let mut left = [None, None];
        for (i, w) in windows.iter_mut().enumerate() {
            w.roll(now);
            if w.limit > 0 {
                left[i] = Some(w.limit.saturating_sub(w.used));
            }
        }
        (left[0], left[1])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_is_spent_then_refuses_with_retry_after() {
        let q = Quota::new(3, 0);
        for _ in 0..3 {
            q.acquire().unwrap();
        }
        let e = q.acquire().unwrap_err();
        assert_eq!(e.status, Status::RateLimited);
        let ms = e.retry_after_ms.unwrap();
        assert!(ms > 3_500_000 && ms <= 3_600_000, "{ms}");
        assert_eq!(q.remaining(), (Some(0), None));
    }

    #[test]
    fn server_message_lowers_the_limit() {
        let q = Quota::new(30_000, 350_000);
        q.acquire().unwrap();
        q.learn(100, "hour");
        assert_eq!(q.remaining().0, Some(0));
        assert_eq!(q.acquire().unwrap_err().details["limit"], 100);
    }

    #[test]
    fn shared_by_threads() {
        let q = std::sync::Arc::new(Quota::new(1000, 0));
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let q = q.clone();
                std::thread::spawn(move || (0..200).filter(|_| q.acquire().is_ok()).count())
            })
            .collect();
        let granted: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
        assert_eq!(granted, 1000);
    }
}
