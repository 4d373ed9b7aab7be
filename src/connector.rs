//! A lean plain-TCP transport for ureq: the fewest system calls per round trip.
//!
//! Measured with `strace -c` over 2 000 sequential getcard calls on loopback, ureq's own `TcpTransport`
//! spent per call: 2 `sendto` (headers and body written separately, so the server wakes twice),
//! 3 `recvfrom` (two of them EAGAIN from the pooled connection's liveness probe), 4 `ioctl` (blocking mode
//! toggled around that probe) and 2.5 `setsockopt` (the socket timeouts set again whenever the remaining
//! deadline changed, i.e. on every call). libcurl spends 1 `sendto`, 1 `recvfrom` and 3 `poll`.
//!
//! This transport:
//! - holds the request's bytes until ureq waits for the reply, then writes them with one `write`
//!   (headers and body in one segment);
//! - probes a pooled connection with one `poll` (zero timeout) instead of non-blocking read + two ioctls;
//! - sets a socket timeout only when its power-of-two bucket changes, and enforces the exact deadline by
//!   reading again with the time left after an early wake-up (the bucket is never longer than the time
//!   left, so a deadline is never overrun).
//!
//! TLS (RustlsConnector) and HTTP CONNECT proxies are chained on top of it exactly as in ureq's default
//! connector; SOCKS proxies keep ureq's default connector (see `transport::build_agent`).

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, ShutdownHandle, Transport,
};
use ureq::{Error, Timeout};

/// Pending request bytes are written at once beyond this size (a large upload streams in slices).
const MAX_PENDING: usize = 64 * 1024;
/// Connecting to several addresses: no address gets less than this.
const MIN_PER_ADDRESS: Duration = Duration::from_millis(10);

/// Connects plain TCP sockets for [`LeanTransport`]; the first link of the chain.
#[derive(Debug, Default)]
pub(crate) struct LeanTcpConnector;

impl<In: Transport> Connector<In> for LeanTcpConnector {
    type Out = Either<In, LeanTransport>;

    fn connect(&self, details: &ConnectionDetails, chained: Option<In>) -> Result<Option<Self::Out>, Error> {
        if chained.is_some() {
            // A proxy connector already made the connection.
            return Ok(chained.map(Either::A));
        }
        let config = details.config;
        let stream = connect_any(details)?;
        if config.no_delay() {
            stream.set_nodelay(true)?;
        }
        let stream = Arc::new(Socket(stream));
        (details.register_shutdown)(Arc::downgrade(&stream) as Weak<dyn ShutdownHandle>)?;
        let buffers = LazyBuffers::new(config.input_buffer_size(), config.output_buffer_size());
        Ok(Some(Either::B(LeanTransport {
            stream,
            buffers,
            pending: Vec::new(),
            read_bucket: None,
            write_bucket: None,
        })))
    }
}

/// Tries each resolved address in turn, the first getting half the connect budget, the next a quarter...
fn connect_any(details: &ConnectionDetails) -> Result<TcpStream, Error> {
    let budget = details.timeout.not_zero().map(|b| *b);
    connect_addrs(details.addrs.iter().copied(), details.addrs.len(), budget, details.timeout.reason)
}

/// [`connect_any`] for a list of addresses and a budget (`None`: no limit); `reason` is the timeout
/// reported when the whole budget is spent. Also the plain-HTTP path's connect (`http1`).
pub(crate) fn connect_addrs(
    addrs: impl Iterator<Item = SocketAddr>,
    count: usize,
    budget: Option<Duration>,
    reason: Timeout,
) -> Result<TcpStream, Error> {
    let started = Instant::now();
    let total_weight = 2.0 * (1.0 - 0.5_f64.powi(count.min(64) as i32));
    let mut weight = 1.0_f64;
    let mut last: Option<Error> = None;
    for addr in addrs {
        let per_address = budget.map(|b| {
            let share = b.as_secs_f64() * weight / total_weight;
            Duration::from_secs_f64(share).max(MIN_PER_ADDRESS)
        });
        weight /= 2.0;
        match connect_one(addr, per_address) {
            Ok(stream) => return Ok(stream),
            Err(e) => {
                let timed_out = matches!(e, Error::Timeout(_));
                if timed_out && budget.is_some_and(|b| started.elapsed() >= b) {
                    return Err(Error::Timeout(reason));
                }
                last = Some(e);
            }
        }
    }
    Err(last
        .unwrap_or_else(|| Error::Io(io::Error::new(io::ErrorKind::ConnectionRefused, "Connection refused"))))
}

fn connect_one(addr: SocketAddr, timeout: Option<Duration>) -> Result<TcpStream, Error> {
    let made = match timeout {
        Some(t) => TcpStream::connect_timeout(&addr, t),
        None => TcpStream::connect(addr),
    };
    made.map_err(|e| match e.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => Error::Timeout(Timeout::Connect),
        _ => Error::Io(e),
    })
}

/// The socket, shared with the agent's shutdown handle.
struct Socket(TcpStream);

impl ShutdownHandle for Socket {
    fn shutdown(&self) {
        let _ = self.0.shutdown(Shutdown::Both);
    }
}

/// One pooled connection.
pub(crate) struct LeanTransport {
    stream: Arc<Socket>,
    buffers: LazyBuffers,
    /// Request bytes ureq handed over and that are not written yet.
    pending: Vec<u8>,
    /// The socket timeouts in force (their buckets), to skip a `setsockopt` that would change nothing.
    read_bucket: Option<Option<Duration>>,
    write_bucket: Option<Option<Duration>>,
}

impl fmt::Debug for LeanTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LeanTransport").field("peer", &self.stream.0.peer_addr().ok()).finish()
    }
}

/// The largest power-of-two number of milliseconds not above `d` (at least 1 ms); `None` = no timeout.
/// A socket timeout from this bucket never outlasts the time left, and changes only when the time left
/// halves, so back-to-back calls with the same configured timeouts set it once per connection.
pub(crate) fn bucket(d: Option<Duration>) -> Option<Duration> {
    let ms = d?.as_millis().clamp(1, 1 << 40) as u64;
    Some(Duration::from_millis(1u64 << (63 - ms.leading_zeros())))
}

fn timeout_error(e: io::Error, reason: Timeout) -> Error {
    match e.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => Error::Timeout(reason),
        _ => Error::Io(e),
    }
}

impl LeanTransport {
    fn set_read_timeout(&mut self, wanted: Option<Duration>) -> io::Result<()> {
        let b = bucket(wanted);
        if self.read_bucket != Some(b) {
            self.stream.0.set_read_timeout(b)?;
            self.read_bucket = Some(b);
        }
        Ok(())
    }

    fn set_write_timeout(&mut self, wanted: Option<Duration>) -> io::Result<()> {
        let b = bucket(wanted);
        if self.write_bucket != Some(b) {
            self.stream.0.set_write_timeout(b)?;
            self.write_bucket = Some(b);
        }
        Ok(())
    }

    /// Writes the pending request bytes within `timeout` (one `write` when the kernel takes them all).
    fn flush_pending(&mut self, timeout: NextTimeout) -> Result<(), Error> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let timeout = timeout.for_write();
        let started = Instant::now();
        let budget = timeout.not_zero().map(|d| *d);
        let mut written = 0;
        while written < self.pending.len() {
            let left = budget.map(|b| b.saturating_sub(started.elapsed()));
            if left.is_some_and(|l| l.is_zero()) {
                return Err(Error::Timeout(timeout.reason));
            }
            self.set_write_timeout(left)?;
            match (&self.stream.0).write(&self.pending[written..]) {
                Ok(0) => return Err(Error::Io(io::ErrorKind::WriteZero.into())),
                Ok(n) => written += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // An early wake-up of a bucketed timeout: go on with the time left.
                Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                    if budget.is_none_or(|b| started.elapsed() >= b) {
                        return Err(Error::Timeout(timeout.reason));
                    }
                }
                Err(e) => return Err(Error::Io(e)),
            }
        }
        self.pending.clear();
        Ok(())
    }
}

impl Transport for LeanTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), Error> {
        if timeout.after.is_zero() {
            return Err(Error::Timeout(timeout.reason));
        }
        // Held until ureq waits for the reply, so headers and body leave in one write.
        let output = &self.buffers.output()[..amount];
        self.pending.extend_from_slice(output);
        if self.pending.len() >= MAX_PENDING {
            self.flush_pending(timeout)?;
        }
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, Error> {
        self.flush_pending(timeout)?;
        let timeout = timeout.for_read();
        if timeout.after.is_zero() {
            return Err(Error::Timeout(timeout.reason));
        }
        let started = Instant::now();
        let budget = timeout.not_zero().map(|d| *d);
        loop {
            let left = budget.map(|b| b.saturating_sub(started.elapsed()));
            if left.is_some_and(|l| l.is_zero()) {
                return Err(Error::Timeout(timeout.reason));
            }
            self.set_read_timeout(left)?;
            let input = self.buffers.input_append_buf();
            match (&self.stream.0).read(input) {
                Ok(n) => {
                    self.buffers.input_appended(n);
                    return Ok(n > 0);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                    if budget.is_none_or(|b| started.elapsed() >= b) {
                        return Err(timeout_error(e, timeout.reason));
                    }
                }
                Err(e) => return Err(Error::Io(e)),
            }
        }
    }

    fn is_open(&mut self) -> bool {
        self.pending.is_empty() && probe_open(&self.stream.0)
    }
}

/// Whether an idle pooled connection can carry another request: nothing readable on it (no EOF from the
/// server's side, no stray bytes). One `poll` with a zero timeout.
#[cfg(unix)]
pub(crate) fn probe_open(stream: &TcpStream) -> bool {
    use std::os::unix::io::AsRawFd;
    let mut fds = libc::pollfd { fd: stream.as_raw_fd(), events: libc::POLLIN, revents: 0 };
    // SAFETY: one valid pollfd for a socket we own, zero timeout.
    let ready = unsafe { libc::poll(&mut fds, 1, 0) };
    ready == 0
}

/// Elsewhere: a non-blocking peek (what ureq does).
#[cfg(not(unix))]
pub(crate) fn probe_open(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return false;
    }
    let mut byte = [0u8; 1];
    let open = matches!(stream.peek(&mut byte), Err(e) if e.kind() == io::ErrorKind::WouldBlock);
    stream.set_nonblocking(false).is_ok() && open
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_powers_of_two_never_above_the_time_left() {
        assert_eq!(bucket(None), None);
        assert_eq!(bucket(Some(Duration::ZERO)), Some(Duration::from_millis(1)));
        assert_eq!(bucket(Some(Duration::from_millis(1))), Some(Duration::from_millis(1)));
        assert_eq!(bucket(Some(Duration::from_millis(1500))), Some(Duration::from_millis(1024)));
        assert_eq!(bucket(Some(Duration::from_millis(19_990))), Some(Duration::from_millis(16_384)));
        assert_eq!(bucket(Some(Duration::from_millis(19_990))), bucket(Some(Duration::from_millis(17_000))));
        for ms in [1u64, 2, 3, 999, 1000, 1023, 1024, 1025, 65_535, 3_600_000] {
            let b = bucket(Some(Duration::from_millis(ms))).unwrap();
            assert!(b <= Duration::from_millis(ms) && b * 2 > Duration::from_millis(ms), "{ms}: {b:?}");
        }
    }

    #[test]
    fn a_closed_peer_makes_the_probe_fail_and_an_idle_one_pass() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        assert!(probe_open(&client), "an idle connection is open");
        (&server).write_all(b"x").unwrap();
        std::thread::sleep(Duration::from_millis(20));
        assert!(!probe_open(&client), "stray bytes make it unusable");
        let client2 = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server2, _) = listener.accept().unwrap();
        drop(server2);
        std::thread::sleep(Duration::from_millis(20));
        assert!(!probe_open(&client2), "a closed peer is not open");
        drop(server);
    }
}
