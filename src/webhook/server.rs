//! The receiver: a listener thread, one thread per connection (capped), the store, and the host's
//! next/ack loop.
//!
//! Each request is read within bounded time and size ([`super::http`]), validated ([`super::parse`]),
//! committed to the store ([`super::store`]) and only then answered 200, so an event that Passteam saw
//! accepted is on disk. Threads rather than an async runtime: a webhook receiver serves a handful of
//! requests an hour, and libpassteam links into POS software that must not carry a runtime.

use super::config::WebhookConfig;
use super::http::{write_continue, write_reply, Deadlined, Framing, HttpError, RequestReader};
use super::parse::parse;
use super::store::{Acked, Stored, WebhookStore};
use super::tls;
use crate::error::{Error, Result};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How often acknowledged events older than the retention are forgotten.
const PURGE_EVERY: Duration = Duration::from_secs(3600);
/// A reply that cannot be written within this is abandoned (the client stopped reading).
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);
/// `next` looks at the store at least this often, so events written by another process are seen too.
const STORE_POLL: Duration = Duration::from_millis(250);
/// What an unrepresentable timeout becomes: long enough to be "forever" for a host's loop.
const FOREVER: Duration = Duration::from_secs(100 * 365 * 86_400);

/// Called after each new event is committed (see [`WebhookServer::set_on_event`]).
pub type EventHook = Arc<dyn Fn(&Value) + Send + Sync>;

/// A running receiver. Dropping it (or [`WebhookServer::stop`]) stops listening; the store keeps every
/// event that was not acknowledged, for the next start.
pub struct WebhookServer {
    shared: Arc<Shared>,
    local_addr: SocketAddr,
    acceptor: Option<JoinHandle<()>>,
}

struct Shared {
    config: WebhookConfig,
    store: WebhookStore,
    tls: Option<Arc<rustls::ServerConfig>>,
    stopping: AtomicBool,
    connections: AtomicUsize,
    /// Bumped on every new event; `next` waits on it.
    arrivals: Mutex<u64>,
    arrived: Condvar,
    last_purge: Mutex<Instant>,
    on_event: Mutex<Option<EventHook>>,
}

impl WebhookServer {
    /// Opens the store, binds the address and starts serving.
    pub fn start(config: WebhookConfig) -> Result<WebhookServer> {
        let tls = config.tls.as_ref().map(|(cert, key)| tls::server_config(cert, key)).transpose()?;
        let store = WebhookStore::open(&config.store_path)?;
        store.purge(config.retention)?;
        let listener = TcpListener::bind(config.listen)
            .map_err(|e| Error::invalid_argument(format!("cannot listen on {}: {e}", config.listen)))?;
        let local_addr = listener
            .local_addr()
            .map_err(|e| Error::invalid_argument(format!("cannot read the bound address: {e}")))?;
        let shared = Arc::new(Shared {
            config,
            store,
            tls,
            stopping: AtomicBool::new(false),
            connections: AtomicUsize::new(0),
            arrivals: Mutex::new(0),
            arrived: Condvar::new(),
            last_purge: Mutex::new(Instant::now()),
            on_event: Mutex::new(None),
        });
        let acceptor = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("passteam-webhook-accept".into())
                .spawn(move || accept_loop(&shared, &listener))
                .map_err(|e| Error::internal(format!("cannot start the webhook listener thread: {e}")))?
        };
        Ok(WebhookServer { shared, local_addr, acceptor: Some(acceptor) })
    }

    /// The address actually bound (with the OS-picked port when `listen` said port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The URL to give Passteam, with this host's bound address (put your public name in its place).
    pub fn url(&self) -> String {
        let scheme = if self.shared.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://{}{}", self.local_addr, self.shared.config.path)
    }

    /// The oldest event not yet acknowledged, waiting up to `timeout` for one to arrive; `None` if none
    /// came. The same event is returned again until [`WebhookServer::ack`] is called with its webhookId.
    pub fn next(&self, timeout: Duration) -> Result<Option<Value>> {
        // A timeout too long to add to now (Duration::MAX) means "wait as long as it takes".
        let deadline = Instant::now().checked_add(timeout).unwrap_or_else(|| Instant::now() + FOREVER);
        loop {
            let seen = *lock(&self.shared.arrivals);
            if let Some(event) = self.shared.store.oldest_pending()? {
                return Ok(Some(event));
            }
            let Some(left) = deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero()) else {
                return Ok(None);
            };
            let arrivals = lock(&self.shared.arrivals);
            if *arrivals == seen {
                let _ = self.shared.arrived.wait_timeout(arrivals, left.min(STORE_POLL));
            }
        }
    }

    /// Marks an event handled: `next` moves on, and repeats of it keep being recognised for the
    /// retention period.
    pub fn ack(&self, webhook_id: &str) -> Result<Acked> {
        self.shared.store.ack(webhook_id)
    }

    /// How many events wait for an acknowledgement.
    pub fn pending(&self) -> Result<u64> {
        self.shared.store.pending_count()
    }

    /// Calls `hook` (on a connection thread, after the commit) whenever a new event is stored; the 1C
    /// add-in raises its external event from it. The hook must return quickly.
    pub fn set_on_event(&self, hook: Option<EventHook>) {
        *lock(&self.shared.on_event) = hook;
    }

    /// What the host may want to show: `{"listen", "port", "path", "url", "tls", "store_path", "pending",
    /// "retention_days", "max_body_bytes", "max_connections"}`.
    pub fn info(&self) -> Value {
        let config = &self.shared.config;
        json!({
            "listen": self.local_addr.to_string(),
            "port": self.local_addr.port(),
            "path": config.path,
            "url": self.url(),
            "tls": self.shared.tls.is_some(),
            "store_path": config.store_path.display().to_string(),
            "pending": self.pending().ok(),
            "retention_days": config.retention.as_secs() / 86_400,
            "max_body_bytes": config.max_body_bytes,
            "max_connections": config.max_connections,
        })
    }

    /// Stops accepting connections. Requests already being read finish within their time bounds.
    pub fn stop(&mut self) {
        let Some(acceptor) = self.acceptor.take() else { return };
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Wake the blocking accept with a connection of our own; it sees the flag and returns.
        let mut wake = self.local_addr;
        if wake.ip().is_unspecified() {
            wake.set_ip(if wake.is_ipv4() {
                [127, 0, 0, 1].into()
            } else {
                std::net::Ipv6Addr::LOCALHOST.into()
            });
        }
        if TcpStream::connect_timeout(&wake, Duration::from_secs(1)).is_ok() {
            let _ = acceptor.join();
        }
        // Otherwise the thread is left to end at its next connection: never block the host on it.
        let mut arrivals = lock(&self.shared.arrivals);
        *arrivals += 1;
        self.shared.arrived.notify_all();
    }
}

impl Drop for WebhookServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn accept_loop(shared: &Arc<Shared>, listener: &TcpListener) {
    for incoming in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = incoming else {
            // Out of file descriptors and the like: breathe instead of spinning.
            std::thread::sleep(Duration::from_millis(20));
            continue;
        };
        let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
        let _ = stream.set_nodelay(true);
        if shared.connections.fetch_add(1, Ordering::SeqCst) >= shared.config.max_connections {
            shared.connections.fetch_sub(1, Ordering::SeqCst);
            refuse_busy(stream);
            continue;
        }
        let worker = Arc::clone(shared);
        let spawned = std::thread::Builder::new().name("passteam-webhook-conn".into()).spawn(move || {
            let _slot = ConnectionSlot(&worker.connections);
            serve(&worker, stream);
        });
        if spawned.is_err() {
            shared.connections.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// Gives a connection's place back however its thread ends.
struct ConnectionSlot<'a>(&'a AtomicUsize);

impl Drop for ConnectionSlot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn refuse_busy(mut stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
    let _ = write_reply(&mut stream, 503, r#"{"ok":false,"error":"busy, try again"}"#, "Retry-After: 1\r\n");
    let _ = stream.shutdown(Shutdown::Both);
}

fn serve(shared: &Shared, stream: TcpStream) {
    // A panic here (there should be none) ends this connection only, never the host.
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match &shared.tls {
        None => exchange(shared, PlainConnection(stream)),
        Some(config) => {
            if let Some(connection) = tls::accept(config, stream) {
                exchange(shared, connection);
            }
        }
    }));
}

/// A stream the receiver can bound and close politely.
pub(crate) trait Connection: Deadlined {
    /// Ends the exchange so that the client reads the whole reply before the socket goes.
    fn finish(&mut self);

    /// Whether a reply can be sent at all (not after a failed TLS handshake, where writing would wait
    /// for a handshake that never completes).
    fn can_reply(&self) -> bool {
        true
    }
}

pub(crate) struct PlainConnection(pub(crate) TcpStream);

impl Read for PlainConnection {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf)
    }
}

impl Write for PlainConnection {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

impl Deadlined for PlainConnection {
    fn set_read_timeout(&mut self, timeout: Duration) -> std::io::Result<()> {
        self.0.set_read_timeout(Some(timeout))
    }
}

impl Connection for PlainConnection {
    fn finish(&mut self) {
        linger_close(&mut self.0);
    }
}

/// Half-closes and reads briefly what the client still sends, so that closing with unread input
/// (a refused body) does not reset the connection before the client has read our reply.
pub(crate) fn linger_close(socket: &mut TcpStream) {
    let _ = socket.shutdown(Shutdown::Write);
    let _ = socket.set_read_timeout(Some(Duration::from_millis(100)));
    let mut sink = [0u8; 4096];
    let until = Instant::now() + Duration::from_millis(300);
    let mut drained = 0usize;
    while Instant::now() < until && drained < 256 * 1024 {
        match socket.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
}

/// One request, one reply.
fn exchange(shared: &Shared, connection: impl Connection) {
    let mut reader = RequestReader::new(connection);
    let reply = respond(shared, &mut reader);
    let stream = reader.stream();
    if stream.can_reply() {
        let _ = write_reply(stream, reply.status, &reply.body.to_string(), reply.headers);
    }
    stream.finish();
}

struct Reply {
    status: u16,
    body: Value,
    headers: &'static str,
}

impl Reply {
    fn refused(status: u16, reason: impl Into<String>) -> Reply {
        Reply { status, body: json!({"ok": false, "error": reason.into()}), headers: "" }
    }
}

impl From<HttpError> for Reply {
    fn from(e: HttpError) -> Reply {
        Reply::refused(e.status, e.reason)
    }
}

fn respond<S: Deadlined>(shared: &Shared, reader: &mut RequestReader<S>) -> Reply {
    let config = &shared.config;
    let head = match reader.read_head(config.header_timeout) {
        Ok(head) => head,
        Err(e) => return e.into(),
    };
    // The same bare 404 for every other path, whatever the verb: nothing tells a scanner more.
    if !same_secret(&head.path, &config.path) {
        return Reply::refused(404, "not found");
    }
    if head.method != "POST" {
        return Reply { headers: "Allow: POST\r\n", ..Reply::refused(405, "only POST is accepted here") };
    }
    if matches!(head.framing, Framing::Length(n) if n > config.max_body_bytes as u64) {
        return Reply::refused(413, format!("the body is larger than {} bytes", config.max_body_bytes));
    }
    if head.expect_continue && write_continue(reader.stream()).is_err() {
        return Reply::refused(400, "connection error");
    }
    let body = match reader.read_body(&head, config.max_body_bytes, config.body_timeout) {
        Ok(body) => body,
        Err(e) => return e.into(),
    };
    let event = match parse(&body) {
        Ok(event) => event,
        Err(e) => return Reply::refused(400, e.message),
    };
    match shared.store.insert(&event) {
        Ok(Stored::New) => {
            announce(shared, &event.to_json());
            purge_now_and_then(shared);
            Reply {
                status: 200,
                body: json!({"ok": true, "duplicate": false, "webhookId": event.webhook_id}),
                headers: "",
            }
        }
        Ok(Stored::Duplicate) => Reply {
            status: 200,
            body: json!({"ok": true, "duplicate": true, "webhookId": event.webhook_id}),
            headers: "",
        },
        // Not 200: the event is not on disk. Passteam repeats it later.
        Err(_) => Reply::refused(503, "the event could not be stored; it will be accepted when repeated"),
    }
}

fn announce(shared: &Shared, event: &Value) {
    {
        let mut arrivals = lock(&shared.arrivals);
        *arrivals += 1;
        shared.arrived.notify_all();
    }
    let hook = lock(&shared.on_event).clone();
    if let Some(hook) = hook {
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| hook(event)));
    }
}

fn purge_now_and_then(shared: &Shared) {
    let mut last = lock(&shared.last_purge);
    if last.elapsed() >= PURGE_EVERY {
        *last = Instant::now();
        let _ = shared.store.purge(shared.config.retention);
    }
}

/// Compares the request's path with the secret in time that does not depend on where they differ.
fn same_secret(path: &str, secret: &str) -> bool {
    let (a, b) = (path.as_bytes(), secret.as_bytes());
    let mut difference = a.len() ^ b.len();
    for (i, byte) in b.iter().enumerate() {
        difference |= usize::from(a.get(i).copied().unwrap_or(0) ^ byte);
    }
    difference == 0
}
