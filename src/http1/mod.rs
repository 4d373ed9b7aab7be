//! Plain HTTP/1.1 to a server without a proxy, spoken directly on the client's own connection pool.
//!
//! Why not ureq here: profiled with callgrind over 3 000 sequential getcard calls against a canned nginx
//! reply (1.2 KiB, keep-alive), a call cost about 96 000 user-space instructions against libcurl's 83 000,
//! and 36 500 of them were ureq's per-call machinery (`ureq::run`: the `http::Request`/`HeaderMap` round
//! trip, the prelude written through `fmt`, the response rebuilt as an `http::Response`, the body read
//! through four reader layers). This module writes the request with one `write` from one buffer and reads
//! the reply with httparse into a reused buffer: the same bytes on the wire, a fraction of the work.
//!
//! Only what Passteam's plain-HTTP endpoints need: `http://` URLs (the sandbox, a local TLS-terminating
//! proxy, `allow_insecure_http`), no proxy configured. TLS, proxies and everything else stay on ureq
//! (`transport::build_agent`), and both paths report failures through the same mapping
//! (`transport::failure`), so a caller cannot tell them apart except by speed.

mod conn;
mod reply;
mod wire;

use crate::resolver::CachingResolver;
use conn::Conn;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use ureq::unversioned::resolver::Resolver;
use ureq::unversioned::transport::NextTimeout;
use ureq::Timeout;

pub(crate) use wire::{target_of, Target};

/// Idle connections kept per host, on this path and in ureq's pool alike (`transport::build_agent`).
pub(crate) const MAX_IDLE_PER_HOST: usize = 64;
/// An idle connection older than this is closed rather than reused, on both paths: shorter than common
/// server keep-alive limits, so a pooled connection is rarely stale (a stale one turns a createcard into an
/// "outcome unknown").
pub(crate) const MAX_IDLE_AGE: Duration = Duration::from_secs(10);

/// One request, as the transport prepared it.
pub(crate) struct Request<'a> {
    pub verb: &'a str,
    pub token: Option<&'a str>,
    pub content_type: Option<&'a str>,
    /// `None` for GET and DELETE (no body, no Content-Length).
    pub body: Option<&'a [u8]>,
}

/// The limits of one attempt.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    pub time_left: Duration,
    pub max_response_bytes: u64,
}

/// What came back.
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: u16,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

/// Why an exchange failed. Most failures are exactly ureq's (so `transport::failure` words them the same
/// way on both paths); the rest are ours.
#[derive(Debug)]
pub(crate) enum Fault {
    Ureq(ureq::Error),
    /// The server's bytes are not HTTP/1.1 as we can read it; the request may have arrived.
    Broke(String),
    /// The body would exceed max_response_bytes.
    TooLarge {
        status: u16,
    },
    /// A body read failed after the head arrived (the status is known).
    InBody {
        status: u16,
        error: ureq::Error,
    },
}

impl From<ureq::Error> for Fault {
    fn from(e: ureq::Error) -> Self {
        Fault::Ureq(e)
    }
}

impl From<std::io::Error> for Fault {
    fn from(e: std::io::Error) -> Self {
        Fault::Ureq(ureq::Error::Io(e))
    }
}

/// The client's plain-HTTP connections.
pub(crate) struct Http1 {
    idle: Mutex<Vec<Idle>>,
    resolver: CachingResolver,
    user_agent: String,
}

impl std::fmt::Debug for Http1 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let idle = self.idle.lock().map_or(0, |i| i.len());
        f.debug_struct("Http1").field("idle", &idle).finish()
    }
}

struct Idle {
    authority: String,
    conn: Conn,
    since: Instant,
}

impl Http1 {
    pub(crate) fn new(resolver: CachingResolver, user_agent: &str) -> Http1 {
        Http1 { idle: Mutex::new(Vec::new()), resolver, user_agent: user_agent.to_owned() }
    }

    /// Sends one request and reads the whole reply (bounded by max_response_bytes) within the limits.
    pub(crate) fn send(
        &self,
        agent_config: &ureq::config::Config,
        target: &Target<'_>,
        request: &Request<'_>,
        limits: Limits,
    ) -> Result<Answer, Fault> {
        let started = Instant::now();
        let deadline = started + limits.time_left;
        let bytes = wire::request_bytes(target, request, &self.user_agent);
        let mut conn = match self.checkout(target.authority) {
            Some(conn) => conn,
            None => self.connect(agent_config, target, limits, deadline)?,
        };
        conn.write_all(&bytes, deadline)?;
        let sent = Instant::now();
        let (head_until, head_reason) = bound(deadline, sent + limits.read_timeout, Timeout::RecvResponse);
        let head = reply::read_head(&mut conn, head_until, head_reason)?;
        let (body_until, body_reason) =
            bound(deadline, Instant::now() + limits.read_timeout, Timeout::RecvBody);
        let body = reply::read_body(&mut conn, &head, limits.max_response_bytes, body_until, body_reason)?;
        if head.reusable && conn.drained() {
            self.checkin(target.authority, conn);
        }
        Ok(Answer { status: head.status, location: head.location, body })
    }

    /// The most recently used idle connection to this host that is still open.
    fn checkout(&self, authority: &str) -> Option<Conn> {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        while let Some(i) = idle.iter().rposition(|c| c.authority == authority) {
            let candidate = idle.swap_remove(i);
            if candidate.since.elapsed() < MAX_IDLE_AGE && candidate.conn.is_open() {
                return Some(candidate.conn);
            }
            // Closed by the server, or too old: dropped (closed) here.
        }
        None
    }

    fn checkin(&self, authority: &str, conn: Conn) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.iter().filter(|c| c.authority == authority).count() >= MAX_IDLE_PER_HOST {
            if let Some(oldest) = idle.iter().position(|c| c.authority == authority) {
                idle.remove(oldest);
            }
        }
        idle.push(Idle { authority: authority.to_owned(), conn, since: Instant::now() });
    }

    fn connect(
        &self,
        agent_config: &ureq::config::Config,
        target: &Target<'_>,
        limits: Limits,
        deadline: Instant,
    ) -> Result<Conn, Fault> {
        let left = deadline.saturating_duration_since(Instant::now());
        let uri: ureq::http::Uri =
            target.origin.parse().map_err(|_| Fault::Ureq(ureq::Error::BadUri(target.origin.to_owned())))?;
        let timeout =
            NextTimeout { after: left.into(), reason: Timeout::Resolve, per_read: None, per_write: None };
        let addrs = self.resolver.resolve(&uri, agent_config, timeout)?;
        let left = deadline.saturating_duration_since(Instant::now());
        let budget = limits.connect_timeout.min(left);
        let stream = crate::connector::connect_addrs(
            addrs.iter().copied(),
            addrs.len(),
            Some(budget),
            Timeout::Connect,
        )?;
        stream.set_nodelay(true)?;
        Ok(Conn::new(stream))
    }
}

/// The earlier of the call's deadline and a phase's own limit, and the timeout to report when it passes.
fn bound(deadline: Instant, phase_until: Instant, phase: Timeout) -> (Instant, Timeout) {
    if phase_until < deadline {
        (phase_until, phase)
    } else {
        (deadline, Timeout::Global)
    }
}

#[cfg(test)]
mod tests;
