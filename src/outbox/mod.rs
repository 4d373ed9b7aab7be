//! Offline at the till (issue 12): a durable outbox, a circuit breaker and last-known cards.
//!
//! * A mutating call that cannot be delivered now (transport error, timeout, 5xx, rate limit, breaker open)
//!   is stored in the SQLite file `outbox_path` and returns `PASSTEAM_QUEUED` (12) with its `outbox_id`.
//! * Entries replay later (a background thread, or `flush`), once, in order per customer, merged where
//!   they set absolute values ([`order`]), claimed one replayer at a time ([`store`], [`replay`]).
//! * After `breaker_failures` consecutive network failures, calls are refused or queued at once for
//!   `breaker_cooldown_ms` ([`breaker`]).
//! * With `stale_reads`, a getcard that cannot reach Passteam answers the last card seen ([`stale`]).
//!
//! The client hooks in at one place (`Client::call_json`) through [`Offline::call`].

pub mod breaker;
pub mod clock;
pub mod order;
pub mod replay;
pub mod stale;
pub mod store;

use crate::client::Client;
use crate::config::{Config, OutboxReplay};
use crate::error::{Error, Result, Status};
use crate::methods::Method;
use order::Queueing;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use store::Store;

/// How often the background replayer looks for due entries.
const REPLAY_INTERVAL: Duration = Duration::from_millis(500);
/// How long one background pass may replay before it looks at the stop flag again.
const REPLAY_PASS: Duration = Duration::from_secs(5);

/// What the client and its replayer share.
#[derive(Debug)]
pub struct Shared {
    store: Option<Store>,
    breaker: breaker::Breaker,
    stale_reads: bool,
    /// This client's name in the file's claims: process id and a random number.
    claimant: String,
}

impl Shared {
    fn store(&self) -> Result<&Store> {
        self.store.as_ref().ok_or_else(outbox_off)
    }
}

/// The error of the outbox operations on a client without `outbox_path`.
fn outbox_off() -> Error {
    Error::invalid_argument(
        "the outbox is off: outbox_path is not set in the config (set it to a file to queue calls that \
         cannot be delivered)",
    )
}

/// The background replayer: a thread, and the flag that stops it.
#[derive(Debug)]
struct Worker {
    stop: Arc<(Mutex<bool>, Condvar)>,
    handle: Option<JoinHandle<()>>,
}

/// A client's offline machinery. Dropping it stops and joins the background replayer.
#[derive(Debug)]
pub struct Offline {
    shared: Arc<Shared>,
    worker: Option<Worker>,
}

impl Offline {
    /// Builds what the config asks for: nothing (`None`) without `outbox_path` and `breaker_failures`.
    pub fn open(config: &Config) -> Result<Option<Offline>> {
        if config.outbox_path.is_none() && !config.breaker_explicit {
            return Ok(None);
        }
        let store = match &config.outbox_path {
            Some(path) => Some(Store::open(path)?),
            None => None,
        };
        let random = RandomState::new().build_hasher().finish();
        let shared = Arc::new(Shared {
            store,
            breaker: breaker::Breaker::new(config.breaker_failures, config.breaker_cooldown),
            stale_reads: config.stale_reads,
            claimant: format!("{}-{random:016x}", std::process::id()),
        });
        let worker = match (&config.outbox_path, config.outbox_replay) {
            (Some(_), OutboxReplay::Background) => Some(start_worker(config, shared.clone())?),
            _ => None,
        };
        Ok(Some(Offline { shared, worker }))
    }

    /// One call through the outbox: queued behind older entries of its customer, refused or queued by an
    /// open breaker, sent, and queued (or answered from the last-known card) when Passteam is unreachable.
    pub fn call(
        &self,
        client: &Client,
        method: &'static Method,
        mut params: Map<String, Value>,
        deadline: Instant,
    ) -> Result<Box<RawValue>> {
        let policy = order::policy(method, &params);
        let store = self.shared.store.as_ref();
        let queueable = store.is_some() && policy.queueing != Queueing::Never;
        if queueable {
            if let Some(key) = &policy.key {
                let older = store.map_or(Ok(0), |s| s.pending_for(key))?;
                if older > 0 {
                    let cause = Error::new(
                        Status::Queued,
                        format!("{older} older call(s) of this customer are still queued; this one goes behind them"),
                    )
                    .with_detail("behind", Value::from(older));
                    return Err(self.queue(method, &params, &policy, cause));
                }
            }
        }
        let stale_getcard = self.shared.stale_reads && method.name == "getcard";
        let admission = self.shared.breaker.admit(Instant::now());
        if let breaker::Admission::Refused { retry_in } = admission {
            let mut cause = Error::new(
                Status::Transport,
                format!(
                    "{}: Passteam was unreachable for several calls in a row; the circuit breaker is open and \
                     the network is not tried for another {} ms",
                    method.name,
                    retry_in.as_millis()
                ),
            )
            .with_detail("method", Value::from(method.name))
            .with_detail("breaker", Value::from("open"));
            cause.retry_after_ms = Some(u64::try_from(retry_in.as_millis()).unwrap_or(u64::MAX));
            return self.unreachable(method, &params, &policy, queueable, stale_getcard, cause);
        }
        if method.name == "createcard" {
            params.remove("uniqueVariable"); // ours (which variable makes it exactly-once), not Passteam's
        }
        let result = client.send(method, &params, deadline);
        let observed = match &result {
            Err(e) if order::network_failure(e) => breaker::Observed::NetworkFailure,
            _ => breaker::Observed::Reached,
        };
        self.shared.breaker.record(observed, admission == breaker::Admission::Probe, Instant::now());
        match result {
            Ok(raw) => {
                if let (true, Some(store)) = (self.shared.stale_reads, store) {
                    if stale::carries_card(method.name) {
                        if let Ok(value) = serde_json::from_str::<Value>(raw.get()) {
                            let _ = stale::remember(store, method.name, &params, &value);
                        }
                    }
                }
                Ok(raw)
            }
            Err(e) if queueable && order::should_queue(&policy, &e) => {
                Err(self.queue(method, &params, &policy, e))
            }
            Err(e) if stale_getcard && order::unreachable(&e) => {
                self.unreachable(method, &params, &policy, false, true, e)
            }
            Err(e) => Err(e),
        }
    }

    /// Passteam cannot be reached: queue the call, answer a last-known card, or fail with `cause`.
    fn unreachable(
        &self,
        method: &'static Method,
        params: &Map<String, Value>,
        policy: &order::Policy,
        queueable: bool,
        stale_getcard: bool,
        cause: Error,
    ) -> Result<Box<RawValue>> {
        if queueable && order::should_queue(policy, &cause) {
            return Err(self.queue(method, params, policy, cause));
        }
        if stale_getcard {
            if let Some(store) = &self.shared.store {
                if let Some(card) = stale::answer(store, params)? {
                    return serde_json::value::to_raw_value(&card)
                        .map_err(|e| Error::internal(format!("outbox: a stored card: {e}")));
                }
            }
        }
        Err(cause)
    }

    /// Stores the call and returns the `Queued` status carrying its id; the cause in `details`. If the file
    /// cannot take it (disk full), the original failure is returned, saying so.
    fn queue(
        &self,
        method: &Method,
        params: &Map<String, Value>,
        policy: &order::Policy,
        cause: Error,
    ) -> Error {
        let Some(store) = &self.shared.store else { return cause };
        match store.enqueue(method.name, params, policy.key.as_deref(), &cause.to_json()) {
            Ok(id) => Error::queued_as(
                id,
                format!(
                    "{}: queued in the outbox as entry {id} ({}); it will be sent once Passteam can be reached",
                    method.name, cause.message
                ),
                &cause,
            ),
            Err(e) => {
                let message = format!("{} (and the outbox could not store it: {})", cause.message, e.message);
                Error { message, ..cause }
            }
        }
    }
}

impl Drop for Offline {
    fn drop(&mut self) {
        if let Some(mut worker) = self.worker.take() {
            let (flag, wake) = &*worker.stop;
            *flag.lock().unwrap_or_else(|e| e.into_inner()) = true;
            wake.notify_all();
            if let Some(handle) = worker.handle.take() {
                let _ = handle.join();
            }
        }
    }
}

/// Starts the background replayer: its own client (same config, no outbox of its own) sending through
/// the shared store and breaker. It catches its own panics and never outlives the client.
fn start_worker(config: &Config, shared: Arc<Shared>) -> Result<Worker> {
    let mut sender_config = config.clone();
    sender_config.outbox_path = None;
    sender_config.breaker_explicit = false;
    sender_config.stale_reads = false;
    let sender = Client::new(sender_config)?;
    let stop = Arc::new((Mutex::new(false), Condvar::new()));
    let stop2 = stop.clone();
    let handle = std::thread::Builder::new()
        .name("passteam-outbox".into())
        .spawn(move || loop {
            let (flag, wake) = &*stop2;
            let guard = flag.lock().unwrap_or_else(|e| e.into_inner());
            let (guard, _) = wake.wait_timeout(guard, REPLAY_INTERVAL).unwrap_or_else(|e| e.into_inner());
            if *guard {
                return;
            }
            drop(guard);
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let _ = replay::flush(&shared, &sender, REPLAY_PASS);
            }));
        })
        .map_err(|e| Error::internal(format!("outbox: cannot start the replay thread: {e}")))?;
    Ok(Worker { stop, handle: Some(handle) })
}

/// The outbox operations (`passteam_outbox_*`, `passteam outbox ...`).
impl Client {
    fn offline_shared(&self) -> Result<&Shared> {
        let shared = self.offline.as_ref().map(|o| &*o.shared).ok_or_else(outbox_off)?;
        shared.store()?;
        Ok(shared)
    }

    /// Replays what is due now, for at most `max`: `{"sent", "failed", "pending", "dead"}`.
    pub fn outbox_flush(&self, max: Duration) -> Result<Value> {
        replay::flush(self.offline_shared()?, self, max)
    }

    /// Whether the client's circuit breaker is open now (`None` when the client has none).
    pub(crate) fn breaker_open(&self) -> Option<bool> {
        self.offline.as_ref().map(|o| o.shared.breaker.is_open(std::time::Instant::now()))
    }

    /// `{"pending", "dead", "oldest_age_ms", "last_error"}`.
    pub fn outbox_stats(&self) -> Result<Value> {
        self.offline_shared()?.store()?.stats()
    }

    /// The entries, oldest first. `filter`: `{"state": "pending"|"dead", "limit": N}` (both optional).
    pub fn outbox_list(&self, filter: &Value) -> Result<Value> {
        let store = self.offline_shared()?.store()?;
        let state = match filter.get("state") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s == "pending" || s == "dead" => Some(s.as_str()),
            Some(_) => {
                return Err(Error::invalid_argument("outbox list: state must be \"pending\" or \"dead\""))
            }
        };
        let limit = match filter.get("limit") {
            None | Some(Value::Null) => 1000,
            Some(v) => v
                .as_i64()
                .filter(|n| *n > 0)
                .ok_or_else(|| Error::invalid_argument("outbox list: limit must be a positive integer"))?,
        };
        Ok(Value::Array(store.list(state, limit)?))
    }

    /// Puts an entry (typically a dead one) back in line: `{"retried": id}`.
    pub fn outbox_retry(&self, id: i64) -> Result<Value> {
        self.offline_shared()?.store()?.retry(id)?;
        Ok(serde_json::json!({ "retried": id }))
    }

    /// Removes an entry for good: `{"discarded": id}`.
    pub fn outbox_discard(&self, id: i64) -> Result<Value> {
        self.offline_shared()?.store()?.discard(id)?;
        Ok(serde_json::json!({ "discarded": id }))
    }
}
