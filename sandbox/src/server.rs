//! The sockets: a small HTTP/1.1 server over `std::net`: keep-alive, a thread per connection, bounded reads with
//! timeouts, Content-Length and chunked request bodies, `Expect: 100-continue`. Hand-rolled (with
//! `httparse` for request heads) because faults need byte-level control of the connection.
//! What a request means is [`crate::handler`]'s business.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::envelope::envelope_err;
use crate::handler::{handle_request, Action};
use crate::http::{self, Reply, Request};
use crate::shared::Shared;

const MAX_HEAD: usize = 64 * 1024;
const MAX_HEADERS: usize = 100;
const MAX_BODY: usize = 32 * 1024 * 1024;
const MAX_LINE: usize = 8 * 1024;
const MAX_CONNS: usize = 512;
/// How long a keep-alive connection may stay idle between requests before it is closed.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// A request head must arrive whole within this time of its first byte (of the connection's start for the
/// first request): clients send a head at once, and without a bound 530 half-sent heads dribbling a byte
/// at a time held every connection slot and locked every new client out.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// A request body must arrive whole within this time of the end of its head.
const BODY_TIMEOUT: Duration = Duration::from_secs(60);
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

pub fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.shutting_down.load(Ordering::SeqCst) {
            break;
        }
        let stream = match stream {
            Ok(s) => s,
            Err(_) => {
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        let mut conns = shared.conns.lock().unwrap_or_else(|e| e.into_inner());
        if conns.len() >= MAX_CONNS {
            continue; // dropping the stream closes it
        }
        let id = shared.next_conn.fetch_add(1, Ordering::Relaxed);
        if let Ok(c) = stream.try_clone() {
            conns.insert(id, c);
        }
        drop(conns);
        let sh = shared.clone();
        let spawned = std::thread::Builder::new().name("passteam-sandbox-conn".into()).spawn(move || {
            serve_conn(&sh, stream);
            sh.conns.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
        });
        if spawned.is_err() {
            shared.conns.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
        }
    }
}

enum HttpErr {
    /// Connection closed, timed out or failed: close without a reply.
    Gone,
    /// A malformed request: reply with this status and close.
    Bad(u16, &'static str),
}

impl From<io::Error> for HttpErr {
    fn from(_: io::Error) -> Self {
        HttpErr::Gone
    }
}

struct Conn {
    s: TcpStream,
    buf: Vec<u8>,
    /// When the part being read (head or body) must be complete; `None` while idle between requests.
    deadline: Option<Instant>,
}

impl Conn {
    /// Reads more bytes into the buffer; 0 means end of stream. `TimedOut` once the deadline has passed
    /// (or nothing came for [`IDLE_TIMEOUT`] while idle).
    fn fill(&mut self) -> io::Result<usize> {
        let wait = match self.deadline {
            None => IDLE_TIMEOUT,
            Some(d) => d.saturating_duration_since(Instant::now()),
        };
        if wait.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.s.set_read_timeout(Some(wait))?;
        let mut tmp = [0u8; 16 * 1024];
        loop {
            match self.s.read(&mut tmp) {
                Ok(n) => {
                    self.buf.extend_from_slice(&tmp[..n]);
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    fn read_exact_n(&mut self, n: usize) -> Result<Vec<u8>, HttpErr> {
        while self.buf.len() < n {
            if self.fill()? == 0 {
                return Err(HttpErr::Gone);
            }
        }
        Ok(self.buf.drain(..n).collect())
    }

    fn read_line(&mut self) -> Result<String, HttpErr> {
        loop {
            if let Some(pos) = self.buf.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.buf.drain(..=pos).collect();
                let line = String::from_utf8_lossy(&line);
                return Ok(line.trim_end_matches(['\r', '\n']).to_string());
            }
            if self.buf.len() > MAX_LINE {
                return Err(HttpErr::Bad(400, "Line too long in chunked body"));
            }
            if self.fill()? == 0 {
                return Err(HttpErr::Gone);
            }
        }
    }

    fn read_chunked(&mut self) -> Result<Vec<u8>, HttpErr> {
        let mut body = Vec::new();
        loop {
            let line = self.read_line()?;
            let size_str = line.split(';').next().unwrap_or("").trim();
            let size =
                usize::from_str_radix(size_str, 16).map_err(|_| HttpErr::Bad(400, "Bad chunk size"))?;
            if size == 0 {
                // trailers, up to the empty line
                loop {
                    if self.read_line()?.is_empty() {
                        return Ok(body);
                    }
                }
            }
            // Checked: a chunk size near usize::MAX wrapped the sum past the limit (release builds).
            if body.len().checked_add(size).is_none_or(|total| total > MAX_BODY) {
                return Err(HttpErr::Bad(413, "Request body too large"));
            }
            let data = self.read_exact_n(size)?;
            body.extend_from_slice(&data);
            if !self.read_line()?.is_empty() {
                return Err(HttpErr::Bad(400, "Bad chunk terminator"));
            }
        }
    }

    /// `Ok(None)` on a clean end of stream between requests.
    fn read_request(&mut self) -> Result<Option<Request>, HttpErr> {
        let mut req = loop {
            if !self.buf.is_empty() {
                let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
                let mut r = httparse::Request::new(&mut headers);
                match r.parse(&self.buf) {
                    Ok(httparse::Status::Complete(n)) => {
                        let target = r.path.unwrap_or("/");
                        let (path, query) = match target.split_once('?') {
                            Some((p, q)) => (p.to_string(), q.to_string()),
                            None => (target.to_string(), String::new()),
                        };
                        let req = Request {
                            verb: r.method.unwrap_or("GET").to_string(),
                            path,
                            query,
                            version: r.version.unwrap_or(1),
                            headers: r
                                .headers
                                .iter()
                                .map(|h| {
                                    (h.name.to_string(), String::from_utf8_lossy(h.value).trim().to_string())
                                })
                                .collect(),
                            body: Vec::new(),
                        };
                        self.buf.drain(..n);
                        break req;
                    }
                    Ok(httparse::Status::Partial) => {}
                    Err(httparse::Error::TooManyHeaders) => {
                        return Err(HttpErr::Bad(431, "Request header fields too large"))
                    }
                    Err(_) => return Err(HttpErr::Bad(400, "Malformed HTTP request")),
                }
                if self.buf.len() > MAX_HEAD {
                    return Err(HttpErr::Bad(431, "Request header fields too large"));
                }
            }
            let had = !self.buf.is_empty();
            if had && self.deadline.is_none() {
                self.deadline = Some(Instant::now() + HEAD_TIMEOUT);
            }
            match self.fill() {
                Ok(0) if !had => return Ok(None),
                Ok(0) => return Err(HttpErr::Gone),
                Ok(_) => {}
                Err(e) if self.deadline.is_some() && is_timeout(&e) => {
                    return Err(HttpErr::Bad(408, "Request head not received in time"))
                }
                Err(_) => return Err(HttpErr::Gone),
            }
        };
        self.deadline = Some(Instant::now() + BODY_TIMEOUT);
        let chunked =
            req.header("transfer-encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
        let length = match req.header("content-length") {
            Some(v) if !chunked => {
                Some(v.trim().parse::<usize>().map_err(|_| HttpErr::Bad(400, "Bad Content-Length"))?)
            }
            _ => None,
        };
        if length.is_some_and(|n| n > MAX_BODY) {
            return Err(HttpErr::Bad(413, "Request body too large"));
        }
        let expects_body = chunked || length.unwrap_or(0) > 0;
        if expects_body
            && req.header("expect").is_some_and(|e| e.eq_ignore_ascii_case("100-continue"))
            && self.buf.is_empty()
        {
            self.s.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        }
        req.body = if chunked {
            self.read_chunked()?
        } else if let Some(n) = length {
            self.read_exact_n(n)?
        } else {
            Vec::new()
        };
        self.deadline = None;
        Ok(Some(req))
    }
}

/// The `Date` header every real server sends (RFC 9110's IMF-fixdate), so that clients can check their clock
/// against the sandbox as against Passteam.
fn http_date() -> String {
    chrono::Utc::now().format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn write_reply(s: &mut TcpStream, head_only: bool, reply: &Reply, keep_alive: bool) -> io::Result<()> {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\nDate: {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: {}\r\nServer: passteam-sandbox\r\n\r\n",
        reply.status,
        http::reason(reply.status),
        http_date(),
        reply.content_type,
        reply.body.len(),
        if keep_alive { "keep-alive" } else { "close" },
    )
    .into_bytes();
    if !head_only {
        out.extend_from_slice(&reply.body);
    }
    s.write_all(&out)?;
    s.flush()
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock)
}

fn keep_alive(req: &Request) -> bool {
    let conn = req.header("connection").unwrap_or("").to_ascii_lowercase();
    if req.version >= 1 {
        !conn.contains("close")
    } else {
        conn.contains("keep-alive")
    }
}

fn serve_conn(shared: &Shared, stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    // A client connects to send a request: the first head is due at once, not after an idle minute.
    let mut conn = Conn { s: stream, buf: Vec::new(), deadline: Some(Instant::now() + HEAD_TIMEOUT) };
    loop {
        if shared.shutting_down.load(Ordering::SeqCst) {
            break;
        }
        let req = match conn.read_request() {
            Ok(Some(r)) => r,
            Ok(None) | Err(HttpErr::Gone) => break,
            Err(HttpErr::Bad(code, msg)) => {
                let _ = write_reply(&mut conn.s, false, &envelope_err(code, msg), false);
                break;
            }
        };
        let keep = keep_alive(&req);
        match handle_request(shared, &req) {
            Action::Reply(reply) => {
                if write_reply(&mut conn.s, req.verb.eq_ignore_ascii_case("HEAD"), &reply, keep).is_err()
                    || !keep
                {
                    break;
                }
            }
            Action::Drop => {
                let _ = conn.s.shutdown(Shutdown::Both);
                return;
            }
        }
    }
    let _ = conn.s.shutdown(Shutdown::Write);
}
