//! The client-side request budget: per hour and per day, shared by every thread of a client.
//!
//! Passteam refuses requests past the tariff's limit with `You can only make N requests per hour`.
//! Hammering it then only burns more of tomorrow's budget, so once the budget is spent (ours, or the
//! server's as its message tells us) calls fail at once with `retry_after_ms` instead.
//!
//! We do not know where the server's hour started, so a refusal does not lock the client out for a whole
//! hour: it pauses the client for [`FIRST_PAUSE`], then lets one request probe; each further refusal in a
//! row doubles the pause, up to the refused window's length. A success ends the streak. The limit the
//! server names is reported (in `details`) but never lowers the configured budget: a lowered budget
//! below what this client already counted would lock it out for the rest of a window it cannot see, and
//! a refusal's text is only as trustworthy as the server that sent it.

use crate::error::{Error, Result, Status};
use serde_json::Value;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const HOUR: Duration = Duration::from_secs(3600);
const DAY: Duration = Duration::from_secs(24 * 3600);
/// The pause after the server's first refusal.
pub const FIRST_PAUSE: Duration = Duration::from_secs(60);

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

/// The server's refusals in a row, and the pause they impose.
#[derive(Debug, Default)]
struct Refusals {
    streak: u32,
    until: Option<Instant>,
    limit: u64,
    window: &'static str,
    length: Duration,
}

impl Refusals {
    /// 60 s for the first refusal in a row, doubling, at most the refused window.
    fn pause(&self) -> Duration {
        let doublings = self.streak.saturating_sub(1).min(12);
        FIRST_PAUSE.saturating_mul(1 << doublings).min(self.length.max(FIRST_PAUSE))
    }
}

/// A quota window Passteam names in its refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuotaWindow {
    Hour,
    Day,
}

impl QuotaWindow {
    /// `"hour"` or `"day"`, as in the server's message and in error details.
    pub fn name(self) -> &'static str {
        match self {
            QuotaWindow::Hour => "hour",
            QuotaWindow::Day => "day",
        }
    }

    fn length(self) -> Duration {
        match self {
            QuotaWindow::Hour => HOUR,
            QuotaWindow::Day => DAY,
        }
    }
}

/// What a quota refusal said: `You can only make {limit} requests per {window}`. Carried on the error
/// as a typed value (the client reads it from there, not from the JSON details).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    pub limit: u64,
    pub window: QuotaWindow,
}

#[derive(Debug)]
struct State {
    windows: [Window; 2],
    refusals: Refusals,
}

/// The budget of one client.
#[derive(Debug)]
pub struct Quota {
    state: Mutex<State>,
}

impl Quota {
    /// `0` for either limit means no budget for that window.
    pub fn new(per_hour: u64, per_day: u64) -> Quota {
        Quota {
            state: Mutex::new(State {
                windows: [Window::new(HOUR, per_hour), Window::new(DAY, per_day)],
                refusals: Refusals::default(),
            }),
        }
    }

    /// Takes one request from the budget, or says how long to wait.
    pub fn acquire(&self) -> Result<()> {
        let now = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let mut wait = None;
        match state.refusals.until {
            Some(until) if until > now => {
                wait = Some((until - now, state.refusals.window, state.refusals.limit));
            }
            Some(_) => {
                // The pause is over: this request is the probe; the others wait for its verdict (or for
                // as long again, should the probe never report back).
                let pause = state.refusals.pause();
                state.refusals.until = Some(now + pause);
            }
            None => {}
        }
        let windows = &mut state.windows;
        for (w, name) in windows.iter_mut().zip(["hour", "day"]) {
            w.roll(now);
            if let Some(d) = w.wait(now) {
                if wait.is_none_or(|(longest, _, _)| d > longest) {
                    wait = Some((d, name, w.limit));
                }
            }
        }
        if let Some((d, window, limit)) = wait {
            let ms = d.as_millis().min(u64::MAX as u128) as u64;
            let mut e = Error::new(
                Status::RateLimited,
                format!(
                    "the request budget of {limit} requests per {window} is spent (Passteam's limit or the \
                     configured quota); the call was not sent, try again in {} s",
                    ms.div_ceil(1000)
                ),
            )
            .with_detail("limit", Value::from(limit))
            .with_detail("window", Value::from(window));
            e.retry_after_ms = Some(ms);
            return Err(e);
        }
        for w in windows.iter_mut() {
            w.take(now);
        }
        Ok(())
    }

    /// The server refused a request for its quota (`limit` per `window` when its message said so): pause
    /// every call of this client for 60 s, doubling with each refusal in a row, at most the window's
    /// length. Returns the pause, for the refused call's `retry_after_ms`.
    pub fn refused(&self, refusal: Option<Refusal>) -> Duration {
        let now = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let r = &mut state.refusals;
        r.streak = r.streak.saturating_add(1);
        if let Some(refusal) = refusal {
            r.limit = refusal.limit;
            r.window = refusal.window.name();
            r.length = refusal.window.length();
        } else if r.length.is_zero() {
            (r.window, r.length) = ("hour", HOUR);
        }
        let pause = r.pause();
        r.until = Some(now + pause);
        pause
    }

    /// A request went through: the server's refusals are over.
    pub fn succeeded(&self) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if state.refusals.streak > 0 {
            state.refusals = Refusals::default();
        }
    }

    /// Requests left in the hourly and the daily window (`None` = no budget set).
    pub fn remaining(&self) -> (Option<u64>, Option<u64>) {
        let now = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let mut left = [None, None];
        for (i, w) in state.windows.iter_mut().enumerate() {
            w.roll(now);
            if w.limit > 0 {
                left[i] = Some(w.limit.saturating_sub(w.used));
            }
        }
        (left[0], left[1])
    }

    /// What the budget looks like now, for diagnostics: per window (hour, day) the requests used and the
    /// limit in force, and the pause the server's refusals impose, if any.
    pub(crate) fn snapshot(&self) -> QuotaSnapshot {
        let now = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let mut windows = [(0, 0); 2];
        for (i, w) in state.windows.iter_mut().enumerate() {
            w.roll(now);
            windows[i] = (w.used, w.limit);
        }
        let r = &state.refusals;
        let pause = r.until.filter(|u| *u > now).map(|u| u - now);
        QuotaSnapshot {
            hour: windows[0],
            day: windows[1],
            paused_for: pause,
            refusals_in_a_row: r.streak,
            server_limit: (r.streak > 0).then_some((r.limit, r.window)),
        }
    }
}

/// The budget at one moment (see [`Quota::snapshot`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QuotaSnapshot {
    /// (used, limit) in the current hour; a limit of 0 means no budget.
    pub hour: (u64, u64),
    /// (used, limit) in the current day.
    pub day: (u64, u64),
    /// The pause in force after the server's refusals.
    pub paused_for: Option<Duration>,
    pub refusals_in_a_row: u32,
    /// The limit the server's last refusal stated, and its window.
    pub server_limit: Option<(u64, &'static str)>,
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

    fn hourly(limit: u64) -> Option<Refusal> {
        Some(Refusal { limit, window: QuotaWindow::Hour })
    }

    #[test]
    fn a_refusal_pauses_60s_doubling_and_never_lowers_the_budget() {
        let q = Quota::new(30_000, 350_000);
        q.acquire().unwrap();
        assert_eq!(q.refused(hourly(100)), FIRST_PAUSE, "the refused call learns its own pause");
        assert_eq!(q.remaining().0, Some(29_999), "the configured budget stays");
        let e = q.acquire().unwrap_err();
        assert_eq!(e.details["limit"], 100);
        let first = e.retry_after_ms.unwrap();
        assert!(first > 59_000 && first <= 60_000, "{first}");
        assert_eq!(q.refused(hourly(100)), 2 * FIRST_PAUSE);
        let second = q.acquire().unwrap_err().retry_after_ms.unwrap();
        assert!(second > 119_000 && second <= 120_000, "doubles: {second}");
        for _ in 0..20 {
            q.refused(hourly(100));
        }
        assert!(q.acquire().unwrap_err().retry_after_ms.unwrap() <= 3_600_000, "at most the window");
        q.succeeded();
        q.acquire().expect("a success ends the pause");
        let q2 = Quota::new(0, 0);
        q2.refused(Some(Refusal { limit: 5, window: QuotaWindow::Day }));
        assert_eq!(q2.acquire().unwrap_err().details["window"], "day");
        let q3 = Quota::new(0, 0);
        assert_eq!(q3.refused(None), FIRST_PAUSE, "a bare 429 pauses too");
    }

    #[test]
    fn after_the_pause_one_probe_goes_through() {
        let q = Quota::new(0, 0);
        q.refused(hourly(5));
        // Pretend the pause is over.
        q.state.lock().unwrap().refusals.until = Some(Instant::now() - Duration::from_millis(1));
        q.acquire().expect("the probe");
        let e = q.acquire().expect_err("the others wait for the probe's verdict");
        assert!(e.retry_after_ms.unwrap() > 59_000);
        q.succeeded();
        q.acquire().expect("the probe succeeded");
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
