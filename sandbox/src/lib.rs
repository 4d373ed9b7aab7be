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
//! # Layout
//! Dependencies point one way (no module imports one that imports it back):
//! * `http` (leaf): `Request`, `Reply`, reason phrases; `server`: the sockets only (accept, read a
//!   request with its bounds, write a reply); `handler`: what a request means (control, card page, API),
//!   with the request log (`request_log`) and fault injection (`faults`).
//! * `api`: verb check, auth, `quota`, then the resource module that owns the operation: `templates`,
//!   `cards` (and `card_page`), `sales`, `products`. They share `args` (parameters), `lookup` (find by id
//!   or 404), `paging` and `envelope` (the reply envelope and `ApiErr`); `form` decodes request bodies,
//!   `state` holds the data.
//! * `routes` is written from the vendor's documentation on purpose, not derived from the client's method
//!   table: an emulator built from the client would agree with the client's mistakes.
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
mod args;
mod card_page;
mod cards;
mod config;
mod control;
mod envelope;
mod fault_queue;
mod faults;
mod form;
#[doc(hidden)]
pub mod fuzzing;
mod handler;
mod http;
mod lookup;
mod paging;
mod products;
mod quota;
mod request_log;
mod routes;
mod sales;
mod server;
mod shared;
mod state;
mod templates;
mod webhooks;

use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::thread::JoinHandle;

pub use config::SandboxConfig;
pub use fault_queue::{MAX_FAULTS, MAX_FAULT_BYTES};
pub use faults::{Fault, FaultKind};
pub use request_log::{RecordedRequest, MAX_ENTRY_BYTES, MAX_LOGGED_BYTES, MAX_LOGGED_REQUESTS};
use shared::Shared;

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
        let shared = Arc::new(Shared::new(config, base_url));
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

    /// Queues a fault (same as `POST /_sandbox/faults`). `false` (and nothing queued) when the queue is
    /// full: [`MAX_FAULTS`] faults or [`MAX_FAULT_BYTES`] of messages and bodies.
    pub fn add_fault(&self, fault: Fault) -> bool {
        self.shared.lock().faults.push_all(vec![fault]).is_ok()
    }

    /// Clears pending faults (same as `DELETE /_sandbox/faults`).
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// The request log (same as `GET /_sandbox/requests`).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().log.entries().iter().cloned().collect()
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
        core.quota = quota::Quota::new(per_hour, status);
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
