//! One connection: its socket, the bytes read ahead of the parser, and the socket timeouts in force.

use crate::connector::{bucket, probe_open};
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};
use ureq::Timeout;

/// The read buffer's first size: a Passteam reply's head and a typical body in one `read`.
const READ_BUFFER: usize = 16 * 1024;

pub(crate) struct Conn {
    stream: TcpStream,
    /// Bytes read from the socket; `buf[pos..end]` are not consumed yet.
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    /// The socket timeouts in force (their buckets, see `connector::bucket`), so that back-to-back calls
    /// with the same limits make no `setsockopt`.
    read_bucket: Option<Option<Duration>>,
    write_bucket: Option<Option<Duration>>,
}

impl Conn {
    pub(crate) fn new(stream: TcpStream) -> Conn {
        Conn { stream, buf: vec![0; READ_BUFFER], pos: 0, end: 0, read_bucket: None, write_bucket: None }
    }

    /// Whether an idle connection can carry another request (one `poll`, see `connector::probe_open`).
    pub(crate) fn is_open(&self) -> bool {
        self.pos == self.end && probe_open(&self.stream)
    }

    /// Whether every byte read belongs to the replies consumed so far (a server that sent more than one
    /// reply cannot be trusted with the next request).
    pub(crate) fn drained(&self) -> bool {
        self.pos == self.end
    }

    /// The unread bytes.
    pub(crate) fn pending(&self) -> &[u8] {
        &self.buf[self.pos..self.end]
    }

    /// Marks `n` unread bytes as read.
    pub(crate) fn consume(&mut self, n: usize) {
        debug_assert!(n <= self.end - self.pos);
        self.pos += n;
    }

    /// Writes the whole request by `until` (one `write` when the kernel takes it all).
    pub(crate) fn write_all(&mut self, mut bytes: &[u8], until: Instant) -> Result<(), ureq::Error> {
        while !bytes.is_empty() {
            let left = left_until(until, Timeout::Global)?;
            let wanted = bucket(Some(left));
            if self.write_bucket != Some(wanted) {
                self.stream.set_write_timeout(wanted)?;
                self.write_bucket = Some(wanted);
            }
            match self.stream.write(bytes) {
                Ok(0) => return Err(ureq::Error::Io(io::ErrorKind::WriteZero.into())),
                Ok(n) => bytes = &bytes[n..],
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // A bucketed timeout woke early: go on with the time left (checked at the top).
                Err(e) if is_timeout(&e) => {}
                Err(e) => return Err(ureq::Error::Io(e)),
            }
        }
        Ok(())
    }

    /// Reads more bytes by `until`, keeping the unread ones; 0 means the server closed the connection.
    /// The buffer grows to hold `want` unread bytes when asked (a long head), never beyond what the caller
    /// allows.
    pub(crate) fn fill(
        &mut self,
        until: Instant,
        reason: Timeout,
        want: usize,
    ) -> Result<usize, ureq::Error> {
        if self.pos == self.end {
            (self.pos, self.end) = (0, 0);
        } else if self.pos > 0 && self.buf.len() - self.end < READ_BUFFER / 4 {
            self.buf.copy_within(self.pos..self.end, 0);
            (self.end, self.pos) = (self.end - self.pos, 0);
        }
        if self.end == self.buf.len() || self.pos + want > self.buf.len() {
            let grown = (self.buf.len() * 2).max(want + self.pos);
            self.buf.resize(grown, 0);
        }
        loop {
            let left = left_until(until, reason)?;
            let wanted = bucket(Some(left));
            if self.read_bucket != Some(wanted) {
                self.stream.set_read_timeout(wanted)?;
                self.read_bucket = Some(wanted);
            }
            match self.stream.read(&mut self.buf[self.end..]) {
                Ok(n) => {
                    self.end += n;
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if is_timeout(&e) => {}
                Err(e) => return Err(ureq::Error::Io(e)),
            }
        }
    }
}

/// The time left before `until`, or the timeout it stands for once it has passed.
fn left_until(until: Instant, reason: Timeout) -> Result<Duration, ureq::Error> {
    let left = until.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(ureq::Error::Timeout(reason));
    }
    Ok(left)
}

/// A socket timeout: `WouldBlock` on Unix, `TimedOut` on Windows.
fn is_timeout(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut)
}
