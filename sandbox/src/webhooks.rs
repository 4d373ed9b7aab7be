//! Webhooks from the sandbox: when told a URL (`POST /_sandbox/webhooks`), every card the API creates,
//! updates or deletes is posted there as Passteam does it, `{"webhookId", "event", "card"}`, and posted
//! again `repeats` times with the same webhookId after `repeat_delay_ms` (Passteam: after 1-2 hours and
//! after 24 hours), so a receiver's deduplication is exercised end to end.
//!
//! Control: `POST /_sandbox/webhooks` `{"url": "http://127.0.0.1:PORT/secret/path", "repeats": 2,
//! "repeat_delay_ms": 1000}`; `GET /_sandbox/webhooks` (the target and every delivery made);
//! `DELETE /_sandbox/webhooks` (stop posting, forget the deliveries); `POST /_sandbox/install`
//! `{"cardId", "installed": true|false}` posts installCard / unInstallCard, as a phone adding or removing
//! the card from its wallet would. Only loopback URLs are accepted: the sandbox never posts elsewhere.

use crate::http::{Reply, Request};
use crate::shared::Shared;
use serde::Serialize;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

/// Where and how to post.
#[derive(Clone, Debug, Serialize)]
pub struct Target {
    pub url: String,
    #[serde(skip)]
    addr: SocketAddr,
    #[serde(skip)]
    host_path: String,
    pub repeats: u32,
    pub repeat_delay_ms: u64,
}

/// One POST made (or tried).
#[derive(Clone, Debug, Serialize)]
pub struct Delivery {
    #[serde(rename = "webhookId")]
    pub webhook_id: String,
    pub event: String,
    #[serde(rename = "cardId")]
    pub card_id: String,
    /// 0 for the first delivery, then 1, 2, … for the repeats.
    pub attempt: u32,
    /// The receiver's HTTP status, or None when it could not be reached.
    pub status: Option<u16>,
    pub error: Option<String>,
}

/// One posting to make: an event's first delivery or a repeat.
struct Job {
    due: Instant,
    target: Target,
    webhook_id: String,
    event: String,
    card_id: String,
    body: String,
    attempt: u32,
    generation: u64,
}

/// The sandbox's webhook state. One posting thread works through the jobs in order of due time (first
/// deliveries in the order the changes were made), so a receiver sees createCard before updateCard.
#[derive(Default)]
pub struct Webhooks {
    target: Mutex<Option<Target>>,
    deliveries: Mutex<Vec<Delivery>>,
    queue: Mutex<Vec<Job>>,
    wake: Condvar,
    /// Bumped when the target changes, so repeats of an old target's events are not posted to a new one.
    generation: AtomicU64,
    worker: OnceLock<()>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Webhooks {
    /// Posts `event` for `card` (a card object as the API returns it), if a target is set.
    pub fn emit(self: &Arc<Self>, event: &str, card: Value) {
        let Some(target) = lock(&self.target).clone() else { return };
        let webhook_id = new_webhook_id();
        let card_id = card.get("cardId").and_then(Value::as_str).unwrap_or_default().to_owned();
        let body = json!({"webhookId": webhook_id, "event": event, "card": card}).to_string();
        let job = Job {
            due: Instant::now(),
            target,
            webhook_id,
            event: event.to_owned(),
            card_id,
            body,
            attempt: 0,
            generation: self.generation.load(Ordering::SeqCst),
        };
        self.worker.get_or_init(|| {
            let this = Arc::clone(self);
            let _ = std::thread::Builder::new()
                .name("passteam-sandbox-webhooks".into())
                .spawn(move || this.work());
        });
        lock(&self.queue).push(job);
        self.wake.notify_all();
    }

    /// The posting thread's loop; it ends once the sandbox is gone (only this thread holds the state).
    fn work(self: Arc<Self>) {
        loop {
            let job = {
                let mut queue = lock(&self.queue);
                loop {
                    let now = Instant::now();
                    // The earliest due job; among equals the first queued (the order of the changes).
                    let first = (0..queue.len()).min_by_key(|&i| queue[i].due);
                    match first {
                        Some(i) if queue[i].due <= now => break queue.remove(i),
                        Some(i) => {
                            let wait = queue[i].due - now;
                            queue = self
                                .wake
                                .wait_timeout(queue, wait)
                                .map_or_else(|e| e.into_inner().0, |r| r.0);
                        }
                        None if Arc::strong_count(&self) == 1 => return,
                        None => {
                            let idle = Duration::from_millis(500);
                            queue = self
                                .wake
                                .wait_timeout(queue, idle)
                                .map_or_else(|e| e.into_inner().0, |r| r.0);
                        }
                    }
                }
            };
            if job.generation != self.generation.load(Ordering::SeqCst) {
                continue;
            }
            let (status, error) = match post(&job.target, &job.body) {
                Ok(status) => (Some(status), None),
                Err(e) => (None, Some(e)),
            };
            lock(&self.deliveries).push(Delivery {
                webhook_id: job.webhook_id.clone(),
                event: job.event.clone(),
                card_id: job.card_id.clone(),
                attempt: job.attempt,
                status,
                error,
            });
            if job.attempt < job.target.repeats {
                let due = Instant::now() + Duration::from_millis(job.target.repeat_delay_ms);
                lock(&self.queue).push(Job { due, attempt: job.attempt + 1, ..job });
            }
        }
    }

    /// Stops posting and forgets what was delivered (also done by `/_sandbox/reset`).
    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        *lock(&self.target) = None;
        lock(&self.queue).clear();
        lock(&self.deliveries).clear();
    }

    fn describe(&self) -> Value {
        json!({"target": *lock(&self.target), "deliveries": *lock(&self.deliveries)})
    }
}

/// The control endpoints of this module, or `None` for another path.
pub fn control(shared: &Shared, req: &Request) -> Option<Reply> {
    let path = req.path.trim_end_matches('/');
    let verb = req.verb.to_ascii_uppercase();
    let reply = |status: u16, v: Value| Some(Reply::json(status, v.to_string()));
    let body = || -> Result<Value, String> {
        serde_json::from_slice::<Value>(&req.body).map_err(|e| format!("body is not JSON: {e}"))
    };
    match (verb.as_str(), path) {
        ("POST", "/_sandbox/webhooks") => match body().and_then(|v| target_from_json(&v)) {
            Ok(target) => {
                shared.webhooks.generation.fetch_add(1, Ordering::SeqCst);
                *lock(&shared.webhooks.target) = Some(target.clone());
                reply(200, json!({"ok": true, "target": target}))
            }
            Err(e) => reply(400, json!({"error": e})),
        },
        ("GET", "/_sandbox/webhooks") => reply(200, shared.webhooks.describe()),
        ("DELETE", "/_sandbox/webhooks") => {
            shared.webhooks.clear();
            reply(200, json!({"ok": true}))
        }
        ("POST", "/_sandbox/install") => {
            let v = match body() {
                Ok(v) => v,
                Err(e) => return reply(400, json!({"error": e})),
            };
            let (Some(card_id), Some(installed)) =
                (v.get("cardId").and_then(Value::as_str), v.get("installed").and_then(Value::as_bool))
            else {
                return reply(400, json!({"error": "send {\"cardId\": \"...\", \"installed\": true|false}"}));
            };
            let card = {
                let core = shared.lock();
                let s = &core.state;
                s.card_index(card_id).map(|i| serde_json::to_value(s.card_out(&s.cards[i], &shared.base_url)))
            };
            let Some(Ok(mut card)) = card else {
                return reply(404, json!({"error": format!("no card {card_id}")}));
            };
            // The sandbox keeps no devices: the install shows in the webhook's card only.
            card["installed"] = json!(installed);
            card["deviceRegistered"] = json!(installed);
            card["installedAW"] = json!(u8::from(installed));
            shared.webhooks.emit(if installed { "installCard" } else { "unInstallCard" }, card);
            reply(200, json!({"ok": true}))
        }
        _ => None,
    }
}

fn target_from_json(v: &Value) -> Result<Target, String> {
    let url =
        v.get("url").and_then(Value::as_str).ok_or("\"url\" is required: http://127.0.0.1:PORT/path")?;
    let rest = url.strip_prefix("http://").ok_or("only http:// URLs (the receiver runs locally)")?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let addr: SocketAddr = authority
        .replace("localhost", "127.0.0.1")
        .parse()
        .map_err(|_| format!("\"{authority}\" is not IP:PORT"))?;
    if !addr.ip().is_loopback() {
        return Err("the sandbox posts webhooks to loopback addresses only".into());
    }
    let number = |key: &str, default: u64| match v.get(key) {
        None | Some(Value::Null) => Ok(default),
        Some(n) => n.as_u64().ok_or(format!("\"{key}\" must be a non-negative integer")),
    };
    Ok(Target {
        url: url.to_owned(),
        addr,
        host_path: if path.is_empty() { "/".into() } else { path.to_owned() },
        repeats: u32::try_from(number("repeats", 2)?.min(10)).unwrap_or(10),
        repeat_delay_ms: number("repeat_delay_ms", 1000)?.min(60_000),
    })
}

/// One POST with a JSON body; answers the reply's status (Passteam itself ignores it).
fn post(target: &Target, body: &str) -> Result<u16, String> {
    let mut stream =
        TcpStream::connect_timeout(&target.addr, Duration::from_secs(2)).map_err(|e| e.to_string())?;
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let request = format!(
        "POST {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: passteam-sandbox-webhooks\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        target.host_path,
        target.addr,
        body.len()
    );
    stream.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut head = [0u8; 64];
    let mut got = 0;
    while got < 12 {
        match stream.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) => return Err(e.to_string()),
        }
    }
    std::str::from_utf8(&head[..got])
        .ok()
        .and_then(|t| t.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| "no HTTP status in the reply".into())
}

/// 24 hex digits, like Passteam's ids: time and a counter, unique within a sandbox process.
fn new_webhook_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let secs =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_secs();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{:08x}{:016x}", secs as u32, (u64::from(std::process::id()) << 40) ^ n)
}

/// The event a successful API call makes, with the card it concerns (`None`: no webhook).
pub fn event_of(method: &str, result_json: &str, deleted: Option<Value>) -> Option<(&'static str, Value)> {
    let result: Value = serde_json::from_str(result_json).ok()?;
    match method {
        "createcard" => Some(("createCard", result)),
        "updatecard" => Some(("updateCard", result.get("card")?.clone())),
        "deletecard" if result.get("n").and_then(Value::as_u64) == Some(1) => Some(("deleteCard", deleted?)),
        _ => None,
    }
}
