//! The retry and outcome policy, as one pure function: after a failed attempt, send again (after how
//! long) or fail (with which error). Everything that decides whether a call is resent lives here.
//!
//! The rules:
//! - Only a transient failure (transport, timeout) is retried, and only while attempts and the deadline
//!   allow a pause and another try.
//! - A non-idempotent operation is resent only when the request certainly did not leave
//!   ([`Delivery::NotSent`]). When it may have arrived and the reply is missing or unusable (a broken
//!   connection, a read timeout, a garbage body, a redirect), the error says `"outcome": "unknown"` and is
//!   not retryable: resending could apply it twice.
//! - Everything else (an API refusal, a validation error, a quota refusal) fails as it is.

use crate::config::RetryPolicy;
use crate::error::{Error, Outcome, Status};
use crate::methods::Method;
use crate::transport::Delivery;
use std::time::{Duration, Instant};

/// What to do after a failed attempt.
#[derive(Debug, PartialEq)]
pub enum Step {
    /// Pause this long, then send again.
    Retry(Duration),
    /// Give up with this error.
    Fail(Error),
}

/// Whether repeating the same call later may succeed: the `"retryable"` fact of the error object, decided
/// here only, from the error's typed facts (no layer sets it).
///
/// - A transport failure or a timeout may go away, unless the TLS handshake was refused (the same
///   certificate is refused again) or the outcome is unknown (a non-idempotent request may have been
///   applied: repeating it blindly could apply it twice).
/// - Rate limiting goes away when the budget allows (`retry_after_ms` says when).
/// - Everything else is a definite answer (an API refusal, a validation error, an unreadable reply, a
///   queued call) that the same call would get again.
pub fn is_retryable(error: &Error) -> bool {
    match error.status {
        Status::Transport | Status::Timeout => !error.tls_refused && error.outcome.is_none(),
        Status::RateLimited => true,
        _ => false,
    }
}

/// Whether an error may go away by sending the same request again soon (without waiting for a budget).
pub fn transient(error: &Error) -> bool {
    matches!(error.status, Status::Transport | Status::Timeout) && is_retryable(error)
}

/// Decides the next step after attempt number `attempt` (1-based) failed with `error`.
///
/// `random` feeds the backoff's jitter (any value; the caller passes a random one), so the function
/// stays pure and testable.
#[allow(clippy::too_many_arguments)] // the policy's inputs, named as the model (stripe-go's shouldRetry)
pub fn next_step(
    method: &Method,
    error: Error,
    delivery: Delivery,
    attempt: u32,
    policy: &RetryPolicy,
    deadline: Instant,
    now: Instant,
    random: u64,
) -> Step {
    let resend_safe = method.idempotent || delivery == Delivery::NotSent;
    let transient = transient(&error);
    // An unreadable reply (garbage, truncated, oversized, a redirect) also leaves the outcome open.
    let unreadable = error.status == Status::Protocol && delivery == Delivery::MaybeSent;
    if !resend_safe && (transient || unreadable) {
        return Step::Fail(outcome_unknown(method, error));
    }
    if !transient || attempt >= policy.max_attempts {
        return Step::Fail(error);
    }
    let pause = backoff(policy.base_delay, policy.max_delay, attempt, random);
    if now + pause >= deadline {
        return Step::Fail(error);
    }
    Step::Retry(pause)
}

/// Marks an error whose request may have been applied.
fn outcome_unknown(method: &Method, mut error: Error) -> Error {
    error.outcome = Some(Outcome::Unknown);
    error.message = format!(
        "{} (the request may have reached Passteam: {} was not resent, to avoid doing it twice; check \
         before repeating it)",
        error.message, method.name
    );
    error
}

/// Exponential backoff with "equal jitter": half the step fixed, half random.
pub fn backoff(base: Duration, max: Duration, attempt: u32, random: u64) -> Duration {
    let step = base.saturating_mul(1u32 << attempt.saturating_sub(1).min(16)).min(max);
    let half = step / 2;
    half + Duration::from_nanos(random % (half.as_nanos().max(1) as u64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::methods::find;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(400),
        }
    }

    fn broken() -> Error {
        Error::new(Status::Transport, "the connection broke")
    }

    fn later(now: Instant) -> Instant {
        now + Duration::from_secs(30)
    }

    #[test]
    fn a_read_is_retried_with_backoff_until_attempts_run_out() {
        let (get, now) = (find("getcard").unwrap(), Instant::now());
        let step = next_step(get, broken(), Delivery::MaybeSent, 1, &policy(), later(now), now, 0);
        assert_eq!(step, Step::Retry(Duration::from_millis(50)));
        let step = next_step(get, broken(), Delivery::MaybeSent, 2, &policy(), later(now), now, u64::MAX);
        let Step::Retry(pause) = step else { panic!("{step:?}") };
        assert!(pause >= Duration::from_millis(100) && pause < Duration::from_millis(200), "{pause:?}");
        let step = next_step(get, broken(), Delivery::MaybeSent, 3, &policy(), later(now), now, 0);
        assert!(matches!(step, Step::Fail(e) if e.outcome.is_none()));
    }

    #[test]
    fn a_create_that_may_have_arrived_is_never_resent() {
        let (create, now) = (find("createcard").unwrap(), Instant::now());
        let Step::Fail(e) =
            next_step(create, broken(), Delivery::MaybeSent, 1, &policy(), later(now), now, 0)
        else {
            panic!("resent")
        };
        assert_eq!((e.outcome, e.retryable()), (Some(Outcome::Unknown), false));
        assert!(e.message.contains("not resent"), "{}", e.message);
        let garbage = Error::new(Status::Protocol, "not the envelope");
        let Step::Fail(e) = next_step(create, garbage, Delivery::MaybeSent, 1, &policy(), later(now), now, 0)
        else {
            panic!("resent")
        };
        assert_eq!(e.outcome, Some(Outcome::Unknown));
        let step = next_step(create, broken(), Delivery::NotSent, 1, &policy(), later(now), now, 0);
        assert!(matches!(step, Step::Retry(_)), "not sent: safe to send again");
    }

    /// The `"retryable"` fact for every kind of error, and the error object says the same.
    #[test]
    fn retryable_is_decided_by_the_error_s_facts() {
        let with = |status: Status, change: fn(&mut Error)| {
            let mut e = Error::new(status, "m");
            change(&mut e);
            e
        };
        let same = |_: &mut Error| {};
        let table: Vec<(&str, Error, bool)> = vec![
            ("a broken connection", with(Status::Transport, same), true),
            ("a timeout", with(Status::Timeout, same), true),
            ("a gateway's 502", with(Status::Transport, |e| e.http_status = Some(502)), true),
            ("a refused certificate", with(Status::Transport, |e| e.tls_refused = true), false),
            (
                "a create that may have arrived",
                with(Status::Transport, |e| e.outcome = Some(Outcome::Unknown)),
                false,
            ),
            ("a timed-out create", with(Status::Timeout, |e| e.outcome = Some(Outcome::Unknown)), false),
            ("the client's budget", with(Status::RateLimited, |e| e.retry_after_ms = Some(1000)), true),
            ("the server's 429", with(Status::RateLimited, |e| e.http_status = Some(429)), true),
            ("an unreadable reply", with(Status::Protocol, same), false),
            (
                "an unreadable reply to a create",
                with(Status::Protocol, |e| e.outcome = Some(Outcome::Unknown)),
                false,
            ),
            ("a conflict", with(Status::Conflict, |e| e.http_status = Some(409)), false),
            ("a refused token", with(Status::Auth, same), false),
            ("no such card", with(Status::NotFound, same), false),
            ("an API refusal", with(Status::Api, same), false),
            ("a validation error", with(Status::Validation, same), false),
            ("a bad argument", with(Status::InvalidArgument, same), false),
            ("broken JSON", with(Status::InvalidJson, same), false),
            ("a bug", with(Status::Internal, same), false),
            ("a queued call", Error::queued_as(7, "queued", &broken()), false),
        ];
        for (what, error, expected) in table {
            assert_eq!(is_retryable(&error), expected, "{what}");
            assert_eq!(error.retryable(), expected, "{what}");
            assert_eq!(error.to_json()["retryable"], expected, "{what}: the error object");
        }
    }

    #[test]
    fn backoff_grows_and_is_bounded() {
        let base = Duration::from_millis(100);
        let max = Duration::from_millis(1000);
        for attempt in 1..10 {
            for random in [0, 12_345_678, u64::MAX] {
                let d = backoff(base, max, attempt, random);
                let step = (base * (1 << (attempt - 1))).min(max);
                assert!(d >= step / 2 && d <= step, "attempt {attempt}: {d:?}");
            }
        }
    }

    #[test]
    fn permanent_errors_and_the_deadline_end_the_call() {
        let (get, now) = (find("getcard").unwrap(), Instant::now());
        let mut tls = Error::new(Status::Transport, "certificate unknown");
        tls.tls_refused = true;
        assert!(matches!(
            next_step(get, tls, Delivery::NotSent, 1, &policy(), later(now), now, 0),
            Step::Fail(_)
        ));
        let api = Error::new(Status::Conflict, "taken");
        let create = find("createcard").unwrap();
        let Step::Fail(e) = next_step(create, api, Delivery::MaybeSent, 1, &policy(), later(now), now, 0)
        else {
            panic!()
        };
        assert_eq!(e.outcome, None, "a definite answer is not an unknown outcome");
        let soon = now + Duration::from_millis(10);
        assert!(matches!(
            next_step(get, broken(), Delivery::MaybeSent, 1, &policy(), soon, now, 0),
            Step::Fail(_)
        ));
    }
}
