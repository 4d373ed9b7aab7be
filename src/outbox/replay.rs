//! The replay: send what is due, oldest first, one entry per customer at a time, each claimed in the file so
//! that any number of replayers (threads, processes) can share it.
//!
//! An entry is removed only after its reply. Interrupted sends (a claimant that died) are resent only where
//! that is harmless: absolute updates; issuecard and createcard (which replays as issuecard) look the
//! unique variable up before creating; a distribute or sendpush that may have left goes to the dead list.

use super::order::{self, Queueing};
use super::store::Claimed;
use super::{breaker, Shared};
use crate::client::Client;
use crate::error::{Error, Result, Status};
use crate::methods::{self, Method};
use serde_json::{json, Map, Value};
use std::time::{Duration, Instant};

/// How long a transiently failed entry waits before it is due again.
const RETRY_PAUSE: Duration = Duration::from_secs(1);

/// Replays what is due, for at most `budget`; returns `{"sent", "failed", "pending", "dead"}`.
pub fn flush(shared: &Shared, sender: &Client, budget: Duration) -> Result<Value> {
    let store = shared.store()?;
    let end = Instant::now() + budget;
    let (mut sent, mut failed) = (0u64, 0u64);
    // A call's own deadline bounds it; the lease outlives it, so no other replayer takes it while it may fly.
    let call_time = sender.config().timeout;
    let lease = call_time + Duration::from_secs(2);
    while Instant::now() < end {
        let admission = shared.breaker.admit(Instant::now());
        if let breaker::Admission::Refused { .. } = admission {
            break;
        }
        let was_probe = admission == breaker::Admission::Probe;
        let Some(entry) = store.claim_next(&shared.claimant, lease)? else {
            if was_probe {
                shared.breaker.abandon_probe();
            }
            break;
        };
        match send_one(sender, &entry, call_time) {
            Step::Sent(result) => {
                shared.breaker.record(breaker::Observed::Reached, was_probe, Instant::now());
                store.complete(&entry, &shared.claimant)?;
                sent += 1;
                if shared.stale_reads {
                    let (name, params) = replayed_as(&entry);
                    let _ = super::stale::remember(store, name, &params, &result);
                }
            }
            Step::Later(error) => {
                let observed = if order::network_failure(&error) {
                    breaker::Observed::NetworkFailure
                } else {
                    breaker::Observed::Reached
                };
                shared.breaker.record(observed, was_probe, Instant::now());
                store.release(&entry, &shared.claimant, &error.to_json(), RETRY_PAUSE)?;
                failed += 1;
            }
            Step::Dead(error) => {
                shared.breaker.record(breaker::Observed::Reached, was_probe, Instant::now());
                store.bury(&entry, &shared.claimant, &error.to_json())?;
                failed += 1;
            }
        }
    }
    let stats = store.stats()?;
    Ok(json!({ "sent": sent, "failed": failed, "pending": stats["pending"], "dead": stats["dead"] }))
}

enum Step {
    Sent(Value),
    /// Not now (unreachable): stays pending.
    Later(Error),
    /// Permanent (4xx, 409, validation, a send that may have happened and must not repeat).
    Dead(Error),
}

/// The operation an entry replays as: a createcard goes through issuecard's exactly-once path.
fn replayed_as(entry: &Claimed) -> (&'static str, Map<String, Value>) {
    if entry.method == "createcard" {
        let mut params = Map::new();
        for key in ["templateId", "values", "cardCode", "uniqueVariable"] {
            if let Some(v) = entry.params.get(key) {
                params.insert(key.to_owned(), v.clone());
            }
        }
        if !params.contains_key("uniqueVariable") {
            params.insert("uniqueVariable".into(), Value::from("PHONE"));
        }
        return ("issuecard", params);
    }
    let name = methods::find(&entry.method).map_or("", |m| m.name);
    (name, entry.params.clone())
}

fn send_one(sender: &Client, entry: &Claimed, call_time: Duration) -> Step {
    let (name, params) = replayed_as(entry);
    let Some(method): Option<&'static Method> = methods::find(name) else {
        return Step::Dead(Error::invalid_argument(format!("outbox: unknown method {:?}", entry.method)));
    };
    let policy = order::policy(method, &params);
    if entry.interrupted && policy.queueing == Queueing::NotSent {
        return Step::Dead(
            Error::new(
                Status::Transport,
                format!(
                    "{}: an earlier replay was interrupted while sending it: it may have been delivered, so it \
                     is not sent again (retry it once you checked)",
                    method.name
                ),
            )
            .with_detail("method", Value::from(method.name)),
        );
    }
    match sender.send(method, &params, Instant::now() + call_time) {
        Ok(raw) => Step::Sent(serde_json::from_str(raw.get()).unwrap_or(Value::Null)),
        Err(e) if order::should_queue(&policy, &e) => Step::Later(e),
        Err(e) => Step::Dead(e),
    }
}
