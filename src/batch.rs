//! Bulk calls: many operations on one client with bounded concurrency, answers in input order.
//!
//! The user is a shop's nightly job (push every customer's balance): thousands of independent calls that
//! should share the client's keep-alive pool and request budget, finish as fast as the server allows, and
//! never let one bad item stop the rest. Each item goes through [`Client::call_json`] (retries, quota,
//! exactly-once scenarios, all as for a single call); a thread pool of `concurrency` scoped threads takes
//! items in order.

use crate::error::{Error, Result, Status};
use crate::Client;
use serde_json::value::RawValue;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Items running at once when the options do not say.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// The most threads one batch may use (more only queue on the pool's connections and the server).
pub const MAX_CONCURRENCY: usize = 64;
/// The most items one batch takes (a larger job is several batches; this bounds the answer's memory).
pub const MAX_ITEMS: usize = 100_000;

/// How a batch runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchOptions {
    /// Items in flight at once, 1 to [`MAX_CONCURRENCY`].
    pub concurrency: usize,
    /// The whole batch's deadline: items not started by then are not sent and answer `PASSTEAM_ERR_TIMEOUT`.
    /// Each item also keeps the client's own `timeout_ms`. `None`: no batch deadline.
    pub deadline: Option<Duration>,
}

impl Default for BatchOptions {
    fn default() -> BatchOptions {
        BatchOptions { concurrency: DEFAULT_CONCURRENCY, deadline: None }
    }
}

impl BatchOptions {
    /// From the options object every host passes: `{"concurrency": 8, "timeout_ms": 600000}` (both optional).
    pub fn from_json(options: &Value) -> Result<BatchOptions> {
        let Some(map) = options.as_object() else {
            return Err(Error::invalid_json("options_json must be a JSON object"));
        };
        let mut out = BatchOptions::default();
        for (key, value) in map {
            match key.as_str() {
                "concurrency" => {
                    let n = value.as_u64().filter(|n| (1..=MAX_CONCURRENCY as u64).contains(n)).ok_or_else(|| {
                        Error::invalid_argument(format!(
                            "options: concurrency must be a whole number from 1 to {MAX_CONCURRENCY}, not {value}"
                        ))
                    })?;
                    out.concurrency = n as usize;
                }
                "timeout_ms" => {
                    let ms = value.as_u64().ok_or_else(|| {
                        Error::invalid_argument(format!(
                            "options: timeout_ms must be a whole number, not {value}"
                        ))
                    })?;
                    out.deadline = (ms > 0).then(|| Duration::from_millis(ms));
                }
                other => {
                    return Err(Error::invalid_argument(format!(
                        "options: unknown key {other:?} (known: concurrency, timeout_ms)"
                    )))
                }
            }
        }
        Ok(out)
    }
}

/// One item of a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchRequest {
    pub method: String,
    pub params: Value,
}

impl Client {
    /// Runs `requests` with at most `options.concurrency` in flight, and answers one outcome per request in
    /// the same order. A failing item never stops the others.
    pub fn call_batch(
        &self,
        requests: &[BatchRequest],
        options: &BatchOptions,
    ) -> Vec<Result<Box<RawValue>>> {
        let items: Vec<Result<&BatchRequest>> = requests.iter().map(Ok).collect();
        run(self, &items, options)
    }

    /// The JSON form the C ABI and the bindings use: `requests` is an array of `{"method", "params"}`; the
    /// answer is an array of `{"status": 0, "result": ...}` or `{"status": N, "error": {...}}` in input order.
    /// An item that is not such an object answers its own error; only a `requests` that is not an array (or
    /// has more than [`MAX_ITEMS`] items) fails the whole batch.
    pub fn call_batch_json(&self, requests: &Value, options: &BatchOptions) -> Result<String> {
        let list = requests.as_array().ok_or_else(|| {
            Error::invalid_json("requests_json must be a JSON array of {\"method\", \"params\"}")
        })?;
        if list.len() > MAX_ITEMS {
            return Err(Error::invalid_argument(format!(
                "a batch takes at most {MAX_ITEMS} items, not {}; split the job",
                list.len()
            )));
        }
        let parsed: Vec<Result<BatchRequest>> = list.iter().enumerate().map(|(i, v)| item(i, v)).collect();
        let items: Vec<Result<&BatchRequest>> =
            parsed.iter().map(|r| r.as_ref().map_err(Clone::clone)).collect();
        let outcomes = run(self, &items, options);
        let mut out = String::with_capacity(outcomes.len() * 64 + 2);
        out.push('[');
        for (i, outcome) in outcomes.into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match outcome {
                Ok(raw) => {
                    out.push_str("{\"status\":0,\"result\":");
                    out.push_str(raw.get());
                    out.push('}');
                }
                Err(e) => out.push_str(&json!({"status": e.status.code(), "error": e.to_json()}).to_string()),
            }
        }
        out.push(']');
        Ok(out)
    }
}

fn item(index: usize, value: &Value) -> Result<BatchRequest> {
    let bad = |why: &str| Error::invalid_argument(format!("batch item {index}: {why}"));
    let map = value.as_object().ok_or_else(|| bad("must be an object {\"method\", \"params\"}"))?;
    let method =
        map.get("method").and_then(Value::as_str).ok_or_else(|| bad("\"method\" must be a string"))?;
    if let Some(key) = map.keys().find(|k| *k != "method" && *k != "params") {
        return Err(bad(&format!("unknown key {key:?} (an item has \"method\" and \"params\")")));
    }
    let params = map.get("params").cloned().unwrap_or(Value::Null);
    if !params.is_object() && !params.is_null() {
        return Err(Error::invalid_json(format!("batch item {index}: \"params\" must be a JSON object")));
    }
    Ok(BatchRequest { method: method.to_owned(), params })
}

fn run(
    client: &Client,
    items: &[Result<&BatchRequest>],
    options: &BatchOptions,
) -> Vec<Result<Box<RawValue>>> {
    let started = Instant::now();
    let slots: Vec<Mutex<Option<Result<Box<RawValue>>>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let workers = options.concurrency.clamp(1, MAX_CONCURRENCY).min(items.len().max(1));
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(request) = items.get(i) else { break };
        let outcome = match request {
            Err(e) => Err(e.clone()),
            Ok(request) => match options.deadline.map(|d| d.saturating_sub(started.elapsed())) {
                Some(left) if left.is_zero() => Err(Error::new(
                    Status::Timeout,
                    format!(
                        "{}: not sent, the batch's timeout_ms ({} ms) had passed",
                        request.method,
                        options.deadline.unwrap_or_default().as_millis()
                    ),
                )),
                left => client.call_json(&request.method, request.params.clone(), left),
            },
        };
        *slots[i].lock().unwrap_or_else(|p| p.into_inner()) = Some(outcome);
    };
    std::thread::scope(|scope| {
        // The calling thread is one of the workers.
        for _ in 1..workers {
            // A thread the OS refuses only means fewer workers; the calling thread always works.
            let _ = std::thread::Builder::new().name("passteam-batch".into()).spawn_scoped(scope, work);
        }
        work();
    });
    slots
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .unwrap_or_else(|p| p.into_inner())
                .unwrap_or_else(|| Err(Error::internal("a batch item was not run (a bug)")))
        })
        .collect()
}
