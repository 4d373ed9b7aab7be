//! `passteam-sandbox`: a local emulator of the Passteam HTTP API (`POST /oapi/v1/{method}` and the REST
//! sales/products operations), with in-memory state, a request log, a quota and fault injection.
//!
//! Every test, example and the demo of passteam run against it. It is a real HTTP/1.1 server on
//! 127.0.0.1 (keep-alive, a thread per connection), written over `std::net` so that faults can act at
//! the byte level: drop the connection without a reply, reply with garbage, delay, or replace the reply
//! with an error status, optionally *after* the request was processed ("the reply was lost").
//!
//! ```no_run
//! let sb = passteam_sandbox::Sandbox::start(passteam_sandbox::SandboxConfig::default()).unwrap();
//! println!("{} token={}", sb.base_url(), sb.token());
//! sb.add_fault(passteam_sandbox::Fault::drop("createcard").after_processing());
//! sb.shutdown();
//! ```
//!
//! # Control interface
//! * `POST /_sandbox/faults` — `{"method": "createcard"|"*", "kind": "delay"|"drop"|"garbage"|"status",
//!   "status": 502, "delay_ms": 300, "times": 1, "after_processing": false}` (or an array of those);
//!   optional `"message"` (envelope message) and `"body"` (raw body) overrides for `status`/`garbage`.
//!   `times: 0` means "every matching request until cleared".
//! * `GET /_sandbox/faults` (pending faults), `DELETE /_sandbox/faults` (clear).
//! * `GET /_sandbox/requests` (the request log), `DELETE /_sandbox/requests` (clear).
//! * `POST /_sandbox/reset` — seeded state, no faults, empty log, quota back to the start-up config.
//! * `POST /_sandbox/quota` — `{"per_hour": N|null, "status": 429}`; `GET /_sandbox/quota`.
//! * `GET /_sandbox/info` — base URL, token, credentials, seeded ids.
//! * `POST`/`GET`/`DELETE /_sandbox/webhooks`, `POST /_sandbox/install` — card changes posted as webhooks
//!   (see the `webhooks` module).
//!
//! # Seeded state
//! * [`TEMPLATE_LOYALTY`]: `%CLIENT_NAME%` text, `%PHONE%` phone (unique), `%EMAIL%` email, `%BIRTHDAY%`
//!   date (`dd.MM.yyyy`), `%VISIT%` date_time (`dd.MM.yyyy HH:mm`), `%LEVEL%` list (Silver/Gold/Platinum),
//!   `%SUBSCRIBED%` flag, `%BONUS%` number, `%_BALANCE%` number.
//! * [`TEMPLATE_GIFT`]: `%CODE%` text (unique), `%AMOUNT%` number.
//! * No cards; sale [`SEED_SALE_ID`]; product [`SEED_PRODUCT_ID`] of company [`COMPANY_ID`].
//!
//! # Choices where the vendor is silent
//! * Variable names must carry their `%` (`values[%PHONE%]`); `values[PHONE]` is an unknown variable (400).
//! * Values are stored as sent; uniqueness and look-ups compare phones as E.164, e-mails case-insensitively.
//! * Every unique variable is required (500 `Provided field (X) is unique and must be set.`).
//! * `getcard` by values needs at least one unique variable among them (400 otherwise).
//! * A duplicate `cardCode` is a 409 in the same format as a duplicated variable.
//! * Order of checks: unknown path/method 404, wrong verb 405, auth 401, quota, then the method.
//! * JSON request bodies are not read (logged as `content_type: "other"`).

mod api;
mod control;
mod form;
mod server;
mod state;
mod webhooks;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use serde::Serialize;

/// The seeded loyalty template: one variable of every type (`%PHONE%` is unique).
pub const TEMPLATE_LOYALTY: &str = "5e424c181dbf0d537c8b4569";
/// The seeded gift-certificate template: `%CODE%` (text, unique) and `%AMOUNT%` (number).
pub const TEMPLATE_GIFT: &str = "5e424c181dbf0d537c8b456a";
/// The company id of the seeded templates and of the seeded product.
pub const COMPANY_ID: &str = "5e424c181dbf0d537c8b0001";
/// The seeded sale.
pub const SEED_SALE_ID: &str = "sale-1";
/// The seeded product (used by the seeded sale).
pub const SEED_PRODUCT_ID: &str = "5e424c181dbf0d537c8b1001";

/// The request log keeps at most this many entries (the oldest go first); `seq` keeps counting.
pub const MAX_LOGGED_REQUESTS: usize = 100_000;

/// Start-up configuration of a [`Sandbox`].
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// The API token; `Authorization` must equal it exactly (raw, no `Bearer`). Default `sandbox-token`.
    pub token: String,
    /// `getatoken` credentials. Default `demo`.
    pub nickname: String,
    /// `getatoken` credentials. Default `demo`.
    pub password: String,
    /// `None` = unlimited; otherwise, once that many API requests were served in the current hour,
    /// reply with `You can only make N requests per hour`.
    pub quota_per_hour: Option<u64>,
    /// HTTP status and envelope code of the quota reply. Default 429.
    pub quota_status: u16,
    /// Port to bind on 127.0.0.1; 0 (default) lets the OS pick.
    pub port: u16,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            token: "sandbox-token".to_string(),
            nickname: "demo".to_string(),
            password: "demo".to_string(),
            quota_per_hour: None,
            quota_status: 429,
            port: 0,
        }
    }
}

/// What a fault does to a matching request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FaultKind {
    /// Sleep `delay_ms`, then handle normally.
    Delay,
    /// Close the TCP connection without any reply.
    Drop,
    /// HTTP 200 with a non-JSON body.
    Garbage,
    /// Reply with `status` (HTML body for 502/503/504, the API envelope otherwise).
    Status,
}

impl FaultKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FaultKind::Delay => "delay",
            FaultKind::Drop => "drop",
            FaultKind::Garbage => "garbage",
            FaultKind::Status => "status",
        }
    }

    pub fn parse(s: &str) -> Option<FaultKind> {
        match s.to_ascii_lowercase().as_str() {
            "delay" => Some(FaultKind::Delay),
            "drop" => Some(FaultKind::Drop),
            "garbage" => Some(FaultKind::Garbage),
            "status" => Some(FaultKind::Status),
            _ => None,
        }
    }
}

/// A queued fault. Faults are consumed in order by the API requests they match.
#[derive(Clone, Debug, Serialize)]
pub struct Fault {
    /// `*`, an oapi method name (case-insensitive), or a REST path such as `/oapi/v1/sale` (or `sale`).
    pub method: String,
    pub kind: FaultKind,
    /// For `Status`. Default 502.
    pub status: u16,
    /// For `Delay`. Default 300.
    pub delay_ms: u64,
    /// How many matching requests it hits; 0 = all of them until cleared. Default 1.
    pub times: u32,
    /// Process the request first (state changes happen), then replace the reply.
    pub after_processing: bool,
    /// Override of the envelope message (`Status`).
    pub message: Option<String>,
    /// Override of the raw body (`Status`, `Garbage`).
    pub body: Option<String>,
}

impl Fault {
    pub fn new(method: &str, kind: FaultKind) -> Fault {
        Fault {
            method: method.to_string(),
            kind,
            status: 502,
            delay_ms: 300,
            times: 1,
            after_processing: false,
            message: None,
            body: None,
        }
    }
    pub fn drop(method: &str) -> Fault {
        Fault::new(method, FaultKind::Drop)
    }
    pub fn garbage(method: &str) -> Fault {
        Fault::new(method, FaultKind::Garbage)
    }
    pub fn status(method: &str, status: u16) -> Fault {
        let mut f = Fault::new(method, FaultKind::Status);
        f.status = status;
        f
    }
    pub fn delay(method: &str, delay_ms: u64) -> Fault {
        let mut f = Fault::new(method, FaultKind::Delay);
        f.delay_ms = delay_ms;
        f
    }
    pub fn times(mut self, times: u32) -> Fault {
        self.times = times;
        self
    }
    pub fn after_processing(mut self) -> Fault {
        self.after_processing = true;
        self
    }
}

/// One API request as the sandbox received it (control requests are not recorded).
#[derive(Clone, Debug, Serialize)]
pub struct RecordedRequest {
    pub seq: u64,
    pub verb: String,
    /// The path without the query string.
    pub path: String,
    /// Lower-case oapi method name (`createcard`), or the lower-case path for REST operations and
    /// unknown paths (`/oapi/v1/sale`).
    pub method: String,
    /// `multipart`, `urlencoded`, `none` or `other`.
    pub content_type: String,
    pub auth_ok: bool,
    pub has_authorization: bool,
    /// Flat raw form keys -> raw values (query string included; the last value wins).
    pub fields: BTreeMap<String, String>,
    /// The HTTP status sent, `None` when the connection was dropped (or the reply is not sent yet).
    pub status: Option<u16>,
    /// The fault kind that hit this request.
    pub fault: Option<String>,
}

pub(crate) struct Quota {
    pub per_hour: Option<u64>,
    pub status: u16,
    pub hour: u64,
    pub count: u64,
}

/// Everything behind the one lock: API state, faults, log, quota.
pub(crate) struct Core {
    pub state: state::State,
    pub faults: VecDeque<Fault>,
    pub log: Vec<RecordedRequest>,
    pub seq: u64,
    pub quota: Quota,
}

pub(crate) struct Shared {
    pub config: SandboxConfig,
    pub base_url: String,
    pub core: Mutex<Core>,
    pub shutting_down: AtomicBool,
    pub conns: Mutex<HashMap<u64, TcpStream>>,
    pub next_conn: AtomicU64,
    /// Where card changes are posted as webhooks (set through `/_sandbox/webhooks`).
    pub webhooks: Arc<webhooks::Webhooks>,
}

impl Shared {
    pub fn lock(&self) -> MutexGuard<'_, Core> {
        // A panic in a handler must not wedge the sandbox: take the state even if poisoned.
        self.core.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn reset(&self) {
        self.webhooks.clear();
        let mut core = self.lock();
        core.state = state::State::seeded();
        core.faults.clear();
        core.log.clear();
        core.seq = 0;
        core.quota = Quota {
            per_hour: self.config.quota_per_hour,
            status: self.config.quota_status,
            hour: 0,
            count: 0,
        };
    }
}

/// A running sandbox. Stops on [`Sandbox::shutdown`] or on drop.
pub struct Sandbox {
    shared: Arc<Shared>,
    port: u16,
    accept: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Binds 127.0.0.1:`config.port` and serves on background threads.
    pub fn start(config: SandboxConfig) -> std::io::Result<Sandbox> {
        let listener = TcpListener::bind(("127.0.0.1", config.port))?;
        let port = listener.local_addr()?.port();
        let base_url = format!("http://127.0.0.1:{port}");
        let quota = Quota { per_hour: config.quota_per_hour, status: config.quota_status, hour: 0, count: 0 };
        let shared = Arc::new(Shared {
            config,
            base_url,
            core: Mutex::new(Core {
                state: state::State::seeded(),
                faults: VecDeque::new(),
                log: Vec::new(),
                seq: 0,
                quota,
            }),
            shutting_down: AtomicBool::new(false),
            conns: Mutex::new(HashMap::new()),
            next_conn: AtomicU64::new(1),
            webhooks: Arc::default(),
        });
        let s2 = shared.clone();
        let accept = std::thread::Builder::new()
            .name("passteam-sandbox-accept".into())
            .spawn(move || server::accept_loop(listener, s2))?;
        // Load libphonenumber's metadata off the request path, so the first phone check is not slow.
        let _ = std::thread::Builder::new().name("passteam-sandbox-warmup".into()).spawn(|| {
            let _ = phonenumber::parse(None, "+79123456789");
        });
        Ok(Sandbox { shared, port, accept: Some(accept) })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    pub fn token(&self) -> &str {
        &self.shared.config.token
    }

    /// Queues a fault (same as `POST /_sandbox/faults`).
    pub fn add_fault(&self, fault: Fault) {
        self.shared.lock().faults.push_back(fault);
    }

    /// Clears pending faults (same as `DELETE /_sandbox/faults`).
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// The request log (same as `GET /_sandbox/requests`).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().log.clone()
    }

    /// Clears the request log (same as `DELETE /_sandbox/requests`).
    pub fn clear_requests(&self) {
        self.shared.lock().log.clear();
    }

    /// Seeded state, no faults, empty log, quota back to the start-up config (same as `POST /_sandbox/reset`).
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Sets the quota at run time and restarts its counter (same as `POST /_sandbox/quota`).
    pub fn set_quota(&self, per_hour: Option<u64>, status: u16) {
        let mut core = self.shared.lock();
        core.quota = Quota { per_hour, status, hour: 0, count: 0 };
    }

    /// Stops accepting, closes open connections. Never hangs.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if self.shared.shutting_down.swap(true, Ordering::SeqCst) {
            return;
        }
        // Wake the accept loop with a connection of our own; it sees the flag and returns.
        let _ = TcpStream::connect_timeout(
            &std::net::SocketAddr::from(([127, 0, 0, 1], self.port)),
            std::time::Duration::from_secs(1),
        );
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
        // No connection can register after the accept thread ended: close every open one, which
        // unblocks their reads; their threads then end on their own.
        let conns: Vec<TcpStream> =
            self.shared.conns.lock().unwrap_or_else(|e| e.into_inner()).drain().map(|(_, s)| s).collect();
        for c in conns {
            let _ = c.shutdown(Shutdown::Both);
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.stop();
    }
}

// The CLI moves a Sandbox between threads and shares it: keep it Send + Sync.
const _: fn() = || {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Sandbox>();
};
