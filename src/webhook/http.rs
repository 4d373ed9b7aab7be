//! A small, bounded HTTP/1.1 request reader and response writer for the receiver.
//!
//! Written by hand rather than taken from a server crate: the receiver needs one verb on one path, and
//! every bound in one place (header time, header size, body time, body size), with no async runtime
//! and no thread per request beyond what the receiver itself caps. Everything a client sends is
//! untrusted: each defect is an [`HttpError`] with the status to answer, never a panic.

use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

/// Request line plus headers larger than this are refused with 431.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;

/// Lets the reader bound each `read` by the time left (a socket's read timeout).
pub trait Deadlined: Read + Write {
    /// Sets the longest a single read may block.
    fn set_read_timeout(&mut self, timeout: Duration) -> io::Result<()>;
}

/// Why a request could not be read: the status to answer and a reason (both safe to show anyone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpError {
    pub status: u16,
    pub reason: String,
}

impl HttpError {
    fn new(status: u16, reason: impl Into<String>) -> HttpError {
        HttpError { status, reason: reason.into() }
    }
}

/// How the body is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    Length(u64),
    Chunked,
}

/// The request line and the headers that matter to the receiver.
#[derive(Debug, Clone)]
pub struct Head {
    pub method: String,
    /// The target's path, without the query string.
    pub path: String,
    pub framing: Framing,
    pub expect_continue: bool,
}

/// Reads a request from a stream, with whatever bytes arrived past the head kept for the body.
pub struct RequestReader<S> {
    stream: S,
    buffer: Vec<u8>,
    start: usize,
}

impl<S: Deadlined> RequestReader<S> {
    pub fn new(stream: S) -> RequestReader<S> {
        RequestReader { stream, buffer: Vec::with_capacity(2048), start: 0 }
    }

    /// The stream, for writing the reply.
    pub fn stream(&mut self) -> &mut S {
        &mut self.stream
    }

    /// Reads the request line and headers within `timeout`.
    pub fn read_head(&mut self, timeout: Duration) -> Result<Head, HttpError> {
        let deadline = Instant::now() + timeout;
        // Only the bytes that arrived since the last look are searched (plus three of the old ones, for a
        // terminator split across reads): a client sending one byte at a time costs linear time, not
        // quadratic.
        let mut searched = 0usize;
        let end = loop {
            let from = searched.saturating_sub(3);
            if let Some(at) = find(&self.buffer[from..], b"\r\n\r\n") {
                break from + at;
            }
            searched = self.buffer.len();
            if self.buffer.len() >= MAX_HEAD_BYTES {
                return Err(HttpError::new(431, "request headers too large"));
            }
            if self.fill(deadline, MAX_HEAD_BYTES - self.buffer.len())? == 0 {
                return Err(HttpError::new(400, "connection closed before the headers ended"));
            }
        };
        if end > MAX_HEAD_BYTES {
            return Err(HttpError::new(431, "request headers too large"));
        }
        let head = std::str::from_utf8(&self.buffer[..end])
            .map_err(|_| HttpError::new(400, "request headers are not UTF-8"))?
            .to_owned();
        self.start = end + 4;
        parse_head(&head)
    }

    /// Reads the body framed as `head` says, refusing more than `limit` bytes, within `timeout`.
    pub fn read_body(&mut self, head: &Head, limit: usize, timeout: Duration) -> Result<Vec<u8>, HttpError> {
        let deadline = Instant::now() + timeout;
        match head.framing {
            Framing::Length(length) => {
                if length > limit as u64 {
                    return Err(too_large(limit));
                }
                self.take_exact(length as usize, deadline)
            }
            Framing::Chunked => self.read_chunked(limit, deadline),
        }
    }

    fn read_chunked(&mut self, limit: usize, deadline: Instant) -> Result<Vec<u8>, HttpError> {
        let mut body = Vec::new();
        // Chunk-size lines count too, so that a million tiny chunks cannot make a body of any length.
        let mut framing_bytes = 0usize;
        loop {
            let line = self.take_line(deadline)?;
            framing_bytes += line.len() + 2;
            if framing_bytes > limit / 4 + 1024 {
                return Err(HttpError::new(400, "too many chunks"));
            }
            let size_text = line.split(';').next().unwrap_or_default().trim();
            let size = usize::from_str_radix(size_text, 16)
                .map_err(|_| HttpError::new(400, "bad chunk size in a chunked body"))?;
            if size == 0 {
                // Trailers, if any, end with an empty line.
                while !self.take_line(deadline)?.is_empty() {}
                return Ok(body);
            }
            if body.len().saturating_add(size) > limit {
                return Err(too_large(limit));
            }
            body.extend(self.take_exact(size, deadline)?);
            if !self.take_line(deadline)?.is_empty() {
                return Err(HttpError::new(400, "a chunk is longer than its size says"));
            }
        }
    }

    fn take_line(&mut self, deadline: Instant) -> Result<String, HttpError> {
        loop {
            if let Some(at) = find(&self.buffer[self.start..], b"\r\n") {
                let line = String::from_utf8_lossy(&self.buffer[self.start..self.start + at]).into_owned();
                self.start += at + 2;
                return Ok(line);
            }
            if self.buffer.len() - self.start > 1024 {
                return Err(HttpError::new(400, "a chunk-size line is too long"));
            }
            if self.fill(deadline, 4096)? == 0 {
                return Err(HttpError::new(400, "connection closed inside a chunked body"));
            }
        }
    }

    fn take_exact(&mut self, length: usize, deadline: Instant) -> Result<Vec<u8>, HttpError> {
        while self.buffer.len() - self.start < length {
            let missing = length - (self.buffer.len() - self.start);
            if self.fill(deadline, missing.min(64 * 1024))? == 0 {
                return Err(HttpError::new(400, "connection closed before the body ended"));
            }
        }
        let taken = self.buffer[self.start..self.start + length].to_vec();
        self.start += length;
        Ok(taken)
    }

    /// Reads up to `at_most` more bytes into the buffer, or fails with 408 once the deadline passed.
    fn fill(&mut self, deadline: Instant, at_most: usize) -> Result<usize, HttpError> {
        let timeout = || HttpError::new(408, "request timeout");
        // Drop what has been consumed so the buffer never grows past one request's bounds.
        if self.start > 0 {
            self.buffer.drain(..self.start);
            self.start = 0;
        }
        let left =
            deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero()).ok_or_else(timeout)?;
        self.stream.set_read_timeout(left).map_err(|_| timeout())?;
        // A fixed chunk, appended: growing and zeroing the buffer by the whole allowance on every read
        // would cost quadratic time against a client that sends a byte at a time.
        let mut chunk = [0u8; 8192];
        let want = at_most.clamp(1, chunk.len());
        let got = match self.stream.read(&mut chunk[..want]) {
            Ok(n) => n,
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                return Err(timeout());
            }
            // Interrupted by a signal: read again (the deadline still bounds it); answering 0 would read
            // as the client having closed.
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return self.fill(deadline, at_most),
            Err(_) => return Err(HttpError::new(400, "connection error")),
        };
        self.buffer.extend_from_slice(&chunk[..got]);
        Ok(got)
    }
}

fn too_large(limit: usize) -> HttpError {
    HttpError::new(413, format!("the body is larger than {limit} bytes"))
}

fn parse_head(head: &str) -> Result<Head, HttpError> {
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HttpError::new(400, "bad request line"));
    };
    if !version.starts_with("HTTP/1.") || method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase())
    {
        return Err(HttpError::new(400, "bad request line"));
    }
    let mut length: Option<u64> = None;
    let mut chunked = false;
    let mut expect_continue = false;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            return Err(HttpError::new(400, "bad header line"));
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            let parsed = value
                .parse::<u64>()
                .ok()
                .filter(|_| value.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| HttpError::new(400, "bad Content-Length"))?;
            if length.is_some_and(|seen| seen != parsed) {
                return Err(HttpError::new(400, "conflicting Content-Length headers"));
            }
            length = Some(parsed);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            if !value.eq_ignore_ascii_case("chunked") {
                return Err(HttpError::new(501, "only chunked transfer encoding is supported"));
            }
            chunked = true;
        } else if name.eq_ignore_ascii_case("expect") {
            expect_continue = value.eq_ignore_ascii_case("100-continue");
        }
    }
    let framing = match (chunked, length) {
        (true, Some(_)) => return Err(HttpError::new(400, "both Content-Length and chunked encoding")),
        (true, None) => Framing::Chunked,
        (false, Some(n)) => Framing::Length(n),
        (false, None) => Framing::Length(0),
    };
    Ok(Head { method: method.to_owned(), path: path_of(target).to_owned(), framing, expect_continue })
}

/// The path of a request target: origin form (`/a?b`) or absolute form (`http://host/a?b`).
fn path_of(target: &str) -> &str {
    let without_scheme = target.strip_prefix("http://").or_else(|| target.strip_prefix("https://"));
    let path = match without_scheme {
        Some(rest) => rest.find('/').map_or("/", |at| &rest[at..]),
        None => target,
    };
    path.split(['?', '#']).next().unwrap_or_default()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Writes a complete reply with a JSON body and closes the exchange (`Connection: close`).
pub fn write_reply(stream: &mut impl Write, status: u16, body: &str, extra_headers: &str) -> io::Result<()> {
    let reply = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n{extra_headers}\r\n{body}",
        reason_phrase(status),
        body.len()
    );
    stream.write_all(reply.as_bytes())?;
    stream.flush()
}

/// Sent before reading a body when the client asked (curl does for bodies over 1 KiB).
pub fn write_continue(stream: &mut impl Write) -> io::Result<()> {
    stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    stream.flush()
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An in-memory stream that hands out its input in small pieces, as a slow network would.
    struct Trickle {
        input: Vec<u8>,
        at: usize,
        piece: usize,
    }

    impl Read for Trickle {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.piece.min(out.len()).min(self.input.len() - self.at);
            out[..n].copy_from_slice(&self.input[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    impl Write for Trickle {
        fn write(&mut self, data: &[u8]) -> io::Result<usize> {
            Ok(data.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Deadlined for Trickle {
        fn set_read_timeout(&mut self, _: Duration) -> io::Result<()> {
            Ok(())
        }
    }

    fn read(raw: &str, piece: usize, limit: usize) -> Result<(Head, Vec<u8>), HttpError> {
        let mut reader = RequestReader::new(Trickle { input: raw.as_bytes().to_vec(), at: 0, piece });
        let head = reader.read_head(Duration::from_secs(10))?;
        let body = reader.read_body(&head, limit, Duration::from_secs(10))?;
        Ok((head, body))
    }

    #[test]
    fn length_and_chunked_bodies_arrive_whole_in_any_pieces() {
        for piece in [1, 3, 4096] {
            let (head, body) =
                read("POST /a/b?x=1 HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", piece, 100).unwrap();
            assert_eq!(
                (head.method.as_str(), head.path.as_str(), body.as_slice()),
                ("POST", "/a/b", &b"hello"[..])
            );
            let chunked =
                "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2;x=y\r\nlo\r\n0\r\n\r\n";
            assert_eq!(read(chunked, piece, 100).unwrap().1, b"hello");
        }
    }

    #[test]
    fn defects_get_their_status() {
        let status = |raw: &str, limit| read(raw, 7, limit).unwrap_err().status;
        assert_eq!(status("POST /a HTTP/1.1\r\nContent-Length: 11\r\n\r\nhello world", 10), 413);
        assert_eq!(
            status("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n0\r\n\r\n", 5),
            413
        );
        assert_eq!(status("POST /a HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 10), 400);
        assert_eq!(status("POST /a HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 10), 400);
        assert_eq!(status("POST /a HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 10), 501);
        assert_eq!(status("garbage\r\n\r\n", 10), 400);
        assert_eq!(status("POST /a HTTP/1.1\r\nContent-Length: 9\r\n\r\nshort", 10), 400);
        assert_eq!(status("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 10), 400);
        let huge = format!("POST /a HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD_BYTES));
        assert_eq!(status(&huge, 10), 431);
    }

    #[test]
    fn a_head_sent_a_byte_at_a_time_costs_linear_time() {
        // 16 KiB one byte per read: quadratic scanning made this take seconds (and a slow client a CPU sink).
        let head = format!("POST /a HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD_BYTES - 40));
        let started = std::time::Instant::now();
        let (parsed, _) = read(&head, 1, 10).unwrap();
        assert_eq!(parsed.path, "/a");
        assert!(started.elapsed() < Duration::from_millis(500), "took {:?}", started.elapsed());
    }

    #[test]
    fn absolute_targets_give_their_path() {
        assert_eq!(path_of("http://example.test/hook/x?y"), "/hook/x");
        assert_eq!(path_of("https://example.test"), "/");
        assert_eq!(path_of("/p#frag"), "/p");
    }
}
