//! Reading a reply: its head (httparse), then its body framed as RFC 9112 says (Content-Length, chunked,
//! or until the server closes), bounded by max_response_bytes.

use super::conn::Conn;
use super::Fault;
use std::io;
use std::time::Instant;
use ureq::Timeout;

/// A head larger than this is refused (ureq's default limit).
const MAX_HEAD: usize = 64 * 1024;
/// More headers than this are refused.
const MAX_HEADERS: usize = 64;
/// A chunk-size line or a trailer line longer than this is refused.
const MAX_LINE: usize = 4 * 1024;

/// What the head says.
#[derive(Debug)]
pub(crate) struct Head {
    pub status: u16,
    pub location: Option<String>,
    pub framing: Framing,
    /// Whether the connection may carry another request once the body is read.
    pub reusable: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    Empty,
    Length(u64),
    Chunked,
    UntilClose,
}

/// Reads the head of the final reply (skipping `100 Continue` and other interim ones).
pub(crate) fn read_head(conn: &mut Conn, until: Instant, reason: Timeout) -> Result<Head, Fault> {
    let mut received_any = false;
    loop {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Response::new(&mut headers);
        match parsed.parse(conn.pending()) {
            Ok(httparse::Status::Complete(length)) => {
                let code = parsed.code.unwrap_or_default();
                // httparse reads any three digits; "050" is no status (found by the http_reply fuzz target).
                if code < 100 {
                    return Err(Fault::Broke(format!("the reply's status {code:03} is not an HTTP status")));
                }
                let head = interpret(code, parsed.version.unwrap_or(1), parsed.headers)?;
                conn.consume(length);
                match code {
                    101 => return Err(Fault::Broke("the server switched protocols (HTTP 101)".into())),
                    100..=199 => continue,
                    _ => return Ok(head),
                }
            }
            Ok(httparse::Status::Partial) => {}
            Err(httparse::Error::TooManyHeaders) => {
                return Err(Fault::Broke(format!("the reply has more than {MAX_HEADERS} headers")))
            }
            Err(e) => return Err(Fault::Broke(format!("the reply's head is not HTTP/1.1 ({e})"))),
        }
        if conn.pending().len() >= MAX_HEAD {
            return Err(Fault::Ureq(ureq::Error::LargeResponseHeader(conn.pending().len(), MAX_HEAD)));
        }
        let want = (conn.pending().len() + 1).min(MAX_HEAD);
        let read = conn.fill(until, reason, want)?;
        if read == 0 {
            return Err(if received_any || !conn.pending().is_empty() {
                Fault::Broke("the connection closed in the middle of the reply's head".into())
            } else {
                Fault::Ureq(ureq::Error::Io(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the server closed the connection without replying",
                )))
            });
        }
        received_any = true;
    }
}

/// The head's status, framing and reuse.
fn interpret(status: u16, version: u8, headers: &[httparse::Header<'_>]) -> Result<Head, Fault> {
    let mut location = None;
    let mut length: Option<u64> = None;
    let mut chunked = None;
    let mut close = version == 0;
    for h in headers {
        let name = h.name;
        if name.eq_ignore_ascii_case("content-length") {
            for part in h.value.split(|&b| b == b',') {
                let n = parse_length(part).ok_or_else(|| {
                    Fault::Broke(format!("the reply's Content-Length {:?} is not a number", lossy(h.value)))
                })?;
                if length.is_some_and(|l| l != n) {
                    return Err(Fault::Broke("the reply has two different Content-Length headers".into()));
                }
                length = Some(n);
            }
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            // The final coding decides: chunked, or read until the server closes.
            let last = h.value.rsplit(|&b| b == b',').next().unwrap_or_default();
            chunked = Some(trim(last).eq_ignore_ascii_case(b"chunked"));
        } else if name.eq_ignore_ascii_case("connection") {
            for token in h.value.split(|&b| b == b',').map(trim) {
                if token.eq_ignore_ascii_case(b"close") {
                    close = true;
                } else if token.eq_ignore_ascii_case(b"keep-alive") && version == 0 {
                    close = false;
                }
            }
        } else if name.eq_ignore_ascii_case("location") {
            location = Some(lossy(h.value));
        }
    }
    let framing = match (status, chunked, length) {
        (100..=199 | 204 | 304, _, _) => Framing::Empty,
        (_, Some(true), _) => Framing::Chunked,
        (_, Some(false), _) => Framing::UntilClose,
        (_, None, Some(n)) => Framing::Length(n),
        (_, None, None) => Framing::UntilClose,
    };
    // A reply framed both ways is a smuggling risk: read it, but never reuse its connection.
    let ambiguous = chunked.is_some() && length.is_some();
    let reusable = !close && !ambiguous && framing != Framing::UntilClose;
    Ok(Head { status, location, framing, reusable })
}

/// Reads the body the head announced; more than `limit` bytes is refused.
pub(crate) fn read_body(
    conn: &mut Conn,
    head: &Head,
    limit: u64,
    until: Instant,
    reason: Timeout,
) -> Result<Vec<u8>, Fault> {
    let too_large = || Fault::TooLarge { status: head.status };
    let in_body = |error: ureq::Error| Fault::InBody { status: head.status, error };
    // A failed read of a chunk line is a failed body read like any other.
    let line_fault = |f: Fault| match f {
        Fault::Ureq(error) => Fault::InBody { status: head.status, error },
        other => other,
    };
    let mut body = Vec::new();
    match head.framing {
        Framing::Empty => {}
        Framing::Length(n) => {
            if n > limit {
                return Err(too_large());
            }
            body.reserve_exact(n as usize);
            take(conn, &mut body, n as usize, until, reason).map_err(in_body)?;
        }
        Framing::UntilClose => loop {
            let pending = conn.pending();
            if (body.len() + pending.len()) as u64 > limit {
                return Err(too_large());
            }
            body.extend_from_slice(pending);
            let n = pending.len();
            conn.consume(n);
            if conn.fill(until, reason, 0).map_err(in_body)? == 0 {
                break;
            }
        },
        Framing::Chunked => loop {
            let line = read_line(conn, until, reason).map_err(line_fault)?;
            let digits = line.split(|&b| b == b';').next().map(trim).unwrap_or_default();
            let size = std::str::from_utf8(digits)
                .ok()
                .filter(|d| !d.is_empty() && d.len() <= 15)
                .and_then(|d| u64::from_str_radix(d, 16).ok())
                .ok_or_else(|| Fault::Broke(format!("a chunk size {:?} is not hexadecimal", lossy(&line))))?;
            if size == 0 {
                // Trailers, up to the blank line; their contents are not used.
                while !read_line(conn, until, reason).map_err(line_fault)?.is_empty() {}
                break;
            }
            if body.len() as u64 + size > limit {
                return Err(too_large());
            }
            take(conn, &mut body, size as usize, until, reason).map_err(in_body)?;
            if !read_line(conn, until, reason).map_err(line_fault)?.is_empty() {
                return Err(Fault::Broke("a chunk is longer than its size says".into()));
            }
        },
    }
    Ok(body)
}

/// Appends exactly `n` body bytes.
fn take(
    conn: &mut Conn,
    body: &mut Vec<u8>,
    mut n: usize,
    until: Instant,
    reason: Timeout,
) -> Result<(), ureq::Error> {
    loop {
        let pending = conn.pending();
        let now = pending.len().min(n);
        body.extend_from_slice(&pending[..now]);
        conn.consume(now);
        n -= now;
        if n == 0 {
            return Ok(());
        }
        if conn.fill(until, reason, 0)? == 0 {
            return Err(ureq::Error::Io(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection before the reply's body was complete",
            )));
        }
    }
}

/// One CRLF- (or LF-) terminated line of the chunked framing, without its terminator.
fn read_line(conn: &mut Conn, until: Instant, reason: Timeout) -> Result<Vec<u8>, Fault> {
    loop {
        if let Some(i) = memchr::memchr(b'\n', conn.pending()) {
            let line = conn.pending()[..i].strip_suffix(b"\r").unwrap_or(&conn.pending()[..i]).to_vec();
            conn.consume(i + 1);
            return Ok(line);
        }
        if conn.pending().len() > MAX_LINE {
            return Err(Fault::Broke("a chunk-size or trailer line is too long".into()));
        }
        if conn.fill(until, reason, 0)? == 0 {
            return Err(Fault::Ureq(ureq::Error::Io(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection in the middle of a chunked reply",
            ))));
        }
    }
}

/// Digits only (RFC 9110: `1*DIGIT`), surrounding spaces allowed; no sign, no overflow.
fn parse_length(value: &[u8]) -> Option<u64> {
    let digits = trim(value);
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| !matches!(b, b' ' | b'\t')).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !matches!(b, b' ' | b'\t')).map_or(start, |i| i + 1);
    &bytes[start..end]
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).chars().take(80).collect()
}
